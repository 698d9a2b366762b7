-- Returns every published item that makes a claim as of each date, with each of its rows of
-- the claims register (none: one row with an empty claim_id) and one boolean per rule of
-- credibility.claims_substantiated. Failing rules: no claims row, no evidence, no approval
-- that counts (by one of the reviewer roles, at or before publication), evidence expired
-- when the item went out. Warning rules: evidence older than max_months months, expired
-- since publication, or expiring within warn_days days of the date. Grain: one row per
-- as-of date, item and claim. Parameters: none; the evaluation's dates (ends), reviewer roles,
-- max_months and warn_days come from claim_settings.
-- Kept: per evaluation, as a view (its two readers, the counts and the failing rows, each compute
-- it: cheaper than writing every claim of every date to a table).
-- Needs: claim_settings
WITH settings AS (
    SELECT * FROM claim_settings
),
ends AS (
    SELECT unnest(ends) AS as_of_end FROM settings
),
items AS (
    SELECT e.as_of_end, CAST(e.as_of_end - INTERVAL 1 DAY AS DATE) AS as_of, i.item_id, i.team, i.owner,
           i.channel, i.published_at
    FROM content_items i
    JOIN ends e ON i.published_at < e.as_of_end
    WHERE i.makes_claim
),
rows AS (
    SELECT i.*, c.claim_id, c.claim_text, c.claim_type, nullif(trim(c.evidence_url), '') AS evidence_url,
           c.evidence_kind, c.evidence_date, c.expires_on, c.reviewed_by, c.reviewer_role, c.approved_at
    FROM items i
    LEFT JOIN claims c ON c.item_id = i.item_id
),
flagged AS (
    SELECT *,
           claim_id IS NULL AS no_claim,
           claim_id IS NOT NULL AND evidence_url IS NULL AS no_evidence,
           claim_id IS NOT NULL AND NOT coalesce(approved_at <= published_at
               AND list_contains((SELECT roles FROM settings), lower(trim(reviewer_role))), false) AS not_approved,
           -- Evidence stops backing a claim on its expiry date: on or before publication, it never did.
           coalesce(expires_on <= CAST(published_at AS DATE), false) AS expired_at_publication,
           evidence_url IS NOT NULL
               AND coalesce(evidence_date < add_months(as_of, -(SELECT max_months FROM settings)), false) AS old_evidence,
           coalesce(expires_on > CAST(published_at AS DATE) AND expires_on <= as_of, false) AS expired_since,
           coalesce(expires_on > as_of AND expires_on <= as_of + (SELECT warn_days FROM settings), false) AS expiring
    FROM rows
)
SELECT *,
       no_claim OR no_evidence OR not_approved OR expired_at_publication AS failing,
       old_evidence OR expired_since OR expiring AS warning
FROM flagged
