-- Returns the published AI-generated items with low model confidence, or none recorded
-- (unknown counts as low), that were not escalated to a person before publication, as of a date. Grain: one row per item;
-- empty = healthy. Parameters: $end (TIMESTAMP, exclusive end of the as-of day),
-- $team (VARCHAR or NULL), $confidence (DOUBLE threshold), $limit.
SELECT item_id, team, owner, channel, context, model_confidence, published_at, first_escalated
FROM item_facts
WHERE published_at < $end AND ai_generated AND (model_confidence < $confidence OR model_confidence IS NULL)
  AND NOT coalesce(first_escalated < published_at, false)
  AND ($team IS NULL OR team = $team)
ORDER BY model_confidence NULLS FIRST, published_at DESC, item_id
LIMIT $limit
