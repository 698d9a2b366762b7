-- Returns the published AI-generated items (`ai_generated` true or not recorded: unknown provenance
-- counts as AI, as in content_flags; `published_at` set) of the
-- weeks from $since up to $end, grouped by team, day of publication and body: how many items
-- each group holds, one of their IDs, the Monday of their ISO week of publication and the
-- Monday of the week of their team's first published AI item up to $end (from which a team's
-- weekly volume counts). Items sharing a text are read once. Grain: one row per team, day and
-- body, oldest first.
-- Parameters: $end (TIMESTAMP, exclusive: the end of the latest as-of day), $since (DATE: the
-- Monday of the first week wanted).
-- Read twice rather than kept (the bodies are long): groups first, then the team's first week.
WITH published AS NOT MATERIALIZED (
    SELECT item_id, team, CAST(published_at AS DATE) AS day, date_trunc('week', published_at)::DATE AS week, body
    FROM content_items
    WHERE coalesce(ai_generated, true) AND published_at IS NOT NULL AND published_at < $end::TIMESTAMP
),
grouped AS (
    SELECT min(item_id) AS item_id, team, day, week, body, count(*) AS items
    FROM published
    WHERE week >= $since::DATE
    GROUP BY team, day, week, body
),
firsts AS (
    SELECT team, min(week) AS first_week
    FROM published
    GROUP BY team
)
SELECT g.item_id, g.team, CAST(g.day AS TIMESTAMP) AS published_at, g.week, g.body, f.first_week, g.items
FROM grouped g
JOIN firsts f ON f.team IS NOT DISTINCT FROM g.team
ORDER BY g.day, g.team NULLS LAST, g.body NULLS FIRST
