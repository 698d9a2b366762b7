-- Returns the value counts of the snapshots between two dates, for anomaly detection.
-- Grain: one row per snapshot, field and value. Parameters: $from, $to (DATE, inclusive
-- snapshot range).
-- Needs: field_values
SELECT snapshot_date, field, value, customers
FROM field_values
WHERE snapshot_date BETWEEN $from AND $to
