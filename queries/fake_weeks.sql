-- Returns every customer snapshot after the first with its new customers, those flagged as
-- suspected fakes and those never screened, read from fake_shares (kept per load).
-- Grain: one row per snapshot. Parameters: none.
-- Needs: fake_shares
SELECT snapshot_date, previous, new_customers, flagged, unscreened
FROM fake_shares
ORDER BY snapshot_date
