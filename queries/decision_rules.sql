-- Returns the decision-rights rules as exported: who may automate what, per channel and
-- context. Grain: one row per rule row (duplicates kept, so each can be judged). Parameters: none.
SELECT channel, context, approval_required, coalesce(approver_roles, []) AS approver_roles, label_required
FROM decision_rights
ORDER BY context, channel
