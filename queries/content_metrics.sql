-- Returns the governance and accountability figures as of each date for each team (items
-- without a team form a group of their own). The counts add up to the organisation's; its
-- median crisis time comes from crisis_median.sql. Grain: one row per as-of date and team.
-- Parameters: $ends (list of TIMESTAMP, each the exclusive end of an as-of day),
-- $confidence (DOUBLE, model confidence below which an item must be escalated),
-- $crisis_hours (DOUBLE, target hours from recommendation to publication of a crisis item).
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
    JOIN item_facts f ON coalesce(f.created_at, f.published_at, TIMESTAMP '1970-01-01') < d.as_of_end
),
flags AS (
    SELECT *,
           published AND coalesce(ai_generated, false) AS ai_published,
           published AND context = 'crisis' AS crisis
    FROM judged
)
SELECT as_of_end, team,
       count(*) AS items,
       count(*) FILTER (WHERE NOT mapped) AS unmapped,
       count(*) FILTER (WHERE NOT mapped AND published) AS unmapped_published,
       count(*) FILTER (WHERE published) AS published,
       count(*) FILTER (WHERE requiring) AS requiring,
       count(*) FILTER (WHERE requiring AND approved) AS compliant,
       count(*) FILTER (WHERE ai_published) AS ai_published,
       count(*) FILTER (WHERE ai_published
           AND first_recommended IS NOT NULL
           AND published_event < as_of_end
           AND first_recommended <= published_event
           AND (NOT (mapped AND approval_required)
                OR (approved AND first_recommended <= approved_by AND last_approval <= published_event))
       ) AS audit_complete,
       count(*) FILTER (WHERE ai_generated IS NULL) AS provenance_missing,
       count(*) FILTER (WHERE ai_published AND label_required) AS label_needed,
       count(*) FILTER (WHERE ai_published AND label_required AND NOT coalesce(ai_label_applied, false)) AS label_missing,
       count(*) FILTER (WHERE ai_published AND model_confidence < $confidence) AS low_confidence,
       count(*) FILTER (WHERE ai_published AND model_confidence < $confidence
                        AND first_escalated < published_at) AS escalated,
       count(*) FILTER (WHERE published AND makes_commitment) AS commitments,
       count(*) FILTER (WHERE published AND makes_commitment AND owner_active) AS commitments_owned,
       count(*) FILTER (WHERE crisis) AS crisis,
       count(*) FILTER (WHERE crisis AND mapped AND (NOT approval_required OR approved)) AS crisis_approved,
       count(*) FILTER (WHERE crisis AND hours_to_publish > $crisis_hours) AS crisis_slow,
       count(*) FILTER (WHERE crisis AND (hours_to_publish > $crisis_hours
                                          OR NOT (mapped AND (NOT approval_required OR approved)))) AS crisis_flagged,
       median(hours_to_publish) FILTER (WHERE crisis) AS crisis_median_hours
FROM flags
GROUP BY as_of_end, team
