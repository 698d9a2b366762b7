-- Returns the claims rows that fail or warn credibility.claims_substantiated as of each date,
-- failing rows first, at most $limit per as-of date and team, read from the claim_flags
-- table of the evaluation. Grain: one row per as-of date, item and claim. Parameters: $limit.
-- Needs: claim_flags
-- Kept across runs: the same claim flags give the same rows.
SELECT as_of, team, item_id, claim_id, claim_type, claim_text, evidence_url, evidence_kind, evidence_date,
       expires_on, reviewed_by, reviewer_role, approved_at, published_at, owner, failing,
       concat_ws('; ',
           CASE WHEN no_claim THEN 'no claims register row' END,
           CASE WHEN no_evidence THEN 'no evidence' END,
           CASE WHEN not_approved THEN
               CASE WHEN approved_at IS NULL THEN 'not approved'
                    WHEN approved_at > published_at THEN 'approved after publication'
                    ELSE 'approved by ' || coalesce(reviewer_role, 'no role') || ', a role whose approval does not count' END END,
           CASE WHEN expired_at_publication THEN 'evidence expired before publication' END,
           CASE WHEN old_evidence THEN 'evidence older than the limit' END,
           CASE WHEN expired_since THEN 'evidence expired since publication' END,
           CASE WHEN expiring THEN 'evidence expires soon' END
       ) AS problem
FROM claim_flags
WHERE failing OR warning
QUALIFY row_number() OVER (PARTITION BY as_of, team ORDER BY failing DESC, published_at DESC, item_id, claim_id)
        <= $limit
ORDER BY as_of, failing DESC, published_at DESC, item_id, claim_id
