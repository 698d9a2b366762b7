-- Returns the advocacy shares. Grain: one row per share, oldest first. Parameters: none.
SELECT share_id, employee_id, post_id, nudge_id, shared_on, approved_content, engagements
FROM advocacy_shares
WHERE shared_on IS NOT NULL
ORDER BY shared_on, share_id
