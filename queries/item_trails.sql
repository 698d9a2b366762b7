-- Returns the facts of every content item that do not depend on the as-of date: its
-- decision-rights rule, the audit trail's key moments and what its approvals are worth.
-- Written with joins and aggregates only (no list lambdas), so DuckDB and Spark run it alike;
-- role lists are sorted so both engines give them in one order.
-- Grain: one row per content item. Parameters: none.
-- Kept: per load (every governance and accountability check reads the audit trail once), and not
-- across runs: its file would cost a new export's first run more than reading it back saves later runs,
-- whose counts and records of content are kept themselves and never read it.
WITH rules AS (
    -- Duplicate rule rows are merged conservatively: any row requiring approval or a
    -- label wins, and every role named by any of them must approve.
    SELECT channel, context,
           bool_or(coalesce(approval_required, false)) AS approval_required,
           bool_or(coalesce(label_required, false)) AS label_required
    FROM decision_rights
    GROUP BY channel, context
),
rule_roles AS (
    SELECT channel, context, role
    FROM (SELECT channel, context, unnest(approver_roles) AS role FROM decision_rights) named
    WHERE role IS NOT NULL
    GROUP BY channel, context, role
),
-- The roles each rule needs, and the sorted list of them: a rule that names no role needs '*',
-- one approval by a person (any role but `system`: an approval with no role cannot show it was
-- a person). An item that no rule maps needs '*' too.
needs AS (
    SELECT r.channel, r.context, coalesce(n.role, '*') AS role
    FROM rules r
    LEFT JOIN rule_roles n ON n.channel = r.channel AND n.context = r.context
),
rule_lists AS (
    SELECT channel, context, list_sort(list(role)) AS approver_roles
    FROM needs
    GROUP BY channel, context
),
approvals AS (
    SELECT item_id, actor_role AS role, occurred_at AS at
    FROM audit_events
    WHERE event_type = 'approved'
),
events AS (
    SELECT item_id,
           min(occurred_at) FILTER (WHERE event_type = 'recommended') AS first_recommended,
           min(occurred_at) FILTER (WHERE event_type = 'published') AS published_event,
           min(occurred_at) FILTER (WHERE event_type = 'escalated') AS first_escalated
    FROM audit_events
    WHERE event_type IN ('recommended', 'published', 'escalated')  -- only these make a group: fewer rows
    GROUP BY item_id
),
-- Active staff by ID and by name, matched as the dashboard names owners: case and spaces aside.
people AS (
    SELECT lower(trim(employee_id)) AS who FROM staff WHERE active
    UNION
    SELECT lower(trim(name)) FROM staff WHERE active AND name IS NOT NULL
),
mapped AS (
    SELECT i.*,
           coalesce(exact.channel, star.channel) IS NOT NULL AS mapped,
           CASE WHEN exact.channel IS NOT NULL THEN exact.channel ELSE star.channel END AS rule_channel,
           coalesce(exact.approval_required, star.approval_required, false) AS approval_required,
           coalesce(exact.label_required, star.label_required, false) AS label_required,
           coalesce(l.approver_roles, ['*']) AS approver_roles,
           e.first_recommended, e.published_event, e.first_escalated
    FROM content_items i
    LEFT JOIN rules exact ON exact.channel = i.channel AND exact.context = i.context
    LEFT JOIN rules star ON star.channel = '*' AND star.context = i.context
    LEFT JOIN rule_lists l ON l.channel = coalesce(exact.channel, star.channel) AND l.context = i.context
    LEFT JOIN events e ON e.item_id = i.item_id
),
-- Each needed role with the approvals that count for it: ever, and at or before publication.
role_approvals AS (
    SELECT m.item_id, coalesce(n.role, '*') AS role,
           max(a.at) FILTER (WHERE a.at <= m.published_at) AS in_time,
           count(a.item_id) AS given
    FROM mapped m
    LEFT JOIN needs n ON n.channel = m.rule_channel AND n.context = m.context
    LEFT JOIN approvals a
      ON a.item_id = m.item_id
     AND coalesce(a.role = coalesce(n.role, '*') OR (coalesce(n.role, '*') = '*' AND a.role <> 'system'), false)
    GROUP BY m.item_id, coalesce(n.role, '*')
),
judged AS (
    SELECT item_id,
           CASE WHEN count(*) = count(in_time) THEN min(in_time) END AS approved_by,
           max(in_time) AS last_approval
    FROM role_approvals
    GROUP BY item_id
),
-- The roles still missing, and those that approved only after publication: few items have any.
unmet AS (
    SELECT item_id,
           list_sort(list(role) FILTER (WHERE role <> '*' AND given = 0)) AS missing_roles,
           list_sort(list(role) FILTER (WHERE given > 0 AND in_time IS NULL)) AS late_roles
    FROM role_approvals
    WHERE (role <> '*' AND given = 0) OR (given > 0 AND in_time IS NULL)
    GROUP BY item_id
),
-- Roles that approved although the rule does not name them (with '*': only `system` or no role).
others AS (
    SELECT a.item_id, list_sort(list(DISTINCT coalesce(a.role, 'unknown'))) AS other_roles
    FROM approvals a
    JOIN mapped j ON j.item_id = a.item_id
    WHERE CASE WHEN list_contains(j.approver_roles, '*') THEN coalesce(a.role, 'unknown') IN ('system', 'unknown')
               ELSE NOT list_contains(j.approver_roles, coalesce(a.role, 'unknown')) END
    GROUP BY a.item_id
),
invalidated AS (
    SELECT e.item_id, min(e.occurred_at) AS invalidated_at
    FROM audit_events e
    JOIN judged j ON j.item_id = e.item_id
    WHERE e.event_type = 'edited' AND e.occurred_at >= j.approved_by
    GROUP BY e.item_id
)
SELECT m.item_id, m.team, m.channel, m.context, m.ai_generated, m.model_confidence, m.makes_commitment, m.owner,
       m.ai_label_applied, m.created_at, m.published_at, m.mapped, m.approval_required, m.approver_roles,
       m.label_required, m.first_recommended, m.published_event, m.first_escalated,
       j.approved_by, j.last_approval,
       -- The first edit at or after the earliest counting approval: from then on the
       -- approvals were given to a different text and no longer count.
       v.invalidated_at,
       coalesce(u.missing_roles, []) AS missing_roles,
       -- Roles (or '*', a person) that approved, but only after publication.
       coalesce(u.late_roles, []) AS late_roles,
       coalesce(o.other_roles, []) AS other_roles,
       m.owner IS NOT NULL AND lower(trim(m.owner)) IN (SELECT who FROM people) AS owner_active,
       CAST(date_diff('microsecond', coalesce(m.first_recommended, m.created_at), m.published_at) AS DOUBLE)
           / 3600000000 AS hours_to_publish
FROM mapped m
JOIN judged j ON j.item_id = m.item_id
LEFT JOIN unmet u ON u.item_id = m.item_id
LEFT JOIN others o ON o.item_id = m.item_id
LEFT JOIN invalidated v ON v.item_id = m.item_id
