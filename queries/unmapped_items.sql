-- Returns the content items that no decision-rights rule covers as of a date (no row for
-- their channel and context, nor a '*' row for their context). Grain: one row per item,
-- published first; empty = healthy. Parameters: $end (TIMESTAMP, exclusive end of the
-- as-of day), $team (VARCHAR or NULL), $limit.
SELECT item_id, team, owner, channel, context, published_at,
       CASE WHEN published_at < $end THEN 'published' ELSE 'not published' END AS state
FROM item_facts
WHERE NOT mapped
  AND least(published_at, coalesce(created_at, published_at, TIMESTAMP '1970-01-01')) < $end
  AND ($team IS NULL OR team = $team)
ORDER BY published_at < $end DESC, published_at DESC NULLS LAST, item_id
LIMIT $limit
