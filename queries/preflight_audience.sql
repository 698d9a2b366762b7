-- Returns the audience of the scheduled and live journeys, and of those with no status (or of
-- one named journey) as of each date: each journey's latest export on or before the date, so
-- a journey with no export by then has no audience. A row without snapshot_date is today's
-- audience, dated $latest.
-- Grain: one row per as-of date, journey and customer. Parameters: $as_of (DATE list),
-- $latest (DATE, the latest customer snapshot), $team (VARCHAR or NULL), $journey (VARCHAR or NULL).
-- Kept: per evaluation (a temporary table built with the evaluation's dates, by its first reader), and not
-- across runs: its millions of rows cost more to write than they save, since its readers' rows (the members
-- pre-flight stops and the counts) are kept themselves and a later run never reads it.
WITH dates AS (
    SELECT unnest($as_of::DATE[]) AS as_of
),
scope AS (
    SELECT journey_id
    FROM journeys
    WHERE (($journey::VARCHAR IS NULL AND coalesce(status IN ('scheduled', 'live'), true)) OR journey_id = $journey::VARCHAR)
      AND ($team::VARCHAR IS NULL OR team = $team::VARCHAR)
),
-- Read twice rather than kept: the chosen exports are few, and keeping every row costs more.
exports AS NOT MATERIALIZED (
    SELECT journey_id, customer_id, coalesce(snapshot_date, $latest::DATE) AS exported
    FROM journey_audience
    WHERE journey_id IN (SELECT journey_id FROM scope)
),
chosen AS (
    SELECT d.as_of, e.journey_id, max(e.exported) AS exported
    FROM dates d
    JOIN (SELECT DISTINCT journey_id, exported FROM exports) e ON e.exported <= d.as_of
    GROUP BY d.as_of, e.journey_id
)
SELECT DISTINCT c.as_of, e.journey_id, e.customer_id
FROM chosen c
JOIN exports e ON e.journey_id = c.journey_id AND e.exported = c.exported
