-- Returns the value counts of the snapshots between two dates, read from the value_shares
-- table the engine keeps per load. Grain: one row per snapshot, field and value.
-- Parameters: $from, $to (DATE, inclusive snapshot range).
SELECT snapshot_date, field, value, customers
FROM value_shares
WHERE snapshot_date BETWEEN $from AND $to
