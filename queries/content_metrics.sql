-- Returns the governance and accountability figures as of each date for each team (items
-- without a team form a group of their own) and for the whole organisation (`everyone`):
-- each rule's count, the crisis messages' median hours to publication, and the first three
-- items each rule finds (newest first) so summaries can name them.
-- Grain: one row per as-of date and team, and one per as-of date for everyone.
-- Parameters: $ends (list of TIMESTAMP, each the exclusive end of an as-of day),
-- $confidence (DOUBLE, model confidence below which an item must be escalated; an item with
-- no confidence recorded counts as low), $crisis_hours (DOUBLE, target hours from
-- recommendation to publication of a crisis item), $crisis_days (INTEGER, the window of
-- days up to the as-of date whose crisis items are judged).
WITH dates AS (
    SELECT unnest($ends::TIMESTAMP[]) AS as_of_end
),
judged AS (
    SELECT d.as_of_end, f.*,
           f.published_at < d.as_of_end AS published,
           f.published_at < d.as_of_end AND f.mapped AND f.approval_required AS requiring,
           f.approved_by IS NOT NULL
               AND (f.invalidated_at IS NULL OR f.invalidated_at >= d.as_of_end) AS approved
    FROM dates d
    -- An item exists as of a date once created or published (an item with neither dates from the start).
    JOIN item_facts f ON least(f.published_at, coalesce(f.created_at, f.published_at, TIMESTAMP '1970-01-01')) < d.as_of_end
),
flags AS (
    SELECT *,
           published AND coalesce(ai_generated, false) AS ai_published,
           published AND context = 'crisis'
               AND published_at >= as_of_end - to_days($crisis_days::INTEGER) AS crisis,
           published AND mapped AND approval_required AND NOT approved AS breach,
           published AND coalesce(ai_generated, false)
               AND (model_confidence < $confidence OR model_confidence IS NULL) AS low_confidence
    FROM judged
),
rules AS (
    SELECT *,
           ai_published AND NOT coalesce(
               first_recommended IS NOT NULL
               AND published_event < as_of_end
               AND first_recommended <= published_event
               AND (NOT (mapped AND approval_required)
                    OR (approved AND first_recommended <= approved_by AND last_approval <= published_event)),
               false) AS audit_gap,
           ai_published AND label_required AND NOT coalesce(ai_label_applied, false) AS label_missing,
           low_confidence AND NOT coalesce(first_escalated < published_at, false) AS unescalated,
           published AND makes_commitment AND NOT owner_active AS unowned,
           crisis AND NOT (mapped AND (NOT approval_required OR approved)) AS crisis_unapproved
    FROM flags
)
SELECT as_of_end, team, grouping(team) = 1 AS everyone,
       count(*) AS items,
       count(*) FILTER (WHERE NOT mapped) AS unmapped,
       count(*) FILTER (WHERE NOT mapped AND published) AS unmapped_published,
       count(*) FILTER (WHERE published) AS published,
       count(*) FILTER (WHERE requiring) AS requiring,
       count(*) FILTER (WHERE requiring AND approved) AS compliant,
       count(*) FILTER (WHERE ai_published) AS ai_published,
       count(*) FILTER (WHERE ai_published AND NOT audit_gap) AS audit_complete,
       count(*) FILTER (WHERE ai_generated IS NULL) AS provenance_missing,
       count(*) FILTER (WHERE ai_published AND label_required) AS label_needed,
       count(*) FILTER (WHERE label_missing) AS label_missing,
       count(*) FILTER (WHERE low_confidence) AS low_confidence,
       count(*) FILTER (WHERE low_confidence AND NOT unescalated) AS escalated,
       count(*) FILTER (WHERE low_confidence AND model_confidence IS NULL) AS unknown_confidence,
       count(*) FILTER (WHERE published AND makes_commitment) AS commitments,
       count(*) FILTER (WHERE published AND makes_commitment AND NOT unowned) AS commitments_owned,
       count(*) FILTER (WHERE crisis) AS crisis,
       count(*) FILTER (WHERE crisis AND NOT crisis_unapproved) AS crisis_approved,
       count(*) FILTER (WHERE crisis AND hours_to_publish > $crisis_hours) AS crisis_slow,
       count(*) FILTER (WHERE crisis AND (hours_to_publish > $crisis_hours OR crisis_unapproved)) AS crisis_flagged,
       median(hours_to_publish) FILTER (WHERE crisis) AS crisis_median_hours,
       list(item_id ORDER BY published_at DESC, item_id) FILTER (WHERE NOT mapped AND published)[1:3] AS unmapped_published_ids,
       list(item_id ORDER BY created_at DESC, item_id) FILTER (WHERE NOT mapped AND NOT published)[1:3] AS unmapped_draft_ids,
       list(item_id ORDER BY published_at DESC, item_id) FILTER (WHERE breach)[1:3] AS breach_ids,
       list(item_id ORDER BY published_at DESC, item_id) FILTER (WHERE audit_gap)[1:3] AS audit_gap_ids,
       list(item_id ORDER BY published_at DESC, item_id) FILTER (WHERE ai_generated IS NULL)[1:3] AS provenance_ids,
       list(item_id ORDER BY published_at DESC, item_id) FILTER (WHERE label_missing)[1:3] AS label_ids,
       list(item_id ORDER BY published_at DESC, item_id) FILTER (WHERE unescalated)[1:3] AS unescalated_ids,
       list(item_id ORDER BY published_at DESC, item_id) FILTER (WHERE unowned)[1:3] AS unowned_ids,
       list(item_id ORDER BY published_at DESC, item_id) FILTER (WHERE crisis_unapproved)[1:3] AS crisis_unapproved_ids
FROM rules
GROUP BY GROUPING SETS ((as_of_end, team), (as_of_end))
