-- Returns one content item's facts: its decision-rights rule and the summary of its audit
-- trail. Grain: one row per matching content item. Parameters: $item (item_id).
SELECT * FROM item_facts WHERE item_id = $item
