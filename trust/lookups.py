"""Reads beside the evaluation: the snapshots and teams, a journey's go-live gate, one family of facts for a
page, the anomaly timeline, the crisis messages of a week and one item's audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from trust.checks.journeys import journey_status
from trust.checks.model import Status
from trust.checks.registry import BY_ID, CHECKS
from trust.extracts.database import Database
from trust.extracts.loading import Extracts
from trust.facts.anomalies import ANOMALIES, SharePoint, timeline
from trust.facts.calendar import Cell, day_end
from trust.facts.collector import Collector
from trust.facts.content import CONTENT, build_flags
from trust.facts.model import Evidence, Family, Request
from trust.facts.people import Person
from trust.facts.preflight import PREFLIGHT, JourneyPreflight
from trust.settings import Settings


class TableUnavailable(Exception):
    """A table an operation needs did not load; the message is its first contract error."""

    def __init__(self, table) -> None:
        first = table.errors[0] if table.errors else f"{table.name} is not available"
        super().__init__(str(first))
        self.table = table


def require(family: Family, extracts: Extracts, check_id: str | None = None) -> None:
    """Stop with the first contract error of a table the family is collected from, or that the check reads
    (a family's facts may be collected over an empty stand-in of a broken table that only some checks read)."""
    tables = (*family.tables, *(BY_ID[check_id].tables if check_id else ()))
    missing = next((extracts.table(t) for t in tables if not extracts.table(t).ok), None)
    if missing is not None:
        raise TableUnavailable(missing)


def default_as_of(db: Database, extracts: Extracts) -> date:
    """The latest customer snapshot; today (UTC) when no snapshot can be read."""
    found = snapshots(db, extracts)
    return found[-1] if found else datetime.now(UTC).date()


def snapshots(db: Database, extracts: Extracts) -> tuple[date, ...]:
    if not extracts.table("customers").ok:
        return ()
    return tuple(r[0] for r in db.remembered(extracts, "customer_snapshots"))


def people(db: Database, extracts: Extracts, settings: Settings) -> tuple[Person, ...]:
    """Every member of staff, without their courses: who owners are, even when training did not load."""
    with db.cursor(extracts) as cursor:
        return Collector(db, extracts, settings, cursor).people()


def teams(db: Database, extracts: Extracts, settings: Settings) -> tuple[str, ...]:
    with db.cursor(extracts) as cursor:
        return Collector(db, extracts, settings, cursor).teams()


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
    require(PREFLIGHT, extracts)
    cell = Cell(as_of or default_as_of(db, extracts))
    listed = tuple(c.records for c in CHECKS if c.facts is PREFLIGHT and c.records is not None)
    with db.cursor(extracts) as cursor:
        collector = Collector(db, extracts, settings, cursor, evidence_limit=10**9)
        if not collector.rows("journeys_in_scope", {"team": None, "journey": journey_id}):
            return None
        facts = PREFLIGHT.collect(collector, Request((cell,), frozenset({cell}), listed), journey=journey_id)[cell]
    if facts.reason:
        return Gate(None, Status.NOT_ASSESSED, reason=facts.reason, latest=facts.latest)
    journey = facts.journeys[0]
    return Gate(journey, journey_status(journey, settings), next(iter(facts.evidence.values()), None))


def facts(db: Database, extracts: Extracts, settings: Settings, family: Family, as_of: date,
          team: str | None = None):
    """One family of facts (measurement, people, advocacy...) for one date and team, for the pages."""
    require(family, extracts)
    cell = Cell(as_of, team)
    with db.cursor(extracts) as cursor:
        collector = Collector(db, extracts, settings, cursor)
        return family.collect(collector, Request((cell,)))[family.key(cell)]


def share_series(db: Database, extracts: Extracts, settings: Settings) -> tuple[SharePoint, ...]:
    """Each watched value's share per snapshot with its baseline band, for the anomaly timeline."""
    require(ANOMALIES, extracts)
    with db.cursor(extracts) as cursor:
        return timeline(Collector(db, extracts, settings, cursor))


def crisis_items(db: Database, extracts: Extracts, settings: Settings, as_of: date,
                 team: str | None = None) -> list[tuple]:
    """Every crisis item published in the window up to a date: (item_id, hours to publish, approved)."""
    require(CONTENT, extracts, "accountability.crisis_comms")
    with db.cursor(extracts) as cursor:
        collector = Collector(db, extracts, settings, cursor)
        build_flags(collector, [as_of], listed=[as_of])
        rows = collector.rows("crisis_items", {"end": day_end(as_of), "team": team, "all": True, "limit": 100_000})
    return sorted(((r["item_id"], r["hours_to_publish"], r["approved"]) for r in rows), key=lambda r: r[0])


def item_trail(db: Database, extracts: Extracts, item_id: str) -> tuple[dict | None, list[dict]]:
    """One content item's facts (rule, approvals summary) and its audit events, oldest first."""
    require(CONTENT, extracts, "governance.approval_compliance")
    with db.cursor(extracts) as cursor:
        found = db.execute(cursor, extracts, "item_lookup", {"item": item_id})
        columns = [d[0] for d in found.description]
        item = found.fetchall()
        events = db.execute(cursor, extracts, "item_events", {"item": item_id})
        event_columns = [d[0] for d in events.description]
        trail = [dict(zip(event_columns, r, strict=True)) for r in events.fetchall()]
    return (dict(zip(columns, item[0], strict=True)) if item else None), trail

