-- Returns the advocacy programme's participants. Grain: one row per participant row.
-- Parameters: none.
SELECT employee_id, team, joined_on, left_on
FROM advocacy_participants
ORDER BY joined_on, employee_id
