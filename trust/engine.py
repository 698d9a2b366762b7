"""The engine: collect facts for every (as-of, team) cell in one pass, judge each check, score the stack."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from trust.anomalies import Rules, SharePoint
from trust.anomalies import share_series as anomaly_share_series
from trust.checks.model import Check, Evidence, Result, Status, Verdict
from trust.checks.registry import CHECKS
from trust.collect import Cell, Collector, current_snapshot, day_end
from trust.db import Database, sql
from trust.facts import Anomaly, ApprovalSlice, ContentCounts, JourneyPreflight, State
from trust.loader import BROKEN, Extracts
from trust.pilots import proven_pilots
from trust.preflight import journey_status
from trust.scoring import LayerScore, Readiness, layer_scores, readiness
from trust.settings import Settings
from trust.signal_scores import FieldScore, field_scores, overall, uniqueness

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Evaluation:
    """Every check as of one date for one team (or all), with the figures the pages show."""

    as_of: date
    team: str | None
    snapshot: date | None
    results: tuple[Result, ...]
    readiness: Readiness
    layers: tuple[LayerScore, ...]
    signal_scores: tuple[FieldScore, ...] = ()
    signal_score: float | None = None
    uniqueness: float | None = None
    journeys: tuple[tuple[JourneyPreflight, Status], ...] = ()
    anomalies: tuple[Anomaly, ...] = ()
    content: ContentCounts | None = None
    approval_breakdown: tuple[ApprovalSlice, ...] = ()
    proven_pilots: tuple[str, ...] = ()

    def result(self, check_id: str) -> Result:
        return next(r for r in self.results if r.id == check_id)

    @property
    def approval(self) -> dict[str, object]:
        c = self.content
        if c is None:
            return {"rate": None, "requiring_approval": None, "compliant": None}
        return {"rate": c.compliant / c.requiring if c.requiring else None,
                "requiring_approval": c.requiring, "compliant": c.compliant,
                "by": {dimension: [{"value": s.value, "requiring_approval": s.requiring, "compliant": s.compliant,
                                    "rate": s.rate} for s in self.approval_breakdown if s.dimension == dimension]
                       for dimension in ("week", "team", "channel", "context")}}


def default_as_of(db: Database, extracts: Extracts) -> date:
    """The latest customer snapshot; today (UTC) when no snapshot can be read."""
    if extracts.table("customers").ok:
        latest = db.query(extracts, "customer_snapshots")
        if latest:
            return latest[-1][0]
    return datetime.now(UTC).date()


def snapshots(db: Database, extracts: Extracts) -> tuple[date, ...]:
    if not extracts.table("customers").ok:
        return ()
    return tuple(r[0] for r in db.query(extracts, "customer_snapshots"))


def teams(db: Database, extracts: Extracts, settings: Settings) -> tuple[str, ...]:
    with db.cursor(extracts) as cursor:
        return Collector(db, extracts, settings, cursor).teams()


def evaluate(db: Database, extracts: Extracts, settings: Settings, as_of: date | None = None,
             team: str | None = None, evidence_limit: int = 50, state: State | None = None) -> Evaluation:
    """The whole catalogue as of `as_of` (default: the latest snapshot) for `team` (None = all)."""
    cell = Cell(as_of or default_as_of(db, extracts), team)
    return evaluate_cells(db, extracts, settings, [cell], {cell}, evidence_limit, state, figures=True)[cell]


def trend(db: Database, extracts: Extracts, settings: Settings, weeks: int = 8, until: date | None = None,
          team: str | None = None, state: State | None = None, figures: bool = False) -> tuple[Evaluation, ...]:
    """The catalogue as of `until` and the snapshots before it, `weeks` dates in all, in one pass.

    Without `figures` only what the checks need is collected; with it, also the page figures.
    """
    until = until or default_as_of(db, extracts)
    days = [s for s in snapshots(db, extracts) if s < until][-(weeks - 1):] if weeks > 1 else []
    cells = [Cell(d, team) for d in [*days, until]]
    evaluated = evaluate_cells(db, extracts, settings, cells, set(), 0, state, figures)
    return tuple(evaluated[c] for c in cells)


def by_team(db: Database, extracts: Extracts, settings: Settings, as_of: date, team_names: Iterable[str],
            state: State | None = None) -> dict[str, Evaluation]:
    """The catalogue for each team as of one date, computed in one pass (the team-by-check grid)."""
    cells = [Cell(as_of, t) for t in team_names]
    evaluated = evaluate_cells(db, extracts, settings, cells, set(), 0, state)
    return {c.team: evaluated[c] for c in cells}


@dataclass(frozen=True)
class Gate:
    """One journey's pre-flight as a go-live gate: its status, every failing member, or why it
    cannot be judged (then it never passes)."""

    journey: JourneyPreflight | None
    status: Status
    failures: Evidence | None = None
    reason: str | None = None
    latest: date | None = None


def preflight_journey(db: Database, extracts: Extracts, settings: Settings, journey_id: str,
                      as_of: date | None = None) -> Gate | None:
    """One journey's pre-flight, whatever its status, with every failing member; None if unknown."""
    for name in _FAMILY_TABLES["preflight"]:
        if not extracts.table(name).ok:
            raise TableUnavailable(extracts.table(name))
    cell = Cell(as_of or default_as_of(db, extracts))
    with db.cursor(extracts) as cursor:
        collector = Collector(db, extracts, settings, cursor, evidence_limit=10**9)
        if not collector.rows("journeys_in_scope", {"team": None, "journey": journey_id}):
            return None
        facts = collector.preflight([cell], {cell}, journey=journey_id)[cell]
    if facts.reason:
        return Gate(None, Status.NOT_ASSESSED, reason=facts.reason, latest=facts.latest)
    journey = facts.journeys[0]
    return Gate(journey, journey_status(journey, settings), facts.failures)


def facts(db: Database, extracts: Extracts, settings: Settings, family: str, as_of: date,
          team: str | None = None):
    """One family of facts (measurement, people, advocacy...) for one date and team, for the pages."""
    for name in _FAMILY_TABLES.get(family, ()):
        if not extracts.table(name).ok:
            raise TableUnavailable(extracts.table(name))
    cell = Cell(as_of, team)
    with db.cursor(extracts) as cursor:
        collector = Collector(db, extracts, settings, cursor)
        found = {
            "measurement": lambda: collector.measurement([cell])[cell],
            "people": lambda: collector.people([cell])[cell],
            "advocacy": lambda: collector.advocacy([as_of])[as_of],
        }[family]()
    return found


def share_series(db: Database, extracts: Extracts, settings: Settings) -> tuple[SharePoint, ...]:
    """Each watched value's share per snapshot with its baseline band, for the anomaly timeline."""
    for name in _FAMILY_TABLES["anomalies"]:
        if not extracts.table(name).ok:
            raise TableUnavailable(extracts.table(name))
    with db.cursor(extracts) as cursor:
        collector = Collector(db, extracts, settings, cursor)
        return anomaly_share_series(collector.value_counts(), collector.watched_fields(), Rules.of(settings))


def crisis_items(db: Database, extracts: Extracts, settings: Settings, as_of: date,
                 team: str | None = None) -> list[tuple]:
    """Every crisis item published in the window up to a date: (item_id, hours to publish, approved)."""
    for name in _FAMILY_TABLES["content"]:
        if not extracts.table(name).ok:
            raise TableUnavailable(extracts.table(name))
    db.materialise(extracts, "item_facts")
    with db.cursor(extracts) as cursor:
        result = cursor.execute(sql("crisis_items"), {
            "end": day_end(as_of), "team": team, "crisis_hours": settings.crisis_max_median_hours,
            "crisis_days": settings.crisis_window_days, "all": True, "limit": 100_000})
        columns = [d[0] for d in result.description]
        rows = [dict(zip(columns, r, strict=True)) for r in result.fetchall()]
    return sorted(((r["item_id"], r["hours_to_publish"], r["approved"]) for r in rows), key=lambda r: r[0])


def item_trail(db: Database, extracts: Extracts, item_id: str) -> tuple[dict | None, list[dict]]:
    """One content item's facts (rule, approvals summary) and its audit events, oldest first."""
    for name in _FAMILY_TABLES["content"]:
        if not extracts.table(name).ok:
            raise TableUnavailable(extracts.table(name))
    db.materialise(extracts, "item_facts")
    with db.cursor(extracts) as cursor:
        result = cursor.execute(sql("item_fact"), {"item": item_id})
        columns = [d[0] for d in result.description]
        found = result.fetchall()
        events = cursor.execute(sql("item_events"), {"item": item_id})
        event_columns = [d[0] for d in events.description]
        trail = [dict(zip(event_columns, r, strict=True)) for r in events.fetchall()]
    return (dict(zip(columns, found[0], strict=True)) if found else None), trail


class TableUnavailable(Exception):
    """A table an operation needs did not load; the message is its first contract error."""

    def __init__(self, table) -> None:
        first = table.errors[0] if table.errors else f"{table.name} is not available"
        super().__init__(str(first))
        self.table = table


FAMILY_DAYS = {"signal", "anomalies", "advocacy"}  # organisation-wide: collected per date, not per team


def evaluate_cells(db: Database, extracts: Extracts, settings: Settings, cells: list[Cell],
                   evidence_cells: set[Cell], evidence_limit: int = 50, state: State | None = None,
                   figures: bool = False) -> dict[Cell, Evaluation]:
    """Every check for every cell, each fact query run once for all cells.

    `figures` adds what only the pages show (field scores, pre-flight and approval figures
    even where their check cannot be judged); the checks themselves never need it.
    """
    days = sorted({c.as_of for c in cells})
    with db.cursor(extracts) as cursor:
        collector = Collector(db, extracts, settings, cursor, evidence_limit)
        wanted = {c.facts for c in CHECKS if _ready(c, extracts)}
        wanted |= {"signal", "preflight", "content"} if figures else set()
        builders = {
            "signal": lambda: collector.signal(days, {c.as_of for c in evidence_cells}),
            "preflight": lambda: collector.preflight(cells, evidence_cells),
            "anomalies": lambda: collector.anomalies(days, state),
            "content": lambda: collector.content(cells, evidence_cells),
            "measurement": lambda: collector.measurement(cells),
            "people": lambda: collector.people(cells),
            "advocacy": lambda: collector.advocacy(days),
            "assessment": lambda: collector.assessment(cells, state),
        }
        facts: dict[str, dict] = {}
        failures: dict[str, str] = {}
        for family, build in builders.items():
            if family not in wanted or not _family_ready(family, extracts):
                continue
            try:
                facts[family] = build()
            except Exception as exc:  # one family's failure must not blank the others
                log.exception("collecting %s facts failed", family)
                failures[family] = f"the {family} facts could not be computed: {_first_line(exc)}"
    return {cell: _evaluation(cell, extracts, settings, facts, failures) for cell in cells}


_FAMILY_TABLES = {
    "signal": ("field_registry",),
    "preflight": ("journeys", "journey_audience", "customers", "field_registry"),
    "anomalies": ("customers", "field_registry"),
    "content": ("content_items", "audit_events", "decision_rights", "staff"),
    "people": ("staff", "training"),
    "advocacy": ("advocacy_nudges", "advocacy_participants", "advocacy_shares"),
}


def _family_ready(family: str, extracts: Extracts) -> bool:
    return all(extracts.table(t).ok for t in _FAMILY_TABLES.get(family, ()))


def _ready(check: Check, extracts: Extracts) -> bool:
    return not any(extracts.table(t).status == BROKEN for t in check.tables)


def _evaluation(cell: Cell, extracts: Extracts, settings: Settings, facts: dict[str, dict],
                failures: dict[str, str]) -> Evaluation:
    results = tuple(_judge(check, cell, extracts, settings, facts, failures) for check in CHECKS)
    measured = facts.get("measurement", {}).get(cell)
    proven = proven_pilots(measured.pilots, cell.as_of) if measured else ()
    signal = facts.get("signal", {}).get(cell.as_of)
    scores = field_scores(signal) if signal else ()
    preflight = facts.get("preflight", {}).get(cell)
    anomalies = facts.get("anomalies", {}).get(cell.as_of)
    content = facts.get("content", {}).get(cell)
    snaps = anomalies.snapshots if anomalies else ()
    recent = set(sorted(snaps)[-settings.anomaly_lookback_snapshots:])
    return Evaluation(
        as_of=cell.as_of, team=cell.team,
        snapshot=signal.snapshot if signal else current_snapshot(snaps, cell.as_of),
        results=results, readiness=readiness(results, proven), layers=layer_scores(results),
        signal_scores=scores, signal_score=overall(scores), uniqueness=uniqueness(signal) if signal else None,
        journeys=tuple((j, journey_status(j, settings)) for j in preflight.journeys) if preflight else (),
        anomalies=tuple(a for a in anomalies.anomalies if a.snapshot_date in recent) if anomalies else (),
        content=content.counts if content else None,
        approval_breakdown=content.breakdown if content else (),
        proven_pilots=proven,
    )


def _judge(check: Check, cell: Cell, extracts: Extracts, settings: Settings, facts: dict[str, dict],
           failures: dict[str, str]) -> Result:
    scope = "team" if check.team_scoped and cell.team is not None else "organisation"
    broken = [extracts.table(t) for t in check.tables if extracts.table(t).status == BROKEN]
    if broken:
        first = broken[0].errors[0] if broken[0].errors else None
        more = sum(len(t.errors) for t in broken) - 1
        message = (f"Cannot be judged: {first}" if first else f"Cannot be judged: {broken[0].name} is broken")
        message += f" (and {more} more contract error{'s' if more != 1 else ''})" if more > 0 else ""
        return Result.of(check, Verdict(Status.ERROR, message, metrics={"broken_tables": [t.name for t in broken]}),
                         scope)
    if check.facts in failures:
        return Result.of(check, Verdict(Status.ERROR, failures[check.facts]), scope)
    family = facts.get(check.facts, {})
    found = family.get(cell.as_of if check.facts in FAMILY_DAYS else cell)
    if found is None:
        return Result.of(check, Verdict(Status.ERROR, f"No {check.facts} facts were collected."), scope)
    try:
        return Result.of(check, check.evaluate(found, settings), scope)
    except Exception as exc:  # a bug in one check becomes an error result, never a blank dashboard
        log.exception("check %s failed", check.id)
        return Result.of(check, Verdict(Status.ERROR, f"The check failed: {_first_line(exc)}"), scope)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
