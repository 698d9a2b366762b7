-- Returns the published AI-generated items with low model confidence, or none recorded
-- (unknown counts as low), that were not escalated to a person before publication, as of
-- a date. Grain: one row per item; empty = healthy. Parameters: $end (TIMESTAMP, exclusive
-- end of the as-of day), $team (VARCHAR or NULL), $limit.
-- Needs: content_failing
-- Kept across runs: the same failing content flags, date and team give the same rows.
SELECT item_id, team, owner, channel, context, model_confidence, published_at, first_escalated
FROM content_failing
WHERE (as_of_end = $end OR (settled AND as_of_end <= $end)) AND unescalated AND ($team IS NULL OR team = $team)
ORDER BY model_confidence NULLS FIRST, published_at DESC, item_id
LIMIT $limit
