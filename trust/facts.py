"""Typed facts the checks judge: rows collected by SQL, one family per kind of evidence."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from trust.checks.model import Evidence


@dataclass(frozen=True)
class FieldSpec:
    """One row of the field registry: how a customer field is mapped and who owns it."""

    name: str
    risk: str | None = "high"
    source: str | None = None
    owner: str | None = None
    population_method: str | None = None
    allowed: tuple[str, ...] = ()
    staleness_days: int | None = None
    last_reviewed: date | None = None
    description: str | None = None

    @property
    def high_risk(self) -> bool:
        return (self.risk or "").strip().lower() == "high"


@dataclass(frozen=True)
class FieldCounts:
    present: int
    valid: int
    fresh: int


@dataclass(frozen=True)
class SignalFacts:
    """Field counts on the snapshot current at `as_of`, with the registry that judges them."""

    as_of: date
    registry: tuple[FieldSpec, ...]
    customer_columns: tuple[str, ...]
    snapshot: date | None = None
    rows: int = 0
    distinct_ids: int = 0
    counts: Mapping[str, FieldCounts] = field(default_factory=dict)
    # The duplicated customer IDs (the first ones, with their copies) and how many there are;
    # collected only where evidence is asked for.
    duplicated: tuple[tuple[str, int], ...] = ()
    duplicated_ids: int = 0


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


@dataclass(frozen=True)
class PreflightFacts:
    as_of: date
    snapshot: date | None
    journeys: tuple[JourneyPreflight, ...]
    failures: Evidence | None = None
    # Set when pre-flight cannot be judged as of this date (NO_HISTORY: audiences carry no
    # export date, and only today's audience is known, as of the `latest` snapshot).
    reason: str | None = None
    latest: date | None = None


@dataclass(frozen=True)
class Anomaly:
    """A share (or the row count) that moved well outside its baseline in one snapshot."""

    field: str
    value: str | None
    snapshot_date: date
    share: float
    baseline: float
    deviation: float
    kind: str = "share"  # "share", "opt_out" or "row_count"


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
class ContentCounts:
    """Counts of content items as of a date, for the organisation or a team."""

    items: int = 0
    unmapped: int = 0
    unmapped_published: int = 0
    published: int = 0
    requiring: int = 0
    compliant: int = 0
    ai_published: int = 0
    audit_complete: int = 0
    provenance_missing: int = 0
    label_needed: int = 0
    label_missing: int = 0
    low_confidence: int = 0
    escalated: int = 0
    unknown_confidence: int = 0
    commitments: int = 0
    commitments_owned: int = 0
    crisis: int = 0
    crisis_approved: int = 0
    crisis_slow: int = 0
    crisis_flagged: int = 0
    crisis_median_hours: float | None = None
    # The first items (newest first) each rule finds, so summaries can name them.
    first: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class ApprovalSlice:
    """Approval compliance for one week of publication, team, channel or context."""

    dimension: str
    value: str | None
    requiring: int
    compliant: int

    @property
    def rate(self) -> float | None:
        return self.compliant / self.requiring if self.requiring else None


@dataclass(frozen=True)
class Rule:
    """One row of decision_rights: whether a channel and context may go out without a person."""

    channel: str
    context: str
    approval_required: bool | None = None
    approver_roles: tuple[str, ...] = ()
    label_required: bool | None = None


@dataclass(frozen=True)
class ContentFacts:
    as_of: date
    counts: ContentCounts
    evidence: Mapping[str, Evidence] = field(default_factory=dict)
    breakdown: tuple[ApprovalSlice, ...] = ()
    rules: tuple[Rule, ...] = ()


@dataclass(frozen=True)
class Pilot:
    pilot_id: str
    name: str | None = None
    workflow: str | None = None
    team: str | None = None
    owner: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    primary_metric: str | None = None
    primary_target: float | None = None
    primary_result: float | None = None
    supporting_metric: str | None = None
    supporting_target: float | None = None
    supporting_result: float | None = None
    risk_metric: str | None = None
    risk_limit: float | None = None
    risk_result: float | None = None
    decision: str | None = None
    # Which way is good for each metric; None = the default (higher, higher, lower).
    primary_direction: str | None = None
    supporting_direction: str | None = None
    risk_direction: str | None = None


@dataclass(frozen=True)
class Forecast:
    model_id: str
    model_name: str | None = None
    team: str | None = None
    owner: str | None = None
    period_start: date | None = None
    predicted: float | None = None
    actual: float | None = None
    tolerance: float | None = None


@dataclass(frozen=True)
class Method:
    metric: str
    kind: str | None = None
    team: str | None = None
    owner: str | None = None
    baseline_value: float | None = None
    baseline_date: date | None = None
    method: str | None = None
    documentation_url: str | None = None
    run_count: int | None = None
    last_run: date | None = None


@dataclass(frozen=True)
class MeasurementFacts:
    as_of: date
    pilots: tuple[Pilot, ...] = ()
    forecasts: tuple[Forecast, ...] = ()
    methods: tuple[Method, ...] = ()


@dataclass(frozen=True)
class Person:
    """One row of staff, with the dates of the AI-safety courses the person completed."""

    employee_id: str
    name: str | None = None
    team: str | None = None
    role: str | None = None
    uses_ai: bool | None = None
    active: bool | None = None
    ai_safety_completed: tuple[date, ...] = ()

    @property
    def label(self) -> str:
        """The name (else the ID) with the team, and whether the person has left."""
        details = [d for d in (self.team, "left" if self.active is False else None) if d]
        return (self.name or self.employee_id) + (f" ({', '.join(details)})" if details else "")


@dataclass(frozen=True)
class PeopleFacts:
    as_of: date
    staff: tuple[Person, ...]


@dataclass(frozen=True)
class Nudge:
    nudge_id: str
    sent_on: date
    recommended_posts: int | None = None
    includes_stats: bool | None = None


@dataclass(frozen=True)
class Participant:
    employee_id: str
    team: str | None = None
    joined_on: date | None = None
    left_on: date | None = None

    def active_on(self, day: date) -> bool:
        joined = self.joined_on is None or self.joined_on <= day
        return joined and (self.left_on is None or self.left_on > day)


@dataclass(frozen=True)
class Share:
    share_id: str
    employee_id: str | None
    post_id: str | None
    nudge_id: str | None
    shared_on: date
    approved_content: bool | None = None
    engagements: int | None = None


@dataclass(frozen=True)
class AdvocacyFacts:
    as_of: date
    nudges: tuple[Nudge, ...] = ()
    participants: tuple[Participant, ...] = ()
    shares: tuple[Share, ...] = ()


@dataclass(frozen=True)
class Answer:
    """A team lead's self-assessment of one check."""

    check_id: str
    team: str
    answer: str  # yes, partly, no, n/a
    comment: str | None = None
    answered_by: str | None = None
    answered_at: datetime | None = None
    stale: bool = False


@dataclass(frozen=True)
class AssessmentFacts:
    as_of: date
    team: str | None
    answers: Mapping[str, tuple[Answer, ...]] = field(default_factory=dict)
    # The teams that reach customers (content_items and journeys): each owes an answer when
    # a self-assessed check is judged for all teams.
    teams: tuple[str, ...] = ()
    # The moment answers are judged at (their age is counted up to it).
    cutoff: datetime | None = None


@dataclass(frozen=True)
class State:
    """What people recorded in the dashboard: every answer version ever given, and anomaly reviews."""

    answers: tuple[Answer, ...] = ()
    reviews: tuple[Review, ...] = ()
    read_at: datetime | None = None  # UTC: for the latest week, what is recorded up to now counts
