"""Answer facts: self-assessment answers in force as of a date, and what people recorded in the dashboard."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from trust.facts.anomalies import Review
from trust.facts.calendar import Cell, record_cutoff
from trust.facts.model import Family, Request

if TYPE_CHECKING:
    from trust.facts.collector import Collector


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


def in_force(history: tuple[Answer, ...], end: datetime, max_age_days: int) -> tuple[Answer, ...]:
    """The answer in force for each team and check just before `end`; one given more than `max_age_days`
    before `end` has expired and is marked stale (it then counts as not assessed)."""
    latest: dict[tuple[str, str], Answer] = {}
    for answer in history:
        if answer.answered_at is not None and answer.answered_at < end:
            latest[(answer.team, answer.check_id)] = answer
    oldest = end - timedelta(days=max_age_days)
    return tuple(replace(a, stale=a.answered_at < oldest) for _, a in sorted(latest.items()))


def collect(collector: Collector, request: Request) -> dict[Cell, AssessmentFacts]:
    """Each cell's self-assessment answers: those in force at the end of its date, for its team or all."""
    state = request.state
    history = state.answers if state is not None else ()
    read_at = state.read_at if state is not None else None
    latest = collector.latest()
    teams = collector.reaching_teams()
    facts = {}
    for cell in request.cells:
        mine: dict[str, tuple] = defaultdict(tuple)
        cutoff = record_cutoff(cell.as_of, latest, read_at)
        for answer in in_force(history, cutoff, collector.settings.assessment_max_age_days):
            if cell.team is None or answer.team == cell.team:
                mine[answer.check_id] += (answer,)
        facts[cell] = AssessmentFacts(cell.as_of, cell.team, dict(mine), teams, cutoff)
    return facts


ASSESSMENT = Family("assessment", tables=(), grain="cell", collect=collect)
