-- Returns the customer snapshots: one row per snapshot_date, with its row count,
-- oldest first. Parameters: none.
SELECT snapshot_date, count(*) AS rows
FROM customers
GROUP BY snapshot_date
ORDER BY snapshot_date
