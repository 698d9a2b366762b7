-- Returns every customer snapshot after the first with its new customers, those flagged as
-- suspected fakes and those never screened, read from customer_presence (kept per load).
-- Grain: one row per snapshot. Parameters: none.
-- Needs: customer_presence
SELECT snapshot_date, previous, new_customers, flagged, unscreened
FROM customer_presence
WHERE previous IS NOT NULL
ORDER BY snapshot_date
