-- Returns the registered measurement methods. Grain: one row per metric and team.
-- Parameters: $team (VARCHAR or NULL for all teams).
SELECT metric, kind, team, owner, baseline_value, baseline_date, method, documentation_url,
       run_count, last_run
FROM measurement_methods
WHERE $team::VARCHAR IS NULL OR team = $team::VARCHAR
ORDER BY metric, team
