-- Returns, per as-of date and team, the published items that make a claim and how many of
-- them break each rule of credibility.claims_substantiated, read from the claim_flags table
-- of the evaluation. An item fails (or warns) when any of its claims rows does; a warning
-- item has no failing rule. Grain: one row per as-of date and team. Parameters: none.
-- Needs: claim_flags
-- Kept across runs: the same claim flags give the same counts.
WITH items AS (
    SELECT as_of, team, item_id, bool_or(failing) AS failing, bool_or(warning) AS warning,
           bool_or(no_claim) AS no_claim, bool_or(no_evidence) AS no_evidence,
           bool_or(not_approved) AS not_approved, bool_or(expired_at_publication) AS expired_at_publication,
           bool_or(old_evidence) AS old_evidence, bool_or(expired_since) AS expired_since,
           bool_or(expiring) AS expiring
    FROM claim_flags
    GROUP BY as_of, team, item_id
)
SELECT as_of, team, count(*) AS items,
       count(*) FILTER (WHERE failing) AS failing,
       count(*) FILTER (WHERE warning AND NOT failing) AS warning,
       count(*) FILTER (WHERE no_claim) AS no_claim,
       count(*) FILTER (WHERE no_evidence) AS no_evidence,
       count(*) FILTER (WHERE not_approved) AS not_approved,
       count(*) FILTER (WHERE expired_at_publication) AS expired_at_publication,
       count(*) FILTER (WHERE old_evidence) AS old_evidence,
       count(*) FILTER (WHERE expired_since) AS expired_since,
       count(*) FILTER (WHERE expiring) AS expiring
FROM items
GROUP BY as_of, team
