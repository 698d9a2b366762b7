"""The weeks the pages show: each date's evaluation computed once per load, team and store revision, and
every date a page needs that is not yet computed computed in one pass.

One pass over several dates costs far less than a pass per date or per page: each family's queries
run once for all of them (issue 12: the Overview's eight weeks in one pass instead of two, then six).
A page names the dates it will show (`span`), so its first run computes them together.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import date

import streamlit as st

from trust import engine
from trust.facts.answers import State
from trust.facts.calendar import Cell
from trust.ui.session import TTL, Key, opened

EVIDENCE_LIMIT = 5_000


class Weeks:
    """The evaluations of one load, team and store revision, by date. The date listed with its failing
    records is kept apart from the same date without them; either serves a page that lists none."""

    def __init__(self, key: Key, team: str | None, recorded: State) -> None:
        self._key, self._team, self._recorded = key, team, recorded
        self._lock = threading.Lock()  # sessions asking at once wait for the one pass, not run their own
        self._done: dict[tuple[date, bool], engine.Evaluation] = {}

    def _found(self, day: date, listed: bool) -> engine.Evaluation | None:
        found = self._done.get((day, True))
        return found if found is not None or listed else self._done.get((day, False))

    def _missing(self, days: Sequence[date], listed: date | None) -> list[date]:
        return [d for d in dict.fromkeys(days) if self._found(d, d == listed) is None]

    def get(self, days: Sequence[date], listed: date | None,
            also: Sequence[date] = ()) -> tuple[engine.Evaluation, ...]:
        """The evaluations as of `days`, the one of `listed` with its failing records. Dates of `also` (those
        the page shows next) that are missing are computed in the same pass."""
        with self._lock:
            ready = not self._missing(days, listed)
        if not ready:
            with st.spinner("Computing the checks…"), self._lock:  # a second session waits under its spinner
                missing = self._missing([*days, *also], listed)
                if missing:
                    self._compute(missing, listed)
        with self._lock:
            return tuple(self._found(d, d == listed) for d in days)

    def _compute(self, missing: list[date], listed: date | None) -> None:
        db, extracts, config = opened(self._key)
        cells = [Cell(d, self._team) for d in missing]
        evidence = {c for c in cells if c.as_of == listed}
        evaluated = engine.evaluate_cells(db, extracts, config, cells, evidence, EVIDENCE_LIMIT, self._recorded,
                                          figures=True)
        for cell in cells:
            self._done[(cell.as_of, cell.as_of == listed)] = evaluated[cell]


@st.cache_resource(show_spinner=False, ttl=TTL, max_entries=64)
def weeks(key: Key, team: str | None, _recorded: State) -> Weeks:
    """The store of one load (with its settings), team and store revision; _recorded (answers and reviews)
    is not hashed: the store revision in `key` stands for it."""
    return Weeks(key, team, _recorded)
