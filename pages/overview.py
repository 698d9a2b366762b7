"""Overview: the weekly leadership review of readiness, layers, headline figures and what changed."""

import streamlit as st

from trust.checks.registry import BY_ID
from trust.ui import actions, loaders, widgets
from trust.ui.frame import frame
from trust.views.evidenced import credibility, credibility_line, not_evidenced
from trust.views.markdown import markdown_text
from trust.views.weekly import failing, headline

f = frame()
current, previous = loaders.this_week(f, loaders.LAYER_WEEKS)
news = loaders.news(f)
moved = news.moved

st.title("Weekly trust review")
st.download_button("Download this week's pack (PDF)", data=lambda: loaders.pack_pdf(f),
                   file_name=f"trust-pack-{f.week.isoformat()}{'-' + f.team if f.team else ''}.pdf",
                   mime="application/pdf", key="overview.pack", on_click="ignore", icon=":material/picture_as_pdf:")
st.caption(f"As of {f.week.isoformat()} · {'team ' + markdown_text(f.team) if f.team else 'all teams'} · "
           "compared with " + (previous.as_of.isoformat() if previous else "no earlier snapshot"))

ready = current.readiness
now_stage, last_stage = moved.stage
left, right = st.columns([1, 2])
with left:
    change = widgets.delta(None if last_stage is None else now_stage - last_stage, "count")
    st.metric("Readiness stage", f"{ready.stage} of 3", delta=change,
              delta_color="off" if change == "no change" else "normal", help=widgets.STAGE_HELP)
    st.markdown(f"**{ready.name}**")
with right:
    if ready.next_stage:
        st.markdown(f"Blocking **{ready.next_stage}**:")
        for blocker in ready.blockers:
            widgets.check_link(f, current.result(blocker.id),
                          f"{widgets.badge(current.result(blocker.id).status)} · **{BY_ID[blocker.id].title}**")
            st.caption(markdown_text(blocker.reason))
    else:
        st.success("Every stage is reached: the organisation is ready to scale.", icon="✅")
cred = credibility(current)
st.markdown(f"{widgets.badge(cred.status)} · {credibility_line(cred)}")

st.subheader("Headline figures")
for column, figure in zip(st.columns(5), headline(current, previous), strict=True):
    delta = widgets.delta(figure.delta, figure.unit)
    column.metric(figure.label, widgets.score(figure.value, figure.unit), delta=delta,
                  delta_color="off" if delta == "no change" else "normal", help=figure.help)
    if figure.status is not None:
        column.caption(widgets.badge(figure.status))

st.subheader("Score per layer")
widgets.layer_metrics(current.layers, moved)
widgets.layer_trend(f, "overview.layers")
for gap in not_evidenced(current):
    st.markdown(f"**Not yet evidenced: {gap.layer.title}**")
    for result in gap.checks:
        widgets.check_link(f, result, f"{widgets.badge(result.status)} · **{result.title}**")
        st.caption(markdown_text(result.summary))

st.subheader("What changed since last week")
if previous is None:
    widgets.no_data("There is no earlier snapshot to compare with.")
else:
    widgets.changes_list(f, moved)
widgets.news_lists(f, news)

flagged = news.overclaims
if flagged:
    st.subheader("Overclaimed self-assessments")
    for claim in flagged:
        widgets.check_link(f, current.result(claim.check_id),
                      f"❗ **{markdown_text(claim.team)}** answered *yes* to **{claim.title}**; "
                      f"{markdown_text(claim.because)}")

st.subheader("Failing checks, worst first")
bad = failing(current)
if not bad:
    st.success("No check fails or warns this week.", icon="✅")
for result in bad:
    owner = f" · owner: {markdown_text(result.owner)}" if result.owner else ""
    widgets.check_link(f, result, f"{widgets.badge(result.status)} · **{result.title}**{owner}")
    st.caption(markdown_text(result.summary))

st.subheader("Actions")
actions.summary(f, current.results)
