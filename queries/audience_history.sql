-- Returns whether journey audiences carry the week they were exported for (the optional
-- journey_audience.snapshot_date), and so whether pre-flight can be judged as of past weeks.
-- Grain: one row. Parameters: none.
SELECT count(snapshot_date) > 0 AS dated FROM journey_audience
