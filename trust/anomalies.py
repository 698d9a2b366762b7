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


def detect(counts: Iterable[tuple[date, str, str | None, int]], fields: Iterable[str],
           rules: Rules = Rules()) -> tuple[Anomaly, ...]:
    """Anomalies in every snapshot from (snapshot, field, value, customers) counts.

    `fields` are the high-risk fields to watch. For text fields every value's share is
    followed (NULL is a value); for consent fields only the opt-out share (`false`). Each
    snapshot is compared with the mean of up to `baseline` previous snapshots, and only
    once at least `min_baseline` of them exist.
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
    found: list[Anomaly] = []
    for i, snapshot in enumerate(snapshots):
        previous = snapshots[max(0, i - rules.baseline):i]
        if len(previous) < rules.min_baseline:
            continue
        found.extend(_row_count(snapshot, previous, rows, rules))
        for (field, value), by_snapshot in shares.items():
            series = [by_snapshot.get(s, 0) / rows[s] for s in previous if rows[s]]
            if len(series) < rules.min_baseline or not rows[snapshot]:
                continue
            share = by_snapshot.get(snapshot, 0) / rows[snapshot]
            baseline = statistics.fmean(series)
            deviation = statistics.stdev(series) if len(series) > 1 else 0.0
            shift = abs(share - baseline)
            if shift >= rules.min_shift - 1e-12 and shift > rules.sigmas * deviation:
                kind = "opt_out" if field in CONSENT_FIELDS else "share"
                found.append(Anomaly(field, value, snapshot, share, baseline, deviation, kind))
    return tuple(sorted(found, key=lambda a: (a.snapshot_date, a.field, a.value or "")))


def _row_count(snapshot: date, previous: list[date], rows: dict[date, int], rules: Rules) -> list[Anomaly]:
    baseline = statistics.fmean(rows[s] for s in previous)
    if baseline and abs(rows[snapshot] - baseline) / baseline > rules.row_count_shift:
        deviation = statistics.stdev(rows[s] for s in previous) if len(previous) > 1 else 0.0
        return [Anomaly(ROW_COUNT, None, snapshot, float(rows[snapshot]), baseline, deviation, "row_count")]
    return []
