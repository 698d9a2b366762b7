"""The frame every page shares: the extracts in force, the week and team chosen in the sidebar (bound to the
URL), freshness, who is signed in and whether the audit log verifies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import streamlit as st

from trust import configuration
from trust.configuration import ConfigProblem
from trust.extracts.database import Database
from trust.extracts.errors import ExtractsUnavailable
from trust.extracts.inventory import Inventory, freshness
from trust.settings import Settings
from trust.state.access import Identity
from trust.ui import gate, loaders, navigation, session
from trust.views.markdown import markdown_text

ALL_TEAMS = "all"


@dataclass(frozen=True)
class Frame:
    """What every page shares: the extracts in force and the week and team chosen in the sidebar."""

    config: Settings
    extracts: session.Key  # the extracts and settings, without the store revision
    weeks: tuple[date, ...]  # newest first
    week: date
    team: str | None
    teams: tuple[str, ...]
    inventory: Inventory
    user: Identity
    revision: int  # of the state store: changes with every saved answer or review

    @property
    def key(self) -> session.Key:
        """Every input that changes a computed result, for the caches."""
        return session.Key(self.extracts.root, self.extracts.memory_limit, self.extracts.threads,
                           self.extracts.fingerprint, self.extracts.settings_json, self.revision)

    @property
    def params(self) -> dict[str, str]:
        """The query parameters that keep this week and team in a link."""
        out = {"week": self.week.isoformat()} if self.weeks and self.week != self.weeks[0] else {}
        return out | ({"team": self.team} if self.team else {})


def extracts_in_force(config: Settings, db: Database) -> tuple[session.Key, Inventory, tuple[date, ...],
                                                                tuple[str, ...]]:
    """The extracts the settings name, as every page reads them: their cache key (without the store revision),
    their inventory, their snapshot weeks (newest first) and their teams."""
    try:
        key = session.Key(str(db.root), config.memory_limit, config.threads, db.fingerprint(),
                          config.model_dump_json())
        inventory = loaders.inventory(key)
    except ExtractsUnavailable as exc:  # the folder gone since it was opened, or Spark's server or catalog
        if config.engine == "spark":
            raise configuration.engine(config, exc) from None
        configuration.extracts(config, exc)
        raise
    weeks = tuple(sorted((d for d, _ in inventory.snapshots), reverse=True))
    return key, inventory, weeks, loaders.teams(key)


def sidebar() -> Frame:
    """The shared filters (bound to the URL, so a link keeps them) and the freshness line."""
    config = session.settings()
    db = session.database(config)
    user = session.identity(config)
    revision = session.store(config).revision()
    key, inventory, weeks, teams = extracts_in_force(config, db)
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
        st.divider()
        if user.local:
            st.info(f"Local mode: no sign-in is configured, so you act as **{markdown_text(user.label)}** with full "
                    "rights.",
                    icon="🔓")
        else:
            teams_text = f" for {markdown_text(', '.join(user.teams))}" if user.teams else ""
            st.caption(f"Signed in as **{markdown_text(user.label)}** · {user.role.replace('_', ' ')}{teams_text}")
            st.button("Sign out", on_click=st.logout, key="auth.logout")
    frame_ = Frame(config, key, weeks, date.fromisoformat(week), None if team in (None, ALL_TEAMS) else team, teams,
                   inventory, user, revision)
    with st.sidebar:
        problem = loaders.verification(frame_)
        if problem:
            st.error(markdown_text(problem), icon="⛔")
        else:
            st.caption(f"Audit log verified: {revision} change{'s' if revision != 1 else ''}.")
    st.session_state["_frame"] = frame_
    st.session_state["_frame_live"] = True
    return frame_


def frame() -> Frame:
    """The frame of this run, drawn by app.py before the page.

    A page that runs without app.py (Streamlit's pages-folder mode, for a process's first
    request) declares the app's navigation, which switches the process to it, and reruns
    through app.py. Should it run alone again in this session, it draws the frame itself, so that
    the run keeps its widget events.
    """
    if st.session_state.get("_frame_live"):
        st.session_state["_frame_live"] = False  # one page per run: the next run draws it afresh
        return st.session_state["_frame"]
    navigation.route()
    try:
        drawn = sidebar()  # still alone (as under AppTest, which starts every run in that mode)
    except ConfigProblem as found:
        gate.problem(found).render()
        st.stop()
    except gate.Blocked as blocked:
        blocked.render()
        st.stop()
    except session.ExtractsChanged:
        st.rerun()
    st.session_state["_frame_live"] = False
    return drawn


def end_of_run() -> None:
    """Called by app.py once the page has run: the next run must draw its frame afresh."""
    st.session_state["_frame_live"] = False
