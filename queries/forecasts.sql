-- Returns the predictive models' forecasts against actuals. Grain: one row per model and
-- period, oldest first. Parameters: $team (VARCHAR or NULL for all teams).
SELECT model_id, model_name, team, owner, period_start, predicted, actual, tolerance
FROM forecasts
WHERE $team::VARCHAR IS NULL OR team = $team::VARCHAR
ORDER BY model_id, period_start
