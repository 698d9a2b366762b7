-- Returns one content item's row of item_trails: its decision-rights rule and the summary of
-- its audit trail, with the roles its rule needs (sorted; ['*'] when it names none, or no rule
-- maps the item: one approval by a person). Grain: one row per matching content item.
-- Parameters: $item (item_id).
-- Needs: item_trails, approval_needs
SELECT t.*, coalesce(r.approver_roles, ['*']) AS approver_roles
FROM item_trails t
LEFT JOIN (SELECT DISTINCT channel, context, approver_roles FROM approval_needs) r
  ON r.channel = t.rule_channel AND r.context = t.context
WHERE t.item_id = $item
