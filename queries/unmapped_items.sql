-- Returns the content items that no decision-rights rule covers as of a date (no row for
-- their channel and context, nor a '*' row for their context). Grain: one row per item,
-- published first; empty = healthy. Parameters: $end (TIMESTAMP, exclusive end of the
-- as-of day), $team (VARCHAR or NULL), $limit.
-- Needs: content_failing
-- Kept across runs: the same failing content flags, date and team give the same rows.
SELECT item_id, team, owner, channel, context, published_at,
       CASE WHEN published THEN 'published' ELSE 'not published' END AS state
FROM content_failing
WHERE (as_of_end = $end OR (settled AND as_of_end <= $end)) AND unmapped AND ($team IS NULL OR team = $team)
ORDER BY published DESC, published_at DESC NULLS LAST, item_id
LIMIT $limit
