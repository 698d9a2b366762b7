-- Returns, per as-of date and journey, how many audience members each pre-flight rule
-- stops, read from the preflight_flags table the engine keeps for one evaluation.
-- Grain: one row per as-of date and journey with any flagged member. Parameters: none.
SELECT as_of, journey_id,
       count(*) AS flagged,
       count(*) FILTER (WHERE not_in_snapshot OR no_consent OR not_active OR bad_language) AS blocking,
       count(*) FILTER (WHERE stale OR off_stage) AS warned,
       count(*) FILTER (WHERE not_in_snapshot) AS not_in_snapshot,
       count(*) FILTER (WHERE no_consent) AS no_consent,
       count(*) FILTER (WHERE not_active) AS not_active,
       count(*) FILTER (WHERE bad_language) AS bad_language,
       count(*) FILTER (WHERE stale) AS stale,
       count(*) FILTER (WHERE off_stage) AS off_stage
FROM preflight_flags
GROUP BY as_of, journey_id
