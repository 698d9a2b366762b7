"""The app's cached loaders and small render helpers: the only module of trust/ that imports streamlit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from trust import assessments, engine
from trust.access import (
    AccessDenied,
    Identity,
    RolesFileError,
    cookie_secret_problem,
    identify,
    load_roles,
    local_identity,
)
from trust.approvals import TrailStep, explain
from trust.charts import STATUS_STYLE, layer_history
from trust.checks.model import Result, Status, percent
from trust.checks.registry import BY_ID
from trust.collect import day_end, record_cutoff
from trust.db import Database
from trust.errors import ExtractsUnavailable
from trust.export import masked_rows, safe_csv
from trust.inventory import Inventory, freshness, take_inventory
from trust.settings import Settings, load_settings
from trust.store import Store

DETAIL_PAGE = "pages/check_detail.py"
ALL_TEAMS = "all"
EVIDENCE_LIMIT = 5_000
LAYER_WEEKS = 8  # the layer-score history of the Overview and the checklist
STATUS_WEEKS = 12  # the status history of the check detail and signal-quality pages
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
    user: Identity
    revision: int  # of the state store: changes with every saved answer or review

    @property
    def key(self) -> tuple:
        """Every input that changes a computed result, for the caches."""
        return (self.root, self.config.memory_limit, self.config.threads, self.fingerprint,
                self.config.model_dump_json(), self.revision)

    @property
    def params(self) -> dict[str, str]:
        """The query parameters that keep this week and team in a link."""
        out = {"week": self.week.isoformat()} if self.weeks and self.week != self.weeks[0] else {}
        return out | ({"team": self.team} if self.team else {})


def _db(key: tuple) -> tuple[Database, engine.Extracts, Settings]:
    root, memory, threads, _, settings_json, *_ = key
    db = _database(root, memory, threads)
    return db, db.load(), Settings.model_validate_json(settings_json)


# Identity and the state store ------------------------------------------------------------------

def _auth_section() -> dict | None:
    """The [auth] section of Streamlit's secrets when sign-in is configured, else None."""
    try:
        return dict(st.secrets["auth"]) if "auth" in st.secrets else None
    except (FileNotFoundError, KeyError, *_secret_errors()):
        return None


def _secret_errors() -> tuple[type[Exception], ...]:
    try:
        from streamlit.errors import StreamlitSecretNotFoundError

        return (StreamlitSecretNotFoundError,)
    except ImportError:
        return ()


def identity(config: Settings) -> Identity:
    """Who is using the app: the signed-in user and their role, or the local user when sign-in is off."""
    auth = _auth_section()
    if auth is None:
        return local_identity(config.local_user)
    problem = cookie_secret_problem(auth.get("cookie_secret"))
    if problem:
        st.error(f"Sign-in is configured but refused: {problem}. Fix `[auth]` in .streamlit/secrets.toml.",
                 icon="⛔")
        st.stop()
    if not st.user.is_logged_in:
        st.title("Trust dashboard")
        st.write("Sign in with your organisation's account to see whether its AI can be defended.")
        st.button("Sign in", on_click=st.login, type="primary", key="auth.login")
        st.stop()
    try:
        roles = load_roles(config.roles_file) if config.roles_file else {}
    except RolesFileError as exc:
        st.error(f"The roles file cannot be used: {exc}", icon="⛔")
        st.stop()
    who = identify(st.user.get("email"), st.user.get("name"), roles, config.default_role)
    if who is None:
        st.title("Access not granted")
        st.error(f"You are signed in as {st.user.get('email') or 'an account without an e-mail'}, which has no "
                 "role in the trust dashboard. Ask an administrator to add you to the roles file.", icon="🔒")
        st.button("Sign out", on_click=st.logout, key="auth.logout_refused")
        st.stop()
    return who


@st.cache_resource(show_spinner=False)
def _store(path: str, key_path: str) -> Store:
    """The state store: it keeps one SQLite connection per thread, so it can be shared like DuckDB's."""
    return Store(Path(path), Path(key_path))


def store(config: Settings) -> Store:
    return _store(str(config.state.resolve()), str(config.audit_key_file.resolve()))


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=16)
def _state(path: str, key_path: str, revision: int):
    return assessments.state(_store(path, key_path))


def state(f: Frame):
    return _state(str(f.config.state.resolve()), str(f.config.audit_key_file.resolve()), f.revision)


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=16)
def _verification(path: str, key_path: str, revision: int) -> str | None:
    result = assessments.verify(_store(path, key_path))
    return None if result.ok else str(result)


def verification(f: Frame) -> str | None:
    """None when the audit log verifies, else what breaks it."""
    return _verification(str(f.config.state.resolve()), str(f.config.audit_key_file.resolve()), f.revision)


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
    user = identity(config)
    revision = store(config).revision()
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
        st.divider()
        if user.local:
            st.info(f"Local mode: no sign-in is configured, so you act as **{user.label}** with full rights.",
                    icon="🔓")
        else:
            teams_text = f" for {', '.join(user.teams)}" if user.teams else ""
            st.caption(f"Signed in as **{user.label}** · {user.role.replace('_', ' ')}{teams_text}")
            st.button("Sign out", on_click=st.logout, key="auth.logout")
    frame = Frame(config, str(db.root), fingerprint, weeks, date.fromisoformat(week),
                  None if team in (None, ALL_TEAMS) else team, teams, inventory, user, revision)
    with st.sidebar:
        problem = verification(frame)
        if problem:
            st.error(problem, icon="⛔")
        else:
            st.caption(f"Audit log verified: {revision} change{'s' if revision != 1 else ''}.")
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
def _weeks(key: tuple, days: tuple[date, ...], team: str | None, listed: date | None,
           _recorded) -> tuple[engine.Evaluation, ...]:
    """The catalogue as of each of `days` in one pass; the week `listed` with its failing records."""
    # _recorded (answers and reviews) is not hashed: the store revision in `key` stands for it.
    db, extracts, config = _db(key)
    cells = [engine.Cell(d, team) for d in days]
    evaluated = engine.evaluate_cells(db, extracts, config, cells, {engine.Cell(listed, team)} if listed else set(),
                                      EVIDENCE_LIMIT, _recorded, figures=True)
    return tuple(evaluated[c] for c in cells)


def _earlier(f: Frame) -> list[date]:
    """The snapshots before the chosen week, oldest first."""
    return sorted(w for w in f.weeks if w < f.week)


def review(f: Frame) -> tuple[engine.Evaluation, engine.Evaluation | None]:
    """This week's evaluation (with evidence) and the previous snapshot's, for deltas: every page's."""
    days = (*_earlier(f)[-1:], f.week)
    found = _weeks(f.key, days, f.team, f.week, state(f))
    return found[-1], found[0] if len(found) > 1 else None


def evaluation(f: Frame) -> engine.Evaluation:
    return review(f)[0]


def history(f: Frame, weeks: int = STATUS_WEEKS) -> tuple[engine.Evaluation, ...]:
    """The chosen week and the snapshots before it, `weeks` in all, oldest first. The two weeks of
    `review` are reused; only the older ones are computed here, so a page shows its week first."""
    current, previous = review(f)
    older = tuple(_earlier(f)[:-1][-(weeks - 2):]) if weeks > 2 else ()
    return (*(_weeks(f.key, older, f.team, None, state(f)) if older else ()),
            *((previous,) if previous else ()), current)


@st.cache_data(show_spinner="Computing every team…", ttl=TTL, max_entries=32)
def _grid(key: tuple, week: date, teams: tuple[str, ...], _recorded) -> dict[str, engine.Evaluation]:
    db, extracts, config = _db(key)
    return engine.by_team(db, extracts, config, week, teams, _recorded)


def grid(f: Frame) -> dict[str, engine.Evaluation]:
    return _grid(f.key, f.week, f.teams, state(f))


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


STAGE_HELP = ("Stages of the 60-day sequence: 1 signal stable, 2 ready for a bounded pilot, 3 ready to scale. A "
              "stage counts when none of its checks, nor an earlier stage's, fails or errors, at least one of its "
              "checks is assessed, and (stage 3) a pilot proved the case. The change is computed without checks "
              "one of the two weeks could not judge.")


def score_text(result: Result) -> str:
    """A check's score with what it is a rate of; a check judged by status alone says so."""
    if result.score is None:
        return "no score (judged by status)" if result.status.assessed else "no score"
    return f"{result.score:.1f}" + (f" · {result.score_of}" if result.score_of else "")


def layer_metrics(layers, moved) -> None:
    """Each layer's score with its change since last week and, always beside it, its worst status."""
    for column, layer in zip(st.columns(len(layers)), layers, strict=True):
        change = delta(moved.layer_delta(layer.layer), "score")
        column.metric(layer.title, score(layer.score) if layer.score is not None else "not evidenced",
                      delta=change, delta_color="off" if change == "no change" else "normal",
                      help="Share of the layer's assessed checks passing, a warn counting half and an error "
                           "failing; checks not assessed are left out.")
        column.markdown(badge(layer.status))
        column.caption(f"{layer.assessed} of {layer.checks} checks assessed")


def layer_trend(f: Frame, key: str) -> None:
    """The layers' scores over the last 8 weeks."""
    weeks = history(f, LAYER_WEEKS)
    st.plotly_chart(layer_history([(e.as_of, e.layers) for e in weeks], "Layer scores, last 8 weeks"), key=key)


def changes_list(f: Frame, moved) -> None:
    """New failures, regressions, fixes, improvements and checks no longer assessed, each linked."""
    for title, results in (("New failures", moved.new_failures), ("Regressions", moved.regressions),
                           ("Fixed", moved.fixed), ("Improved", moved.improvements),
                           ("No longer assessed", moved.unassessed)):
        if not results and title == "No longer assessed":
            continue
        st.markdown(f"**{title}** ({len(results)})")
        for result in results:
            was = badge(moved.previous[result.id])
            check_link(f, result, f"{badge(result.status)} · **{result.title}** (was {was})")
        if not results:
            st.caption("None.")
    if moved.left_out:
        st.caption("Not compared (one of the two weeks could not judge them for want of history, so they are "
                   "left out of the layer and stage changes too): "
                   + ", ".join(BY_ID[i].title for i in moved.left_out) + ".")


# Self-assessment and anomaly reviews ----------------------------------------------------------

UNANSWERED = "—"


def answer_form(f: Frame, evaluation: engine.Evaluation, team: str) -> None:
    """The team's answers to every check in one form, saved in one transaction.

    Each row remembers the version it showed; a save based on an older version is refused
    whole, the newer answers are shown, and the person's input stays in the form.
    """
    from trust.checks.registry import CHECKS

    shown_key = f"checklist.shown.{team}"
    current = {a.check_id: a for a in assessments.current_answers(store(f.config), team)}
    if shown_key not in st.session_state:
        st.session_state[shown_key] = {c: (a.version, a.answer, a.comment, a.evidence_url)
                                       for c, a in current.items()}
    shown = st.session_state[shown_key]
    allowed = f.user.can_answer(team)
    if not allowed:
        st.caption(f"You can read {team}'s answers; only leadership and {team}'s team lead can change them.")
    with st.form(f"checklist.form.{team}"):
        rows = []
        for check in CHECKS:
            version, answer, comment, link = shown.get(check.id, (0, None, None, None))
            result = evaluation.result(check.id)
            cells = st.columns([3, 1.3, 3, 2.4])
            cells[0].markdown(f"{badge(result.status)} · **{check.title}**"
                              + (" *(self-assessed)*" if check.self_assessed else ""))
            options = [UNANSWERED, *assessments.ANSWERS]
            choice = cells[1].selectbox("Answer", options, index=options.index(answer) if answer else 0,
                                        key=f"answer.{team}.{check.id}", label_visibility="collapsed",
                                        disabled=not allowed)
            note = cells[2].text_input("Comment", comment or "", key=f"comment.{team}.{check.id}",
                                       label_visibility="collapsed", placeholder="comment", disabled=not allowed)
            url = cells[3].text_input("Evidence link", link or "", key=f"link.{team}.{check.id}",
                                      label_visibility="collapsed", placeholder="evidence link (https://…)",
                                      disabled=not allowed)
            touched = (choice if choice != UNANSWERED else None, note.strip() or None, url.strip() or None) != (
                answer, comment, link)
            if touched and choice != UNANSWERED:
                rows.append(assessments.AnswerInput(check.id, choice, note, url, based_on=version))
        submitted = st.form_submit_button("Save answers", type="primary", disabled=not allowed)
    if submitted:
        _save(f, team, rows, shown_key)


def _save(f: Frame, team: str, rows: list, shown_key: str) -> None:
    if not rows:
        st.info("Nothing changed, so nothing was saved.")
        return
    try:
        saved = assessments.save_answers(store(f.config), f.user, team, rows)
    except assessments.StaleAnswer as exc:
        st.error(f"Not saved: {exc}. Your input is kept below; the newer answers are:", icon="⚠️")
        st.dataframe(pd.DataFrame([{"Check": a.check_id, "Answer": a.answer, "Comment": a.comment,
                                    "By": a.answered_by, "At": a.answered_at, "Version": a.version}
                                   for a in exc.newer]), hide_index=True)
        newer = {a.check_id: (a.version, a.answer, a.comment, a.evidence_url) for a in exc.newer}
        st.session_state[shown_key] = {**st.session_state[shown_key], **newer}
    except (AccessDenied, assessments.InvalidAnswer) as exc:
        st.error(f"Not saved: {exc}.", icon="⛔")
    else:
        del st.session_state[shown_key]
        st.session_state["checklist.saved"] = f"Saved {len(saved)} answer{'s' if len(saved) != 1 else ''} for {team}."
        st.rerun()


def answers_in_force(f: Frame):
    """The self-assessment answers in force for the chosen week (expired ones marked stale)."""
    recorded = state(f)
    cutoff = record_cutoff(f.week, f.weeks[0] if f.weeks else None, recorded.read_at)
    return assessments.in_force(recorded.answers, cutoff, f.config.assessment_max_age_days)


def overclaimed(f: Frame, evaluation: engine.Evaluation, in_force) -> tuple:
    """Answers of `yes` where the team's own evidence fails; the team grid is computed only if needed."""
    from trust.review import overclaims

    if not any(a.answer == "yes" and not a.stale for a in in_force):
        return ()
    return overclaims(in_force, {f.team: evaluation} if f.team else grid(f))


def answers_table(in_force, team: str | None, overclaimed: set[tuple[str, str]]) -> None:
    """The answers in force (as of the week), stale and overclaimed ones marked."""
    rows = [{"Team": a.team, "Check": a.check_id, "Answer": a.answer, "Comment": a.comment, "By": a.answered_by,
             "At (UTC)": a.answered_at,
             "Flag": "❗ overclaimed" if (a.team, a.check_id) in overclaimed else ("⌛ stale" if a.stale else "")}
            for a in in_force if team is None or a.team == team]
    if rows:
        st.table(pd.DataFrame(rows).set_index(["Team", "Check"]))  # a plain table: few rows, easy to read aloud
    else:
        no_data("No answer yet" + (f" from {team}." if team else "."))


def change_history(f: Frame, team: str | None) -> None:
    """The audit history of answers and reviews, newest first, and the CSV exports."""
    s = store(f.config)
    changes = assessments.history(s, team)
    if changes:
        st.dataframe(pd.DataFrame([{
            "#": c.seq, "At (UTC)": c.at, "Who": c.actor, "What": c.action, "Team": c.team,
            "Check": c.check_id or c.subject, "Before": (c.before or {}).get("answer") or (c.before or {}).get("note"),
            "After": (c.after or {}).get("answer") or (c.after or {}).get("note")} for c in changes]),
            hide_index=True)
    else:
        no_data("No change recorded yet.")
    cells = st.columns(2)
    cells[0].download_button("Answers (CSV)", assessments.export_answers(s), "answers.csv", "text/csv",
                             key="history.answers")
    cells[1].download_button("Change history (CSV)", assessments.export_history(s, team),
                             f"history-{team or 'all'}.csv", "text/csv", key="history.changes")


def review_form(f: Frame, evaluation: engine.Evaluation) -> None:
    """Acknowledge an unreviewed anomaly with a note."""
    result = evaluation.result("signal.anomaly_review")
    rows = result.evidence.as_dicts() if result.evidence else []
    open_ = [r for r in rows if str(r["state"]).startswith("unreviewed")]
    if not open_:
        return
    labels = {f"{r['field']} = {r['value'] if r['value'] is not None else '(empty)'} on {r['snapshot_date']}": r
              for r in open_}
    with st.form("signal.review"):
        chosen = st.selectbox("Anomaly to acknowledge", list(labels), disabled=not f.user.can_review)
        note = st.text_area("What was found", placeholder="e.g. the web sign-up form defaulted to English; "
                            "fixed on 24 Nov", disabled=not f.user.can_review)
        submitted = st.form_submit_button("Record the review", disabled=not f.user.can_review)
    if submitted:
        row = labels[chosen]
        try:
            assessments.save_review(store(f.config), f.user, row["field"], row["value"], row["snapshot_date"], note)
        except (AccessDenied, assessments.InvalidAnswer) as exc:
            st.error(f"Not saved: {exc}.", icon="⛔")
        else:
            st.rerun()
