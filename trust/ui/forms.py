"""The forms that change what the dashboard records: a team's self-assessment answers and anomaly reviews,
with the answers in force and their change history."""

from __future__ import annotations

import sqlite3

import streamlit as st

from trust import engine
from trust.checks.registry import BY_ID, CHECKS
from trust.facts.answers import in_force
from trust.facts.calendar import record_cutoff
from trust.state import assessments
from trust.state.access import AccessDenied
from trust.ui import loaders
from trust.ui.frame import Frame
from trust.ui.gate import not_saved
from trust.ui.session import store
from trust.ui.widgets import badge, data_frame, no_data
from trust.views.export import answers_csv, history_csv
from trust.views.markdown import markdown_text
from trust.views.weekly import overclaims

UNANSWERED = "—"


def answer_form(f: Frame, evaluation: engine.Evaluation, team: str) -> None:
    """The team's answers to every check in one form, saved in one transaction.

    Each row remembers the version it showed; a save based on an older version is refused
    whole, the newer answers are shown, and the person's input stays in the form.
    """
    shown_key = f"checklist.shown.{team}"
    current = {a.check_id: a for a in assessments.current_answers(store(f.config), team)}
    if shown_key not in st.session_state:
        st.session_state[shown_key] = {c: (a.version, a.answer, a.comment, a.evidence_url)
                                       for c, a in current.items()}
    shown = st.session_state[shown_key]
    allowed = f.user.can_answer(team)
    who = markdown_text(team)
    if allowed:
        st.caption(f"The answers of {who}: the rows you change are saved together, or none is.")
    else:
        st.caption(f"You can read {who}'s answers; only leadership and {who}'s team lead can change them.")
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
        st.error(f"Not saved: {markdown_text(exc)}. Your input is kept below; the newer answers are:", icon="⚠️")
        st.dataframe(data_frame([{"Check": a.check_id, "Answer": a.answer, "Comment": a.comment,
                                   "By": a.answered_by, "At": a.answered_at, "Version": a.version}
                                  for a in exc.newer]), hide_index=True)
        newer = {a.check_id: (a.version, a.answer, a.comment, a.evidence_url) for a in exc.newer}
        st.session_state[shown_key] = {**st.session_state[shown_key], **newer}
    except (AccessDenied, assessments.InvalidAnswer) as exc:
        st.error(f"Not saved: {markdown_text(exc)}.", icon="⛔")
    except (sqlite3.Error, OSError) as exc:
        not_saved(f.config, exc)
    else:
        del st.session_state[shown_key]
        st.session_state["checklist.saved"] = (f"Saved {len(saved)} answer{'s' if len(saved) != 1 else ''} for "
                                               f"{markdown_text(team)}.")
        st.rerun()


def answers_in_force(f: Frame):
    """The self-assessment answers in force for the chosen week (expired ones marked stale)."""
    recorded = loaders.state(f)
    cutoff = record_cutoff(f.week, f.weeks[0] if f.weeks else None, recorded.read_at)
    return in_force(recorded.answers, cutoff, f.config.assessment_max_age_days)


def overclaimed(f: Frame, evaluation: engine.Evaluation, in_force) -> tuple:
    """Answers of `yes` where the team's own evidence fails; the team grid is computed only if needed."""
    if not any(a.answer == "yes" and not a.stale for a in in_force):
        return ()
    return overclaims(in_force, {f.team: evaluation} if f.team else loaders.grid(f))


def answers_table(in_force, team: str | None, overclaimed: set[tuple[str, str]]) -> None:
    """The answers in force (as of the week), stale and overclaimed ones marked. st.table reads its cells as
    Markdown, so the values from people and data are escaped."""
    rows = [{"Team": a.team, "Check": a.check_id, "Answer": a.answer, "Comment": a.comment, "By": a.answered_by,
             "At (UTC)": a.answered_at,
             "Flag": "❗ overclaimed" if (a.team, a.check_id) in overclaimed else ("⌛ stale" if a.stale else "")}
            for a in in_force if team is None or a.team == team]
    if rows:
        rows = [{k: markdown_text(v) if isinstance(v, str) and k != "Flag" else v for k, v in row.items()}
                for row in rows]
        st.table(data_frame(rows).set_index(["Team", "Check"]))  # a plain table: few rows, easy to read aloud
    else:
        no_data("No answer yet" + (f" from {team}." if team else "."))


def change_history(f: Frame, team: str | None) -> None:
    """The audit history of answers and reviews, newest first, and the CSV exports."""
    s = store(f.config)
    changes = assessments.history(s, team)
    if changes:
        st.dataframe(data_frame([{
            "#": c.seq, "At (UTC)": c.at, "Who": c.actor, "What": c.action, "Team": c.team,
            "Check": c.check_id or c.subject, "Before": (c.before or {}).get("answer") or (c.before or {}).get("note"),
            "After": (c.after or {}).get("answer") or (c.after or {}).get("note")} for c in changes]),
            hide_index=True)
    else:
        no_data("No change recorded yet.")
    cells = st.columns(2)
    titles = {check_id: check.title for check_id, check in BY_ID.items()}
    # Written when asked for (so a page run costs nothing for them), from the store as it is then.
    cells[0].download_button("Answers (CSV)", lambda: answers_csv(assessments.current_answers(s), titles),
                             "answers.csv", "text/csv", key="history.answers", on_click="ignore")
    cells[1].download_button("Change history (CSV)", lambda: history_csv(assessments.history(s, team)),
                             f"history-{team or 'all'}.csv", "text/csv", key="history.changes", on_click="ignore")


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
            st.error(f"Not saved: {markdown_text(exc)}.", icon="⛔")
        except (sqlite3.Error, OSError) as exc:
            not_saved(f.config, exc)
        else:
            st.rerun()
