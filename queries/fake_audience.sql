-- Returns, per as-of date and journey, the audience members (read from the preflight_audience
-- table of the evaluation) flagged as suspected fakes in the snapshot current at the date.
-- Grain: one row per as-of date and journey holding at least one. Parameters: $as_of and
-- $snapshot (parallel DATE lists).
-- Needs: preflight_audience
WITH pairs AS (
    SELECT a.as_of, s.snapshot_date
    FROM (SELECT * FROM unnest($as_of::DATE[]) WITH ORDINALITY AS a(as_of, i)) a
    JOIN (SELECT * FROM unnest($snapshot::DATE[]) WITH ORDINALITY AS s(snapshot_date, i)) s ON s.i = a.i
)
SELECT a.as_of, a.journey_id, count(DISTINCT a.customer_id) AS suspects,
       min(a.customer_id) AS first_suspect
FROM preflight_audience a
JOIN pairs p ON p.as_of = a.as_of
JOIN customers r ON r.snapshot_date = p.snapshot_date AND r.customer_id = a.customer_id
WHERE r.suspected_fake
GROUP BY a.as_of, a.journey_id
ORDER BY a.as_of, a.journey_id
