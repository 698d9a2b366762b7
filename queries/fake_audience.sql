-- Returns, per as-of date and journey, the audience members (read from the preflight_audience
-- table of the evaluation) flagged as suspected fakes in the snapshot current at the date.
-- Grain: one row per as-of date and journey holding at least one. Parameters: $as_of and
-- $snapshot (parallel DATE lists).
-- Needs: preflight_audience
WITH pairs AS (
    SELECT a.as_of, s.snapshot_date
    FROM (SELECT * FROM unnest($as_of::DATE[]) WITH ORDINALITY AS a(as_of, i)) a
    JOIN (SELECT * FROM unnest($snapshot::DATE[]) WITH ORDINALITY AS s(snapshot_date, i)) s ON s.i = a.i
),
-- The suspects of each date's snapshot, few, are what the audience is matched against. The
-- snapshots are named by the bound list itself, so that only their files are read.
suspects AS (
    SELECT p.as_of, r.customer_id
    FROM pairs p
    JOIN (SELECT * FROM customers WHERE list_contains($snapshot::DATE[], snapshot_date)) r
      ON r.snapshot_date = p.snapshot_date
    WHERE r.suspected_fake
)
SELECT a.as_of, a.journey_id, count(DISTINCT a.customer_id) AS suspects,
       min(a.customer_id) AS first_suspect
FROM preflight_audience a
SEMI JOIN suspects s ON s.as_of = a.as_of AND s.customer_id = a.customer_id
GROUP BY a.as_of, a.journey_id
ORDER BY a.as_of, a.journey_id
