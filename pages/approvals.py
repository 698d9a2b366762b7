"""Approvals and audit: compliance by week, team, channel and context; breaches; crisis speed; trail lookup."""

import pandas as pd
import streamlit as st

from trust.ui import loaders, widgets
from trust.ui.frame import frame
from trust.ui.kept import kept
from trust.views.charts import approval_by_week, crisis_hours
from trust.views.markdown import markdown_text
from trust.views.trail import has_approvals

f = frame()
evaluation = loaders.evaluation(f)
approval = evaluation.approval

st.title("Approvals and audit")
compliance = evaluation.result("governance.approval_compliance")
audit = evaluation.result("governance.audit_trail")
if evaluation.content is None:
    st.error(markdown_text(compliance.summary), icon="⛔")
    st.stop()
if not evaluation.content.items:
    widgets.no_data(f"No content item as of {f.week.isoformat()}" + (f" for team {f.team}." if f.team else "."))
    st.stop()

top = st.columns(4)
top[0].metric("Approval compliance", widgets.score(approval["rate"], "rate"), help=markdown_text(compliance.summary))
top[1].metric("Needing approval", f"{approval['requiring_approval']:,}")
top[2].metric("Breaches", f"{approval['requiring_approval'] - approval['compliant']:,}")
top[3].metric("Audit completeness", widgets.score(audit.metrics.get("rate"), "rate"), help=markdown_text(audit.summary))

slices = evaluation.approval_breakdown
if slices:
    st.plotly_chart(kept(f, "approvals.weeks", lambda: approval_by_week(slices, f.config.approval_warn_rate)),
                    key="approvals.weeks")
    columns = st.columns(3)
    for column, dimension in zip(columns, ("team", "channel", "context"), strict=True):
        column.dataframe(pd.DataFrame([{dimension.title(): s.value, "Rate": s.rate, "Compliant": s.compliant,
                                        "Needing approval": s.requiring} for s in slices
                                       if s.dimension == dimension]), hide_index=True,
                         key=f"approvals.{dimension}", column_config={"Rate": st.column_config.NumberColumn(
                             format="percent")})

st.subheader("Breaches: published without their approvals")
breaches = compliance.evidence
if breaches is None or not breaches.rows:
    st.success("No breach.", icon="✅")
else:
    st.caption(f"{breaches.total:,} items; reason: missing, wrong role, edited after approval or approved "
               "after publication.")
    widgets.records(breaches.columns, breaches.rows, "approvals.breaches")
    widgets.download(breaches.columns, breaches.rows, f"approval-breaches-{f.week.isoformat()}.csv",
                "approvals.download")

st.subheader("Incomplete audit trails")
gaps = audit.evidence
if gaps is None or not gaps.rows:
    st.caption(markdown_text(audit.summary))
else:
    widgets.records(gaps.columns, gaps.rows, "approvals.gaps")

st.subheader(f"Crisis messages of the last {f.config.crisis_window_days} days")
crisis = loaders.crisis(f)
if crisis:
    st.plotly_chart(kept(f, "approvals.crisis", lambda: crisis_hours(crisis, f.config.crisis_max_median_hours)),
                    key="approvals.crisis")
    st.caption(markdown_text(evaluation.result("accountability.crisis_comms").summary))
elif crisis is not None:
    widgets.no_data("No crisis message published.")

st.subheader("Audit trail of one item")
# Bound to the URL (?approvals.item=), so other pages can link to an item's trail.
item_id = st.text_input("Content item ID", key="approvals.item", placeholder="e.g. CI-P01",
                        bind="query-params").strip()
if item_id:
    found = loaders.trail(f, item_id)
    if found is not None:
        item, steps = found
        if item is None:
            st.warning(f"There is no content item {markdown_text(repr(item_id))}.")
        else:
            roles = markdown_text(", ".join(item["approver_roles"] or []))
            needs = f"needs approval by {roles}" if item["mapped"] and item["approval_required"] else (
                "needs no approval" if item["mapped"] else "matches no decision-rights rule")
            team, channel, context = (markdown_text(str(item[k])) for k in ("team", "channel", "context"))
            st.markdown(f"**{markdown_text(item_id)}** · {team} · {channel} / {context} · {needs} · "
                        f"published {item['published_at'] or 'not yet'}")
            if item["mapped"] and item["approval_required"] and item["published_at"]:
                st.markdown("Has its approvals: " + ("✅ yes" if has_approvals(item, steps) else "❌ no"))
            st.dataframe(pd.DataFrame([{
                "When": s.occurred_at, "Event": s.event_type, "Actor": s.actor, "Role": s.actor_role,
                "Counts": {True: "✅ counts", False: "❌ does not count", None: ""}[s.counts],
                "Why": s.reason, "Note": s.note} for s in steps]), hide_index=True, key="approvals.trail")
