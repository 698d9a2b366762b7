-- Returns the organisation's median hours from first recommendation (else creation) to
-- publication of the crisis items published by each date. Grain: one row per as-of date
-- with a published crisis item. Parameters: $ends (list of TIMESTAMP, each the exclusive
-- end of an as-of day).
SELECT d.as_of_end, median(f.hours_to_publish) AS crisis_median_hours
FROM (SELECT unnest($ends::TIMESTAMP[]) AS as_of_end) d
JOIN item_facts f ON f.published_at < d.as_of_end AND f.context = 'crisis'
GROUP BY d.as_of_end
