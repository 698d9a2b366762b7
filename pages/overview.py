"""Overview: the weekly leadership review of readiness, layers, headline figures and what changed."""

import streamlit as st

from trust import ui
from trust.charts import layer_scores
from trust.review import changes, failing, headline

f = ui.frame()
current, previous = ui.review(f)

st.title("Weekly trust review")
st.caption(f"As of {f.week.isoformat()} · {'team ' + f.team if f.team else 'all teams'} · compared with "
           + (previous.as_of.isoformat() if previous else "no earlier snapshot"))

ready = current.readiness
left, right = st.columns([1, 2])
with left:
    st.metric("Readiness stage", f"{ready.stage} of 3", help="Stages of the 60-day sequence: 1 signal stable, "
              "2 ready for a bounded pilot, 3 ready to scale. A stage counts when none of its checks, nor an "
              "earlier stage's, fails or errors.")
    st.markdown(f"**{ready.name}**")
with right:
    if ready.next_stage:
        st.markdown(f"Blocking **{ready.next_stage}**:")
        for check_id in ready.blocking:
            ui.check_link(f, current.result(check_id))
    else:
        st.success("Every stage is reached: the organisation is ready to scale.", icon="✅")

st.subheader("Headline figures")
for column, figure in zip(st.columns(5), headline(current, previous), strict=True):
    delta = ui.delta(figure.delta, figure.unit)
    column.metric(figure.label, ui.score(figure.value, figure.unit), delta=delta,
                  delta_color="off" if delta == "no change" else "normal", help=figure.help)

st.subheader("Score per layer")
before = {s.layer: s.score for s in previous.layers} if previous else {}
columns = st.columns(len(current.layers))
for column, layer in zip(columns, current.layers, strict=True):
    old = before.get(layer.layer)
    delta = ui.delta(None if layer.score is None or old is None else layer.score - old, "score")
    column.metric(layer.title, ui.score(layer.score), delta=delta, delta_color="off" if delta == "no change"
                  else "normal", help=f"Mean score of the {layer.scored} scored checks of {layer.checks}.")
st.plotly_chart(layer_scores([(s.title, s.score, before.get(s.layer)) for s in current.layers]),
                key="overview.layers")

st.subheader("What changed since last week")
moved = changes(current, previous)
if previous is None:
    ui.no_data("There is no earlier snapshot to compare with.")
else:
    for title, results in (("New failures", moved.new_failures), ("Regressions", moved.regressions),
                           ("Fixed", moved.fixed), ("Improved", moved.improvements)):
        st.markdown(f"**{title}** ({len(results)})")
        for result in results:
            was = ui.badge(moved.previous[result.id])
            ui.check_link(f, result, f"{ui.badge(result.status)} · **{result.title}** (was {was})")
        if not results:
            st.caption("None.")

flagged = ui.overclaimed(f, current, ui.answers_in_force(f))
if flagged:
    st.subheader("Overclaimed self-assessments")
    for claim in flagged:
        ui.check_link(f, current.result(claim.check_id),
                      f"❗ **{claim.team}** answered *yes* to **{claim.title}**; the evidence says it fails")

st.subheader("Failing checks, worst first")
bad = failing(current)
if not bad:
    st.success("No check fails or warns this week.", icon="✅")
for result in bad:
    owner = f" · owner: {result.owner}" if result.owner else ""
    ui.check_link(f, result, f"{ui.badge(result.status)} · **{result.title}**{owner} — {result.summary}")
