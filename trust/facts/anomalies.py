"""Anomaly facts: a value's share (or the row count) that jumps well outside its recent baseline, and reviews."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from trust.facts.calendar import current_snapshot, record_cutoff
from trust.facts.model import Family, Request

if TYPE_CHECKING:
    from trust.facts.collector import Collector

CONSENT_FIELDS = ("consent_email", "consent_sms", "consent_push")
FAKE_FIELD = "suspected_fake"
# The one value followed in a yes/no field: the opt-out share of consent, the flagged share of suspected fakes.
WATCHED_VALUE = {**dict.fromkeys(CONSENT_FIELDS, "false"), FAKE_FIELD: "true"}
KINDS = {**dict.fromkeys(CONSENT_FIELDS, "opt_out"), FAKE_FIELD: "fake_share"}
ROW_COUNT = "row_count"


@dataclass(frozen=True)
class Anomaly:
    """A share (or the row count) that moved well outside its baseline in one snapshot."""

    field: str
    value: str | None
    snapshot_date: date
    share: float
    baseline: float
    deviation: float
    kind: str = "share"  # "share", "opt_out", "fake_share" or "row_count"


@dataclass(frozen=True)
class Review:
    field: str
    value: str | None
    snapshot_date: date
    reviewed_by: str | None
    reviewed_at: datetime | None
    note: str | None = None
    source: str = "extract"


@dataclass(frozen=True)
class AnomalyFacts:
    as_of: date
    snapshots: tuple[date, ...]
    anomalies: tuple[Anomaly, ...]
    reviews: tuple[Review, ...]
    # Reviews made in the dashboard before this moment count (the end of the as-of day, or now
    # for the latest week); rows of alert_reviews count up to the end of the as-of day.
    cutoff: datetime | None = None
    # Each watched field's owner, by name, from the field registry.
    owners: Mapping[str, str | None] = field(default_factory=dict)
    # The latest customer snapshot: an undated review counts only as of it (it is today's).
    latest: date | None = None


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

    `fields` are the fields to watch. For text fields every value's share is followed (NULL
    is a value); for consent fields only the opt-out share (`false`), and for the
    suspected-fake flag only the flagged share (`true`). Each
    snapshot is compared with the mean of up to `baseline` previous snapshots, and only
    once at least `min_baseline` of them exist; the band is the mean plus or minus the
    larger of the minimum shift and `sigmas` standard deviations.
    """
    watched = set(fields)
    rows: dict[date, int] = {}
    shares: dict[tuple[str, str | None], dict[date, int]] = defaultdict(dict)
    for snapshot, name, value, n in counts:
        if name == ROW_COUNT:
            rows[snapshot] = n
        elif name in watched and WATCHED_VALUE.get(name, value) == value:
            shares[(name, value)][snapshot] = n
    snapshots = sorted(rows)
    points: list[SharePoint] = []
    for (name, value), by_snapshot in sorted(shares.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        for i, snapshot in enumerate(snapshots):
            if not rows[snapshot]:
                continue
            share = by_snapshot.get(snapshot, 0) / rows[snapshot]
            previous = [s for s in snapshots[max(0, i - rules.baseline):i] if rows[s]]
            if len(previous) < rules.min_baseline:
                points.append(SharePoint(name, value, snapshot, share, None, None, None, None, False))
                continue
            series = [by_snapshot.get(s, 0) / rows[s] for s in previous]
            baseline = statistics.fmean(series)
            deviation = statistics.stdev(series) if len(series) > 1 else 0.0
            shift = abs(share - baseline)
            width = max(rules.min_shift, rules.sigmas * deviation)
            anomaly = shift >= rules.min_shift - 1e-12 and shift > rules.sigmas * deviation
            points.append(SharePoint(name, value, snapshot, share, baseline, deviation, baseline - width,
                                     baseline + width, anomaly))
    return tuple(points)


def detect(counts: Iterable[tuple[date, str, str | None, int]], fields: Iterable[str],
           rules: Rules = Rules()) -> tuple[Anomaly, ...]:
    """Anomalies in every snapshot from (snapshot, field, value, customers) counts (see share_series)."""
    counts = list(counts)
    found = [Anomaly(p.field, p.value, p.snapshot_date, p.share, p.baseline, p.deviation, KINDS.get(p.field, "share"))
             for p in share_series(counts, fields, rules) if p.anomaly]
    rows = {snapshot: n for snapshot, name, _, n in counts if name == ROW_COUNT}
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


def collect(collector: Collector, request: Request) -> dict[date, AnomalyFacts]:
    """Anomalies of the snapshots up to each date; reviews come from alert_reviews and the dashboard."""
    days = request.days
    snapshots = collector.snapshots()
    state = request.state
    reviews = state.reviews if state is not None else ()
    if collector.ok("alert_reviews"):
        reviews += tuple(Review(r["field"], r["value"], r["snapshot_date"], r["reviewed_by"], r["reviewed_at"],
                                r["note"]) for r in collector.rows("alert_reviews"))
    found: tuple = ()
    currents = [s for s in (current_snapshot(snapshots, d) for d in days) if s is not None]
    if currents:
        settings = collector.settings
        reach = settings.anomaly_lookback_snapshots + settings.anomaly_baseline_snapshots
        first = snapshots.index(min(currents))
        counts = collector.execute("field_values_between", {
            "from": snapshots[max(0, first - reach)], "to": max(currents)}).fetchall()
        found = detect(counts, collector.watched_fields(), Rules.of(settings))
    read_at = state.read_at if state is not None else None
    latest = collector.latest()
    owners = {spec.name: spec.owner for spec in collector.high_risk()}
    if FAKE_FIELD not in owners:
        fake_rule = collector.field_rules().get(FAKE_FIELD)
        owners[FAKE_FIELD] = fake_rule.owner if fake_rule else None
    id_rule = collector.field_rules().get("customer_id")
    owners[ROW_COUNT] = id_rule.owner if id_rule else None
    return {d: AnomalyFacts(d, tuple(s for s in snapshots if s <= d),
                            tuple(a for a in found if a.snapshot_date <= d), reviews,
                            record_cutoff(d, latest, read_at), owners, latest) for d in days}


def timeline(collector: Collector) -> tuple[SharePoint, ...]:
    """Each watched value's share in every snapshot with its baseline band, for the anomaly timeline."""
    snapshots = collector.snapshots()
    if not snapshots:
        return ()
    counts = collector.execute("field_values_between", {"from": snapshots[0], "to": snapshots[-1]}).fetchall()
    return share_series(counts, collector.watched_fields(), Rules.of(collector.settings))


ANOMALIES = Family("anomalies", tables=("customers", "field_registry"), grain="date", collect=collect)
