-- Returns the teams that own content items. Grain: one row per team. Parameters: none.
SELECT DISTINCT team FROM content_items WHERE team IS NOT NULL ORDER BY team
