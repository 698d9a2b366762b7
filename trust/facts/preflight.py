"""Pre-flight facts: each journey's audience as of each date, checked against the snapshot current then."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from trust.facts.calendar import Cell
from trust.facts.model import NO_HISTORY, Evidence, Family, Request

if TYPE_CHECKING:
    from trust.facts.collector import Collector

# Each pre-flight rule (a flag of preflight_flags) and what it means for a member.
RULES = {
    "not_in_snapshot": "not in the current snapshot (inconsistent IDs)",
    "no_consent": "no consent for the journey's channel",
    "not_active": "customer status is not active",
    "bad_language": "language missing, not allowed or not the journey's",
    "bad_region": "region missing or not one of the journey's regions",
    "suspected_fake": "flagged as a suspected fake user or bot",
    "stale": "a high-risk field is stale",
    "off_stage": "lifecycle stage not targeted by the journey",
}


@dataclass(frozen=True)
class JourneyPreflight:
    """One scheduled or live journey's audience against the current snapshot."""

    journey_id: str
    name: str | None
    team: str | None
    owner: str | None
    channel: str | None
    status: str | None
    audience: int
    blocking: int = 0
    warned: int = 0
    rules: Mapping[str, int] = field(default_factory=dict)
    go_live_at: datetime | None = None


@dataclass(frozen=True)
class PreflightFacts:
    as_of: date
    snapshot: date | None
    journeys: tuple[JourneyPreflight, ...]
    # The failing members, by the records query that lists them (only where they are asked for).
    evidence: Mapping[str, Evidence] = field(default_factory=dict)
    # Set when pre-flight cannot be judged as of this date (NO_HISTORY: audiences carry no
    # export date, and only today's audience is known, as of the `latest` snapshot).
    reason: str | None = None
    latest: date | None = None


def judgeable(collector: Collector, day: date) -> bool:
    """Whether pre-flight can be judged as of `day`: always with dated audience exports; without
    them only today's audience is known, so only as of the latest snapshot."""
    latest = collector.latest()
    return audiences_dated(collector) or latest is None or day >= latest


def audiences_dated(collector: Collector) -> bool:
    return collector.once("audience_history", lambda: bool(collector.rows("audience_history")[0]["dated"]))


def flag_members(collector: Collector, days: list[date], snapshots: list[date], journey: str | None) -> None:
    """Keep the audience of the journeys in scope (or of one named journey) as of each of `days`, and
    the members a pre-flight rule stops on the snapshot current then: the tables preflight_audience and
    preflight_flags, shared by every family of the evaluation that reads them. (Pre-flight is judged only
    with a readable field registry; without one, the flags that need none, such as a suspected fake,
    still stand.)"""
    readable = collector.ok("field_registry")
    language = collector.field_rules().get("language") if readable else None
    stale = [s.staleness_days for s in collector.high_risk() if s.staleness_days is not None] if readable else []
    collector.build("preflight_audience", {"as_of": days, "latest": collector.latest(), "team": None,
                                           "journey": journey})
    collector.build("preflight_flags", {
        "as_of": days, "snapshot": snapshots,
        "allowed_language": list(language.allowed) if language and language.allowed else None,
        "stale_days": min(stale) if stale else None,
    })


def collect(collector: Collector, request: Request, journey: str | None = None) -> dict[Cell, PreflightFacts]:
    """Every cell's journeys with their audience and blocked and warned members.

    The audience as of a date is each journey's latest export on or before it (EXTRACTS.md,
    journey_audience.snapshot_date). A date that cannot be judged gets facts saying why.
    """
    latest = collector.latest()
    days, snapshots = collector.pairs(c.as_of for c in request.cells if judgeable(collector, c.as_of))
    snapshot_of = dict(zip(days, snapshots, strict=True))
    counts: dict = {}
    if days:
        flag_members(collector, days, snapshots, journey)
        counts = {(r["as_of"], r["journey_id"]): r for r in collector.rows("preflight_counts")}
    people = collector.directory()
    journeys = collector.rows("journeys_in_scope", {"team": None, "journey": journey})
    facts = {}
    for cell in request.cells:
        if cell.as_of not in snapshot_of:
            facts[cell] = PreflightFacts(cell.as_of, None, (), reason=NO_HISTORY, latest=latest)
            continue
        judged = []
        for j in journeys:
            if cell.team is not None and j["team"] != cell.team:
                continue
            c = counts.get((cell.as_of, j["journey_id"]), {})
            judged.append(JourneyPreflight(
                j["journey_id"], j["name"], j["team"], people.display(j["owner"]), j["channel"], j["status"],
                c.get("audience", 0), c.get("blocking", 0), c.get("warned", 0), {k: c.get(k, 0) for k in RULES},
                j["go_live_at"]))
        found = {}
        if cell in request.evidence_cells:
            total = sum(counts.get((cell.as_of, j.journey_id), {}).get("flagged", 0) for j in judged)
            found = {r.query: collector.evidence(r.kind, r.query, total, {
                "as_of": cell.as_of, "team": cell.team, "journey": journey}) for r in request.records}
        facts[cell] = PreflightFacts(cell.as_of, snapshot_of[cell.as_of], tuple(judged), found, latest=latest)
    return facts


PREFLIGHT = Family("preflight", tables=("journeys", "journey_audience", "customers", "field_registry"), grain="cell",
                   collect=collect)
