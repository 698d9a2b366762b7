"""Credibility: claims backed by evidence, impersonation answered fast, fake users kept out of journeys."""

import pandas as pd
import streamlit as st

from trust.facts.calendar import day_end
from trust.facts.directory import Directory
from trust.ui import loaders, widgets
from trust.ui.frame import frame
from trust.ui.kept import kept
from trust.views import credibility as view
from trust.views.charts import fake_share_chart, incident_timeline
from trust.views.markdown import markdown_text

LINKS = 15  # claims to act on listed as links; the table holds them all

f = frame()
st.title("Credibility")
evaluation = loaders.evaluation(f)
st.caption(f"As of {f.week.isoformat()}" + (
    f" · claims of team {markdown_text(f.team)}; brand incidents and fake users are organisation-wide, so the team "
    "filter does not apply to them." if f.team else " · the whole organisation."))
for check_id in ("credibility.claims_substantiated", "credibility.impersonation_response",
                 "credibility.fake_accounts"):
    result = evaluation.result(check_id)
    widgets.check_link(f, result, f"{widgets.badge(result.status)} · **{result.title}**")
    st.caption(markdown_text(result.summary))


def gap(table, what: str) -> None:
    """A register that was not exported is named; one that was exported but did not load is an error."""
    text = view.missing(table, what)  # it may quote the table's first error
    if table.errors:
        st.error(markdown_text(text), icon="⛔")
    else:
        widgets.no_data(text)


st.subheader("Claims register")
gaps = view.claims_gaps(f.inventory.table("claims"), f.inventory.table("content_items"))
for text in gaps:
    st.warning(markdown_text(text), icon="⚠️")
found = loaders.claims(f)
if found is not None:
    facts, register = found
    lines = kept(f, "credibility.lines", lambda: view.claim_lines(
        register, facts, Directory(loaders.staff(f)), f.week, f.config.claim_expiry_warn_days))
    flagged = [c for c in lines if c.flagged]
    if flagged:
        st.markdown(f"**To act on** ({len(flagged):,}): failing, expired, or expiring within "
                    f"{f.config.claim_expiry_warn_days} days. Each item opens its audit trail.")
        for c in flagged[:LINKS]:
            st.page_link("pages/approvals.py", query_params={view.TRAIL_PARAM: c.item_id, **f.params},
                         label=f"{c.flag} · **{markdown_text(c.item_id)}** "
                               f"{markdown_text(c.claim_id or '(no register row)')} — {markdown_text(c.why)}")
        if len(flagged) > LINKS:
            st.caption(f"And {len(flagged) - LINKS:,} more, at the top of the table below.")
    if lines:
        table = kept(f, "credibility.table", lambda: pd.DataFrame(view.claim_table(lines, f.params)))
        st.dataframe(table, hide_index=True, key="credibility.claims",
                     column_config={"Item": st.column_config.LinkColumn(
                                        display_text=view.TRAIL_TEXT, help="Opens the item's audit trail"),
                                    "Evidence": st.column_config.LinkColumn(),
                                    "Approved": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
                                    "Published": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")})
        st.caption(f"Evidence age is counted to {f.week.isoformat()}; reviewers and owners are shown by name where "
                   "the staff table knows them.")
    elif not gaps:
        widgets.no_data("The claims register holds no claim" + (f" of team {f.team}." if f.team else "."))

st.subheader("Brand incidents")
incidents = loaders.incidents(f)
if incidents is not None and not incidents.register:
    gap(f.inventory.table("brand_incidents"), "brand-incident log")
elif incidents is not None and not incidents.incidents:
    st.success(f"No brand incident detected in the {f.config.incident_window_days} days up to "
               f"{f.week.isoformat()}, and none open.", icon="✅")
elif incidents is not None:
    end = day_end(f.week)
    judged = view.incident_lines(incidents, f.config)
    st.plotly_chart(kept(f, "credibility.timeline", lambda: incident_timeline(
        judged, end, f.config.incident_contain_hours)), key="credibility.timeline")
    undated = [x.incident.incident_id for x in judged if x.incident.detected_at is None]
    if undated:
        st.caption(f"Not drawn, for want of a detection time (they are judged, and listed below): "
                   f"{', '.join(undated)}.")
    still_open = [x for x in judged if x.open]
    st.markdown(f"**Open at the end of {f.week.isoformat()}** ({len(still_open)})")
    if still_open:
        st.dataframe(pd.DataFrame(view.incident_table(still_open, end)), hide_index=True, key="credibility.open")
    else:
        st.caption("None.")
    st.markdown(f"**Every incident judged** (detected in the {f.config.incident_window_days} days up to "
                f"{f.week.isoformat()}, or still open)")
    st.dataframe(pd.DataFrame(view.incident_table(judged, end)), hide_index=True, key="credibility.incidents")

st.subheader("Suspected fake users")
fakes = loaders.fakes(f)
if fakes is not None and not fakes.column:
    widgets.no_data("customers has no suspected_fake column, so suspected fake users and bots cannot be counted.")
elif fakes is not None:
    if fakes.weeks:
        points = [p for p in loaders.shares(f) or () if p.snapshot_date <= f.week]
        st.plotly_chart(kept(f, "credibility.fakes", lambda: fake_share_chart(
            fakes.weeks, points, f.config.fake_new_share_warn, f.config.fake_new_share_fail)), key="credibility.fakes")
        st.dataframe(pd.DataFrame(view.fake_week_table(fakes)), hide_index=True, key="credibility.weeks",
                     column_config={"Share flagged": st.column_config.NumberColumn(format="percent")})
    else:
        widgets.no_data("No earlier customer snapshot to tell new customers from, so no flagged share yet.")
    st.markdown("**Journeys whose audience holds suspected fakes**")
    if fakes.journeys:
        st.dataframe(pd.DataFrame(view.fake_journey_table(fakes)), hide_index=True, key="credibility.journeys")
    elif not fakes.audiences_judged:
        widgets.no_data("Journey audiences are not known as of this week, so they cannot be checked.")
    else:
        st.success("No scheduled or live journey's audience holds a suspected fake.", icon="✅")
