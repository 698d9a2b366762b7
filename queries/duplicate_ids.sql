-- Returns the customer IDs that appear more than once in one snapshot, most copies first,
-- with how many such IDs there are in all. Grain: one row per duplicated customer_id;
-- empty = every ID is unique. Parameters: $snapshot (DATE), $limit.
-- Kept across runs: a snapshot's duplicated IDs do not change (a grouping of its every row).
SELECT customer_id, count(*) AS copies, count(*) OVER () AS duplicated_ids
FROM customers
WHERE snapshot_date = $snapshot
GROUP BY customer_id
HAVING count(*) > 1
ORDER BY copies DESC, customer_id
LIMIT $limit
