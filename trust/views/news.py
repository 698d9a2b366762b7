"""What changed since last week, computed once for the Overview, the pack and `trust check`'s JSON: checks
that moved, the readiness stage, new anomalies, journeys about to go live, answers expiring,
overclaims and overdue actions."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from trust import engine, lookups
from trust.checks.model import Status
from trust.checks.registry import CHECKS
from trust.engine import Evaluation
from trust.extracts.database import Database
from trust.extracts.loading import Extracts
from trust.facts.anomalies import Anomaly
from trust.facts.answers import Answer, State, in_force
from trust.facts.calendar import record_cutoff
from trust.facts.directory import Directory
from trust.facts.people import PEOPLE, Person
from trust.facts.preflight import JourneyPreflight
from trust.settings import Settings
from trust.state.actions import Action
from trust.views.actions import OVERDUE, ActionLine, action_lines
from trust.views.weekly import Changes, Overclaim, changes, overclaims

GOING_LIVE_DAYS = 7  # journeys going live within this many days of the day in view
EXPIRING_DAYS = 14  # answers that expire within this many days of the day in view


@dataclass(frozen=True)
class AnswerDue:
    """A self-assessment answer that has expired, or expires soon, as of the day in view."""

    answer: Answer
    expires_on: date

    @property
    def expired(self) -> bool:
        return self.answer.stale


@dataclass(frozen=True)
class WhatChanged:
    """The week's news against the previous snapshot's week (None: there is none)."""

    day: date
    compared_with: date | None
    moved: Changes
    new_anomalies: tuple[Anomaly, ...]
    going_live: tuple[tuple[JourneyPreflight, Status], ...]
    answers: tuple[AnswerDue, ...]
    overclaims: tuple[Overclaim, ...]
    overdue: tuple[ActionLine, ...]


def what_changed(current: Evaluation, previous: Evaluation | None, day: date, answers: Iterable[Answer],
                 max_age_days: int, overclaimed: Iterable[Overclaim], actions: Iterable[ActionLine]) -> WhatChanged:
    """The news of `current`'s week. `day` is the day in view (today on the latest week, the week's date
    before); `answers` are those in force then (expired ones marked stale), `actions` the lines in view."""
    new_anomalies = tuple(a for a in current.anomalies if previous is None or a.snapshot_date > previous.as_of)
    going_live = tuple((j, s) for j, s in current.journeys if j.go_live_at is not None
                       and day < j.go_live_at.date() <= day + timedelta(days=GOING_LIVE_DAYS))
    due = []
    for answer in answers:
        if answer.answered_at is None:
            continue
        expires_on = (answer.answered_at + timedelta(days=max_age_days)).date()
        if answer.stale or expires_on <= day + timedelta(days=EXPIRING_DAYS):
            due.append(AnswerDue(answer, expires_on))
    return WhatChanged(day, previous.as_of if previous else None, changes(current, previous), new_anomalies,
                       tuple(sorted(going_live, key=lambda js: (js[0].go_live_at, js[0].journey_id))),
                       tuple(sorted(due, key=lambda d: (d.expires_on, d.answer.team, d.answer.check_id))),
                       tuple(overclaimed), tuple(line for line in actions if line.flag == OVERDUE))


def gather(current: Evaluation, previous: Evaluation | None, *, day: date, latest: date | None,
           state: State | None, max_age_days: int, stored_actions: Iterable[Action], staff: Iterable[Person],
           by_team: Callable[[], dict[str, Evaluation]]) -> WhatChanged:
    """The news from what the dashboard recorded: answers in force for the team in view, overclaims (the
    team grid is computed only if a `yes` could be one) and the actions in view.

    `day` is the day in view: the week's date in a pack or on the command line (so a week's news
    never depends on when it is read), today on the app's latest week (`day_in_view`).
    """
    cutoff = record_cutoff(current.as_of, latest, state.read_at if state is not None else None)
    answers = tuple(a for a in (in_force(state.answers, cutoff, max_age_days) if state is not None else ())
                    if current.team is None or a.team == current.team)
    claimed = overclaims(answers, {current.team: current} if current.team else by_team()) if any(
        a.answer == "yes" and not a.stale for a in answers) else ()
    lines = action_lines(stored_actions, {c.id: c.title for c in CHECKS}, {r.id: r.status for r in current.results},
                         day, Directory(tuple(staff)).display, current.team)
    return what_changed(current, previous, day, answers, max_age_days, claimed, lines)


def for_week(db: Database, extracts: Extracts, settings: Settings, current: Evaluation, previous: Evaluation | None,
             state: State | None, stored_actions: Iterable[Action]) -> WhatChanged:
    """The news of a week as a pack or the command line shows it: judged as of the week's date."""
    try:
        staff = lookups.facts(db, extracts, settings, PEOPLE, current.as_of).staff
    except lookups.TableUnavailable:
        staff = ()  # owners then show as recorded
    found = lookups.snapshots(db, extracts)
    return gather(current, previous, day=current.as_of, latest=found[-1] if found else None, state=state,
                  max_age_days=settings.assessment_max_age_days, stored_actions=stored_actions, staff=staff,
                  by_team=lambda: engine.by_team(db, extracts, settings, current.as_of,
                                                 lookups.teams(db, extracts, settings), state))


def as_dict(news: WhatChanged) -> dict:
    """The news as `trust check --format json` prints it under "changes"."""
    moved = news.moved
    return {
        "day": news.day, "compared_with": news.compared_with,
        "stage": {"now": moved.stage[0], "before": moved.stage[1]},
        **{name: [r.id for r in results] for name, results in (
            ("new_failures", moved.new_failures), ("regressions", moved.regressions), ("fixed", moved.fixed),
            ("improved", moved.improvements), ("no_longer_assessed", moved.unassessed))},
        "not_compared": list(moved.left_out),
        "new_anomalies": [{"field": a.field, "value": a.value, "snapshot_date": a.snapshot_date, "kind": a.kind}
                          for a in news.new_anomalies],
        "going_live": [{"journey_id": j.journey_id, "name": j.name, "team": j.team, "owner": j.owner,
                        "go_live_at": j.go_live_at, "status": s.value} for j, s in news.going_live],
        "answers_expiring": [{"team": d.answer.team, "check_id": d.answer.check_id,
                              "answered_at": d.answer.answered_at, "expires_on": d.expires_on,
                              "expired": d.expired} for d in news.answers],
        "overclaims": [{"team": o.team, "check_id": o.check_id, "summary": o.summary} for o in news.overclaims],
        "overdue_actions": [{"action_id": line.action.action_id, "check_id": line.action.check_id,
                             "team": line.action.team, "owner": line.owner, "due_date": line.action.due_date}
                            for line in news.overdue],
    }
