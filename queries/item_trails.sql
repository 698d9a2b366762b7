-- Returns the facts of every content item that do not depend on the as-of date: its
-- decision-rights rule, the audit trail's key moments and what its approvals are worth.
-- Grain: one row per content item. Parameters: none.
-- Kept: per load (every governance and accountability check reads the audit trail once).
WITH rules AS (
    -- Duplicate rule rows are merged conservatively: any row requiring approval or a
    -- label wins, and every role named by any of them must approve.
    SELECT channel, context,
           bool_or(coalesce(approval_required, false)) AS approval_required,
           list_distinct(flatten(list(coalesce(approver_roles, [])))) AS approver_roles,
           bool_or(coalesce(label_required, false)) AS label_required
    FROM decision_rights
    GROUP BY channel, context
),
events AS (
    SELECT item_id,
           min(occurred_at) FILTER (WHERE event_type = 'recommended') AS first_recommended,
           min(occurred_at) FILTER (WHERE event_type = 'published') AS published_event,
           min(occurred_at) FILTER (WHERE event_type = 'escalated') AS first_escalated,
           list(occurred_at) FILTER (WHERE event_type = 'edited') AS edits,
           list({'role': actor_role, 'at': occurred_at}) FILTER (WHERE event_type = 'approved') AS approvals
    FROM audit_events
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
           coalesce(exact.approval_required, star.approval_required, false) AS approval_required,
           coalesce(exact.approver_roles, star.approver_roles) AS rule_roles,
           coalesce(exact.label_required, star.label_required, false) AS label_required,
           e.first_recommended, e.published_event, e.first_escalated,
           coalesce(e.edits, []) AS edits, coalesce(e.approvals, []) AS approvals
    FROM content_items i
    LEFT JOIN rules exact ON exact.channel = i.channel AND exact.context = i.context
    LEFT JOIN rules star ON star.channel = '*' AND star.context = i.context
    LEFT JOIN events e ON e.item_id = i.item_id
),
roles AS (
    SELECT *,
           -- A rule that requires approval but names no role ('*') accepts one approval by a
           -- person: any role but `system` (an approval with no role cannot show it was a person).
           CASE WHEN len(coalesce(rule_roles, [])) = 0 THEN ['*'] ELSE rule_roles END AS approver_roles,
           list_transform(
               CASE WHEN len(coalesce(rule_roles, [])) = 0 THEN ['*'] ELSE rule_roles END,
               lambda r: list_max(list_transform(
                   list_filter(approvals, lambda a: (a.role = r OR (r = '*' AND a.role <> 'system'))
                                                    AND a.at <= published_at),
                   lambda a: a.at))
           ) AS role_approvals
    FROM mapped
),
judged AS (
    SELECT *,
           CASE WHEN list_bool_and(list_transform(role_approvals, lambda t: t IS NOT NULL))
                THEN list_min(role_approvals) END AS approved_by
    FROM roles
)
SELECT item_id, team, channel, context, ai_generated, model_confidence, makes_commitment, owner,
       ai_label_applied, created_at, published_at, mapped, approval_required, approver_roles,
       label_required, first_recommended, published_event, first_escalated,
       approved_by,
       list_max(role_approvals) AS last_approval,
       -- The first edit at or after the earliest counting approval: from then on the
       -- approvals were given to a different text and no longer count.
       list_min(list_filter(edits, lambda e: e >= approved_by)) AS invalidated_at,
       list_filter(approver_roles, lambda r: r <> '*' AND NOT list_contains(list_transform(approvals, lambda a: a.role), r)) AS missing_roles,
       -- Roles (or '*', a person) that approved, but only after publication.
       -- (A role approved in time exactly when its entry of role_approvals is set.)
       list_filter(approver_roles, lambda r, i:
                   list_bool_or(list_transform(approvals, lambda a: coalesce(a.role = r OR (r = '*' AND a.role <> 'system'), false)))
                   AND role_approvals[i] IS NULL) AS late_roles,
       list_distinct(list_filter(list_transform(approvals, lambda a: coalesce(a.role, 'unknown')),
                                 lambda x: CASE WHEN list_contains(approver_roles, '*') THEN x IN ('system', 'unknown')
                                                ELSE NOT list_contains(approver_roles, x) END)) AS other_roles,
       owner IS NOT NULL AND lower(trim(owner)) IN (SELECT who FROM people) AS owner_active,
       date_diff('second', coalesce(first_recommended, created_at), published_at) / 3600.0 AS hours_to_publish
FROM judged
