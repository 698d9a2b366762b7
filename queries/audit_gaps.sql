-- Returns the published AI-generated items whose audit trail is incomplete as of a date:
-- no recommendation, missing approvals, no published event, or events out of order.
-- Grain: one row per item; empty = healthy. Parameters: $end (TIMESTAMP, exclusive end of
-- the as-of day), $team (VARCHAR or NULL), $limit.
-- Needs: content_failing
-- Kept across runs: the same failing content flags, date and team give the same rows.
SELECT item_id, team, owner, channel, context, published_at,
       CASE
           WHEN first_recommended IS NULL THEN 'no recommended event'
           WHEN published_event IS NULL OR published_event >= $end THEN 'no published event'
           WHEN mapped AND approval_required AND NOT approved THEN 'approvals missing'
           ELSE 'events out of order'
       END AS gap
FROM content_failing
WHERE (as_of_end = $end OR (settled AND as_of_end <= $end)) AND audit_gap AND ($team IS NULL OR team = $team)
ORDER BY published_at DESC, item_id
LIMIT $limit
