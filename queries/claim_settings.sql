-- Returns the dates and settings one evaluation judges claims with, as one row that
-- claim_flags reads. Grain: one row. Parameters: $ends (TIMESTAMP list: the exclusive end of
-- each as-of day), $roles (VARCHAR list, lower case: the reviewer roles whose approval counts),
-- $max_months (INTEGER: evidence older than this warns), $warn_days (INTEGER: evidence expiring
-- within this many days of the date warns).
-- Kept: per evaluation (a temporary table built with the evaluation's dates and settings).
SELECT $ends::TIMESTAMP[] AS ends, $roles::VARCHAR[] AS roles, $max_months::INTEGER AS max_months,
       $warn_days::INTEGER AS warn_days
