-- Returns the rows of content_flags that a list of items names: each item, as of each date of the
-- evaluation, that no rule maps, breaches its approval rule, has a gap in its audit trail or its
-- transparency, was not escalated, promises something without an active owner, or is a crisis
-- message (every one: a list may show the approved ones too). The lists of records read these
-- few rows instead of judging every item again, one list after another.
-- Grain: as content_flags (one row per as-of date and item until settled), only those rows.
-- Parameters: none (content_flags carries the evaluation's dates and settings).
-- Kept: per evaluation (a temporary table built when an evaluation lists items).
-- Kept across runs: the same content flags give the same rows (every item judged once more).
-- Needs: content_flags
SELECT *
FROM content_flags
WHERE unmapped OR breach OR audit_gap OR transparency_gap OR unescalated OR unowned OR crisis
