"""Credibility facts (the playbook's layer 4): claims and their evidence, brand incidents, suspected fake users.

Each comes from an optional register (EXTRACTS.md). Unlike other optional tables, an absent
register is not "no records": the facts say it is missing, so the checks are not assessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from trust.facts.calendar import Cell, day_end
from trust.facts.model import Family, Request
from trust.facts.preflight import flag_members, judgeable

if TYPE_CHECKING:
    from trust.facts.collector import Collector

# Each rule of credibility.claims_substantiated (a flag of claim_flags), failing ones first.
CLAIM_FAILS = ("no_claim", "no_evidence", "not_approved", "expired_at_publication")
CLAIM_WARNS = ("old_evidence", "expired_since", "expiring")
NAMED = 3  # rows a summary names


@dataclass(frozen=True)
class ClaimRow:
    """A claims register row (or its absence) of a published item that fails or warns, and why."""

    item_id: str
    claim_id: str | None
    claim_type: str | None
    claim_text: str | None
    evidence_url: str | None
    evidence_kind: str | None
    evidence_date: date | None
    expires_on: date | None
    reviewed_by: str | None
    reviewer_role: str | None
    approved_at: datetime | None
    published_at: datetime | None
    owner: str | None
    team: str | None
    failing: bool
    problem: str


@dataclass(frozen=True)
class ClaimFacts:
    as_of: date
    register: bool  # the claims table was exported
    column: bool  # content_items carries makes_claim
    items: int = 0  # published items that make a claim
    failing: int = 0
    warning: int = 0
    rules: Mapping[str, int] = field(default_factory=dict)  # items breaking each rule
    problems: tuple[ClaimRow, ...] = ()  # the first failing, then warning, rows


@dataclass(frozen=True)
class Incident:
    incident_id: str
    kind: str | None
    channel: str | None
    severity: str | None
    detected_at: datetime | None
    contained_at: datetime | None
    resolved_at: datetime | None
    owner: str | None


@dataclass(frozen=True)
class IncidentFacts:
    as_of: date
    register: bool  # the brand_incidents table was exported
    incidents: tuple[Incident, ...] = ()  # detected in the window up to the date, or still open at it


@dataclass(frozen=True)
class FakeWeek:
    """A snapshot's new customers (absent from the snapshot before) and how many are flagged or unscreened."""

    snapshot_date: date
    previous: date
    new_customers: int
    flagged: int
    unscreened: int

    @property
    def share(self) -> float | None:
        return self.flagged / self.new_customers if self.new_customers else None


@dataclass(frozen=True)
class FakeJourney:
    """A scheduled or live journey whose audience holds suspected fakes."""

    journey_id: str
    name: str | None
    team: str | None
    owner: str | None
    status: str | None
    suspects: int


@dataclass(frozen=True)
class FakeFacts:
    as_of: date
    column: bool  # customers carries suspected_fake
    week: FakeWeek | None = None  # the snapshot current at the date against the one before it
    weeks: tuple[FakeWeek, ...] = ()  # every snapshot up to the date
    journeys: tuple[FakeJourney, ...] = ()
    audiences_judged: bool = True  # audiences are known as of the date (see pre-flight)


def collect_claims(collector: Collector, request: Request) -> dict[Cell, ClaimFacts]:
    """Each cell's published claim items, counted by rule, with the first rows that fail or warn."""
    register = collector.ok("claims")
    column = collector.extracts.table("content_items").has("makes_claim")
    if not column:
        return {c: ClaimFacts(c.as_of, register, False) for c in request.cells}
    settings = collector.settings
    days = request.days
    collector.build("claim_settings", {"ends": [day_end(d) for d in days],
                                       "roles": [r.lower() for r in settings.claim_reviewer_roles],
                                       "max_months": settings.claim_evidence_max_months,
                                       "warn_days": settings.claim_expiry_warn_days})
    collector.build("claim_flags")
    counts = collector.rows("claim_counts")
    people = collector.directory()
    problems: dict[tuple[date, str | None], list[ClaimRow]] = {}
    # At least the first few rows of every cell, so its summary can name them whatever evidence is asked for.
    for r in collector.rows("claim_problems", {"limit": max(collector.evidence_limit, NAMED)}):
        problems.setdefault((r["as_of"], r["team"]), []).append(ClaimRow(
            **{k: r[k] for k in ClaimRow.__dataclass_fields__ if k not in ("owner", "reviewed_by")},
            owner=people.display(r["owner"]), reviewed_by=people.display(r["reviewed_by"])))
    facts = {}
    for cell in request.cells:
        mine = [r for r in counts if r["as_of"] == cell.as_of and (cell.team is None or r["team"] == cell.team)]
        # Failing rows first, then the latest published, as claim_problems orders them within a team.
        rows = sorted((p for (day, team), found in problems.items()
                       if day == cell.as_of and (cell.team is None or team == cell.team) for p in found),
                      key=lambda p: (not p.failing, -(p.published_at.timestamp() if p.published_at else 0),
                                     p.item_id, p.claim_id or ""))
        facts[cell] = ClaimFacts(cell.as_of, register, True, sum(r["items"] for r in mine),
                                 sum(r["failing"] for r in mine), sum(r["warning"] for r in mine),
                                 {k: sum(r[k] for r in mine) for k in (*CLAIM_FAILS, *CLAIM_WARNS)},
                                 tuple(rows[:max(collector.evidence_limit, NAMED)]))
    return facts


def collect_incidents(collector: Collector, request: Request) -> dict[date, IncidentFacts]:
    """The incidents each date judges: detected in the window up to it, or detected by it and still open. An
    incident with no detection time is judged unless it was resolved before the window (and so detected before
    it): nothing shows it was detected outside the window."""
    if not collector.ok("brand_incidents"):
        return {d: IncidentFacts(d, False) for d in request.days}
    people = collector.directory()
    log = [Incident(**{**r, "owner": people.display(r["owner"])}) for r in collector.rows("brand_incidents")]
    window = timedelta(days=collector.settings.incident_window_days)
    facts = {}
    for day in request.days:
        end = day_end(day)
        facts[day] = IncidentFacts(day, True, tuple(i for i in log if _judged(i, end, window)))
    return facts


def _judged(incident: Incident, end: datetime, window: timedelta) -> bool:
    """Whether the date ending at `end` judges the incident: detected in the window or still open; with no
    detection time, unless it was resolved before the window (it was detected before that too)."""
    if incident.detected_at is None:
        return incident.resolved_at is None or incident.resolved_at >= end - window
    return incident.detected_at < end and (incident.detected_at >= end - window or incident.resolved_at is None
                                           or incident.resolved_at >= end)


def collect_fakes(collector: Collector, request: Request) -> dict[date, FakeFacts]:
    """The share of new customers flagged as suspected fakes, week by week, and the journeys holding any."""
    if not collector.extracts.table("customers").has("suspected_fake"):
        return {d: FakeFacts(d, False) for d in request.days}
    weeks = tuple(FakeWeek(**r) for r in collector.rows("fake_weeks"))
    days, snapshots = collector.pairs(d for d in request.days if judgeable(collector, d))
    held: dict[date, list[dict]] = {}
    if days and collector.ok("journeys") and collector.ok("journey_audience"):
        flag_members(collector, days, snapshots, None)
        for r in collector.rows("fake_audience"):
            held.setdefault(r["as_of"], []).append(r)
    journeys = {}
    if held:
        people = collector.directory()
        journeys = {j["journey_id"]: j for j in collector.rows("journeys_in_scope", {"team": None, "journey": None})}
        journeys = {k: {**j, "owner": people.display(j["owner"])} for k, j in journeys.items()}
    current = dict(zip(days, snapshots, strict=True))
    facts = {}
    for day in request.days:
        upto = tuple(w for w in weeks if w.snapshot_date <= day)
        snapshot = current.get(day) or next((w.snapshot_date for w in reversed(upto)), None)
        found = tuple(FakeJourney(r["journey_id"], journeys[r["journey_id"]]["name"],
                                  journeys[r["journey_id"]]["team"], journeys[r["journey_id"]]["owner"],
                                  journeys[r["journey_id"]]["status"], r["suspects"])
                      for r in held.get(day, ()) if r["journey_id"] in journeys)
        facts[day] = FakeFacts(day, True, next((w for w in upto if w.snapshot_date == snapshot), None), upto,
                               found, day in current)
    return facts


CLAIMS = Family("claims", tables=("content_items",), grain="cell", collect=collect_claims)
INCIDENTS = Family("incidents", tables=(), grain="date", collect=collect_incidents)
FAKES = Family("fakes", tables=("customers",), grain="date", collect=collect_fakes)
