-- Returns how many customers hold each value of each coded customer field (text, consent and
-- the suspected-fake flag)
-- in every snapshot, and each snapshot's row count (field = 'row_count'). NULL is a value of
-- its own. Grain: one row per snapshot, field and value. Parameters: none.
-- Kept: per load (it does not depend on the as-of date; anomalies and field quality read it).
-- Kept across runs: the same snapshots give the same counts (one pass over every customer row).
-- The customers are first counted per combination of their coded values (far fewer than the
-- rows), and the grouping sets then add those counts up: one pass over the rows.
WITH combos AS (
    SELECT snapshot_date, language, region, lifecycle_stage, customer_status, source_system,
           consent_email, consent_sms, consent_push, suspected_fake, count(*) AS n
    FROM customers
    GROUP BY ALL
)
SELECT snapshot_date,
       CASE WHEN grouping(language) = 0 THEN 'language'
            WHEN grouping(region) = 0 THEN 'region'
            WHEN grouping(lifecycle_stage) = 0 THEN 'lifecycle_stage'
            WHEN grouping(customer_status) = 0 THEN 'customer_status'
            WHEN grouping(source_system) = 0 THEN 'source_system'
            WHEN grouping(consent_email) = 0 THEN 'consent_email'
            WHEN grouping(consent_sms) = 0 THEN 'consent_sms'
            WHEN grouping(consent_push) = 0 THEN 'consent_push'
            WHEN grouping(suspected_fake) = 0 THEN 'suspected_fake'
            ELSE 'row_count' END AS field,
       coalesce(language, region, lifecycle_stage, customer_status, source_system,
                CAST(consent_email AS VARCHAR), CAST(consent_sms AS VARCHAR),
                CAST(consent_push AS VARCHAR), CAST(suspected_fake AS VARCHAR)) AS value,
       sum(n)::BIGINT AS customers
FROM combos
GROUP BY GROUPING SETS (
    (snapshot_date), (snapshot_date, language), (snapshot_date, region),
    (snapshot_date, lifecycle_stage), (snapshot_date, customer_status),
    (snapshot_date, source_system), (snapshot_date, consent_email),
    (snapshot_date, consent_sms), (snapshot_date, consent_push), (snapshot_date, suspected_fake))
ORDER BY snapshot_date, field, value
