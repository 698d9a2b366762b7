-- Returns, per as-of date and journey, the audience members (read from the preflight_audience
-- table of the evaluation) flagged as suspected fakes in the snapshot current at the date.
-- Grain: one row per as-of date and journey holding at least one. Parameters: $as_of and
-- $snapshot (parallel DATE lists).
-- Needs: preflight_audience
WITH pairs AS (
    SELECT unnest($as_of::DATE[]) AS as_of, unnest($snapshot::DATE[]) AS snapshot_date
)
SELECT a.as_of, a.journey_id, count(DISTINCT a.customer_id) AS suspects,
       min(a.customer_id) AS first_suspect
FROM preflight_audience a
JOIN pairs p ON p.as_of = a.as_of
-- The snapshots are named by the bound list itself, so that only their files are read.
JOIN (SELECT * FROM customers WHERE list_contains($snapshot::DATE[], snapshot_date)) r
  ON r.snapshot_date = p.snapshot_date AND r.customer_id = a.customer_id
WHERE r.suspected_fake
GROUP BY a.as_of, a.journey_id
ORDER BY a.as_of, a.journey_id
