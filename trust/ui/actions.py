"""Actions on the pages: the list with owners, overdue and fixed flags, the form to add or change one on a
check's detail page, and the CSV export."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import streamlit as st

from trust.checks.model import Result
from trust.checks.registry import BY_ID
from trust.facts.directory import Directory
from trust.state.access import AccessDenied
from trust.state.actions import STATUSES, ActionInput, InvalidAction, StaleAction, save_action
from trust.ui import loaders
from trust.ui.frame import Frame
from trust.ui.gate import not_saved
from trust.ui.session import store
from trust.ui.widgets import badge, check_link, data_frame, no_data
from trust.views.actions import FIXED, OVERDUE, ActionLine, action_lines, day_in_view
from trust.views.export import actions_csv
from trust.views.markdown import markdown_text

FLAGS = {OVERDUE: "⏰ overdue", FIXED: "✅ fixed: close the action?"}
# The keys of the form that adds an action: cleared once it is saved.
NEW_ACTION = ("detail.action.new.owner", "detail.action.new.due", "detail.action.new.note")


def _day(f: Frame):
    return day_in_view(f.week, f.weeks[0] if f.weeks else None, datetime.now(UTC).date())


def lines(f: Frame, results: tuple[Result, ...], check_id: str | None = None,
          include_closed: bool = False) -> tuple[ActionLine, ...]:
    """The actions in view for the chosen team (and the organisation's), or one check's."""
    directory = Directory(loaders.staff(f))
    found = [a for a in loaders.actions(f) if check_id is None or a.check_id == check_id]
    return action_lines(found, {c: BY_ID[c].title for c in BY_ID}, {r.id: r.status for r in results}, _day(f),
                        directory.display, f.team, include_closed)


def table(found: tuple[ActionLine, ...], key: str) -> None:
    """Actions as a table: the check, scope, owner by name, due date, status and flag."""
    st.dataframe(data_frame([{
        "#": line.action.action_id, "Check": line.check_title, "For": line.scope, "Owner": line.owner,
        "Due": line.action.due_date, "Status": line.action.status, "Flag": FLAGS.get(line.flag, ""),
        "Note": line.action.note} for line in found]), hide_index=True, key=key)


def summary(f: Frame, results: tuple[Result, ...]) -> None:
    """The open actions of the week in view, each linked to its check, and the export of every action."""
    found = lines(f, results)
    if not found:
        no_data("No open action" + (f" for team {f.team} or the organisation." if f.team else "."))
    by_id = {r.id: r for r in results}
    for line in found:
        flag = f" · **{FLAGS[line.flag]}**" if line.flag else ""
        check_link(f, by_id[line.action.check_id],
                   f"{badge(by_id[line.action.check_id].status)} · **{line.check_title}** · "
                   f"{markdown_text(line.owner)}, due {line.action.due_date.isoformat()} ({markdown_text(line.scope)})"
                   f"{flag}")
    every = loaders.actions(f)
    if every:
        directory = Directory(loaders.staff(f))
        st.download_button("Actions (CSV)", actions_csv(every, {c: BY_ID[c].title for c in BY_ID}, _day(f),
                                                        directory.display),
                           f"actions-{f.week.isoformat()}.csv", "text/csv", key="actions.download")


def editor(f: Frame, result: Result) -> None:
    """The check's actions, and the forms to add one (for the team in view, or the organisation) and to
    change one; a change based on an older version is refused and the newer version shown."""
    found = lines(f, (result,), result.id, include_closed=True)
    if found:
        table(found, "detail.actions")
    else:
        no_data("No action yet on this check" + (f" for {f.team}." if f.team else "."))
    staff = loaders.staff(f)
    people = {p.employee_id: p.label for p in staff if p.active is not False}
    allowed = f.user.can_act(f.team)
    whose = markdown_text(f.team) if f.team else "the organisation"
    if not allowed:
        st.caption(f"You can read these actions; only leadership and {whose}'s team lead can add or change them.")
    if not people:
        st.caption("Staff did not load, so no owner can be chosen.")
        return
    # Not cleared on submit: a refused save keeps the input; a saved one clears it (NEW_ACTION).
    with st.form("detail.action.new"):
        st.markdown(f"**Add an action for {markdown_text(whose)}**")
        cells = st.columns([2, 1, 3])
        owner = cells[0].selectbox("Owner", list(people), format_func=people.get, disabled=not allowed,
                                   key=NEW_ACTION[0])
        due = cells[1].date_input("Due", _day(f) + timedelta(days=7), disabled=not allowed, key=NEW_ACTION[1])
        note = cells[2].text_input("What will be done", disabled=not allowed, key=NEW_ACTION[2])
        if st.form_submit_button("Add the action", disabled=not allowed):
            _save(f, ActionInput(result.id, f.team, owner, due, note), clear=NEW_ACTION)
    mine = [line.action for line in found if f.user.can_act(line.action.team)]
    if not mine:
        return
    with st.form("detail.action.change"):
        st.markdown("**Change an action**")
        chosen = st.selectbox("Action", mine, format_func=lambda a: f"#{a.action_id} · {people.get(a.owner, a.owner)}"
                              f" · due {a.due_date.isoformat()} · {a.status}")
        cells = st.columns([1, 2, 1, 3])
        status = cells[0].selectbox("Status", STATUSES, index=STATUSES.index(chosen.status))
        owners = list(dict.fromkeys([chosen.owner, *people]))
        owner = cells[1].selectbox("Owner", owners, format_func=lambda o: people.get(o, o))
        due = cells[2].date_input("Due", chosen.due_date)
        note = cells[3].text_input("Note", chosen.note or "")
        if st.form_submit_button("Save the change"):
            _save(f, ActionInput(chosen.check_id, chosen.team, owner, due, note, status, chosen.action_id,
                                 chosen.version))


def _save(f: Frame, item: ActionInput, clear: tuple[str, ...] = ()) -> None:
    try:
        saved = save_action(store(f.config), f.user, item)
    except StaleAction as exc:
        st.error(f"Not saved: {markdown_text(exc)}.", icon="⚠️")
    except (AccessDenied, InvalidAction) as exc:
        st.error(f"Not saved: {markdown_text(exc)}.", icon="⛔")
    except (sqlite3.Error, OSError) as exc:
        not_saved(f.config, exc)
    else:
        for key in clear:
            st.session_state.pop(key, None)
        st.session_state["detail.action.saved"] = f"Saved action #{saved.action_id} (version {saved.version})."
        st.rerun()
