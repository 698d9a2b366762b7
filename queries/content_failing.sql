-- Returns the rows of content_flags that a list of items names: each item, as of each listed date of
-- the evaluation, that no rule maps, breaches its approval rule, has a gap in its audit trail or its
-- transparency, was not escalated, promises something without an active owner, or is a crisis
-- message (every one: a list may show the approved ones too). The lists of records read these
-- few rows instead of judging every item again, one list after another.
-- Grain: as content_flags (one row per as-of date and item until settled), only those rows, and only those a
-- list of one of the listed dates reads: the date's own rows and the settled rows that stand for it.
-- Parameters: $ends (list of TIMESTAMP: the exclusive ends of the as-of days whose items are listed; content_flags
-- carries the evaluation's dates and settings).
-- Kept: per evaluation (a temporary table built when an evaluation lists items).
-- Kept across runs: the same content flags and listed dates give the same rows (every item judged once more).
-- Needs: content_flags
SELECT *
FROM content_flags
WHERE (list_contains($ends::TIMESTAMP[], as_of_end) OR (settled AND as_of_end <= list_max($ends::TIMESTAMP[])))
  AND (unmapped OR breach OR audit_gap OR transparency_gap OR unescalated OR unowned OR crisis)
