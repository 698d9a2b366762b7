-- Returns the items breaking the transparency practice as of a date: published AI items
-- whose rule requires the AI-use label but do not carry it, and items whose provenance
-- (ai_generated) is not recorded. Grain: one row per item, missing labels first;
-- empty = healthy. Parameters: $end (TIMESTAMP, exclusive end of the as-of day),
-- $team (VARCHAR or NULL), $limit.
SELECT item_id, team, owner, channel, context, published_at,
       CASE WHEN ai_generated IS NULL THEN 'provenance not recorded' ELSE 'AI label missing' END AS gap
FROM item_facts
WHERE least(published_at, coalesce(created_at, published_at, TIMESTAMP '1970-01-01')) < $end
  AND ($team IS NULL OR team = $team)
  AND (ai_generated IS NULL
       OR (ai_generated AND published_at < $end AND label_required AND NOT coalesce(ai_label_applied, false)))
ORDER BY ai_generated IS NULL, published_at DESC NULLS LAST, item_id
LIMIT $limit
