-- Returns every content item that exists as of each date (created or published by then; an
-- item with neither date exists from the start), with its facts and one boolean per rule of
-- the governance and accountability checks. Each rule is written here once: the counts
-- (content_metrics) and the lists of failing items (approval_breaches, audit_gaps and the
-- others) all read these columns. An item with no model confidence recorded counts as low, and
-- one with no provenance recorded (ai_generated NULL) counts as AI-generated: nothing shows a
-- person wrote it, so the AI rules (audit trail, label, escalation) hold for it too.
-- Grain: one row per as-of date and item, until the item is settled: once every moment a rule
-- compares with the date is before it (publication, the audit trail's publication, the edit
-- that voids its approvals; for a crisis item, the end of its window), every later date judges
-- it alike, so its row at the first such date, marked `settled`, stands for that date and every
-- later one. A reader of one date takes `as_of_end = $end OR (settled AND as_of_end <= $end)`;
-- a reader of every date counts a settled row for its date and each later one. Parameters:
-- none; the evaluation's dates and settings come from content_settings.
-- Kept: per evaluation, as a view (each statement that reads it computes what it needs; a table of
-- every item of eight dates costs the trend more than its readers computing it; created only when a
-- statement that reads it is computed: never when every reader's rows are kept from an earlier run).
-- Needs: item_trails, content_settings
WITH settings AS (
    SELECT * FROM content_settings
),
-- Each date, and the start of its window of crisis messages.
ends AS (
    SELECT DISTINCT e.as_of_end, CAST(CAST(e.as_of_end AS DATE) - s.crisis_days AS TIMESTAMP) AS crisis_from
    FROM (SELECT unnest(ends) AS as_of_end FROM settings) e
    CROSS JOIN settings s
),
-- Each date with the one before it (none for the first).
dates AS (
    SELECT as_of_end, crisis_from,
           lag(as_of_end) OVER (ORDER BY as_of_end) AS previous_end,
           lag(crisis_from) OVER (ORDER BY as_of_end) AS previous_crisis_from
    FROM ends
),
items AS (
    SELECT *, greatest(published_at, created_at, published_event, invalidated_at) AS last_moment
    FROM item_trails
),
-- An item has a row at each date it exists by, except where it was already settled at the date
-- before: the row of its first settled date stands for those. (The same test, written twice:
-- settled at the date, and at the date before.)
dated AS (
    SELECT d.as_of_end, d.crisis_from, f.*,
           coalesce(f.last_moment < d.as_of_end, true)
               AND (f.context IS DISTINCT FROM 'crisis' OR coalesce(f.published_at < d.crisis_from, true)) AS settled,
           coalesce(f.published_at < d.as_of_end, false) AS published,  -- no publication date: not published
           f.approved_by IS NOT NULL
               AND (f.invalidated_at IS NULL OR f.invalidated_at >= d.as_of_end) AS approved
    FROM dates d
    JOIN items f
      ON least(f.published_at, coalesce(f.created_at, f.published_at, TIMESTAMP '1970-01-01')) < d.as_of_end
     AND NOT (d.previous_end IS NOT NULL
              AND coalesce(f.last_moment < d.previous_end, true)
              AND (f.context IS DISTINCT FROM 'crisis' OR coalesce(f.published_at < d.previous_crisis_from, true)))
),
base AS (
    SELECT *,
           NOT mapped AS unmapped,
           published AND mapped AND approval_required AS requiring,
           published AND coalesce(ai_generated, true) AS ai_published,
           ai_generated IS NULL AS provenance_missing,
           published AND makes_commitment AS commitments,
           published AND context = 'crisis'
               AND published_at >= crisis_from AS crisis
    FROM dated
),
rules AS (
    SELECT *,
           unmapped AND published AS unmapped_published,
           unmapped AND NOT published AS unmapped_draft,
           requiring AND approved AS compliant,
           requiring AND NOT approved AS breach,
           ai_published AND NOT coalesce(
               first_recommended IS NOT NULL
               AND published_event < as_of_end
               AND first_recommended <= published_event
               AND (NOT (mapped AND approval_required)
                    OR (approved AND first_recommended <= approved_by AND last_approval <= published_event)),
               false) AS audit_gap,
           ai_published AND label_required AS label_needed,
           ai_published AND label_required AND NOT coalesce(ai_label_applied, false) AS label_missing,
           ai_published AND (model_confidence < (SELECT confidence FROM settings) OR model_confidence IS NULL) AS low_confidence,
           commitments AND owner_active AS commitments_owned,
           crisis AND NOT (mapped AND (NOT approval_required OR approved)) AS crisis_unapproved,
           crisis AND hours_to_publish > (SELECT crisis_hours FROM settings) AS crisis_slow,
           -- Neither a recommended event nor a creation time: its speed cannot be measured.
           crisis AND hours_to_publish IS NULL AS crisis_untimed
    FROM base
)
SELECT *,
       ai_published AND NOT audit_gap AS audit_complete,
       label_missing OR provenance_missing AS transparency_gap,
       low_confidence AND coalesce(first_escalated < published_at, false) AS escalated,
       low_confidence AND NOT coalesce(first_escalated < published_at, false) AS unescalated,
       low_confidence AND model_confidence IS NULL AS unknown_confidence,
       commitments AND NOT commitments_owned AS unowned,
       crisis AND NOT crisis_unapproved AS crisis_approved,
       crisis_unapproved OR crisis_slow OR crisis_untimed AS crisis_flagged
FROM rules
