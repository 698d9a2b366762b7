-- Returns the audience members (read from the preflight_audience table of the evaluation)
-- that break a pre-flight rule on the snapshot current at their as-of date,
-- with one flag per rule and the values that break the rules a list names (the language, region,
-- status and lifecycle stage; NULL where the member breaks no such rule). Grain: one row per as-of date, journey and customer with at least
-- one flag; empty = every member is clear. Parameters: $as_of and $snapshot (parallel DATE
-- lists; a NULL snapshot: none yet, so every member is unknown), $allowed_language (VARCHAR
-- list, NULL = any language), $stale_days (INTEGER: the shortest staleness limit of the
-- high-risk fields, NULL = never stale).
-- Kept: per evaluation (a temporary table built with the evaluation's dates).
-- Kept across runs: the same audiences, dates and rules stop the same members (a join of millions).
-- Needs: preflight_audience
WITH pairs AS (
    SELECT a.as_of, s.snapshot_date
    FROM (SELECT * FROM unnest($as_of::DATE[]) WITH ORDINALITY AS a(as_of, i)) a
    JOIN (SELECT * FROM unnest($snapshot::DATE[]) WITH ORDINALITY AS s(snapshot_date, i)) s ON s.i = a.i
),
-- A journey's region and lifecycle-stage lists, as counts: how many of its rows limit each (a journey ID
-- listed twice is judged by every row, as a join with each row judges it), and per value how many of those
-- rows allow it. A member breaks the rule when fewer rows allow its value than limit it. Member rows then
-- carry no list and are matched by equality, not searched one list at a time: about an eighth less time here.
limits AS (
    SELECT journey_id,
           count(*) FILTER (WHERE array_length(regions) > 0) AS by_region,
           count(*) FILTER (WHERE array_length(lifecycle_stages) > 0) AS by_stage
    FROM journeys
    GROUP BY journey_id
),
regions_allowed AS (
    SELECT journey_id, region, count(*) AS allowing
    FROM (SELECT journey_id, unnest(list_distinct(regions)) AS region FROM journeys) listed
    GROUP BY journey_id, region
),
stages_allowed AS (
    SELECT journey_id, lifecycle_stage, count(*) AS allowing
    FROM (SELECT journey_id, unnest(list_distinct(lifecycle_stages)) AS lifecycle_stage FROM journeys) listed
    GROUP BY journey_id, lifecycle_stage
),
scope AS (
    SELECT j.journey_id, j.channel, j.language AS journey_language, l.by_region, l.by_stage
    FROM journeys j
    JOIN limits l ON l.journey_id = j.journey_id
),
-- Each member looked up in the snapshot current at its own date (none: not in the snapshot), before its
-- journey's rules join it. The snapshots are named by the bound list itself, so that only their files are read.
looked_up AS (
    SELECT a.as_of, a.journey_id, a.customer_id AS member, r.*
    FROM preflight_audience a
    JOIN pairs p ON p.as_of = a.as_of
    LEFT JOIN (SELECT * FROM customers WHERE list_contains($snapshot::DATE[], snapshot_date)) r
           ON r.snapshot_date = p.snapshot_date AND r.customer_id = a.customer_id
),
members AS (
    SELECT r.as_of, r.journey_id, r.member AS customer_id,
           r.customer_id IS NULL AS not_in_snapshot,
           r.customer_id IS NOT NULL
               AND NOT coalesce(CASE s.channel WHEN 'email' THEN r.consent_email WHEN 'sms' THEN r.consent_sms
                                               WHEN 'push' THEN r.consent_push END, false) AS no_consent,
           r.customer_id IS NOT NULL AND coalesce(r.customer_status, '') <> 'active' AS not_active,
           CASE WHEN r.customer_id IS NULL THEN NULL
                WHEN r.language IS NULL THEN 'missing'
                WHEN NOT coalesce(list_contains($allowed_language::VARCHAR[], r.language), true) THEN 'not allowed'
                WHEN s.journey_language IS NOT NULL AND r.language <> s.journey_language THEN 'differs'
           END AS language_issue,
           -- A journey without regions does not judge region.
           r.customer_id IS NOT NULL AND s.by_region > coalesce(ra.allowing, 0) AS bad_region,
           r.customer_id IS NOT NULL AND $stale_days::INTEGER IS NOT NULL
               AND (r.updated_at IS NULL OR r.updated_at < r.as_of - $stale_days::INTEGER) AS stale,
           -- Sign-up or fraud tooling flagged the member as a likely fake user or bot (NULL: not screened).
           r.customer_id IS NOT NULL AND coalesce(r.suspected_fake, false) AS suspected_fake,
           r.customer_id IS NOT NULL AND s.by_stage > coalesce(sa.allowing, 0) AS off_stage,
           r.language, r.region, r.customer_status, r.lifecycle_stage
    FROM looked_up r
    JOIN scope s ON s.journey_id = r.journey_id
    LEFT JOIN regions_allowed ra ON ra.journey_id = r.journey_id AND ra.region = r.region
    LEFT JOIN stages_allowed sa ON sa.journey_id = r.journey_id AND sa.lifecycle_stage = r.lifecycle_stage
),
-- Clear members are dropped before grouping, so the work grows with the problems, not the audience.
-- Each member once: a rule holds when any of its rows in the snapshot breaks it (a customer ID may be
-- present twice). The rules are folded into one bit mask, and each value a list shows is taken from the
-- rows that break its rule (the language of a row with a language issue, and so on): fewer values to
-- compare than every member's, and never the value of a row that breaks nothing.
flagged AS (
SELECT as_of, journey_id, customer_id,
       bit_or(CASE WHEN not_in_snapshot THEN 1 ELSE 0 END + CASE WHEN no_consent THEN 2 ELSE 0 END
              + CASE WHEN not_active THEN 4 ELSE 0 END + CASE WHEN language_issue IS NOT NULL THEN 8 ELSE 0 END
              + CASE WHEN bad_region THEN 16 ELSE 0 END + CASE WHEN suspected_fake THEN 32 ELSE 0 END
              + CASE WHEN stale THEN 64 ELSE 0 END + CASE WHEN off_stage THEN 128 ELSE 0 END) AS rules,
       min(language) FILTER (WHERE language_issue IS NOT NULL) AS language,
       min(language_issue) AS language_issue,
       min(region) FILTER (WHERE bad_region) AS region,
       min(customer_status) FILTER (WHERE not_active) AS customer_status,
       min(lifecycle_stage) FILTER (WHERE off_stage) AS lifecycle_stage
FROM members
WHERE not_in_snapshot OR no_consent OR not_active OR language_issue IS NOT NULL OR bad_region OR suspected_fake
   OR stale OR off_stage
GROUP BY as_of, journey_id, customer_id
),
unpacked AS (
SELECT as_of, journey_id, customer_id, language, language_issue, region, customer_status, lifecycle_stage,
       rules & 1 > 0 AS not_in_snapshot, rules & 2 > 0 AS no_consent, rules & 4 > 0 AS not_active,
       rules & 8 > 0 AS bad_language, rules & 16 > 0 AS bad_region, rules & 32 > 0 AS suspected_fake,
       rules & 64 > 0 AS stale, rules & 128 > 0 AS off_stage
FROM flagged
)
SELECT *,
       not_in_snapshot OR no_consent OR not_active OR bad_language OR bad_region OR suspected_fake AS blocking,
       stale OR off_stage AS warning
FROM unpacked
