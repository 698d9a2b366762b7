"""The anomaly rule: a share moving >= 5 points and > 3 sigma from its baseline, or rows moving > 20%."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from trust.facts.anomalies import Rules, detect

WEEKS = [date(2026, 9, 6) + timedelta(weeks=i) for i in range(10)]


def series(shares: list[float], rows: int = 10_000, field: str = "language", value: str | None = "es",
           row_counts: list[int] | None = None):
    """Counts for one value of one field over weekly snapshots, plus the row counts."""
    out = []
    for i, share in enumerate(shares):
        n = row_counts[i] if row_counts else rows
        out.append((WEEKS[i], "row_count", None, n))
        out.append((WEEKS[i], field, value, round(share * n)))
    return out


def test_a_stable_series_has_no_anomaly():
    assert detect(series([0.20, 0.201, 0.199, 0.20, 0.202, 0.198, 0.20, 0.201]), ["language"]) == ()


def test_a_shift_of_five_points_on_a_quiet_baseline_is_an_anomaly():
    found = detect(series([0.20, 0.20, 0.20, 0.20, 0.25]), ["language"])
    assert [(a.field, a.value, a.snapshot_date) for a in found] == [("language", "es", WEEKS[4])]
    assert found[0].share == pytest.approx(0.25) and found[0].baseline == pytest.approx(0.20)


def test_a_shift_just_under_five_points_is_not():
    assert detect(series([0.20, 0.20, 0.20, 0.20, 0.249]), ["language"]) == ()


def test_a_large_shift_on_a_noisy_baseline_is_not_when_under_three_sigma():
    # Baseline 0.20 +/- ~0.05: a move of 0.06 is over five points but under three deviations.
    assert detect(series([0.15, 0.25, 0.15, 0.25, 0.26]), ["language"]) == ()


def test_at_least_three_previous_snapshots_are_needed():
    assert detect(series([0.20, 0.20, 0.40]), ["language"]) == ()
    assert len(detect(series([0.20, 0.20, 0.20, 0.40]), ["language"])) == 1


def test_the_baseline_is_the_previous_eight_snapshots_only():
    # An old level of 0.50 ten snapshots back no longer counts in the baseline.
    shares = [0.50, 0.50] + [0.20] * 8
    found = detect(series(shares), ["language"], Rules(baseline=8))
    assert all(a.snapshot_date <= WEEKS[5] for a in found)
    assert not [a for a in found if a.snapshot_date == WEEKS[9]]


def test_only_watched_fields_and_the_opt_out_share_of_consents_count():
    counts = series([0.1, 0.1, 0.1, 0.1, 0.3], field="consent_email", value="false")
    counts += series([0.9, 0.9, 0.9, 0.9, 0.7], field="consent_email", value="true")[1::2]
    found = detect(counts, ["consent_email"])
    assert [(a.value, a.kind) for a in found] == [("false", "opt_out")]
    assert detect(counts, ["language"]) == ()


def test_null_is_a_value_of_its_own():
    found = detect(series([0.02, 0.02, 0.02, 0.02, 0.10], value=None), ["language"])
    assert [(a.value, a.kind) for a in found] == [(None, "share")]


def test_row_count_moving_more_than_twenty_percent_is_an_anomaly():
    assert detect(series([0.2] * 5, row_counts=[1000, 1000, 1000, 1000, 1200]), ["language"]) == ()
    found = detect(series([0.2] * 5, row_counts=[1000, 1000, 1000, 1000, 1201]), ["language"])
    assert [(a.field, a.kind) for a in found] == [("row_count", "row_count")]
    assert found[0].share == 1201 and found[0].baseline == 1000
