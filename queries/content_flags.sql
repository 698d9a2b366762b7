-- Returns every content item that exists as of each date (created or published by then; an
-- item with neither date exists from the start), with its facts and one boolean per rule of
-- the governance and accountability checks. Each rule is written here once: the counts
-- (content_metrics) and the lists of failing items (approval_breaches, audit_gaps and the
-- others) all read these columns. An item with no model confidence recorded counts as low.
-- Grain: one row per as-of date and item, but an item every date judges alike has a single
-- row, at the first date, with same_every_date set: a reader of one date takes the rows of
-- that date and those (`as_of_end = $end OR same_every_date`), and a reader of every date
-- counts those once for each date. Parameters: none; the evaluation's dates and settings come
-- from content_settings.
-- Kept: per evaluation, as a view (each statement that reads it computes what it needs).
-- Needs: item_trails, content_settings
WITH settings AS (
    SELECT * FROM content_settings
),
dates AS (
    SELECT unnest(ends) AS as_of_end FROM settings
),
earliest AS (
    SELECT min(d.as_of_end) AS first_end, any_value(s.crisis_days) AS crisis_days
    FROM dates d
    CROSS JOIN settings s
),
-- An item whose every moment that a rule compares with the date (publication, the audit
-- trail's publication, the edit that voids its approvals; for a crisis item, its window) is
-- before the first date, is judged alike by every date: it has one row, at the first date,
-- marked same_every_date, that stands for every date. Older items are most of them.
items AS (
    SELECT f.*,
           coalesce(least(f.published_at, coalesce(f.created_at, f.published_at, TIMESTAMP '1970-01-01')) < e.first_end
               AND coalesce(f.published_at < e.first_end, true)
               AND coalesce(f.published_event < e.first_end, true)
               AND coalesce(f.invalidated_at < e.first_end, true)
               AND (f.context IS DISTINCT FROM 'crisis'
                    OR coalesce(f.published_at < CAST(CAST(e.first_end AS DATE) - e.crisis_days AS TIMESTAMP), true)),
               false) AS same_every_date
    FROM item_trails f
    CROSS JOIN earliest e
),
dated AS (
    SELECT d.as_of_end, f.*,
           f.published_at < d.as_of_end AS published,
           f.approved_by IS NOT NULL
               AND (f.invalidated_at IS NULL OR f.invalidated_at >= d.as_of_end) AS approved
    FROM dates d
    CROSS JOIN earliest e
    JOIN items f
      ON least(f.published_at, coalesce(f.created_at, f.published_at, TIMESTAMP '1970-01-01')) < d.as_of_end
     AND (NOT f.same_every_date OR d.as_of_end = e.first_end)
),
base AS (
    SELECT *,
           NOT mapped AS unmapped,
           published AND mapped AND approval_required AS requiring,
           published AND coalesce(ai_generated, false) AS ai_published,
           ai_generated IS NULL AS provenance_missing,
           published AND makes_commitment AS commitments,
           published AND context = 'crisis'
               AND published_at >= CAST(CAST(as_of_end AS DATE) - (SELECT crisis_days FROM settings) AS TIMESTAMP) AS crisis
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
           crisis AND hours_to_publish > (SELECT crisis_hours FROM settings) AS crisis_slow
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
       crisis_unapproved OR crisis_slow AS crisis_flagged
FROM rules
