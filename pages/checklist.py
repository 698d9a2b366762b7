"""Trust checklist: the layers with their scores and history, every check, and the team-by-check grid."""

import pandas as pd
import streamlit as st

from trust.checks.model import LAYERS
from trust.ui import actions, forms, loaders, widgets
from trust.ui.frame import frame
from trust.views.markdown import markdown_text

f = frame()
evaluation = loaders.evaluation(f, loaders.LAYER_WEEKS)

st.title("Trust checklist")
st.caption(f"As of {f.week.isoformat()} · {'team ' + markdown_text(f.team) if f.team else 'all teams'}. "
           "Each line opens the check with its evidence.")

widgets.layer_trend(f, "checklist.layers")

scores = {s.layer: s for s in evaluation.layers}
open_actions = actions.lines(f, evaluation.results)
for layer, title in LAYERS:
    mine = scores[layer]
    shown = widgets.score(mine.score) if mine.score is not None else "not evidenced"
    st.subheader(f"{title} · {shown} · {widgets.badge(mine.status)}")
    st.caption(f"Share of {mine.assessed} assessed checks passing, a warn counting half"
               + (f"; {mine.not_assessed} not assessed, left out." if mine.not_assessed else "."))
    for result in [r for r in evaluation.results if r.layer == layer]:
        cells = st.columns([5, 2, 2])
        with cells[0]:
            widgets.check_link(f, result, f"{widgets.badge(result.status)} · **{result.title}**")
            st.caption(markdown_text(result.summary) + ("" if result.scope == "team" or f.team is None
                                                        else " (organisation-wide)"))
        cells[1].caption(widgets.score_text(result))
        evidence = result.evidence
        cells[2].caption("no failing record" if evidence is None or not evidence.total
                         else f"{evidence.total:,} {evidence.kind if evidence.total != 1 else 'record'} listed")
        for line in (line for line in open_actions if line.action.check_id == result.id):
            flag = f" · {actions.FLAGS[line.flag]}" if line.flag else ""
            cells[2].caption(f"Action: {markdown_text(line.owner)}, due {line.action.due_date.isoformat()}{flag}")

if f.team is None and f.teams:
    st.subheader("Team by check")
    grid = loaders.grid(f)
    rows = []
    for result in evaluation.results:
        row = {"Check": result.title, "Organisation": widgets.badge(result.status)}
        for team in f.teams:
            team_result = grid[team].result(result.id)
            row[team] = widgets.badge(team_result.status) + ("" if team_result.scope == "team" else " (org)")
        rows.append(row)
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="checklist.grid")
    st.caption("(org): the check is organisation-wide, so every team shows the organisation's status.")

st.header("Self-assessment")
saved = st.session_state.pop("checklist.saved", None)
if saved:
    st.success(saved, icon="✅")
team = f.team
if team is None and f.teams:
    mine = [t for t in f.teams if f.user.can_answer(t)] or list(f.teams)
    team = st.selectbox("Team answering", mine, key="checklist.answer_team",
                        help="Leadership can answer for any team, a team lead for their own.")
if team:
    # The form (three inputs a check) is drawn only while it is open: it cost as much as the rest of the page
    # on every run, for the readers who only review. The label stays the same whichever team answers: a new
    # label would be a new expander, closed again.
    answering = st.expander("Answer the checklist", key="checklist.answering", on_change="rerun",
                            icon=":material/edit_note:")
    if answering.open:
        with answering:
            forms.answer_form(f, evaluation if f.team else loaders.grid(f)[team], team)

st.subheader("Answers in force")
in_force = forms.answers_in_force(f)
flagged = forms.overclaimed(f, evaluation, in_force)
for claim in flagged:
    st.warning(f"**Overclaimed** by {markdown_text(claim.team)}: answered *yes* to {claim.title}, but "
               f"{markdown_text(claim.because)}: {markdown_text(claim.summary)}", icon="❗")
forms.answers_table(in_force, f.team, {(c.team, c.check_id) for c in flagged})
history = st.expander("Change history and exports", key="checklist.history", on_change="rerun")
if history.open:
    with history:
        forms.change_history(f, f.team)
