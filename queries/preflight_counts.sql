-- Returns, per as-of date and journey, the audience and how many members each pre-flight
-- rule stops, read from the preflight_audience and preflight_flags tables the engine keeps
-- for one evaluation. Grain: one row per as-of date and journey with an audience.
-- Parameters: none.
-- Needs: preflight_audience, preflight_flags
SELECT a.as_of, a.journey_id,
       count(*) AS audience,
       count(f.customer_id) AS flagged,
       count(*) FILTER (WHERE f.blocking) AS blocking,
       count(*) FILTER (WHERE f.warning) AS warned,
       count(*) FILTER (WHERE f.not_in_snapshot) AS not_in_snapshot,
       count(*) FILTER (WHERE f.no_consent) AS no_consent,
       count(*) FILTER (WHERE f.not_active) AS not_active,
       count(*) FILTER (WHERE f.bad_language) AS bad_language,
       count(*) FILTER (WHERE f.bad_region) AS bad_region,
       count(*) FILTER (WHERE f.suspected_fake) AS suspected_fake,
       count(*) FILTER (WHERE f.stale) AS stale,
       count(*) FILTER (WHERE f.off_stage) AS off_stage
FROM preflight_audience a
LEFT JOIN preflight_flags f ON f.as_of = a.as_of AND f.journey_id = a.journey_id AND f.customer_id = a.customer_id
GROUP BY a.as_of, a.journey_id
