"""A deterministic demo of the warehouse extracts, healthy except for small, documented faults."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from trust.demo import content, credibility, incidents, journeys, measurement, people, registry, voice, workflow
from trust.demo.customers import CustomerBase
from trust.demo.faults import FAULTS, Fault
from trust.demo.timeline import SNAPSHOTS, Timeline, stream
from trust.demo.writer import MARKER, Staging, file_name
from trust.extracts.contract import TABLE_NAMES

__all__ = ["DEMO_FORMAT", "FAULTS", "MARKER", "DemoSummary", "Fault", "demo_format", "write_demo"]

MIN_CUSTOMERS = 100
# Bumped whenever the demo's content changes, so a benchmark or a checkout never keeps an old demo.
DEMO_FORMAT = 4
# Below this many items the planted governance faults would dominate the rates they are meant
# to dent slightly, so small demos still get a realistic volume of content.
MIN_ITEMS = 2_000


@dataclass(frozen=True)
class DemoSummary:
    """What `write_demo` wrote: the folder, the rows of each table and how long it took."""

    out: Path
    rows: dict[str, int]
    seconds: float


def write_demo(out: Path, customers: int = 20_000, seed: int = 7,
               latest: date = date(2026, 11, 22)) -> DemoSummary:
    """Write the demo extracts to `out`, replacing a previous demo but nothing else.

    Twelve weekly customer snapshots end at `latest`; `customers` is the number of distinct
    customers in the latest one. The planted faults are listed in `FAULTS`; their sizes are
    fixed shares, so they hold for any seed from a few hundred customers up.
    """
    if isinstance(customers, bool) or not isinstance(customers, int) or customers < MIN_CUSTOMERS:
        raise ValueError(f"customers must be a whole number of at least {MIN_CUSTOMERS}, "
                         f"got {customers!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0, got {seed!r}")
    if isinstance(latest, datetime) or not isinstance(latest, date):
        raise ValueError(f"latest must be a date such as date(2026, 11, 22), got {latest!r}")
    started = time.perf_counter()
    out = Path(out).expanduser()
    tl = Timeline(latest)
    staff = people.roster()
    rows: dict[str, int] = {}
    entries = frozenset(file_name(name) for name in TABLE_NAMES)
    with Staging(out, entries) as stage:
        rows["customers"], views = _customers(stage, customers, seed, tl)
        rows["field_registry"] = stage.write_csv("field_registry",
                                                 registry.field_registry_rows(tl))
        rows["journeys"] = stage.write_csv("journeys", journeys.journey_rows(tl))
        audience = journeys.audience(views, tl, stream(seed, "journeys"))
        del views
        rows["journey_audience"] = stage.write_parquet("journey_audience", audience)
        items, events, claims = _content(customers, seed, staff, tl)
        rows["content_items"] = stage.write_parquet("content_items", items)
        rows["audit_events"] = stage.write_parquet("audit_events", events)
        del items, events
        rows["claims"] = stage.write_parquet("claims", claims)
        rows["brand_incidents"] = stage.write_csv("brand_incidents", credibility.incident_rows(tl))
        rows["decision_rights"] = stage.write_csv("decision_rights",
                                                  [dict(r) for r in content.DECISION_RIGHTS])
        rows["staff"] = stage.write_csv("staff", people.staff_rows(staff))
        rows["training"] = stage.write_csv(
            "training", people.training_rows(staff, stream(seed, "training"), tl))
        rows["forecasts"] = stage.write_csv(
            "forecasts", measurement.forecast_rows(tl, stream(seed, "forecasts")))
        rows["pilots"] = stage.write_csv("pilots", measurement.pilot_rows(tl))
        rows["measurement_methods"] = stage.write_csv("measurement_methods",
                                                      measurement.method_rows(tl))
        participants, nudges, shares = people.advocacy(staff, stream(seed, "advocacy"), tl)
        rows["advocacy_participants"] = stage.write_csv("advocacy_participants", participants)
        rows["advocacy_nudges"] = stage.write_csv("advocacy_nudges", nudges)
        rows["advocacy_shares"] = stage.write_csv("advocacy_shares", shares)
        rows["alert_reviews"] = stage.write_csv("alert_reviews", registry.alert_review_rows(tl))
        stage.write_marker({"customers": customers, "seed": seed, "latest": latest.isoformat(),
                            "format": DEMO_FORMAT})
    ordered = {name: rows[name] for name in TABLE_NAMES}
    return DemoSummary(out, ordered, time.perf_counter() - started)


def demo_format(folder: Path) -> int | None:
    """The format of the demo written in `folder` (None: no demo, or one older than formats)."""
    try:
        return json.loads((Path(folder) / MARKER).read_text(encoding="utf-8")).get("format")
    except (OSError, ValueError):
        return None


def _customers(stage: Staging, customers: int, seed: int, tl: Timeline) -> tuple[int, dict]:
    """Write the weekly snapshots one at a time, keeping the category codes journey audiences need."""
    base = CustomerBase(customers, stream(seed, "customers"), tl, stream(seed, "screening"))
    keep = frozenset(range(SNAPSHOTS))  # audiences are exported every week
    views, total = {}, 0
    for snap in base.snapshots(keep):
        folder = f"customers/snapshot_date={tl.snapshot_dates[snap.index].isoformat()}"
        total += stage.write_parquet("customers", snap.table, f"{folder}/part-0.parquet",
                                     without=("snapshot_date",))
        if snap.view is not None:
            views[snap.index] = snap.view
    return total, views


def _content(customers: int, seed: int, staff: tuple, tl: Timeline) -> tuple[pa.Table, pa.Table, pa.Table]:
    """Regular items (about one per customer, and growth's surge in the latest week) and the
    planted incidents, with their trails, and the claims register of the regular items."""
    count = max(customers, MIN_ITEMS)
    items = content.generate(count, staff, stream(seed, "content"), tl)
    workflow.plan(items, staff, stream(seed, "workflow"), tl)
    # The surge is planned on its own, so the regular items and their planted faults stay as they were.
    surge = voice.surge(count, staff, stream(seed, "surge"), tl)
    workflow.plan(surge, staff, stream(seed, "surge-workflow"), tl, plant=False)
    items = content.merge(items, surge)
    credibility.mark_claims(items, stream(seed, "claims"), tl)
    voice.write(items, stream(seed, "voice"), tl)
    claims = credibility.claim_table(items, staff, stream(seed, "claim-register"), tl)
    regular = content.content_table(items, staff, tl, voice.TEXTS)
    table = pa.concat_tables([regular, incidents.items_table(tl, regular.schema)])
    trail = pa.concat_tables([workflow.event_table(items, staff, stream(seed, "audit"), tl),
                              incidents.events_table(tl)])
    numbers = pc.cast(pa.array(np.arange(1, trail.num_rows + 1)), pa.string())
    width = max(8, len(str(trail.num_rows)))
    ids = pc.binary_join_element_wise("EV-", pc.utf8_lpad(numbers, width, "0"), "")
    return table, trail.add_column(0, "event_id", ids), claims
