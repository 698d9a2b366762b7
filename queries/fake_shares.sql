-- Returns, for every customer snapshot after the first, its new customers (those absent from
-- the snapshot just before it), how many of them are flagged as suspected fakes and how many
-- were never screened (suspected_fake empty on every row of the customer). A customer ID
-- present twice counts once, flagged if any of its rows is. Grain: one row per snapshot.
-- Parameters: none.
-- Kept: per load (it does not depend on the as-of date).
WITH snapshots AS (
    SELECT snapshot_date, lag(snapshot_date) OVER (ORDER BY snapshot_date) AS previous
    FROM (SELECT DISTINCT snapshot_date FROM customers)
),
arrivals AS (
    SELECT c.snapshot_date, s.previous, c.customer_id, bool_or(c.suspected_fake) AS flagged
    FROM customers c
    JOIN snapshots s ON s.snapshot_date = c.snapshot_date AND s.previous IS NOT NULL
    ANTI JOIN customers p ON p.snapshot_date = s.previous AND p.customer_id = c.customer_id
    GROUP BY c.snapshot_date, s.previous, c.customer_id
)
SELECT s.snapshot_date, s.previous, count(a.customer_id) AS new_customers,
       count(*) FILTER (WHERE a.flagged) AS flagged,
       count(a.customer_id) FILTER (WHERE a.flagged IS NULL) AS unscreened
FROM snapshots s
LEFT JOIN arrivals a ON a.snapshot_date = s.snapshot_date
WHERE s.previous IS NOT NULL
GROUP BY s.snapshot_date, s.previous
ORDER BY s.snapshot_date
