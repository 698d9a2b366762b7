-- Returns the governance and accountability counts as of each date for each team (items
-- without a team form a group of their own) and for the whole organisation (`everyone`):
-- how many items each rule of content_flags holds, the crisis messages' median hours to
-- publication, and the first three items each named rule finds (newest first) so summaries
-- can name them. Grain: one row per as-of date and team, and one per as-of date for everyone.
-- Parameters: none (content_flags carries the evaluation's dates and settings).
-- The items are grouped once, by date and team; the organisation's row adds up the teams' rows:
-- its median from their crisis hours, its first items from each team's first three. An item's
-- place in a list is its key {k, id}: newest first (no date last), then by ID, so a sorted list
-- of keys reads as ORDER BY <date> DESC, item_id.
-- Needs: content_flags
WITH teams AS (
    SELECT as_of_end, team,
           count(*) AS items,
           count(*) FILTER (WHERE unmapped) AS unmapped,
           count(*) FILTER (WHERE unmapped_published) AS unmapped_published,
           count(*) FILTER (WHERE published) AS published,
           count(*) FILTER (WHERE requiring) AS requiring,
           count(*) FILTER (WHERE compliant) AS compliant,
           count(*) FILTER (WHERE ai_published) AS ai_published,
           count(*) FILTER (WHERE audit_complete) AS audit_complete,
           count(*) FILTER (WHERE provenance_missing) AS provenance_missing,
           count(*) FILTER (WHERE label_needed) AS label_needed,
           count(*) FILTER (WHERE label_missing) AS label_missing,
           count(*) FILTER (WHERE low_confidence) AS low_confidence,
           count(*) FILTER (WHERE escalated) AS escalated,
           count(*) FILTER (WHERE unknown_confidence) AS unknown_confidence,
           count(*) FILTER (WHERE commitments) AS commitments,
           count(*) FILTER (WHERE commitments_owned) AS commitments_owned,
           count(*) FILTER (WHERE crisis) AS crisis,
           count(*) FILTER (WHERE crisis_approved) AS crisis_approved,
           count(*) FILTER (WHERE crisis_slow) AS crisis_slow,
           count(*) FILTER (WHERE crisis_flagged) AS crisis_flagged,
    -- The rules whose failing items a records query lists.
           count(*) FILTER (WHERE breach) AS breach,
           count(*) FILTER (WHERE audit_gap) AS audit_gap,
           count(*) FILTER (WHERE transparency_gap) AS transparency_gap,
           count(*) FILTER (WHERE unescalated) AS unescalated,
           count(*) FILTER (WHERE unowned) AS unowned,
           median(hours_to_publish) FILTER (WHERE crisis) AS crisis_median_hours,
           list(hours_to_publish) FILTER (WHERE crisis) AS crisis_hours,
           list_sort(list({'k': coalesce(-epoch_us(published_at), 9223372036854775807), 'id': item_id})
                     FILTER (WHERE unmapped_published))[1:3] AS unmapped_published_first,
           list_sort(list({'k': coalesce(-epoch_us(created_at), 9223372036854775807), 'id': item_id})
                     FILTER (WHERE unmapped_draft))[1:3] AS unmapped_draft_first,
           list_sort(list({'k': coalesce(-epoch_us(published_at), 9223372036854775807), 'id': item_id})
                     FILTER (WHERE breach))[1:3] AS breach_first,
           list_sort(list({'k': coalesce(-epoch_us(published_at), 9223372036854775807), 'id': item_id})
                     FILTER (WHERE audit_gap))[1:3] AS audit_gap_first,
           list_sort(list({'k': coalesce(-epoch_us(published_at), 9223372036854775807), 'id': item_id})
                     FILTER (WHERE provenance_missing))[1:3] AS provenance_missing_first,
           list_sort(list({'k': coalesce(-epoch_us(published_at), 9223372036854775807), 'id': item_id})
                     FILTER (WHERE label_missing))[1:3] AS label_missing_first,
           list_sort(list({'k': coalesce(-epoch_us(published_at), 9223372036854775807), 'id': item_id})
                     FILTER (WHERE unescalated))[1:3] AS unescalated_first,
           list_sort(list({'k': coalesce(-epoch_us(published_at), 9223372036854775807), 'id': item_id})
                     FILTER (WHERE unowned))[1:3] AS unowned_first,
           list_sort(list({'k': coalesce(-epoch_us(published_at), 9223372036854775807), 'id': item_id})
                     FILTER (WHERE crisis_unapproved))[1:3] AS crisis_unapproved_first
    FROM content_flags
    GROUP BY as_of_end, team
)
SELECT as_of_end, team, false AS everyone,
       items, unmapped, unmapped_published, published, requiring, compliant,
       ai_published, audit_complete, provenance_missing, label_needed, label_missing, low_confidence,
       escalated, unknown_confidence, commitments, commitments_owned, crisis, crisis_approved,
       crisis_slow, crisis_flagged, breach, audit_gap, transparency_gap, unescalated,
       unowned,
       crisis_median_hours,
       list_transform(unmapped_published_first, lambda x: x.id) AS unmapped_published_ids,
       list_transform(unmapped_draft_first, lambda x: x.id) AS unmapped_draft_ids,
       list_transform(breach_first, lambda x: x.id) AS breach_ids,
       list_transform(audit_gap_first, lambda x: x.id) AS audit_gap_ids,
       list_transform(provenance_missing_first, lambda x: x.id) AS provenance_missing_ids,
       list_transform(label_missing_first, lambda x: x.id) AS label_missing_ids,
       list_transform(unescalated_first, lambda x: x.id) AS unescalated_ids,
       list_transform(unowned_first, lambda x: x.id) AS unowned_ids,
       list_transform(crisis_unapproved_first, lambda x: x.id) AS crisis_unapproved_ids
FROM teams
UNION ALL
SELECT as_of_end, NULL, true,
       sum(items)::BIGINT, sum(unmapped)::BIGINT, sum(unmapped_published)::BIGINT, sum(published)::BIGINT,
       sum(requiring)::BIGINT, sum(compliant)::BIGINT, sum(ai_published)::BIGINT, sum(audit_complete)::BIGINT,
       sum(provenance_missing)::BIGINT, sum(label_needed)::BIGINT, sum(label_missing)::BIGINT, sum(low_confidence)::BIGINT,
       sum(escalated)::BIGINT, sum(unknown_confidence)::BIGINT, sum(commitments)::BIGINT, sum(commitments_owned)::BIGINT,
       sum(crisis)::BIGINT, sum(crisis_approved)::BIGINT, sum(crisis_slow)::BIGINT, sum(crisis_flagged)::BIGINT,
       sum(breach)::BIGINT, sum(audit_gap)::BIGINT, sum(transparency_gap)::BIGINT, sum(unescalated)::BIGINT,
       sum(unowned)::BIGINT,
       list_aggregate(flatten(list(crisis_hours)), 'median'),
       NULLIF(list_transform(list_sort(flatten(list(unmapped_published_first)))[1:3], lambda x: x.id), []),
       NULLIF(list_transform(list_sort(flatten(list(unmapped_draft_first)))[1:3], lambda x: x.id), []),
       NULLIF(list_transform(list_sort(flatten(list(breach_first)))[1:3], lambda x: x.id), []),
       NULLIF(list_transform(list_sort(flatten(list(audit_gap_first)))[1:3], lambda x: x.id), []),
       NULLIF(list_transform(list_sort(flatten(list(provenance_missing_first)))[1:3], lambda x: x.id), []),
       NULLIF(list_transform(list_sort(flatten(list(label_missing_first)))[1:3], lambda x: x.id), []),
       NULLIF(list_transform(list_sort(flatten(list(unescalated_first)))[1:3], lambda x: x.id), []),
       NULLIF(list_transform(list_sort(flatten(list(unowned_first)))[1:3], lambda x: x.id), []),
       NULLIF(list_transform(list_sort(flatten(list(crisis_unapproved_first)))[1:3], lambda x: x.id), [])
FROM teams
GROUP BY as_of_end
