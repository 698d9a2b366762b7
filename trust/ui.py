"""The app's cached loaders and small render helpers: the only module of trust/ that imports streamlit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from trust import engine
from trust.approvals import TrailStep, explain
from trust.charts import STATUS_STYLE
from trust.checks.model import Result, Status, percent
from trust.collect import day_end
from trust.db import Database
from trust.errors import ExtractsUnavailable
from trust.export import masked_rows, safe_csv
from trust.inventory import Inventory, freshness, take_inventory
from trust.settings import Settings, load_settings

DETAIL_PAGE = "pages/check_detail.py"
ALL_TEAMS = "all"
EVIDENCE_LIMIT = 5_000
TABLE_STATUS = {"ok": ("✅", "OK"), "broken": ("⛔", "Error"), "absent": ("➖", "Not provided")}


def _ttl() -> int:
    try:
        return load_settings().cache_ttl_seconds
    except ValidationError:
        return Settings.model_fields["cache_ttl_seconds"].default


TTL = _ttl()


def settings() -> Settings:
    """The settings in force; a bad setting stops the page with a message, not a trace."""
    try:
        return load_settings()
    except ValidationError as exc:
        error = exc.errors()[0]
        name = "TRUST_" + "_".join(str(p) for p in error["loc"]).upper()
        st.error(f"The setting `{name}` is invalid: {error['msg']}.")
        st.stop()


@st.cache_resource(show_spinner=False)
def _database(root: str, memory_limit: str, threads: int) -> Database:
    """The one DuckDB connection of this process for one extracts folder."""
    return Database(Path(root), memory_limit, threads)


def database(config: Settings) -> Database:
    """The database for the extracts in force, writing the demo on first use."""
    try:
        if config.uses_demo and not config.extracts_path.exists():
            from trust.demo import write_demo

            with st.spinner("Writing the demo extracts (first use)…"):
                write_demo(config.extracts_path)
        return _database(str(config.extracts_path.resolve()), config.memory_limit, config.threads)
    except ExtractsUnavailable as exc:
        st.error(f"The extracts cannot be read: {exc}. Point `TRUST_EXTRACTS` at a folder of extracts.")
        st.stop()


@dataclass(frozen=True)
class Frame:
    """What every page shares: the extracts in force and the week and team chosen in the sidebar."""

    config: Settings
    root: str
    fingerprint: str
    weeks: tuple[date, ...]  # newest first
    week: date
    team: str | None
    teams: tuple[str, ...]
    inventory: Inventory

    @property
    def key(self) -> tuple:
        """Every input that changes a computed result, for the caches."""
        return (self.root, self.config.memory_limit, self.config.threads, self.fingerprint,
                self.config.model_dump_json())

    @property
    def params(self) -> dict[str, str]:
        """The query parameters that keep this week and team in a link."""
        out = {"week": self.week.isoformat()} if self.weeks and self.week != self.weeks[0] else {}
        return out | ({"team": self.team} if self.team else {})


def _db(key: tuple) -> tuple[Database, engine.Extracts, Settings]:
    root, memory, threads, _, settings_json = key
    db = _database(root, memory, threads)
    return db, db.load(), Settings.model_validate_json(settings_json)


@st.cache_data(show_spinner="Reading the extracts…", ttl=TTL, max_entries=8)
def _inventory(key: tuple) -> Inventory:
    db, extracts, _ = _db(key)
    return take_inventory(db, extracts)


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=8)
def _teams(key: tuple) -> tuple[str, ...]:
    db, extracts, config = _db(key)
    return engine.teams(db, extracts, config)


def sidebar() -> Frame:
    """The shared filters (bound to the URL, so a link keeps them) and the freshness line."""
    config = settings()
    db = database(config)
    try:
        fingerprint = db.fingerprint()
    except ExtractsUnavailable as exc:
        st.error(f"The extracts cannot be read: {exc}.")
        st.stop()
    key = (str(db.root), config.memory_limit, config.threads, fingerprint, config.model_dump_json())
    inventory = _inventory(key)
    weeks = tuple(sorted((d for d, _ in inventory.snapshots), reverse=True))
    teams = _teams(key)
    with st.sidebar:
        options = [w.isoformat() for w in weeks] or [datetime.now(UTC).date().isoformat()]
        week = st.selectbox("Week (as of)", options, index=0, key="week", bind="query-params",
                            format_func=lambda w: f"{w} (latest)" if w == options[0] and weeks else w,
                            help="Every figure is computed as of the end of this day.")
        team = st.selectbox("Team", [ALL_TEAMS, *teams], index=0, key="team", bind="query-params",
                            format_func=lambda t: "All teams" if t == ALL_TEAMS else t)
        st.caption(freshness(inventory.latest_snapshot, datetime.now(UTC).date()))
        st.caption("Extracts: " + ("demo data" if config.uses_demo else f"`{config.extracts_path}`"))
        broken = [t.name for t in inventory.tables if t.errors]
        if broken:
            st.warning(f"Contract errors in {', '.join(broken)}: checks that need them show an error.", icon="⛔")
    frame = Frame(config, str(db.root), fingerprint, weeks, date.fromisoformat(week),
                  None if team in (None, ALL_TEAMS) else team, teams, inventory)
    st.session_state["_frame"] = frame
    st.session_state["_frame_live"] = True
    return frame


def frame() -> Frame:
    """The frame of this run, drawn by app.py before the page; a page run alone draws it itself."""
    if st.session_state.get("_frame_live"):
        st.session_state["_frame_live"] = False  # one page per run: the next run draws it afresh
        return st.session_state["_frame"]
    if not st.session_state.get("_rerouted"):
        # Streamlit treats a top-level pages/ folder as an old-style multipage app until the
        # entry point has called st.navigation once, so a first visit straight to a page's URL
        # runs that page alone. Switch the process to st.navigation and rerun: app.py then
        # draws the frame and routes to the same URL.
        st.session_state["_rerouted"] = True
        _use_navigation()
        st.rerun()
    drawn = sidebar()  # still alone (as under AppTest's switch_page): draw the frame here
    st.session_state["_frame_live"] = False
    return drawn


def end_of_run() -> None:
    """Called by app.py once the page has run: the next run must draw its frame afresh."""
    st.session_state["_frame_live"] = False


def _use_navigation() -> None:
    try:
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
    except (ImportError, AttributeError):  # a later Streamlit without the old mode: nothing to switch
        pass


# Cached results, keyed on the extracts' fingerprint, the settings, the week and the team ---------

@st.cache_data(show_spinner="Computing the checks…", ttl=TTL, max_entries=64)
def _review(key: tuple, week: date, team: str | None) -> tuple[engine.Evaluation, engine.Evaluation | None]:
    db, extracts, config = _db(key)
    earlier = [s for s in engine.snapshots(db, extracts) if s < week]
    cells = [engine.Cell(week, team)] + ([engine.Cell(earlier[-1], team)] if earlier else [])
    evaluated = engine.evaluate_cells(db, extracts, config, cells, {cells[0]}, EVIDENCE_LIMIT, figures=True)
    return evaluated[cells[0]], evaluated[cells[1]] if len(cells) > 1 else None


def review(f: Frame) -> tuple[engine.Evaluation, engine.Evaluation | None]:
    """This week's evaluation (with evidence) and the previous snapshot's, for deltas."""
    return _review(f.key, f.week, f.team)


def evaluation(f: Frame) -> engine.Evaluation:
    return review(f)[0]


@st.cache_data(show_spinner="Computing the weekly history…", ttl=TTL, max_entries=32)
def _history(key: tuple, week: date, team: str | None, weeks: int) -> tuple[engine.Evaluation, ...]:
    db, extracts, config = _db(key)
    return engine.trend(db, extracts, config, weeks, week, team, figures=True)


def history(f: Frame, weeks: int = 12) -> tuple[engine.Evaluation, ...]:
    return _history(f.key, f.week, f.team, weeks)


@st.cache_data(show_spinner="Computing every team…", ttl=TTL, max_entries=32)
def _grid(key: tuple, week: date, teams: tuple[str, ...]) -> dict[str, engine.Evaluation]:
    db, extracts, config = _db(key)
    return engine.by_team(db, extracts, config, week, teams)


def grid(f: Frame) -> dict[str, engine.Evaluation]:
    return _grid(f.key, f.week, f.teams)


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=64)
def _facts(key: tuple, family: str, week: date, team: str | None):
    db, extracts, config = _db(key)
    return engine.facts(db, extracts, config, family, week, team)


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=8)
def _shares(key: tuple):
    db, extracts, config = _db(key)
    return engine.share_series(db, extracts, config)


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=32)
def _crisis(key: tuple, week: date, team: str | None) -> list[tuple]:
    db, extracts, config = _db(key)
    return engine.crisis_items(db, extracts, config, week, team)


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=64)
def _trail(key: tuple, item_id: str, week: date) -> tuple[dict | None, tuple[TrailStep, ...]]:
    db, extracts, _ = _db(key)
    item, events = engine.item_trail(db, extracts, item_id)
    return item, (explain(item, events, day_end(week)) if item else ())


def url_choice(label: str, options: list[str], param: str, format_func: Callable[[str], str]) -> str:
    """A select box kept in the URL as `?param=`, so the page can be linked to and shared."""
    key = f"url.{param}"
    wanted = st.query_params.get(param)
    if wanted in options and st.session_state.get(key) != wanted:
        st.session_state[key] = wanted  # a link to this page chose the value

    def remember() -> None:
        st.query_params[param] = st.session_state[key]

    choice = st.selectbox(label, options, key=key, format_func=format_func, on_change=remember)
    st.query_params[param] = choice
    return choice


def guarded(load: Callable[[], object], what: str):
    """Run a loader; a table that did not load becomes a named error on this section only."""
    try:
        return load()
    except engine.TableUnavailable as exc:
        st.error(f"{what} cannot be shown: {exc}", icon="⛔")
        return None


def measurement(f: Frame):
    return guarded(lambda: _facts(f.key, "measurement", f.week, f.team), "Measurement")


def advocacy(f: Frame):
    return guarded(lambda: _facts(f.key, "advocacy", f.week, None), "The advocacy programme")


def shares(f: Frame):
    return guarded(lambda: _shares(f.key), "The anomaly timeline")


def crisis(f: Frame):
    return guarded(lambda: _crisis(f.key, f.week, f.team), "Crisis messages")


def trail(f: Frame, item_id: str):
    return guarded(lambda: _trail(f.key, item_id, f.week), "The audit trail")


# Render helpers -------------------------------------------------------------------------------

def badge(status: Status) -> str:
    """A status as icon and word, the same everywhere, so it never depends on colour alone."""
    icon, word, _ = STATUS_STYLE[status]
    return f"{icon} {word}"


def table_status(status: str) -> str:
    icon, label = TABLE_STATUS[status]
    return f"{icon} {label}"


def check_link(f: Frame, result: Result, label: str | None = None) -> None:
    """A link to the check's detail page that keeps the week and team."""
    st.page_link(DETAIL_PAGE, label=label or f"{badge(result.status)} · **{result.title}** — {result.summary}",
                 query_params={"check": result.id, **f.params})


def score(value: float | None, unit: str = "score") -> str:
    if value is None:
        return "n/a"
    if unit == "rate":
        return percent(value)
    return f"{value:.1f}" if unit == "score" else f"{value:,.0f}"


def delta(value: float | None, unit: str) -> str | None:
    """A week-over-week change as text; a change that rounds to nothing says so."""
    if value is None:
        return None
    amount = round(value * 100, 1) if unit == "rate" else round(value, 1 if unit == "score" else 0)
    if amount == 0:
        return "no change"
    return {"rate": f"{amount:+.1f} pts", "score": f"{amount:+.1f}", "count": f"{amount:+.0f}"}[unit]


def records(columns: tuple[str, ...], rows, key: str, unmasked: bool = False) -> pd.DataFrame:
    """Evidence rows as a table; customer IDs are masked unless asked for."""
    shown = rows if unmasked else masked_rows(columns, rows)
    frame_ = pd.DataFrame(list(shown), columns=list(columns))
    st.dataframe(frame_, hide_index=True, key=key)
    return frame_


def download(columns: tuple[str, ...], rows, file_name: str, key: str) -> None:
    st.download_button("Download CSV", safe_csv(columns, rows), file_name=file_name, mime="text/csv", key=key,
                       icon=":material/download:")


def no_data(message: str) -> None:
    st.info(message, icon="ℹ️")
