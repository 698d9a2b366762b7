-- Returns, per as-of date and journey, the audience members (read from the preflight_flags
-- table of the evaluation) flagged as suspected fakes in the snapshot current at the date.
-- Grain: one row per as-of date and journey holding at least one. Parameters: none.
-- Needs: preflight_flags
-- The flags hold each member stopped on a date once, with suspected_fake set when any of its
-- rows in that snapshot is flagged: counting those rows counts the suspects.
SELECT as_of, journey_id, count(*) AS suspects, min(customer_id) AS first_suspect
FROM preflight_flags
WHERE suspected_fake
GROUP BY as_of, journey_id
ORDER BY as_of, journey_id
