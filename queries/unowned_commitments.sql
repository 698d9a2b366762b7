-- Returns the published items that make a commitment to the customer without an owner
-- who is an active member of staff, as of a date. Grain: one row per item; empty = healthy.
-- Parameters: $end (TIMESTAMP, exclusive end of the as-of day), $team (VARCHAR or NULL), $limit.
-- Needs: content_failing
-- Kept across runs: the same failing content flags, date and team give the same rows.
SELECT item_id, team, channel, context, published_at, owner,
       CASE WHEN owner IS NULL THEN 'no owner' ELSE 'owner is not active staff' END AS gap
FROM content_failing
WHERE (as_of_end = $end OR (settled AND as_of_end <= $end)) AND unowned AND ($team IS NULL OR team = $team)
ORDER BY published_at DESC, item_id
LIMIT $limit
