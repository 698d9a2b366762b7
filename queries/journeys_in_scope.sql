-- Returns the scheduled and live journeys (or one named journey, whatever its status) that
-- pre-flight judges; a journey with no status is judged too (nothing shows it is not live).
-- Grain: one row per journey. Parameters: $team (VARCHAR or NULL for all teams), $journey
-- (VARCHAR or NULL).
SELECT journey_id, name, team, owner, channel, language, coalesce(regions, []) AS regions, status, go_live_at
FROM journeys
WHERE (($journey::VARCHAR IS NULL AND coalesce(status IN ('scheduled', 'live'), true)) OR journey_id = $journey::VARCHAR)
  AND ($team::VARCHAR IS NULL OR team = $team::VARCHAR)
ORDER BY journey_id
