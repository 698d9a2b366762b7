-- Returns the scheduled and live journeys (or one named journey, whatever its status) that
-- pre-flight judges. Grain: one row per journey. Parameters: $team (VARCHAR or NULL for all
-- teams), $journey (VARCHAR or NULL).
SELECT journey_id, name, team, owner, channel, language, coalesce(regions, []) AS regions, status, go_live_at
FROM journeys
WHERE (($journey::VARCHAR IS NULL AND status IN ('scheduled', 'live')) OR journey_id = $journey::VARCHAR)
  AND ($team::VARCHAR IS NULL OR team = $team::VARCHAR)
ORDER BY journey_id
