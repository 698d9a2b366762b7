-- Returns, per as-of date and journey, the audience and how many members each pre-flight
-- rule stops, read from the preflight_audience and preflight_flags tables the engine keeps
-- for one evaluation. Grain: one row per as-of date and journey with an audience.
-- Parameters: none.
-- Needs: preflight_audience, preflight_flags
-- Kept across runs: the same audiences and flags give the same counts (a count of millions of members).
-- Both tables hold each member of a journey's audience once a date (the flags only those a
-- rule stops), so each is counted on its own and the counts are matched by date and journey.
WITH audiences AS (
    SELECT as_of, journey_id, count(*) AS audience
    FROM preflight_audience
    GROUP BY as_of, journey_id
),
stopped AS (
    SELECT as_of, journey_id,
           count(*) AS flagged,
           count(*) FILTER (WHERE blocking) AS blocking,
           count(*) FILTER (WHERE warning) AS warned,
           count(*) FILTER (WHERE not_in_snapshot) AS not_in_snapshot,
           count(*) FILTER (WHERE no_consent) AS no_consent,
           count(*) FILTER (WHERE not_active) AS not_active,
           count(*) FILTER (WHERE bad_language) AS bad_language,
           count(*) FILTER (WHERE bad_region) AS bad_region,
           count(*) FILTER (WHERE suspected_fake) AS suspected_fake,
           count(*) FILTER (WHERE stale) AS stale,
           count(*) FILTER (WHERE off_stage) AS off_stage
    FROM preflight_flags
    GROUP BY as_of, journey_id
)
SELECT a.as_of, a.journey_id, a.audience,
       coalesce(s.flagged, 0) AS flagged, coalesce(s.blocking, 0) AS blocking, coalesce(s.warned, 0) AS warned,
       coalesce(s.not_in_snapshot, 0) AS not_in_snapshot, coalesce(s.no_consent, 0) AS no_consent,
       coalesce(s.not_active, 0) AS not_active, coalesce(s.bad_language, 0) AS bad_language,
       coalesce(s.bad_region, 0) AS bad_region, coalesce(s.suspected_fake, 0) AS suspected_fake,
       coalesce(s.stale, 0) AS stale, coalesce(s.off_stage, 0) AS off_stage
FROM audiences a
LEFT JOIN stopped s ON s.as_of = a.as_of AND s.journey_id = a.journey_id
