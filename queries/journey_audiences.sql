-- Returns the scheduled and live journeys (or one named journey, whatever its status) with
-- their audience size. Grain: one row per
-- journey. Parameters: $team (VARCHAR or NULL for all teams), $journey (VARCHAR or NULL).
SELECT j.journey_id, j.name, j.team, j.owner, j.channel, j.language, j.status, j.go_live_at,
       count(DISTINCT a.customer_id) AS audience
FROM journeys j
LEFT JOIN journey_audience a USING (journey_id)
WHERE (($journey::VARCHAR IS NULL AND j.status IN ('scheduled', 'live')) OR j.journey_id = $journey::VARCHAR)
  AND ($team::VARCHAR IS NULL OR j.team = $team::VARCHAR)
GROUP BY ALL
ORDER BY j.journey_id
