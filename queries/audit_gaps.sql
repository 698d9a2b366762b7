-- Returns the published AI-generated items whose audit trail is incomplete as of a date:
-- no recommendation, missing approvals, no published event, or events out of order.
-- Grain: one row per item; empty = healthy. Parameters: $end (TIMESTAMP, exclusive end of
-- the as-of day), $team (VARCHAR or NULL), $limit.
WITH trail AS (
    SELECT *,
           approved_by IS NOT NULL AND (invalidated_at IS NULL OR invalidated_at >= $end) AS approved,
           mapped AND approval_required AS requires
    FROM item_facts
    WHERE published_at < $end AND ai_generated AND ($team IS NULL OR team = $team)
)
SELECT item_id, team, owner, channel, context, published_at,
       CASE
           WHEN first_recommended IS NULL THEN 'no recommended event'
           WHEN published_event IS NULL OR published_event >= $end THEN 'no published event'
           WHEN requires AND NOT approved THEN 'approvals missing'
           ELSE 'events out of order'
       END AS gap
FROM trail
WHERE NOT (first_recommended IS NOT NULL
           AND published_event < $end
           AND first_recommended <= published_event
           AND (NOT requires OR (approved AND first_recommended <= approved_by AND last_approval <= published_event)))
ORDER BY published_at DESC, item_id
LIMIT $limit
