"""Anomaly detection: a value's share (or the row count) that jumps well outside its recent baseline."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from trust.facts import Anomaly

CONSENT_FIELDS = ("consent_email", "consent_sms", "consent_push")
ROW_COUNT = "row_count"


@dataclass(frozen=True)
class Rules:
    min_shift: float = 0.05
    sigmas: float = 3.0
    baseline: int = 8
    min_baseline: int = 3
    row_count_shift: float = 0.20

    @classmethod
    def of(cls, settings) -> Rules:
        return cls(settings.anomaly_min_shift, settings.anomaly_sigmas, settings.anomaly_baseline_snapshots,
                   settings.anomaly_min_baseline, settings.anomaly_row_count_shift)


@dataclass(frozen=True)
class SharePoint:
    """One value's share in one snapshot against the band its baseline allows."""

    field: str
    value: str | None
    snapshot_date: date
    share: float
    baseline: float | None
    deviation: float | None
    low: float | None
    high: float | None
    anomaly: bool


def share_series(counts: Iterable[tuple[date, str, str | None, int]], fields: Iterable[str],
                 rules: Rules = Rules()) -> tuple[SharePoint, ...]:
    """Every watched value's share per snapshot with its baseline band; the anomalies are flagged.

    `fields` are the high-risk fields to watch. For text fields every value's share is
    followed (NULL is a value); for consent fields only the opt-out share (`false`). Each
    snapshot is compared with the mean of up to `baseline` previous snapshots, and only
    once at least `min_baseline` of them exist; the band is the mean plus or minus the
    larger of the minimum shift and `sigmas` standard deviations.
    """
    watched = set(fields)
    rows: dict[date, int] = {}
    shares: dict[tuple[str, str | None], dict[date, int]] = defaultdict(dict)
    for snapshot, field, value, n in counts:
        if field == ROW_COUNT:
            rows[snapshot] = n
        elif field in watched and (field not in CONSENT_FIELDS or value == "false"):
            shares[(field, value)][snapshot] = n
    snapshots = sorted(rows)
    points: list[SharePoint] = []
    for (field, value), by_snapshot in sorted(shares.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        for i, snapshot in enumerate(snapshots):
            if not rows[snapshot]:
                continue
            share = by_snapshot.get(snapshot, 0) / rows[snapshot]
            previous = [s for s in snapshots[max(0, i - rules.baseline):i] if rows[s]]
            if len(previous) < rules.min_baseline:
                points.append(SharePoint(field, value, snapshot, share, None, None, None, None, False))
                continue
            series = [by_snapshot.get(s, 0) / rows[s] for s in previous]
            baseline = statistics.fmean(series)
            deviation = statistics.stdev(series) if len(series) > 1 else 0.0
            shift = abs(share - baseline)
            width = max(rules.min_shift, rules.sigmas * deviation)
            anomaly = shift >= rules.min_shift - 1e-12 and shift > rules.sigmas * deviation
            points.append(SharePoint(field, value, snapshot, share, baseline, deviation, baseline - width,
                                     baseline + width, anomaly))
    return tuple(points)


def detect(counts: Iterable[tuple[date, str, str | None, int]], fields: Iterable[str],
           rules: Rules = Rules()) -> tuple[Anomaly, ...]:
    """Anomalies in every snapshot from (snapshot, field, value, customers) counts (see share_series)."""
    counts = list(counts)
    found = [Anomaly(p.field, p.value, p.snapshot_date, p.share, p.baseline, p.deviation,
                     "opt_out" if p.field in CONSENT_FIELDS else "share")
             for p in share_series(counts, fields, rules) if p.anomaly]
    rows = {snapshot: n for snapshot, field, _, n in counts if field == ROW_COUNT}
    snapshots = sorted(rows)
    for i, snapshot in enumerate(snapshots):
        previous = snapshots[max(0, i - rules.baseline):i]
        if len(previous) >= rules.min_baseline:
            found.extend(_row_count(snapshot, previous, rows, rules))
    return tuple(sorted(found, key=lambda a: (a.snapshot_date, a.field, a.value or "")))


def _row_count(snapshot: date, previous: list[date], rows: dict[date, int], rules: Rules) -> list[Anomaly]:
    baseline = statistics.fmean(rows[s] for s in previous)
    if baseline and abs(rows[snapshot] - baseline) / baseline > rules.row_count_shift:
        deviation = statistics.stdev(rows[s] for s in previous) if len(previous) > 1 else 0.0
        return [Anomaly(ROW_COUNT, None, snapshot, float(rows[snapshot]), baseline, deviation, "row_count")]
    return []
