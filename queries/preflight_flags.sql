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
    WHERE (($journey::VARCHAR IS NULL AND status IN ('scheduled', 'live')) OR journey_id = $journey::VARCHAR)
      AND ($team::VARCHAR IS NULL OR team = $team::VARCHAR)
),
audience AS (
    SELECT DISTINCT a.journey_id, a.customer_id
    FROM journey_audience a
    WHERE a.journey_id IN (SELECT journey_id FROM scope)
),
-- Only the snapshot rows some audience member points at: most customers are in no audience.
snapshot_rows AS (
    SELECT p.as_of, c.customer_id, c.language, c.customer_status, c.lifecycle_stage, c.updated_at,
           c.consent_email, c.consent_sms, c.consent_push
    FROM customers c
    JOIN pairs p ON c.snapshot_date = p.snapshot_date
    WHERE c.customer_id IN (SELECT customer_id FROM audience)
),
found AS (
    SELECT r.as_of, a.journey_id, a.customer_id, s.channel, s.journey_language, false AS not_in_snapshot,
           NOT coalesce(CASE s.channel WHEN 'email' THEN r.consent_email WHEN 'sms' THEN r.consent_sms
                                       WHEN 'push' THEN r.consent_push END, false) AS no_consent,
           coalesce(r.customer_status, '') <> 'active' AS not_active,
           CASE WHEN r.language IS NULL THEN 'missing'
                WHEN NOT coalesce(list_contains($allowed_language::VARCHAR[], r.language), true) THEN 'not allowed'
                WHEN s.journey_language IS NOT NULL AND r.language <> s.journey_language THEN 'differs'
           END AS language_issue,
           $stale_days::INTEGER IS NOT NULL
               AND (r.updated_at IS NULL OR r.updated_at < r.as_of - to_days($stale_days::INTEGER)) AS stale,
           len(coalesce(s.lifecycle_stages, [])) > 0
               AND NOT coalesce(list_contains(s.lifecycle_stages, r.lifecycle_stage), false) AS off_stage,
           r.language, r.customer_status, r.lifecycle_stage
    FROM audience a
    JOIN snapshot_rows r ON r.customer_id = a.customer_id
    JOIN scope s ON s.journey_id = a.journey_id
),
-- Members absent from a snapshot: first the few customer IDs not seen in every snapshot,
-- then the dates they are missing from (cheaper than pairing every member with every date).
presence AS (
    SELECT customer_id, list(DISTINCT as_of) AS seen
    FROM snapshot_rows
    GROUP BY customer_id
),
missing AS (
    SELECT p.as_of, a.journey_id, a.customer_id, s.channel, s.journey_language, true AS not_in_snapshot,
           false AS no_consent, false AS not_active, NULL::VARCHAR AS language_issue, false AS stale,
           false AS off_stage, NULL::VARCHAR AS language, NULL::VARCHAR AS customer_status,
           NULL::VARCHAR AS lifecycle_stage
    FROM audience a
    LEFT JOIN presence pr ON pr.customer_id = a.customer_id
    JOIN pairs p ON NOT coalesce(list_contains(pr.seen, p.as_of), false)
    JOIN scope s ON s.journey_id = a.journey_id
    WHERE pr.seen IS NULL OR len(pr.seen) < (SELECT count(DISTINCT as_of) FROM pairs)
),
-- Clear members are dropped before grouping, so the work grows with the problems, not the audience.
flagged AS (
    SELECT * FROM found
    WHERE no_consent OR not_active OR language_issue IS NOT NULL OR stale OR off_stage
    UNION ALL
    SELECT * FROM missing
)
-- A customer ID present twice in a snapshot is flagged if either of its rows is.
SELECT as_of, journey_id, customer_id, any_value(channel) AS channel,
       any_value(journey_language) AS journey_language, min(language) AS language, min(language_issue) AS language_issue, min(customer_status) AS customer_status,
       min(lifecycle_stage) AS lifecycle_stage, bool_or(not_in_snapshot) AS not_in_snapshot,
       bool_or(no_consent) AS no_consent, bool_or(not_active) AS not_active,
       bool_or(language_issue IS NOT NULL) AS bad_language, bool_or(stale) AS stale, bool_or(off_stage) AS off_stage
FROM flagged
GROUP BY as_of, journey_id, customer_id
