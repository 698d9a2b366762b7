-- Returns every member of staff, without their training: the directory that shows owners as
-- people (read even when training did not load). Grain: one row per staff row.
-- Parameters: $team (VARCHAR or NULL for all teams).
SELECT employee_id, name, team, role, uses_ai, active
FROM staff
WHERE $team::VARCHAR IS NULL OR team = $team::VARCHAR
ORDER BY employee_id
