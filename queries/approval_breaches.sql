-- Returns the published items that needed approval and do not have their approvals as of
-- a date, with the reason. Grain: one row per breaching item, newest first; empty = healthy.
-- Parameters: $end (TIMESTAMP, exclusive end of the as-of day), $team (VARCHAR or NULL for
-- all teams), $limit (rows to return).
-- Needs: content_failing, item_roles
-- Kept across runs: the same failing content flags, date and team give the same rows.
SELECT f.item_id, team, owner, channel, context, published_at,
       array_to_string(approver_roles, '|') AS approver_roles,
       CASE
           WHEN approved_by IS NOT NULL AND invalidated_at < $end THEN 'edited after approval'
           WHEN array_length(late_roles) > 0 THEN 'approved after publication'
           WHEN array_length(other_roles) > 0 THEN 'wrong role'
           ELSE 'missing'
       END AS reason,
       CASE
           WHEN approved_by IS NOT NULL AND invalidated_at < $end
               THEN 'edited ' || strftime(invalidated_at, '%Y-%m-%d %H:%M') || ', after the approval of '
                    || strftime(approved_by, '%Y-%m-%d %H:%M')
           WHEN array_length(late_roles) > 0 THEN 'approved only after publication by ' || array_to_string(late_roles, ', ')
           WHEN array_length(other_roles) > 0 AND list_contains(approver_roles, '*')
               THEN 'approved only by ' || array_to_string(other_roles, ', ') || '; a person must approve'
           WHEN array_length(other_roles) > 0 THEN 'approved by ' || array_to_string(other_roles, ', ')
                || '; needed ' || array_to_string(missing_roles, ', ')
           WHEN array_length(missing_roles) > 0 THEN 'no approval by ' || array_to_string(missing_roles, ', ')
           WHEN list_contains(approver_roles, '*') THEN 'no approval by a person'
           ELSE 'no approval'
       END AS detail
FROM content_failing f
JOIN item_roles r ON r.item_id = f.item_id
WHERE (as_of_end = $end OR (settled AND as_of_end <= $end)) AND breach AND ($team IS NULL OR team = $team)
ORDER BY published_at DESC, f.item_id
LIMIT $limit
