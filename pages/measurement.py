"""Measurement: forecast variance against tolerance, pilots against the 21-day bound, the intangibles register."""

import pandas as pd
import streamlit as st

from trust.ui import loaders, widgets
from trust.ui.frame import frame
from trust.ui.kept import kept
from trust.views.charts import pilot_timeline, variance_chart
from trust.views.markdown import markdown_text
from trust.views.measurement import pilot_spans, variance_points

f = frame()
st.title("Measurement")
evaluation = loaders.evaluation(f)
facts = loaders.measurement(f)  # stops the page, naming the table, when one it needs did not load

st.subheader("Predictive models against their tolerance")
tolerances = evaluation.result("measurement.tolerances")
st.markdown(f"{widgets.badge(tolerances.status)} · {markdown_text(tolerances.summary)}")
points = variance_points(facts, f.config)
if points:
    st.plotly_chart(kept(f, "measurement.variance", lambda: variance_chart(points)), key="measurement.variance")
    st.dataframe(pd.DataFrame([{
        "Model": p.model_id, "Name": p.model_name, "Team": p.team, "Owner": p.owner, "Period": p.period_start,
        "Predicted": p.predicted, "Actual": p.actual, "Variance": p.variance,
        "Tolerance": p.tolerance if p.tolerance_set else None, "Outside": "❌ yes" if p.breach else "no",
    } for p in points]), hide_index=True, key="measurement.models",
        column_config={"Variance": st.column_config.NumberColumn(format="percent"),
                       "Tolerance": st.column_config.NumberColumn(format="percent", help="Blank: none set, "
                                                                  f"{f.config.default_tolerance:.0%} applies")})
else:
    widgets.no_data("No forecast with an actual as of this week" + (f" for team {f.team}." if f.team else "."))

st.subheader("Pilots")
pilots = evaluation.result("measurement.pilot_criteria")
st.markdown(f"{widgets.badge(pilots.status)} · {markdown_text(pilots.summary)}")
spans = pilot_spans(facts)
if spans:
    st.plotly_chart(kept(f, "measurement.pilots", lambda: pilot_timeline(spans, f.config.pilot_max_days)),
                    key="measurement.pilots")
    st.dataframe(pd.DataFrame([{
        "Pilot": s.pilot.pilot_id, "Name": s.pilot.name, "Workflow": s.pilot.workflow, "Team": s.pilot.team,
        "Owner": s.pilot.owner, "Start": s.pilot.start_date, "End": s.pilot.end_date, "Days": s.days,
        "State": s.state, "Primary": s.criterion("primary"), "Supporting": s.criterion("supporting"),
        "Risk": s.criterion("risk"), "Decision": s.pilot.decision,
        "Proven": "✅ yes" if s.proven else "no"} for s in spans]), hide_index=True, key="measurement.pilot_table")
    st.caption("A proven pilot ended, met its primary target and stayed within its risk limit, and was scaled or "
               "is awaiting its decision; Ready to scale needs one.")
else:
    widgets.no_data("No pilot" + (f" for team {f.team}." if f.team else "."))

st.subheader("Intangibles register")
intangibles = evaluation.result("measurement.intangibles")
st.markdown(f"{widgets.badge(intangibles.status)} · {markdown_text(intangibles.summary)}")
methods = [m for m in facts.methods if (m.kind or "").lower() == "intangible"]
if methods:
    st.dataframe(pd.DataFrame([{
        "Metric": m.metric, "Team": m.team, "Owner": m.owner, "Baseline": m.baseline_value,
        "Baseline date": m.baseline_date, "Method": m.method, "Documentation": m.documentation_url,
        "Runs": m.run_count, "Last run": m.last_run} for m in methods]), hide_index=True,
        key="measurement.intangibles", column_config={"Documentation": st.column_config.LinkColumn()})
else:
    widgets.no_data("No intangible outcome is registered.")
