-- Returns the teams that own journeys. Grain: one row per team. Parameters: none.
SELECT DISTINCT team FROM journeys WHERE team IS NOT NULL ORDER BY team
