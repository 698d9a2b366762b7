-- Returns the approval compliance counts as of a date broken down by week of publication,
-- team, channel and context (the dimension column says which). Grain: one row per
-- dimension value. Parameters: $end (TIMESTAMP, exclusive end of the as-of day),
-- $team (VARCHAR or NULL for all teams).
-- Needs: content_flags
-- Kept across runs: the same content flags, date and team give the same rates.
WITH judged AS (
    SELECT date_trunc('week', published_at)::DATE AS week, team, channel, context, compliant
    FROM content_flags
    WHERE (as_of_end = $end OR (settled AND as_of_end <= $end)) AND requiring AND ($team IS NULL OR team = $team)
)
SELECT CASE WHEN grouping(week) = 0 THEN 'week'
            WHEN grouping(team) = 0 THEN 'team'
            WHEN grouping(channel) = 0 THEN 'channel'
            ELSE 'context' END AS dimension,
       coalesce(CAST(week AS VARCHAR), team, channel, context) AS value,
       count(*) AS requiring,
       count(*) FILTER (WHERE compliant) AS compliant
FROM judged
GROUP BY GROUPING SETS ((week), (team), (channel), (context))
ORDER BY dimension, value
