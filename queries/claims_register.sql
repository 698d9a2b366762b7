-- Returns the claims register with each claim's content item (its team, owner and
-- publication), for the Credibility page. Grain: one row per claim. Parameters: $team
-- (VARCHAR or NULL: the items of one team).
SELECT c.claim_id, c.item_id, i.team, i.owner, i.published_at, c.claim_type, c.claim_text, c.evidence_url,
       c.evidence_kind, c.evidence_date, c.expires_on, c.reviewed_by, c.reviewer_role, c.approved_at
FROM claims c
LEFT JOIN content_items i ON i.item_id = c.item_id
WHERE $team::VARCHAR IS NULL OR i.team = $team::VARCHAR
ORDER BY c.expires_on NULLS LAST, c.claim_id
