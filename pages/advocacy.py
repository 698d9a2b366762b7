"""Advocacy: participants against target, the weekly nudge calendar, posts, sharing and the evaluation window."""

import pandas as pd
import streamlit as st

from trust.checks.programme import programme
from trust.ui import loaders, widgets
from trust.ui.frame import frame
from trust.ui.kept import kept
from trust.views.charts import active_participants, nudge_calendar, posts_per_nudge
from trust.views.markdown import markdown_text

f = frame()
st.title("Employee advocacy")
evaluation = loaders.evaluation(f)
facts = loaders.advocacy(f)  # stops the page, naming the table, when one it needs did not load
plan = programme(facts, f.config)
if plan.launch is None:
    widgets.no_data(f"No advocacy programme has started by {f.week.isoformat()}.")
    st.stop()
if f.team:
    st.caption("The programme is organisation-wide; the figures below are not filtered by team.")

cadence = evaluation.result("culture.advocacy_cadence")
st.markdown(f"{widgets.badge(cadence.status)} · {markdown_text(cadence.summary)}")
low, high = plan.target
top = st.columns(4)
top[0].metric("Participants", plan.participants, help=f"Target {low} to {high}.",
              delta=None if low <= plan.participants <= high else ("below target" if plan.participants < low
                                                                   else "above target"), delta_color="off")
top[1].metric("Active in the last 4 weeks", cadence.metrics.get("active_sharers", 0))
top[2].metric("Weeks without a nudge", len(plan.missed_weeks))
top[3].metric("Launched", plan.launch.isoformat())
st.info(plan.evaluation_state(f.week), icon="🗓️")

st.plotly_chart(kept(f, "advocacy.calendar", lambda: nudge_calendar(plan)), key="advocacy.calendar")
st.plotly_chart(kept(f, "advocacy.posts", lambda: posts_per_nudge(plan, f.config.advocacy_posts_min,
                                                                  f.config.advocacy_posts_max)),
                key="advocacy.posts")
st.plotly_chart(kept(f, "advocacy.active", lambda: active_participants(plan)), key="advocacy.active")

st.subheader("Shares of content not recorded as approved")
if plan.unapproved:
    st.dataframe(pd.DataFrame(plan.unapproved, columns=["Share", "Employee", "Shared on", "Approval",
                                                        "In the judged window"]), hide_index=True,
                 key="advocacy.unapproved")
    st.caption(f"Only approved content may be shared; those in the last {f.config.advocacy_window_weeks} weeks "
               "fail the cadence check.")
else:
    st.success("Every share used content recorded as approved.", icon="✅")
