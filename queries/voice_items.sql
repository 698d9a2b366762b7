-- Returns the published AI-generated items (`ai_generated` true, `published_at` set) of the
-- weeks from $since up to $end, with their team, the Monday of their ISO week of publication,
-- their body (the authenticity evidence of `culture.brand_voice`) and the Monday of the week
-- of their team's first published AI item up to $end (from which a team's weekly volume counts).
-- Grain: one row per item, oldest first.
-- Parameters: $end (TIMESTAMP, exclusive: the end of the latest as-of day), $since (DATE: the
-- Monday of the first week wanted).
WITH published AS (
    SELECT item_id, team, published_at, date_trunc('week', published_at)::DATE AS week, body
    FROM content_items
    WHERE ai_generated AND published_at IS NOT NULL AND published_at < $end::TIMESTAMP
)
SELECT item_id, team, published_at, week, body,
       min(week) OVER (PARTITION BY team) AS first_week
FROM published
QUALIFY week >= $since::DATE
ORDER BY published_at, item_id
