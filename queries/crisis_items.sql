-- Returns the crisis items published in the window of days up to a date that lack their
-- approvals or took longer than the target from first recommendation (else creation) to
-- publication, unapproved first, then slowest. Grain: one row per crisis item; empty = healthy.
-- Parameters: $end (TIMESTAMP, exclusive end of the as-of day), $crisis_days (INTEGER window),
-- $team (VARCHAR or NULL), $crisis_hours (DOUBLE target), $all (BOOLEAN: every crisis item of
-- the window, not only the flagged), $limit.
WITH crisis AS (
    SELECT item_id, team, channel, owner, published_at, hours_to_publish,
           mapped AND (NOT approval_required
                       OR (approved_by IS NOT NULL AND (invalidated_at IS NULL OR invalidated_at >= $end))) AS approved,
           array_to_string(approver_roles, '|') AS approver_roles
    FROM item_facts
    WHERE published_at < $end AND published_at >= $end - to_days($crisis_days::INTEGER)
      AND context = 'crisis' AND ($team IS NULL OR team = $team)
)
-- Judged on the exact hours, shown to two decimals.
SELECT * REPLACE (round(hours_to_publish, 2) AS hours_to_publish) FROM crisis
WHERE $all::BOOLEAN OR NOT approved OR hours_to_publish > $crisis_hours
ORDER BY approved, hours_to_publish DESC NULLS FIRST, item_id
LIMIT $limit
