-- Returns what each decision-rights rule needs before an item it maps may be published: one row
-- per rule (channel and context) and role that must approve, with the rule's flags and the
-- sorted list of those roles. Duplicate rule rows are merged conservatively: any row requiring
-- approval or a label wins, and every role named by any of them must approve. A rule that names
-- no role needs '*': one approval by a person (any role but `system`: an approval with no role
-- cannot show it was a person).
-- Grain: one row per rule and needed role. Parameters: none.
-- Kept: per load (the audit trails and the roles of the listed items read it; a few rows).
WITH rules AS (
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
needs AS (
    SELECT r.channel, r.context, r.approval_required, r.label_required, coalesce(n.role, '*') AS role
    FROM rules r
    LEFT JOIN rule_roles n ON n.channel = r.channel AND n.context = r.context
),
lists AS (
    SELECT channel, context, list_sort(list(role)) AS approver_roles
    FROM needs
    GROUP BY channel, context
)
SELECT n.channel, n.context, n.approval_required, n.label_required, n.role, l.approver_roles
FROM needs n
JOIN lists l ON l.channel = n.channel AND l.context = n.context
