-- Returns the AI pilots with their criteria, results, decision and which way is good for each
-- metric (NULL: the default). Grain: one row per
-- pilot. Parameters: $team (VARCHAR or NULL for all teams).
SELECT pilot_id, name, workflow, team, owner, start_date, end_date,
       primary_metric, primary_target, primary_result,
       supporting_metric, supporting_target, supporting_result,
       risk_metric, risk_limit, risk_result, decision,
       primary_direction, supporting_direction, risk_direction
FROM pilots
WHERE $team::VARCHAR IS NULL OR team = $team::VARCHAR
ORDER BY start_date, pilot_id
