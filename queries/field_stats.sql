-- Returns, as of each date, the completeness, validity and freshness counts of every
-- customer field on the snapshot current at that date, and the table's uniqueness.
-- Grain: one row per as-of date. Parameters: $as_of and $snapshot (parallel DATE lists:
-- each as-of date and its current snapshot); per field F: $allowed_F (VARCHAR list of
-- allowed values, NULL = any) and $stale_F (INTEGER days, NULL = never stale).
WITH pairs AS (
    SELECT unnest($as_of::DATE[]) AS as_of, unnest($snapshot::DATE[]) AS snapshot_date
)
SELECT p.as_of, p.snapshot_date,
       count(*) AS rows,
       count(DISTINCT c.customer_id) AS distinct_ids,
       count(c.language) AS language_present,
       count(*) FILTER (WHERE c.language IS NOT NULL AND ($allowed_language::VARCHAR[] IS NULL
                        OR list_contains($allowed_language::VARCHAR[], CAST(c.language AS VARCHAR)))) AS language_valid,
       count(*) FILTER (WHERE $stale_language::INTEGER IS NULL
                        OR c.updated_at >= p.as_of - to_days($stale_language::INTEGER)) AS language_fresh,
       count(c.region) AS region_present,
       count(*) FILTER (WHERE c.region IS NOT NULL AND ($allowed_region::VARCHAR[] IS NULL
                        OR list_contains($allowed_region::VARCHAR[], CAST(c.region AS VARCHAR)))) AS region_valid,
       count(*) FILTER (WHERE $stale_region::INTEGER IS NULL
                        OR c.updated_at >= p.as_of - to_days($stale_region::INTEGER)) AS region_fresh,
       count(c.consent_email) AS consent_email_present,
       count(*) FILTER (WHERE c.consent_email IS NOT NULL AND ($allowed_consent_email::VARCHAR[] IS NULL
                        OR list_contains($allowed_consent_email::VARCHAR[], CAST(c.consent_email AS VARCHAR)))) AS consent_email_valid,
       count(*) FILTER (WHERE $stale_consent_email::INTEGER IS NULL
                        OR c.updated_at >= p.as_of - to_days($stale_consent_email::INTEGER)) AS consent_email_fresh,
       count(c.consent_sms) AS consent_sms_present,
       count(*) FILTER (WHERE c.consent_sms IS NOT NULL AND ($allowed_consent_sms::VARCHAR[] IS NULL
                        OR list_contains($allowed_consent_sms::VARCHAR[], CAST(c.consent_sms AS VARCHAR)))) AS consent_sms_valid,
       count(*) FILTER (WHERE $stale_consent_sms::INTEGER IS NULL
                        OR c.updated_at >= p.as_of - to_days($stale_consent_sms::INTEGER)) AS consent_sms_fresh,
       count(c.consent_push) AS consent_push_present,
       count(*) FILTER (WHERE c.consent_push IS NOT NULL AND ($allowed_consent_push::VARCHAR[] IS NULL
                        OR list_contains($allowed_consent_push::VARCHAR[], CAST(c.consent_push AS VARCHAR)))) AS consent_push_valid,
       count(*) FILTER (WHERE $stale_consent_push::INTEGER IS NULL
                        OR c.updated_at >= p.as_of - to_days($stale_consent_push::INTEGER)) AS consent_push_fresh,
       count(c.lifecycle_stage) AS lifecycle_stage_present,
       count(*) FILTER (WHERE c.lifecycle_stage IS NOT NULL AND ($allowed_lifecycle_stage::VARCHAR[] IS NULL
                        OR list_contains($allowed_lifecycle_stage::VARCHAR[], CAST(c.lifecycle_stage AS VARCHAR)))) AS lifecycle_stage_valid,
       count(*) FILTER (WHERE $stale_lifecycle_stage::INTEGER IS NULL
                        OR c.updated_at >= p.as_of - to_days($stale_lifecycle_stage::INTEGER)) AS lifecycle_stage_fresh,
       count(c.customer_status) AS customer_status_present,
       count(*) FILTER (WHERE c.customer_status IS NOT NULL AND ($allowed_customer_status::VARCHAR[] IS NULL
                        OR list_contains($allowed_customer_status::VARCHAR[], CAST(c.customer_status AS VARCHAR)))) AS customer_status_valid,
       count(*) FILTER (WHERE $stale_customer_status::INTEGER IS NULL
                        OR c.updated_at >= p.as_of - to_days($stale_customer_status::INTEGER)) AS customer_status_fresh,
       count(c.source_system) AS source_system_present,
       count(*) FILTER (WHERE c.source_system IS NOT NULL AND ($allowed_source_system::VARCHAR[] IS NULL
                        OR list_contains($allowed_source_system::VARCHAR[], CAST(c.source_system AS VARCHAR)))) AS source_system_valid,
       count(*) FILTER (WHERE $stale_source_system::INTEGER IS NULL
                        OR c.updated_at >= p.as_of - to_days($stale_source_system::INTEGER)) AS source_system_fresh,
       count(c.customer_id) AS customer_id_present,
       count(*) FILTER (WHERE c.customer_id IS NOT NULL AND ($allowed_customer_id::VARCHAR[] IS NULL
                        OR list_contains($allowed_customer_id::VARCHAR[], CAST(c.customer_id AS VARCHAR)))) AS customer_id_valid,
       count(*) FILTER (WHERE $stale_customer_id::INTEGER IS NULL
                        OR c.updated_at >= p.as_of - to_days($stale_customer_id::INTEGER)) AS customer_id_fresh,
       count(c.updated_at) AS updated_at_present,
       count(*) FILTER (WHERE c.updated_at IS NOT NULL AND ($allowed_updated_at::VARCHAR[] IS NULL
                        OR list_contains($allowed_updated_at::VARCHAR[], CAST(c.updated_at AS VARCHAR)))) AS updated_at_valid,
       count(*) FILTER (WHERE $stale_updated_at::INTEGER IS NULL
                        OR c.updated_at >= p.as_of - to_days($stale_updated_at::INTEGER)) AS updated_at_fresh
FROM pairs p
JOIN customers c ON c.snapshot_date = p.snapshot_date
GROUP BY p.as_of, p.snapshot_date
