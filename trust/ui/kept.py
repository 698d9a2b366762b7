"""Results made once per frame: the figures and tables a page would otherwise rebuild identically on every
rerun (a chart's template alone is copied on each build)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, TypeVar

import streamlit as st

from trust.ui.session import TTL, Key

if TYPE_CHECKING:
    from trust.ui.frame import Frame

T = TypeVar("T")


@st.cache_resource(show_spinner=False, ttl=TTL, max_entries=512)
def _kept(name: str, key: Key, week: date, team: str | None, extra: tuple, _build: Callable[[], T]) -> T:
    return _build()


def kept(f: Frame, name: str, build: Callable[[], T], *extra: object) -> T:
    """What `build()` makes of the frame's results (a figure, a table for the browser), made once per frame
    (extracts, settings, store revision, week, team) and `extra` (hashable), rather than on every rerun.
    `build` must read nothing else: the cache knows only those inputs."""
    return _kept(name, f.key, f.week, f.team, tuple(extra), build)
