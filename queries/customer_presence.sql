-- Returns, for every customer snapshot, its distinct customer IDs and, against the snapshot
-- just before it, its new customers (IDs absent from that snapshot), how many of them are
-- flagged as suspected fakes and how many were never screened (suspected_fake empty on every
-- row of the customer). A customer ID present twice counts once, flagged if any of its rows
-- is. The first snapshot has no previous one: its arrival counts are NULL.
-- Grain: one row per snapshot. Parameters: none.
-- Kept: per load (it does not depend on the as-of date; field quality and fake users read it).
-- Kept across runs: the same snapshots give the same counts (one pass over every customer row).
-- One pass over every snapshot: each customer's presence, flags and screening become bit
-- masks of the snapshots, 62 neighbours to a block (a BIGINT keeps 63 bits; blocks share their
-- edge snapshot, so every pair of neighbours lies inside one block). The masks then take few
-- distinct values, and the counts are read off them.
WITH snapshots AS (
    SELECT snapshot_date, CAST(row_number() OVER (ORDER BY snapshot_date) - 1 AS INTEGER) AS i
    FROM (SELECT DISTINCT snapshot_date FROM customers) d
),
slots AS (
    SELECT snapshot_date, i, CAST(floor(i / 62) AS INTEGER) AS block, CAST(i % 62 AS INTEGER) AS bit
    FROM snapshots
    UNION ALL
    SELECT snapshot_date, i, CAST(floor(i / 62) AS INTEGER) - 1 AS block, 62 AS bit
    FROM snapshots
    WHERE i > 0 AND i % 62 = 0
),
masks AS (
    SELECT s.block, c.customer_id,
           bit_or(CAST(1 AS BIGINT) << s.bit) AS present,
           bit_or(CASE WHEN c.suspected_fake THEN CAST(1 AS BIGINT) << s.bit ELSE CAST(0 AS BIGINT) END) AS flagged,
           bit_or(CASE WHEN c.suspected_fake IS NOT NULL THEN CAST(1 AS BIGINT) << s.bit
                       ELSE CAST(0 AS BIGINT) END) AS screened
    FROM customers c
    JOIN slots s ON s.snapshot_date = c.snapshot_date
    GROUP BY s.block, c.customer_id
),
combos AS (
    SELECT block, present, flagged, screened, count(*) AS customers
    FROM masks
    GROUP BY block, present, flagged, screened
),
-- Each snapshot once: its place in the block where it has a neighbour before it (the first
-- snapshot has none: bit 0 of block 0).
places AS (
    SELECT snapshot_date, i, block, bit
    FROM slots
    WHERE bit > 0 OR i = 0
),
counted AS (
    SELECT p.snapshot_date, p.i,
           sum(c.customers) FILTER (WHERE (c.present >> p.bit) & 1 = 1) AS distinct_ids,
           sum(c.customers) FILTER (WHERE p.bit > 0 AND (c.present >> p.bit) & 1 = 1
                                    AND (c.present >> greatest(p.bit - 1, 0)) & 1 = 0)
               AS new_customers,
           sum(c.customers) FILTER (WHERE p.bit > 0 AND (c.present >> p.bit) & 1 = 1
                                    AND (c.present >> greatest(p.bit - 1, 0)) & 1 = 0
                                    AND (c.flagged >> p.bit) & 1 = 1) AS flagged,
           sum(c.customers) FILTER (WHERE p.bit > 0 AND (c.present >> p.bit) & 1 = 1
                                    AND (c.present >> greatest(p.bit - 1, 0)) & 1 = 0
                                    AND (c.screened >> p.bit) & 1 = 0) AS unscreened
    FROM places p
    JOIN combos c ON c.block = p.block
    GROUP BY p.snapshot_date, p.i
)
SELECT c.snapshot_date, b.snapshot_date AS previous, CAST(coalesce(c.distinct_ids, 0) AS BIGINT) AS distinct_ids,
       CASE WHEN b.snapshot_date IS NOT NULL THEN CAST(coalesce(c.new_customers, 0) AS BIGINT) END AS new_customers,
       CASE WHEN b.snapshot_date IS NOT NULL THEN CAST(coalesce(c.flagged, 0) AS BIGINT) END AS flagged,
       CASE WHEN b.snapshot_date IS NOT NULL THEN CAST(coalesce(c.unscreened, 0) AS BIGINT) END AS unscreened
FROM counted c
LEFT JOIN snapshots b ON b.i = c.i - 1
