-- Returns the advocacy programme's nudges, oldest first; the first is the launch.
-- Grain: one row per nudge. Parameters: none.
SELECT nudge_id, sent_on, recommended_posts, includes_stats
FROM advocacy_nudges
WHERE sent_on IS NOT NULL
ORDER BY sent_on, nudge_id
