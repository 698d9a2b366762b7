-- Returns one content item's audit events, oldest first. Grain: one row per event.
-- Parameters: $item (item_id).
SELECT event_id, event_type, actor, actor_role, occurred_at, note
FROM audit_events
WHERE item_id = $item
ORDER BY occurred_at, event_id
