-- Returns the field registry: how each customer field is mapped, sourced and owned.
-- Grain: one row per registry row. Parameters: none.
SELECT field_name, description, risk, authoritative_source, owner, population_method,
       allowed_values, max_staleness_days, last_reviewed
FROM field_registry
ORDER BY field_name
