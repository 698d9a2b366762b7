-- Returns the governance and accountability counts as of each date for each team (items
-- without a team form a group of their own) and for the whole organisation (`everyone`):
-- how many items each rule of content_flags holds, the crisis messages' median hours to
-- publication (over those whose time can be measured; the others are counted), and the first
-- three items each named rule finds (newest first, then by ID) so summaries can name them
-- (sorted as lists of structs: both engines sort those alike).
-- The rows are counted once, per team and date, settled rows (never crisis messages) apart:
-- those count for their date and every later one. Each item's rules are first folded into one
-- bit mask and the items counted per mask (1,162 rows over eight dates of the scale data, from a
-- million items): adding those up per rule cost 18% less there than filtering every item once per
-- rule. The parts of each date are then added up, for each team and for the organisation, and the
-- first three items are the first three of the parts' (the medians are taken over the crisis
-- messages alone, which are few).
-- Grain: one row per as-of date and team, and one per as-of date for everyone.
-- Parameters: none (content_settings and content_flags carry the evaluation's dates and settings).
-- Needs: content_flags, content_settings
-- Kept across runs: the same items, dates and settings give the same counts (every item of every date).
WITH flagged AS NOT MATERIALIZED (
    -- Sort keys, smallest first: newest first, then by ID; an item without the date comes last.
    SELECT *,
           coalesce(date_diff('microsecond', published_at, TIMESTAMP '9999-12-31'), 9000000000000000000)
               AS newest_published,
           coalesce(date_diff('microsecond', created_at, TIMESTAMP '9999-12-31'), 9000000000000000000)
               AS newest_created
    FROM content_flags
),
-- Each item's rules as one bit mask (a NULL rule holds no bit), and the items counted per mask.
masks AS (
    SELECT as_of_end, settled, team,
           CASE WHEN unmapped THEN 1 ELSE 0 END
               + CASE WHEN unmapped_published THEN 2 ELSE 0 END
               + CASE WHEN published THEN 4 ELSE 0 END
               + CASE WHEN requiring THEN 8 ELSE 0 END
               + CASE WHEN compliant THEN 16 ELSE 0 END
               + CASE WHEN ai_published THEN 32 ELSE 0 END
               + CASE WHEN audit_complete THEN 64 ELSE 0 END
               + CASE WHEN provenance_missing THEN 128 ELSE 0 END
               + CASE WHEN label_needed THEN 256 ELSE 0 END
               + CASE WHEN label_missing THEN 512 ELSE 0 END
               + CASE WHEN low_confidence THEN 1024 ELSE 0 END
               + CASE WHEN escalated THEN 2048 ELSE 0 END
               + CASE WHEN unknown_confidence THEN 4096 ELSE 0 END
               + CASE WHEN commitments THEN 8192 ELSE 0 END
               + CASE WHEN commitments_owned THEN 16384 ELSE 0 END
               + CASE WHEN crisis THEN 32768 ELSE 0 END
               + CASE WHEN crisis_approved THEN 65536 ELSE 0 END
               + CASE WHEN crisis_slow THEN 131072 ELSE 0 END
               + CASE WHEN crisis_untimed THEN 262144 ELSE 0 END
               + CASE WHEN crisis_flagged THEN 524288 ELSE 0 END
               + CASE WHEN breach THEN 1048576 ELSE 0 END
               + CASE WHEN audit_gap THEN 2097152 ELSE 0 END
               + CASE WHEN transparency_gap THEN 4194304 ELSE 0 END
               + CASE WHEN unescalated THEN 8388608 ELSE 0 END
               + CASE WHEN unowned THEN 16777216 ELSE 0 END AS rules,
           count(*) AS items
    FROM flagged
    GROUP BY ALL
),
teams AS (
    SELECT as_of_end AS counted_at, settled, team,
           CAST(sum(items) AS BIGINT) AS items,
           CAST(coalesce(sum(items) FILTER (WHERE rules & 1 <> 0), 0) AS BIGINT) AS unmapped,
           CAST(coalesce(sum(items) FILTER (WHERE rules & 2 <> 0), 0) AS BIGINT) AS unmapped_published,
           CAST(coalesce(sum(items) FILTER (WHERE rules & 4 <> 0), 0) AS BIGINT) AS published,
           CAST(coalesce(sum(items) FILTER (WHERE rules & 8 <> 0), 0) AS BIGINT) AS requiring,
           CAST(coalesce(sum(items) FILTER (WHERE rules & 16 <> 0), 0) AS BIGINT) AS compliant,
           CAST(coalesce(sum(items) FILTER (WHERE rules & 32 <> 0), 0) AS BIGINT) AS ai_published,
           CAST(coalesce(sum(items) FILTER (WHERE rules & 64 <> 0), 0) AS BIGINT) AS audit_complete,
           CAST(coalesce(sum(items) FILTER (WHERE rules & 128 <> 0), 0) AS BIGINT) AS provenance_missing,
           CAST(coalesce(sum(items) FILTER (WHERE rules & 256 <> 0), 0) AS BIGINT) AS label_needed,
           CAST(coalesce(sum(items) FILTER (WHERE rules & 512 <> 0), 0) AS BIGINT) AS label_missing,
           CAST(coalesce(sum(items) FILTER (WHERE rules & 1024 <> 0), 0) AS BIGINT) AS low_confidence,
           CAST(coalesce(sum(items) FILTER (WHERE rules & 2048 <> 0), 0) AS BIGINT) AS escalated,
           CAST(coalesce(sum(items) FILTER (WHERE rules & 4096 <> 0), 0) AS BIGINT) AS unknown_confidence,
           CAST(coalesce(sum(items) FILTER (WHERE rules & 8192 <> 0), 0) AS BIGINT) AS commitments,
           CAST(coalesce(sum(items) FILTER (WHERE rules & 16384 <> 0), 0) AS BIGINT) AS commitments_owned,
           CAST(coalesce(sum(items) FILTER (WHERE rules & 32768 <> 0), 0) AS BIGINT) AS crisis,
           CAST(coalesce(sum(items) FILTER (WHERE rules & 65536 <> 0), 0) AS BIGINT) AS crisis_approved,
           CAST(coalesce(sum(items) FILTER (WHERE rules & 131072 <> 0), 0) AS BIGINT) AS crisis_slow,
           CAST(coalesce(sum(items) FILTER (WHERE rules & 262144 <> 0), 0) AS BIGINT) AS crisis_untimed,
           CAST(coalesce(sum(items) FILTER (WHERE rules & 524288 <> 0), 0) AS BIGINT) AS crisis_flagged,
           CAST(coalesce(sum(items) FILTER (WHERE rules & 1048576 <> 0), 0) AS BIGINT) AS breach,
           CAST(coalesce(sum(items) FILTER (WHERE rules & 2097152 <> 0), 0) AS BIGINT) AS audit_gap,
           CAST(coalesce(sum(items) FILTER (WHERE rules & 4194304 <> 0), 0) AS BIGINT) AS transparency_gap,
           CAST(coalesce(sum(items) FILTER (WHERE rules & 8388608 <> 0), 0) AS BIGINT) AS unescalated,
           CAST(coalesce(sum(items) FILTER (WHERE rules & 16777216 <> 0), 0) AS BIGINT) AS unowned
    FROM masks
    GROUP BY as_of_end, settled, team
),
-- The first three items of each named rule, from the rows that break at least one of them (few):
-- gathering them beside the counts, over every row, costs more than this second pass.
named AS (
    SELECT as_of_end, settled, team,
           array_slice(list_sort(list({'k': newest_published, 'id': item_id}) FILTER (WHERE unmapped_published)), 1, 3) AS unmapped_published_ids,
           array_slice(list_sort(list({'k': newest_created, 'id': item_id}) FILTER (WHERE unmapped_draft)), 1, 3) AS unmapped_draft_ids,
           array_slice(list_sort(list({'k': newest_published, 'id': item_id}) FILTER (WHERE breach)), 1, 3) AS breach_ids,
           array_slice(list_sort(list({'k': newest_published, 'id': item_id}) FILTER (WHERE audit_gap)), 1, 3) AS audit_gap_ids,
           array_slice(list_sort(list({'k': newest_published, 'id': item_id}) FILTER (WHERE provenance_missing)), 1, 3) AS provenance_missing_ids,
           array_slice(list_sort(list({'k': newest_published, 'id': item_id}) FILTER (WHERE label_missing)), 1, 3) AS label_missing_ids,
           array_slice(list_sort(list({'k': newest_published, 'id': item_id}) FILTER (WHERE unescalated)), 1, 3) AS unescalated_ids,
           array_slice(list_sort(list({'k': newest_published, 'id': item_id}) FILTER (WHERE unowned)), 1, 3) AS unowned_ids,
           array_slice(list_sort(list({'k': newest_published, 'id': item_id}) FILTER (WHERE crisis_unapproved)), 1, 3) AS crisis_unapproved_ids,
           array_slice(list_sort(list({'k': newest_published, 'id': item_id}) FILTER (WHERE crisis_untimed)), 1, 3) AS crisis_untimed_ids
    FROM flagged
    WHERE unmapped_published OR unmapped_draft OR breach OR audit_gap OR provenance_missing OR label_missing
       OR unescalated OR unowned OR crisis_unapproved OR crisis_untimed
    GROUP BY as_of_end, settled, team
),
counted AS (
    SELECT d.as_of_end, t.*, n.unmapped_published_ids, n.unmapped_draft_ids, n.breach_ids, n.audit_gap_ids,
           n.provenance_missing_ids, n.label_missing_ids, n.unescalated_ids, n.unowned_ids, n.crisis_unapproved_ids,
           n.crisis_untimed_ids
    FROM teams t
    LEFT JOIN named n
      ON n.as_of_end = t.counted_at AND n.settled = t.settled AND n.team IS NOT DISTINCT FROM t.team
    JOIN (SELECT DISTINCT unnest(ends) AS as_of_end FROM content_settings) d
      ON d.as_of_end = t.counted_at OR (t.settled AND d.as_of_end > t.counted_at)
),
medians AS (
    SELECT as_of_end, team, grouping(team) = 1 AS everyone, median(hours_to_publish) AS crisis_median_hours
    FROM flagged
    WHERE crisis
    GROUP BY GROUPING SETS ((as_of_end, team), (as_of_end))
),
-- The counts are cast back to BIGINT (DuckDB's sum of BIGINT is a HUGEINT, which Parquet cannot keep).
rolled AS (
    SELECT as_of_end, team, grouping(team) = 1 AS everyone,
       CAST(sum(items) AS BIGINT) AS items,
       CAST(sum(unmapped) AS BIGINT) AS unmapped,
       CAST(sum(unmapped_published) AS BIGINT) AS unmapped_published,
       CAST(sum(published) AS BIGINT) AS published,
       CAST(sum(requiring) AS BIGINT) AS requiring,
       CAST(sum(compliant) AS BIGINT) AS compliant,
       CAST(sum(ai_published) AS BIGINT) AS ai_published,
       CAST(sum(audit_complete) AS BIGINT) AS audit_complete,
       CAST(sum(provenance_missing) AS BIGINT) AS provenance_missing,
       CAST(sum(label_needed) AS BIGINT) AS label_needed,
       CAST(sum(label_missing) AS BIGINT) AS label_missing,
       CAST(sum(low_confidence) AS BIGINT) AS low_confidence,
       CAST(sum(escalated) AS BIGINT) AS escalated,
       CAST(sum(unknown_confidence) AS BIGINT) AS unknown_confidence,
       CAST(sum(commitments) AS BIGINT) AS commitments,
       CAST(sum(commitments_owned) AS BIGINT) AS commitments_owned,
       CAST(sum(crisis) AS BIGINT) AS crisis,
       CAST(sum(crisis_approved) AS BIGINT) AS crisis_approved,
       CAST(sum(crisis_slow) AS BIGINT) AS crisis_slow,
       CAST(sum(crisis_untimed) AS BIGINT) AS crisis_untimed,
       CAST(sum(crisis_flagged) AS BIGINT) AS crisis_flagged,
       CAST(sum(breach) AS BIGINT) AS breach,
       CAST(sum(audit_gap) AS BIGINT) AS audit_gap,
       CAST(sum(transparency_gap) AS BIGINT) AS transparency_gap,
       CAST(sum(unescalated) AS BIGINT) AS unescalated,
       CAST(sum(unowned) AS BIGINT) AS unowned,
       coalesce(list_transform(array_slice(list_sort(flatten(list(unmapped_published_ids))), 1, 3), lambda e: e.id), []) AS unmapped_published_ids,
       coalesce(list_transform(array_slice(list_sort(flatten(list(unmapped_draft_ids))), 1, 3), lambda e: e.id), []) AS unmapped_draft_ids,
       coalesce(list_transform(array_slice(list_sort(flatten(list(breach_ids))), 1, 3), lambda e: e.id), []) AS breach_ids,
       coalesce(list_transform(array_slice(list_sort(flatten(list(audit_gap_ids))), 1, 3), lambda e: e.id), []) AS audit_gap_ids,
       coalesce(list_transform(array_slice(list_sort(flatten(list(provenance_missing_ids))), 1, 3), lambda e: e.id), []) AS provenance_missing_ids,
       coalesce(list_transform(array_slice(list_sort(flatten(list(label_missing_ids))), 1, 3), lambda e: e.id), []) AS label_missing_ids,
       coalesce(list_transform(array_slice(list_sort(flatten(list(unescalated_ids))), 1, 3), lambda e: e.id), []) AS unescalated_ids,
       coalesce(list_transform(array_slice(list_sort(flatten(list(unowned_ids))), 1, 3), lambda e: e.id), []) AS unowned_ids,
       coalesce(list_transform(array_slice(list_sort(flatten(list(crisis_unapproved_ids))), 1, 3), lambda e: e.id), []) AS crisis_unapproved_ids,
       coalesce(list_transform(array_slice(list_sort(flatten(list(crisis_untimed_ids))), 1, 3), lambda e: e.id), []) AS crisis_untimed_ids
    FROM counted
    GROUP BY GROUPING SETS ((as_of_end, team), (as_of_end))
)
SELECT r.*, m.crisis_median_hours
FROM rolled r
LEFT JOIN medians m ON m.as_of_end = r.as_of_end AND m.everyone = r.everyone AND m.team IS NOT DISTINCT FROM r.team
