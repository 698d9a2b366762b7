-- Returns the crisis items published in the window of days up to a date that lack their
-- approvals or took longer than the target from first recommendation (else creation) to
-- publication, unapproved first, then slowest. Grain: one row per crisis item; empty = healthy.
-- Parameters: $end (TIMESTAMP, exclusive end of the as-of day), $team (VARCHAR or NULL),
-- $all (BOOLEAN: every crisis item of the window, not only the flagged), $limit.
-- Needs: content_failing, item_roles
-- Kept across runs: the same failing content flags, date, team and choice of items give the same rows.
-- Judged on the exact hours (in content_flags), shown to two decimals.
SELECT f.item_id, team, channel, owner, published_at, round(hours_to_publish, 2) AS hours_to_publish,
       NOT crisis_unapproved AS approved, array_to_string(approver_roles, '|') AS approver_roles
FROM content_failing f
JOIN item_roles r ON r.item_id = f.item_id
WHERE (as_of_end = $end OR (settled AND as_of_end <= $end)) AND crisis AND ($all::BOOLEAN OR crisis_flagged) AND ($team IS NULL OR team = $team)
ORDER BY approved, hours_to_publish DESC NULLS FIRST, f.item_id
LIMIT $limit
