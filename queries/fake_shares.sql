-- Returns, for one customer snapshot, its new customers (those absent from the snapshot just
-- before it), how many of them are flagged as suspected fakes and how many were never screened
-- (suspected_fake empty on every row of the customer). A customer ID present twice counts
-- once, flagged if any of its rows is. Grain: one row per snapshot. Parameters: $snapshot and
-- $previous (DATE: the snapshot and the one just before it).
-- Kept: per load (it does not depend on the as-of date), one snapshot at a time: each pair of
-- snapshots is two files of the customers extract, matched on their own.
-- Each: customer_snapshots
WITH arrivals AS (
    SELECT c.customer_id, bool_or(c.suspected_fake) AS flagged
    FROM customers c
    ANTI JOIN (SELECT customer_id FROM customers WHERE snapshot_date = $previous::DATE) p
           ON p.customer_id = c.customer_id
    WHERE c.snapshot_date = $snapshot::DATE
    GROUP BY c.customer_id
)
SELECT $snapshot::DATE AS snapshot_date, $previous::DATE AS previous, count(*) AS new_customers,
       count(*) FILTER (WHERE flagged) AS flagged, count(*) FILTER (WHERE flagged IS NULL) AS unscreened
FROM arrivals
