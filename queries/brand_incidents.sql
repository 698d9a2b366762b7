-- Returns the brand-protection incident log, earliest detection first. Grain: one row per
-- incident. Parameters: none.
SELECT incident_id, kind, channel, severity, detected_at, contained_at, resolved_at, owner
FROM brand_incidents
ORDER BY detected_at NULLS LAST, incident_id
