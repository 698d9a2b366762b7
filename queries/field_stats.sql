-- Returns, as of each date, the completeness, validity and freshness counts of each measured
-- customer field on the snapshot current at that date, with that snapshot's rows and distinct
-- customer IDs. Coded fields are counted from field_values (their value counts per snapshot),
-- distinct IDs from customer_presence (both kept per load), the ID and the update time from
-- the snapshot's rows. Freshness depends only on when a row was last updated, so it is
-- counted once per day of update.
-- Grain: one row per as-of date and field.
-- Parameters: $as_of and $snapshot (parallel DATE lists: each as-of date and its current
-- snapshot); $fields, $allowed and $stale (parallel lists, one entry per registered field:
-- its name, its allowed values as a VARCHAR list or NULL for any, its staleness in days or
-- NULL for never stale).
-- Needs: field_values, customer_presence
-- Kept across runs: the same snapshots, fields and rules give the same counts (a pass over the current snapshots).
WITH pairs AS (
    SELECT a.as_of, s.snapshot_date
    FROM (SELECT * FROM unnest($as_of::DATE[]) WITH ORDINALITY AS a(as_of, i)) a
    JOIN (SELECT * FROM unnest($snapshot::DATE[]) WITH ORDINALITY AS s(snapshot_date, i)) s ON s.i = a.i
),
rules AS (
    SELECT f.field, a.allowed, s.stale_days
    FROM (SELECT * FROM unnest($fields::VARCHAR[]) WITH ORDINALITY AS f(field, i)) f
    JOIN (SELECT * FROM unnest($allowed::VARCHAR[][]) WITH ORDINALITY AS a(allowed, i)) a ON a.i = f.i
    JOIN (SELECT * FROM unnest($stale::INTEGER[]) WITH ORDINALITY AS s(stale_days, i)) s ON s.i = f.i
),
identity_rules AS (
    SELECT max(allowed) FILTER (WHERE field = 'customer_id') AS ids,
           max(allowed) FILTER (WHERE field = 'updated_at') AS stamps
    FROM rules
),
-- One pass over the current snapshots' rows, by day of update. The snapshots are named by the
-- bound list itself, so that only their files are read. (A rule with no allowed values is
-- decided without looking at the value: most rows are then never cast to text.)
stamps AS (
    SELECT c.snapshot_date, CAST(c.updated_at AS DATE) AS day, count(*) AS customers,
           count(c.customer_id) AS id_present,
           count(*) FILTER (WHERE c.customer_id IS NOT NULL
                            AND CASE WHEN r.ids IS NULL THEN true ELSE list_contains(r.ids, c.customer_id) END) AS id_valid,
           count(c.updated_at) AS stamp_present,
           count(*) FILTER (WHERE c.updated_at IS NOT NULL
                            AND CASE WHEN r.stamps IS NULL THEN true
                                     ELSE list_contains(r.stamps, CAST(c.updated_at AS VARCHAR)) END) AS stamp_valid
    FROM (SELECT snapshot_date, customer_id, updated_at FROM customers
          WHERE list_contains($snapshot::DATE[], snapshot_date)) c
    CROSS JOIN identity_rules r
    GROUP BY c.snapshot_date, CAST(c.updated_at AS DATE)
),
snapshots AS (
    SELECT snapshot_date, CAST(sum(customers) AS BIGINT) AS rows,
           CAST(sum(id_present) AS BIGINT) AS id_present, CAST(sum(id_valid) AS BIGINT) AS id_valid,
           CAST(sum(stamp_present) AS BIGINT) AS stamp_present, CAST(sum(stamp_valid) AS BIGINT) AS stamp_valid
    FROM stamps
    GROUP BY snapshot_date
),
identities AS (
    FROM snapshots UNPIVOT ((present, valid) FOR field IN ((id_present, id_valid) AS 'customer_id',
                                                          (stamp_present, stamp_valid) AS 'updated_at'))
),
counted AS (
    SELECT p.as_of, v.field,
           CAST(coalesce(sum(v.customers) FILTER (WHERE v.value IS NOT NULL), 0) AS BIGINT) AS present,
           CAST(coalesce(sum(v.customers) FILTER (WHERE v.value IS NOT NULL
               AND (r.allowed IS NULL OR list_contains(r.allowed, v.value))), 0) AS BIGINT) AS valid
    FROM pairs p
    JOIN field_values v ON v.snapshot_date = p.snapshot_date AND v.field <> 'row_count'
    LEFT JOIN rules r ON r.field = v.field
    GROUP BY p.as_of, v.field
    UNION ALL
    SELECT p.as_of, i.field, i.present, i.valid
    FROM pairs p
    JOIN identities i ON i.snapshot_date = p.snapshot_date
),
fresh AS (
    SELECT p.as_of, f.field,
           CAST(coalesce(sum(s.customers) FILTER (WHERE r.stale_days IS NULL
               OR s.day >= p.as_of - r.stale_days), 0) AS BIGINT) AS fresh
    FROM pairs p
    CROSS JOIN (SELECT DISTINCT field FROM counted) f
    LEFT JOIN rules r ON r.field = f.field
    JOIN stamps s ON s.snapshot_date = p.snapshot_date
    GROUP BY p.as_of, f.field
)
SELECT p.as_of, p.snapshot_date, s.rows, d.distinct_ids, c.field, c.present, c.valid, f.fresh
FROM pairs p
JOIN snapshots s ON s.snapshot_date = p.snapshot_date
JOIN customer_presence d ON d.snapshot_date = p.snapshot_date
JOIN counted c ON c.as_of = p.as_of
JOIN fresh f ON f.as_of = p.as_of AND f.field = c.field
ORDER BY p.as_of, c.field
