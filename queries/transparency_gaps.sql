-- Returns the items breaking the transparency practice as of a date: published AI items
-- whose rule requires the AI-use label but do not carry it, and items whose provenance
-- (ai_generated) is not recorded. Grain: one row per item, missing labels first;
-- empty = healthy. Parameters: $end (TIMESTAMP, exclusive end of the as-of day),
-- $team (VARCHAR or NULL), $limit.
-- Needs: content_failing
-- Kept across runs: the same failing content flags, date and team give the same rows.
SELECT item_id, team, owner, channel, context, published_at,
       CASE WHEN provenance_missing THEN 'provenance not recorded' ELSE 'AI label missing' END AS gap
FROM content_failing
WHERE (as_of_end = $end OR (settled AND as_of_end <= $end)) AND transparency_gap AND ($team IS NULL OR team = $team)
ORDER BY provenance_missing, published_at DESC NULLS LAST, item_id
LIMIT $limit
