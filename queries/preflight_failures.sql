-- Returns the audience members that fail or warn a journey's pre-flight as of one date,
-- each with the rules they break, blocking members first. Grain: one row per journey and
-- customer. Parameters: $as_of (DATE), $team (VARCHAR or NULL), $journey (VARCHAR or NULL),
-- $limit.
-- Needs: preflight_flags
SELECT f.journey_id, f.customer_id,
       CASE WHEN blocking THEN 'blocking' ELSE 'warning' END AS severity,
       concat_ws('; ',
           CASE WHEN not_in_snapshot THEN 'not in the current snapshot' END,
           CASE WHEN no_consent THEN 'no ' || j.channel || ' consent' END,
           CASE WHEN not_active THEN 'customer status ' || coalesce(customer_status, 'unknown') END,
           CASE WHEN bad_language THEN
               CASE language_issue WHEN 'missing' THEN 'language missing'
                                   WHEN 'not allowed' THEN 'language ' || f.language || ' not allowed'
                                   ELSE 'language ' || f.language || ' (journey: ' || j.language || ')' END END,
           CASE WHEN bad_region THEN 'region ' || coalesce(region, 'missing') || ' not among the journey''s regions' END,
           CASE WHEN suspected_fake THEN 'suspected fake user or bot' END,
           CASE WHEN stale THEN 'stale attributes' END,
           CASE WHEN off_stage THEN 'lifecycle stage ' || coalesce(lifecycle_stage, 'missing') || ' not targeted' END
       ) AS rules
FROM preflight_flags f
-- The journey's channel and language (a journey exported twice: the first of its values).
LEFT JOIN (SELECT journey_id, min(channel) AS channel, min(language) AS language FROM journeys GROUP BY journey_id) j
       ON j.journey_id = f.journey_id
WHERE f.as_of = $as_of
  AND ($journey::VARCHAR IS NULL OR f.journey_id = $journey::VARCHAR)
  AND ($team::VARCHAR IS NULL OR f.journey_id IN (SELECT journey_id FROM journeys WHERE team = $team::VARCHAR))
ORDER BY severity, f.journey_id, f.customer_id
LIMIT $limit
