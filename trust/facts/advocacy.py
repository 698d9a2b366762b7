"""Advocacy facts: the programme's weekly nudges, its participants and the posts they shared."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from trust.facts.model import Family, Request

if TYPE_CHECKING:
    from trust.facts.collector import Collector


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


def collect(collector: Collector, request: Request) -> dict[date, AdvocacyFacts]:
    """The whole programme, the same for every date (each check counts up to its own date)."""
    nudges = tuple(Nudge(**r) for r in collector.rows("advocacy_nudges"))
    participants = tuple(Participant(**r) for r in collector.rows("advocacy_participants"))
    shares = tuple(Share(**r) for r in collector.rows("advocacy_shares"))
    return {d: AdvocacyFacts(d, nudges, participants, shares) for d in request.days}


ADVOCACY = Family("advocacy", tables=("advocacy_nudges", "advocacy_participants", "advocacy_shares"), grain="date",
                  collect=collect)
