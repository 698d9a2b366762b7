"""Signal quality: field scores and their trend, uniqueness, journey pre-flight and anomalies."""

import pandas as pd
import streamlit as st

from trust.checks.journeys import describe
from trust.ui import forms, loaders, widgets
from trust.ui.frame import frame
from trust.ui.kept import kept
from trust.views.charts import field_score_trend, share_band
from trust.views.export import masked_rows
from trust.views.markdown import markdown_text

f = frame()
evaluation = loaders.evaluation(f, loaders.STATUS_WEEKS)

st.title("Signal quality")
if evaluation.snapshot is None:
    widgets.no_data(f"No customer snapshot on or before {f.week.isoformat()}: signal quality cannot be measured.")
    st.stop()
st.caption(f"Snapshot {evaluation.snapshot.isoformat()} (current as of {f.week.isoformat()}). Customer data is "
           "organisation-wide; pre-flight follows the team filter.")

quality = evaluation.result("signal.field_quality")
top = st.columns(3)
top[0].metric("Signal-quality score", widgets.score(evaluation.signal_score), help="Mean of the field scores.")
top[1].metric("Uniqueness", widgets.score(evaluation.uniqueness, "rate"), help="Distinct customer IDs over rows.")
top[2].metric("High-risk fields", len(evaluation.signal_scores))
widgets.check_link(f, quality)

st.subheader("High-risk fields")
if evaluation.signal_scores:
    st.dataframe(pd.DataFrame([{
        "Field": s.field, "Owner": s.owner, "Completeness": s.completeness, "Validity": s.validity,
        "Freshness": s.freshness, "Score": s.shown} for s in evaluation.signal_scores]), hide_index=True,
        key="signal.fields", column_config={c: st.column_config.ProgressColumn(c, format="percent", min_value=0,
                                                                                max_value=1)
                                            for c in ("Completeness", "Validity", "Freshness")}
        | {"Score": st.column_config.NumberColumn(format="%.1f")})
    history = loaders.history(f, loaders.STATUS_WEEKS)
    st.plotly_chart(kept(f, "signal.trend", lambda: field_score_trend(
        [(e.as_of, s.field, s.score) for e in history for s in e.signal_scores])), key="signal.trend")
    st.caption("Uniqueness by week: " + " · ".join(
        f"{e.as_of.isoformat()} {widgets.score(e.uniqueness, 'rate')}" for e in history))
else:
    widgets.no_data("The field registry marks no high-risk field that is a column of customers.")

st.subheader("Pre-flight of scheduled and live journeys")
preflight = evaluation.result("signal.preflight")
if preflight.reason:
    widgets.no_data(preflight.summary)
elif not evaluation.journeys:
    widgets.no_data("No scheduled or live journey" + (f" for team {f.team}." if f.team else "."))
else:
    st.dataframe(pd.DataFrame([{
        "Journey": j.journey_id, "Name": j.name, "Team": j.team, "Owner": j.owner, "Channel": j.channel,
        "Status": widgets.badge(status), "Audience": j.audience, "Blocking": j.blocking, "Warnings": j.warned,
        "Rules": describe(j)} for j, status in evaluation.journeys]), hide_index=True, key="signal.journeys")
    failures = preflight.evidence
    flagged = [j.journey_id for j, _ in evaluation.journeys if j.blocking or j.warned]
    if failures is not None and flagged:
        journey = st.selectbox("Failing customers of", flagged, key="signal.journey")
        index = failures.columns.index("journey_id")
        rows = [r for r in failures.rows if r[index] == journey]
        unmasked = st.toggle("Show customer IDs", key="signal.unmask")
        widgets.records(failures.columns, rows, "signal.failures", unmasked)
        widgets.download(failures.columns, rows if unmasked else masked_rows(failures.columns, rows),
                    f"preflight-{journey}-{f.week.isoformat()}.csv", "signal.download")

st.subheader("Anomalies")
points = loaders.shares(f)
if points:
    fields = sorted({p.field for p in points})
    field = st.selectbox("Field", fields, key="signal.field")
    st.plotly_chart(kept(f, "signal.band", lambda: share_band([p for p in points if p.snapshot_date <= f.week], field),
                         field), key="signal.band")
review = evaluation.result("signal.anomaly_review")
st.markdown(f"{widgets.badge(review.status)} · {markdown_text(review.summary)}")
if review.evidence is not None and review.evidence.rows:
    st.dataframe(pd.DataFrame(review.evidence.as_dicts()), hide_index=True, key="signal.anomalies")
    forms.review_form(f, evaluation)
