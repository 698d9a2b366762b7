-- Returns one content item's row of item_trails: its decision-rights rule and the summary of
-- its audit trail. Grain: one row per matching content item. Parameters: $item (item_id).
-- Needs: item_trails
SELECT * FROM item_trails WHERE item_id = $item
