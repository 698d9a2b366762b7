-- Returns the audience members of scheduled and live journeys (or of one named journey) that fail a pre-flight rule
-- on the snapshot current at each as-of date, with one flag per rule. Grain: one row per
-- as-of date, journey and customer with at least one flag; empty = every member is clear.
-- Parameters: $as_of and $snapshot (parallel DATE lists), $allowed_language (VARCHAR list,
-- NULL = any language), $stale_days (INTEGER: the shortest staleness limit of the
-- high-risk fields, NULL = never stale), $team (VARCHAR or NULL), $journey (VARCHAR or NULL).
WITH pairs AS (
    SELECT unnest($as_of::DATE[]) AS as_of, unnest($snapshot::DATE[]) AS snapshot_date
),
scope AS (
    SELECT journey_id, channel, language AS journey_language, lifecycle_stages
    FROM journeys
    -- A named journey is checked whatever its status: the gate runs before it goes live.
    WHERE (($journey::VARCHAR IS NULL AND status IN ('scheduled', 'live')) OR journey_id = $journey::VARCHAR)
      AND ($team::VARCHAR IS NULL OR team = $team::VARCHAR)
),
audience AS (
    SELECT DISTINCT a.journey_id, a.customer_id, s.channel, s.journey_language, s.lifecycle_stages
    FROM journey_audience a
    JOIN scope s USING (journey_id)
),
members AS (
    SELECT p.as_of, a.journey_id, a.customer_id, a.channel, a.journey_language,
           count(c.customer_id) = 0 AS not_in_snapshot,
           coalesce(bool_or(NOT coalesce(CASE a.channel WHEN 'email' THEN c.consent_email
                                                        WHEN 'sms' THEN c.consent_sms
                                                        WHEN 'push' THEN c.consent_push END, false)), false) AS no_consent,
           coalesce(bool_or(coalesce(c.customer_status, '') <> 'active'), false) AS not_active,
           coalesce(bool_or(c.language IS NULL
                            OR NOT coalesce(list_contains($allowed_language::VARCHAR[], c.language), true)
                            OR (a.journey_language IS NOT NULL AND c.language <> a.journey_language)), false) AS bad_language,
           coalesce(bool_or($stale_days::INTEGER IS NOT NULL
                            AND (c.updated_at IS NULL OR c.updated_at < p.as_of - to_days($stale_days::INTEGER))), false) AS stale,
           coalesce(bool_or(len(coalesce(a.lifecycle_stages, [])) > 0
                            AND NOT coalesce(list_contains(a.lifecycle_stages, c.lifecycle_stage), false)), false) AS off_stage,
           string_agg(DISTINCT c.language, '|') AS language,
           string_agg(DISTINCT c.customer_status, '|') AS customer_status,
           string_agg(DISTINCT c.lifecycle_stage, '|') AS lifecycle_stage
    FROM pairs p
    CROSS JOIN audience a
    LEFT JOIN customers c ON c.snapshot_date = p.snapshot_date AND c.customer_id = a.customer_id
    GROUP BY p.as_of, a.journey_id, a.customer_id, a.channel, a.journey_language
)
SELECT as_of, journey_id, customer_id, channel, journey_language, language, customer_status,
       lifecycle_stage, not_in_snapshot,
       no_consent AND NOT not_in_snapshot AS no_consent,
       not_active AND NOT not_in_snapshot AS not_active,
       bad_language AND NOT not_in_snapshot AS bad_language,
       stale AND NOT not_in_snapshot AS stale,
       off_stage AND NOT not_in_snapshot AS off_stage
FROM members
WHERE not_in_snapshot OR no_consent OR not_active OR bad_language OR stale OR off_stage
