"""The advocacy programme over time: participants, weekly nudges and gaps, posts, sharing, evaluation."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from trust.facts.advocacy import AdvocacyFacts
from trust.settings import Settings


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def window_start(launch: date, as_of: date, settings: Settings) -> date:
    """The first day of the judged window: the `advocacy_window_weeks` weeks up to the as-of date
    (counting both ends), or the launch if later."""
    return max(launch, as_of - timedelta(weeks=settings.advocacy_window_weeks) + timedelta(days=1))


def not_approved(shares, since: date, as_of: date) -> list:
    """Shares from `since` to the as-of date whose content is not recorded as approved (empty counts)."""
    return [s for s in shares if since <= s.shared_on <= as_of and s.approved_content is not True]


@dataclass(frozen=True)
class Week:
    """One calendar week of the programme (Monday first)."""

    start: date
    nudges: tuple[str, ...]
    posts: tuple[int | None, ...]
    participants: int
    active: int  # participants who shared that week


@dataclass(frozen=True)
class Programme:
    launch: date | None
    participants: int
    target: tuple[int, int]
    weeks: tuple[Week, ...]
    # Shares not recorded as approved, up to the as-of date: (share, employee, date, state, in the window).
    unapproved: tuple[tuple[str, str | None, date, str, bool], ...]
    evaluation_from: date | None
    evaluation_to: date | None

    @property
    def missed_weeks(self) -> tuple[date, ...]:
        return tuple(w.start for w in self.weeks if not w.nudges)

    def evaluation_state(self, as_of: date) -> str:
        if self.launch is None or self.evaluation_from is None or self.evaluation_to is None:
            return "The programme has not started."
        if as_of < self.evaluation_from:
            return (f"{(self.evaluation_from - as_of).days} days until the evaluation window opens "
                    f"({self.evaluation_from.isoformat()}).")
        if as_of <= self.evaluation_to:
            return (f"In the evaluation window until {self.evaluation_to.isoformat()}: time to decide whether "
                    "to invest further.")
        return f"The evaluation window closed {(as_of - self.evaluation_to).days} days ago."


def programme(facts: AdvocacyFacts, settings: Settings) -> Programme:
    nudges = [n for n in facts.nudges if n.sent_on <= facts.as_of]
    launch = nudges[0].sent_on if nudges else None
    current = sum(1 for p in facts.participants if p.active_on(facts.as_of))
    weeks: list[Week] = []
    if launch is not None:
        start = week_start(launch)
        while start <= facts.as_of:
            end = start + timedelta(days=7)
            mine = [n for n in nudges if start <= n.sent_on < end]
            in_week = [p for p in facts.participants if p.active_on(min(end - timedelta(days=1), facts.as_of))]
            ids = {p.employee_id for p in in_week}
            sharers = {s.employee_id for s in facts.shares if start <= s.shared_on < end and s.shared_on <= facts.as_of}
            weeks.append(Week(start, tuple(n.nudge_id for n in mine), tuple(n.recommended_posts for n in mine),
                              len(in_week), len(sharers & ids)))
            start = end
    start = window_start(launch, facts.as_of, settings) if launch else facts.as_of
    unapproved = tuple((s.share_id, s.employee_id, s.shared_on,
                        "not approved" if s.approved_content is False else "approval not recorded",
                        s.shared_on >= start) for s in not_approved(facts.shares, date.min, facts.as_of))
    return Programme(
        launch, current, (settings.advocacy_target_min, settings.advocacy_target_max), tuple(weeks), unapproved,
        add_months(launch, settings.advocacy_evaluation_months_min) if launch else None,
        add_months(launch, settings.advocacy_evaluation_months_max) if launch else None,
    )
