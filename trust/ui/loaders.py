"""The app's cached loaders: every computed result, cached on a key of all its inputs (extracts, settings,
state revision, week and team), so a rerun recomputes nothing that did not change. Kept as resources: a rerun
gets the very object (read-only: frozen dataclasses, tuples); a data cache unpickled a copy each time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import streamlit as st

from trust import engine, lookups
from trust.extracts.inventory import Inventory, take_inventory
from trust.facts.advocacy import ADVOCACY
from trust.facts.anomalies import SharePoint
from trust.facts.answers import State
from trust.facts.calendar import Cell, day_end
from trust.facts.collector import Collector
from trust.facts.credibility import CLAIMS, FAKES, INCIDENTS, ClaimFacts
from trust.facts.measurement import MEASUREMENT
from trust.facts.model import Family, Request
from trust.facts.people import PEOPLE
from trust.state import assessments
from trust.state.actions import Action
from trust.state.actions import actions as stored_actions
from trust.ui.session import TTL, Key, opened, state_store
from trust.ui.weeks import EVIDENCE_LIMIT, weeks
from trust.views.actions import day_in_view
from trust.views.markdown import markdown_text
from trust.views.news import WhatChanged, gather
from trust.views.trail import TrailStep, explain

if TYPE_CHECKING:
    from trust.ui.frame import Frame

LAYER_WEEKS = 8  # the layer-score history of the Overview and the checklist
STATUS_WEEKS = 12  # the status history of the check detail and signal-quality pages


@st.cache_resource(show_spinner=False, ttl=TTL, max_entries=16)
def _state(path: str, key_path: str, revision: int) -> State:
    return assessments.state(state_store(path, key_path))


def state(f: Frame) -> State:
    """What people recorded in the dashboard, as of the store revision the frame read."""
    return _state(str(f.config.state.resolve()), str(f.config.audit_key_file.resolve()), f.revision)


@st.cache_resource(show_spinner=False, ttl=TTL, max_entries=16)
def _actions(path: str, key_path: str, revision: int) -> tuple[Action, ...]:
    return stored_actions(state_store(path, key_path))


def actions(f: Frame) -> tuple[Action, ...]:
    """Every action, as of the store revision the frame read."""
    return _actions(str(f.config.state.resolve()), str(f.config.audit_key_file.resolve()), f.revision)


@st.cache_resource(show_spinner=False, ttl=TTL, max_entries=16)
def _verification(path: str, key_path: str, revision: int) -> str | None:
    result = assessments.verify(state_store(path, key_path))
    return None if result.ok else str(result)


def verification(f: Frame) -> str | None:
    """None when the audit log verifies, else what breaks it."""
    return _verification(str(f.config.state.resolve()), str(f.config.audit_key_file.resolve()), f.revision)


@st.cache_resource(show_spinner="Reading the extracts…", ttl=TTL, max_entries=8)
def inventory(key: Key) -> Inventory:
    db, extracts, _ = opened(key)
    return take_inventory(db, extracts)


@st.cache_resource(show_spinner=False, ttl=TTL, max_entries=8)
def teams(key: Key) -> tuple[str, ...]:
    db, extracts, config = opened(key)
    return lookups.teams(db, extracts, config)


def _earlier(f: Frame) -> list[date]:
    """The snapshots before the chosen week, oldest first."""
    return sorted(w for w in f.weeks if w < f.week)


def _span(f: Frame, count: int) -> list[date]:
    """The chosen week and the snapshots before it, `count` in all, oldest first."""
    return [*_earlier(f)[-(count - 1):], f.week] if count > 1 else [f.week]


def this_week(f: Frame, span: int = 2) -> tuple[engine.Evaluation, engine.Evaluation | None]:
    """The chosen week's evaluation (with its failing records) and the previous snapshot's, for deltas.
    A page that shows `span` weeks (a history) names them, so all are computed in the first pass."""
    days = _span(f, 2)
    found = weeks(f.key, f.team, state(f)).get(days, f.week, also=_span(f, span))
    return found[-1], found[0] if len(found) > 1 else None


def evaluation(f: Frame, span: int = 2) -> engine.Evaluation:
    return this_week(f, span)[0]


def history(f: Frame, count: int = STATUS_WEEKS) -> tuple[engine.Evaluation, ...]:
    """The chosen week and the snapshots before it, `count` in all, oldest first; those already computed
    (the page's span, the weeks of other pages) are not computed again."""
    return weeks(f.key, f.team, state(f)).get(_span(f, count), f.week)


@st.cache_resource(show_spinner="Computing every team…", ttl=TTL, max_entries=32)
def _grid(key: Key, week: date, teams: tuple[str, ...], _recorded: State) -> dict[str, engine.Evaluation]:
    db, extracts, config = opened(key)
    return engine.by_team(db, extracts, config, week, teams, _recorded)


def grid(f: Frame) -> dict[str, engine.Evaluation]:
    """Every team's evaluation of the chosen week (the team-by-check grid)."""
    return _grid(f.key, f.week, f.teams, state(f))


@st.cache_resource(show_spinner=False, ttl=TTL, max_entries=64)
def _facts(key: Key, family: str, week: date, team: str | None, _family: Family):
    # `family` (the name) is hashed; `_family` is the object it names.
    db, extracts, config = opened(key)
    return lookups.facts(db, extracts, config, _family, week, team)


@st.cache_resource(show_spinner=False, ttl=TTL, max_entries=8)
def _shares(key: Key) -> tuple[SharePoint, ...]:
    db, extracts, config = opened(key)
    return lookups.share_series(db, extracts, config)


@st.cache_resource(show_spinner=False, ttl=TTL, max_entries=32)
def _crisis(key: Key, week: date, team: str | None) -> tuple[tuple, ...]:
    db, extracts, config = opened(key)
    return tuple(lookups.crisis_items(db, extracts, config, week, team))


@st.cache_resource(show_spinner=False, ttl=TTL, max_entries=64)
def _trail(key: Key, item_id: str, week: date) -> tuple[dict | None, tuple[TrailStep, ...]]:
    db, extracts, _ = opened(key)
    item, events = lookups.item_trail(db, extracts, item_id)
    return item, (explain(item, events, day_end(week)) if item else ())


def guarded(load: Callable[[], object], what: str):
    """Run a loader; a table that did not load becomes a named error on this section only."""
    try:
        return load()
    except lookups.TableUnavailable as exc:
        st.error(f"{what} cannot be shown: {markdown_text(exc)}", icon="⛔")
        return None


def required(load: Callable[[], object], what: str):
    """Run a loader a whole page needs; a table that did not load is named and the page stops there."""
    found = guarded(load, what)
    if found is None:
        st.stop()
    return found


def measurement(f: Frame):
    """The chosen team's pilots, forecasts and methods; the page stops on a table that did not load."""
    return required(lambda: _facts(f.key, MEASUREMENT.name, f.week, f.team, MEASUREMENT), "Measurement")


def staff(f: Frame) -> tuple:
    """Every member of staff (action owners are chosen from them, and shown by name); without their courses
    when training did not load, and empty when staff did not (owners then show as recorded)."""
    try:
        return _facts(f.key, PEOPLE.name, f.week, None, PEOPLE).staff
    except lookups.TableUnavailable:
        return lookups.people(*opened(f.key))


def advocacy(f: Frame):
    """The advocacy programme; the page stops on a table that did not load."""
    return required(lambda: _facts(f.key, ADVOCACY.name, f.week, None, ADVOCACY), "The advocacy programme")


def shares(f: Frame):
    return guarded(lambda: _shares(f.key), "The anomaly timeline")


def crisis(f: Frame):
    return guarded(lambda: _crisis(f.key, f.week, f.team), "Crisis messages")


def trail(f: Frame, item_id: str):
    return guarded(lambda: _trail(f.key, item_id, f.week), "The audit trail")


def news(f: Frame) -> WhatChanged:
    """What changed since the week before the chosen one, judged as of the day in view (today on the
    latest week): from the cached evaluations, answers, actions and staff, so it costs no query."""
    current, previous = this_week(f)
    latest = f.weeks[0] if f.weeks else None
    return gather(current, previous, day=day_in_view(f.week, latest, datetime.now(UTC).date()), latest=latest,
                  state=state(f), max_age_days=f.config.assessment_max_age_days, stored_actions=actions(f),
                  staff=staff(f), by_team=lambda: grid(f))


def pack_pdf(f: Frame) -> bytes:
    """The weekly pack of the week and team in view, as `trust report` writes it; built only when the
    download is asked for (so it costs a page rerun nothing)."""
    from trust.state.assessments import state as recorded
    from trust.views import pack

    db, extracts, config = opened(f.key)
    store = state_store(str(f.config.state.resolve()), str(f.config.audit_key_file.resolve()))
    return pack.pdf(pack.assemble(db, extracts, config, f.week, f.team, recorded(store), stored_actions(store)))


@st.cache_resource(show_spinner=False, ttl=TTL, max_entries=32)
def _claims(key: Key, week: date, team: str | None) -> tuple[ClaimFacts, tuple[dict, ...] | None]:
    # Every failing or warning claim (lookups.facts keeps the first 50), and the register when it was exported.
    db, extracts, config = opened(key)
    lookups.require(CLAIMS, extracts)
    cell = Cell(week, team)
    with db.cursor(extracts) as cursor:
        collector = Collector(db, extracts, config, cursor, EVIDENCE_LIMIT)
        found = CLAIMS.collect(collector, Request((cell,)))[CLAIMS.key(cell)]
        return found, tuple(collector.rows("claims_register", {"team": team})) if collector.ok("claims") else None


def claims(f: Frame):
    """The claim facts and the claims register (None when not exported) of the week and team in view."""
    return guarded(lambda: _claims(f.key, f.week, f.team), "The claims register")


def incidents(f: Frame):
    return guarded(lambda: _facts(f.key, INCIDENTS.name, f.week, None, INCIDENTS), "The incident log")


def fakes(f: Frame):
    return guarded(lambda: _facts(f.key, FAKES.name, f.week, None, FAKES), "Suspected fake users")
