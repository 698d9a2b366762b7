-- Returns the facts of every content item that do not depend on the as-of date: its
-- decision-rights rule (`rule_channel`: the channel of the rule that maps it, '*' for a rule of
-- every channel, NULL when none does), the audit trail's key moments and what its approvals are
-- worth. Which roles are missing or came late is named only for the items a list shows
-- (item_roles): naming them for every item cost a quarter of this statement.
-- Written with joins and aggregates only (no list lambdas), so DuckDB and Spark run it alike.
-- Grain: one row per content item. Parameters: none.
-- Needs: approval_needs
-- Kept: per load (every governance and accountability check reads the audit trail once), and not
-- across runs: its file would cost a new export's first run more than reading it back saves later runs,
-- whose counts and records of content are kept themselves and never read it.
WITH rules AS (
    SELECT DISTINCT channel, context, approval_required, label_required
    FROM approval_needs
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
    SELECT i.item_id, i.team, i.channel, i.context, i.ai_generated, i.model_confidence, i.makes_commitment,
           i.owner, i.ai_label_applied, i.created_at, i.published_at,
           coalesce(exact.channel, star.channel) IS NOT NULL AS mapped,
           CASE WHEN exact.channel IS NOT NULL THEN exact.channel ELSE star.channel END AS rule_channel,
           coalesce(exact.approval_required, star.approval_required, false) AS approval_required,
           coalesce(exact.label_required, star.label_required, false) AS label_required,
           e.first_recommended, e.published_event, e.first_escalated
    FROM content_items i
    LEFT JOIN rules exact ON exact.channel = i.channel AND exact.context = i.context
    LEFT JOIN rules star ON star.channel = '*' AND star.context = i.context
    LEFT JOIN events e ON e.item_id = i.item_id
),
-- Each needed role of each item that has any approval, with the latest approval that counts for the role and
-- came at or before publication (item_roles.sql names the roles of the listed items with the same rule:
-- keep the two alike). Every approval meets every row of its item and each role that row's rule needs, so
-- every needed role gets a group, whether an approval counts for it or not. An item without any approval
-- gets none, and the LEFT JOIN at the end leaves it unapproved. (Joining every item's roles to the approvals
-- instead, groups for items with no approval included, cost this statement about 6% more CPU.)
role_approvals AS (
    SELECT a.item_id, coalesce(n.role, '*') AS role,
           max(a.at) FILTER (WHERE a.at <= m.published_at
                               AND coalesce(a.role = coalesce(n.role, '*')
                                            OR (coalesce(n.role, '*') = '*' AND a.role <> 'system'), false))
               AS in_time
    FROM approvals a
    JOIN mapped m ON m.item_id = a.item_id
    LEFT JOIN approval_needs n ON n.channel = m.rule_channel AND n.context = m.context
    GROUP BY a.item_id, coalesce(n.role, '*')
),
judged AS (
    SELECT item_id,
           CASE WHEN count(*) = count(in_time) THEN min(in_time) END AS approved_by,
           max(in_time) AS last_approval
    FROM role_approvals
    GROUP BY item_id
),
invalidated AS (
    SELECT e.item_id, min(e.occurred_at) AS invalidated_at
    FROM audit_events e
    JOIN judged j ON j.item_id = e.item_id
    WHERE e.event_type = 'edited' AND e.occurred_at >= j.approved_by
    GROUP BY e.item_id
)
SELECT m.item_id, m.team, m.channel, m.context, m.ai_generated, m.model_confidence, m.makes_commitment, m.owner,
       m.ai_label_applied, m.created_at, m.published_at, m.mapped, m.rule_channel, m.approval_required,
       m.label_required, m.first_recommended, m.published_event, m.first_escalated,
       j.approved_by, j.last_approval,
       -- The first edit at or after the earliest counting approval: from then on the
       -- approvals were given to a different text and no longer count.
       v.invalidated_at,
       m.owner IS NOT NULL AND lower(trim(m.owner)) IN (SELECT who FROM people) AS owner_active,
       CAST(date_diff('microsecond', coalesce(m.first_recommended, m.created_at), m.published_at) AS DOUBLE)
           / 3600000000 AS hours_to_publish
FROM mapped m
LEFT JOIN judged j ON j.item_id = m.item_id
LEFT JOIN invalidated v ON v.item_id = m.item_id
