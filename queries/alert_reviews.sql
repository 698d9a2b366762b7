-- Returns the anomaly reviews made outside the dashboard. Grain: one row per review.
-- Parameters: none.
SELECT field, value, snapshot_date, reviewed_by, reviewed_at, note
FROM alert_reviews
ORDER BY reviewed_at
