"""Check detail, the drill-down: what a check asks, why, its thresholds, history, records and remedy."""

import pandas as pd
import streamlit as st

from trust.checks.registry import BY_ID, CHECKS
from trust.settings import Settings
from trust.ui import actions, loaders, widgets
from trust.ui.frame import frame
from trust.ui.kept import kept
from trust.views.charts import status_history
from trust.views.export import masked_rows
from trust.views.markdown import markdown_text
from trust.views.voice import records_title, voice_panel

f = frame()
evaluation = loaders.evaluation(f, loaders.STATUS_WEEKS)

check_id = widgets.url_choice("Check", [c.id for c in CHECKS], "check", lambda i: f"{BY_ID[i].title} ({i})")
check = BY_ID[check_id]
result = evaluation.result(check_id)

st.title(check.title)
st.markdown(f"### {widgets.badge(result.status)}")
st.markdown(markdown_text(result.summary))
st.caption(f"Score: {widgets.score_text(result)}")
scope = "this team" if result.scope == "team" else "the whole organisation"
owner = markdown_text(result.owner) if result.owner else "not named in the data"
st.caption(f"As of {f.week.isoformat()} · judged for {scope} · owner: {owner}")

st.subheader("What it checks")
st.markdown(check.question + (" It is self-assessed: the team lead's answer is its evidence."
                              if check.self_assessed else ""))
st.subheader("Why it matters")
st.markdown(check.why)

if check.settings:
    st.subheader("Thresholds in force")
    st.dataframe(pd.DataFrame([{
        "Setting": f"TRUST_{name.upper()}", "Value": getattr(f.config, name),
        "Meaning": Settings.model_fields[name].description,
    } for name in check.settings]), hide_index=True, key="detail.thresholds")

st.subheader("Status over the last 12 weeks")
weeks = loaders.history(f, loaders.STATUS_WEEKS)
past = [(e.as_of, e.result(check_id)) for e in weeks]
st.plotly_chart(kept(f, "detail.history", lambda: status_history([d for d, _ in past], [r.status for _, r in past],
                                                                [r.score for _, r in past]), check_id),
                key="detail.history")
st.caption(" · ".join(f"{d.isoformat()}: {widgets.badge(r.status)}" for d, r in past))

# culture.brand_voice: readability and volume of AI text
panel = kept(f, "detail.voice", lambda: voice_panel(result, f.config), check_id)
if panel is not None:
    st.subheader("Authenticity of published AI text")
    st.caption(panel.note)
    if panel.figure is not None:
        st.plotly_chart(panel.figure, key="detail.voice")

st.subheader(records_title(result))
evidence = result.evidence
if result.metrics:
    st.json(dict(result.metrics), expanded=False)
if evidence is None or not evidence.rows:
    widgets.no_data("No failing record: nothing to list for this check this week."
               if result.status.value in ("pass", "not_assessed") else "This check has no record list.")
else:
    unmasked = False
    if "customer_id" in evidence.columns:
        unmasked = st.toggle("Show customer IDs", key="detail.unmask",
                             help="Customer IDs are masked by default; show them only where you need to act.")
    shown = f"{len(evidence.rows):,} of {evidence.total:,}" if evidence.total > len(evidence.rows) \
        else f"{evidence.total:,}"
    st.caption(f"{shown} {evidence.kind}")
    widgets.records(evidence.columns, evidence.rows, "detail.records", unmasked)
    rows = evidence.rows if unmasked else masked_rows(evidence.columns, evidence.rows)
    widgets.download(evidence.columns, rows, f"{check_id}-{f.week.isoformat()}.csv", "detail.download")

st.subheader("How to remediate")
st.markdown(check.remediation)

st.subheader("Actions")
saved = st.session_state.pop("detail.action.saved", None)
if saved:
    st.success(saved, icon="✅")
actions.editor(f, result)
