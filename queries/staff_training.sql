-- Returns every member of staff with the dates they completed an AI-safety course.
-- Grain: one row per staff row. Parameters: $team (VARCHAR or NULL for all teams).
SELECT s.employee_id, s.name, s.team, s.role, s.uses_ai, s.active,
       coalesce(list_sort(list(t.completed_on) FILTER (WHERE t.category = 'ai_safety'
                                                            AND t.completed_on IS NOT NULL)), []) AS ai_safety_completed
FROM staff s
LEFT JOIN training t USING (employee_id)
WHERE $team::VARCHAR IS NULL OR s.team = $team::VARCHAR
GROUP BY ALL
ORDER BY s.employee_id
