-- Returns, for each item that a list of items of this evaluation shows (content_failing), the
-- roles its rule needs (sorted; ['*'] when it names none, or no rule maps the item: one approval
-- by a person), the needed roles that never approved, those that approved only after
-- publication, and the roles that approved although the rule does not name them (with '*':
-- only `system`, or no role, shown as 'unknown'). Lists are sorted so both engines give them in
-- one order, and empty when there is none.
-- Grain: one row per item of content_failing. Parameters: none.
-- Kept: per evaluation (a temporary table, made by its first reader: a few thousand items, each
-- with its approvals).
-- Needs: content_failing, approval_needs
WITH items AS (
    SELECT DISTINCT item_id, rule_channel, context, published_at
    FROM content_failing
),
approvals AS (
    SELECT a.item_id, a.actor_role AS role, a.occurred_at AS at
    FROM audit_events a
    WHERE a.event_type = 'approved' AND a.item_id IN (SELECT item_id FROM items)
),
needed AS (
    SELECT i.item_id, i.published_at, coalesce(n.role, '*') AS role, coalesce(n.approver_roles, ['*']) AS approver_roles
    FROM items i
    LEFT JOIN approval_needs n ON n.channel = i.rule_channel AND n.context = i.context
),
-- Each needed role with the approvals given for it: ever, and at or before publication. An approval counts
-- for a role as in item_trails.sql (which judges every item without naming the roles): keep the two alike.
role_approvals AS (
    SELECT d.item_id, d.role, d.approver_roles,
           max(a.at) FILTER (WHERE a.at <= d.published_at) AS in_time,
           count(a.item_id) AS given
    FROM needed d
    LEFT JOIN approvals a
      ON a.item_id = d.item_id
     AND coalesce(a.role = d.role OR (d.role = '*' AND a.role <> 'system'), false)
    GROUP BY d.item_id, d.role, d.approver_roles
),
listed AS (
    SELECT item_id, approver_roles,
           list_sort(list(role) FILTER (WHERE role <> '*' AND given = 0)) AS missing_roles,
           list_sort(list(role) FILTER (WHERE given > 0 AND in_time IS NULL)) AS late_roles
    FROM role_approvals
    GROUP BY item_id, approver_roles
),
others AS (
    SELECT a.item_id, list_sort(list(DISTINCT coalesce(a.role, 'unknown'))) AS other_roles
    FROM approvals a
    JOIN listed l ON l.item_id = a.item_id
    WHERE CASE WHEN list_contains(l.approver_roles, '*') THEN coalesce(a.role, 'unknown') IN ('system', 'unknown')
               ELSE NOT list_contains(l.approver_roles, coalesce(a.role, 'unknown')) END
    GROUP BY a.item_id
)
SELECT l.item_id, l.approver_roles,
       coalesce(l.missing_roles, []) AS missing_roles,
       coalesce(l.late_roles, []) AS late_roles,
       coalesce(o.other_roles, []) AS other_roles
FROM listed l
LEFT JOIN others o ON o.item_id = l.item_id
