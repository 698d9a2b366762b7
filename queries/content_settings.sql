-- Returns the dates and settings one evaluation judges content with, as one row that
-- content_flags reads. Grain: one row. Parameters: $ends (list of TIMESTAMP, each the
-- exclusive end of an as-of day), $confidence (DOUBLE, model confidence below which an item
-- must be escalated), $crisis_hours (DOUBLE, target hours from recommendation to publication
-- of a crisis item), $crisis_days (INTEGER, the window of days up to the as-of date whose
-- crisis items are judged).
-- Kept: per evaluation (a temporary table built with the evaluation's dates and settings).
SELECT $ends::TIMESTAMP[] AS ends, $confidence::DOUBLE AS confidence, $crisis_hours::DOUBLE AS crisis_hours,
       $crisis_days::INTEGER AS crisis_days
