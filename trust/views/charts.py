"""Plotly figures for the pages, built by pure functions from engine results (tested as objects)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

from trust.checks.model import Status, shown_score
from trust.checks.programme import Programme
from trust.facts.anomalies import FAKE_FIELD, SharePoint
from trust.facts.content import ApprovalSlice
from trust.facts.credibility import FakeWeek
from trust.scoring import LayerScore
from trust.views.credibility import IncidentLine
from trust.views.markdown import chart_text
from trust.views.measurement import PilotSpan, VariancePoint

# Colour-blind-safe hues; every status also has an icon and a word, never colour alone.
STATUS_STYLE: dict[Status, tuple[str, str, str]] = {
    Status.PASS: ("✅", "Pass", "#1b7837"),
    Status.WARN: ("⚠️", "Warn", "#e08214"),
    Status.FAIL: ("❌", "Fail", "#c51b7d"),
    Status.NOT_ASSESSED: ("⚪", "Not assessed", "#8c8c8c"),
    Status.ERROR: ("⛔", "Error", "#542788"),
}
SYMBOLS = {Status.PASS: "circle", Status.WARN: "triangle-up", Status.FAIL: "x", Status.NOT_ASSESSED: "circle-open",
           Status.ERROR: "square"}
NEUTRAL = "#4575b4"


# plotly_white's layout (white background, light grid) without its per-trace defaults (colour bars, bar
# outlines): a figure copies its template, and the whole of plotly_white cost about 15 ms a figure, a third of
# a warm page's rerun; this one about 4 ms.
TEMPLATE = go.layout.Template(layout=pio.templates["plotly_white"].layout)


def _layout(fig: go.Figure, title: str, height: int = 320) -> go.Figure:
    fig.update_layout(title=title, height=height, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      legend={"orientation": "h", "y": -0.2}, template=TEMPLATE)
    return fig


def status_history(weeks: Sequence[date], statuses: Sequence[Status], scores: Sequence[float | None],
                   title: str = "Status, week by week") -> go.Figure:
    """A check's score over the weeks, each point marked with its status's colour, symbol and word.

    A week without a score is a gap; a check judged by status alone is drawn by status.
    """
    by_status = all(s is None for s in scores)
    fig = go.Figure(go.Scatter(
        x=list(weeks), y=[STATUS_STYLE[s][1] for s in statuses] if by_status else list(scores),
        mode="lines+markers", connectgaps=False, line={"color": "#bbbbbb"},
        marker={"size": 14, "color": [STATUS_STYLE[s][2] for s in statuses],
                "symbol": [SYMBOLS[s] for s in statuses], "line": {"width": 1, "color": "#333"}},
        text=[STATUS_STYLE[s][1] for s in statuses],
        hovertemplate="%{x|%Y-%m-%d}: %{text}" + ("" if by_status else ", score %{y}") + "<extra></extra>"))
    if by_status:
        order = [STATUS_STYLE[s][1] for s in (Status.PASS, Status.NOT_ASSESSED, Status.WARN, Status.FAIL,
                                                Status.ERROR)]
        fig.update_yaxes(type="category", categoryorder="array", categoryarray=order, title="status")
    else:
        fig.update_yaxes(range=[-5, 105], title="score")
    return _layout(fig, title, 260)


def layer_history(weeks: Sequence[tuple[date, Sequence[LayerScore]]],
                  title: str = "Layer scores, week by week") -> go.Figure:
    """Each layer's score per week, from (week, layer scores) pairs; a week without a score is a gap,
    and each point carries its layer's status as symbol and word, so a failing layer never looks healthy."""
    fig = go.Figure()
    for i, layer in enumerate(weeks[-1][1] if weeks else ()):
        statuses = [layers[i].status for _, layers in weeks]
        fig.add_scatter(x=[d for d, _ in weeks], y=[layers[i].score for _, layers in weeks], mode="lines+markers",
                        name=layer.title, connectgaps=False,
                        marker={"size": 10, "symbol": [SYMBOLS[s] for s in statuses],
                                "line": {"width": 1, "color": "#333"}},
                        text=[STATUS_STYLE[s][1] for s in statuses],
                        hovertemplate="%{x|%Y-%m-%d}: %{y:.1f} (%{text})<extra>" + layer.title + "</extra>")
    fig.update_yaxes(range=[-5, 105], title="share of checks passing")
    return _layout(fig, title, 320)


def field_score_trend(rows: Sequence[tuple[date, str, float]]) -> go.Figure:
    """Each high-risk field's score per week, from (week, field, score) rows, rounded down as shown elsewhere."""
    fig = go.Figure()
    for field in sorted({f for _, f, _ in rows}):
        mine = sorted((w, shown_score(s)) for w, f, s in rows if f == field)
        fig.add_scatter(x=[w for w, _ in mine], y=[s for _, s in mine], mode="lines+markers", name=chart_text(field))
    fig.update_yaxes(title="field score")
    return _layout(fig, "Field scores, week by week")


def share_band(points: Sequence[SharePoint], field: str) -> go.Figure:
    """A field's value shares per snapshot, each against its baseline band; anomalies marked."""
    fig = go.Figure()
    values = sorted({p.value for p in points if p.field == field}, key=lambda v: (v is None, v or ""))
    for value in values:
        mine = [p for p in points if p.field == field and p.value == value]
        label = chart_text(value) if value is not None else "(empty)"
        banded = [p for p in mine if p.low is not None]
        if banded:
            fig.add_scatter(x=[p.snapshot_date for p in banded] + [p.snapshot_date for p in reversed(banded)],
                            y=[p.high for p in banded] + [p.low for p in reversed(banded)], fill="toself",
                            mode="lines", line={"width": 0}, opacity=0.15, name=f"{label} baseline band",
                            hoverinfo="skip", showlegend=False)
        fig.add_scatter(x=[p.snapshot_date for p in mine], y=[p.share for p in mine], mode="lines+markers",
                        name=label, hovertemplate="%{x|%Y-%m-%d}: %{y:.1%}<extra>" + label + "</extra>")
        flagged = [p for p in mine if p.anomaly]
        if flagged:
            fig.add_scatter(x=[p.snapshot_date for p in flagged], y=[p.share for p in flagged], mode="markers",
                            marker={"size": 16, "symbol": "x", "color": STATUS_STYLE[Status.FAIL][2]},
                            name=f"{label}: anomaly")
    fig.update_yaxes(title="share of customers", tickformat=".0%")
    return _layout(fig, f"{chart_text(field)}: share per snapshot against its baseline band", 340)


def approval_by_week(slices: Sequence[ApprovalSlice], warn_rate: float) -> go.Figure:
    weeks = [s for s in slices if s.dimension == "week"]
    fig = go.Figure(go.Bar(x=[chart_text(s.value) for s in weeks], y=[s.rate for s in weeks], marker_color=NEUTRAL,
                           customdata=[[s.compliant, s.requiring] for s in weeks],
                           hovertemplate="week of %{x}: %{y:.2%} (%{customdata[0]} of %{customdata[1]})"
                                         "<extra></extra>"))
    fig.add_hline(y=warn_rate, line_dash="dash", line_color=STATUS_STYLE[Status.FAIL][2],
                  annotation_text=f"fail below {warn_rate:.0%}")
    fig.update_yaxes(title="approval compliance", tickformat=".0%", range=[min([warn_rate - 0.02] +
                     [s.rate for s in weeks if s.rate is not None]), 1.005])
    return _layout(fig, "Approval compliance by week of publication")


def crisis_hours(rows: Sequence[tuple[str, float | None, bool]], target: float) -> go.Figure:
    """Hours from recommendation to publication per crisis item (item, hours, approved)."""
    fig = go.Figure(go.Bar(
        x=[chart_text(r[0]) for r in rows], y=[r[1] or 0 for r in rows],
        marker_color=[NEUTRAL if r[2] else STATUS_STYLE[Status.FAIL][2] for r in rows],
        text=["" if r[2] else "no approvals" for r in rows],
        hovertemplate="%{x}: %{y:.1f} h %{text}<extra></extra>"))
    fig.add_hline(y=target, line_dash="dash", annotation_text=f"{target:g}-hour target")
    fig.update_yaxes(title="hours")
    return _layout(fig, "Crisis messages: hours from recommendation to publication")


def variance_chart(points: Sequence[VariancePoint]) -> go.Figure:
    fig = go.Figure()
    for model in sorted({p.model_id for p in points}):
        mine = [p for p in points if p.model_id == model]
        fig.add_scatter(x=[p.period_start for p in mine], y=[p.variance for p in mine], mode="lines+markers",
                        name=chart_text(f"{model} {mine[0].model_name or ''}".strip()),
                        marker={"symbol": ["x" if p.breach else "circle" for p in mine], "size": 10})
        fig.add_scatter(x=[p.period_start for p in mine], y=[p.tolerance for p in mine], mode="lines",
                        line={"dash": "dot", "width": 1}, name=f"{chart_text(model)} tolerance", showlegend=False,
                        hovertemplate="tolerance %{y:.0%}<extra></extra>")
    fig.update_yaxes(title="|actual − predicted| / |actual|", tickformat=".0%")
    return _layout(fig, "Forecast variance per period against tolerance (dotted)", 360)


def pilot_timeline(spans: Sequence[PilotSpan], max_days: int) -> go.Figure:
    fig = go.Figure()
    for span in spans:
        p = span.pilot
        if p.start_date is None:
            continue
        end = p.end_date or p.start_date
        over = span.days is not None and span.days > max_days
        colour = STATUS_STYLE[Status.WARN][2] if over else NEUTRAL
        pilot = chart_text(p.pilot_id)
        fig.add_scatter(x=[p.start_date, end + timedelta(days=1)], y=[pilot, pilot], mode="lines",
                        line={"width": 14, "color": colour}, name=pilot, showlegend=False,
                        hovertemplate=f"{pilot} {chart_text(p.name)}: {span.days or '?'} days, {span.state}"
                                      "<extra></extra>")
        bound = p.start_date + timedelta(days=max_days)
        fig.add_scatter(x=[bound], y=[pilot], mode="markers", marker={"symbol": "line-ns-open", "size": 18},
                        showlegend=False, hovertemplate=f"{max_days}-day bound<extra></extra>")
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, f"Pilots (bar) and their {max_days}-day bound (tick)", 60 + 40 * max(1, len(spans)))


def nudge_calendar(programme: Programme) -> go.Figure:
    """One bar per week since launch: a nudge sent, or a gap."""
    weeks = programme.weeks
    fig = go.Figure(go.Bar(
        x=[w.start for w in weeks], y=[1] * len(weeks),
        marker_color=[NEUTRAL if w.nudges else STATUS_STYLE[Status.FAIL][2] for w in weeks],
        text=[chart_text(", ".join(w.nudges)) if w.nudges else "gap" for w in weeks], textposition="inside",
        hovertemplate="week of %{x|%Y-%m-%d}: %{text}<extra></extra>"))
    fig.update_yaxes(visible=False)
    return _layout(fig, "Weekly nudges since launch (red: a week without a nudge)", 200)


def posts_per_nudge(programme: Programme, low: int, high: int) -> go.Figure:
    xs, ys = [], []
    for w in programme.weeks:
        for posts in w.posts:
            xs.append(w.start)
            ys.append(posts)
    fig = go.Figure(go.Scatter(x=xs, y=ys, mode="markers", marker={"size": 12, "color": [
        NEUTRAL if y is not None and low <= y <= high else STATUS_STYLE[Status.WARN][2] for y in ys]}))
    fig.add_hrect(y0=low - 0.5, y1=high + 0.5, opacity=0.1, line_width=0, fillcolor=STATUS_STYLE[Status.PASS][2])
    fig.update_yaxes(title="recommended posts")
    return _layout(fig, f"Recommended posts per nudge (band: {low} to {high})", 260)


def active_participants(programme: Programme) -> go.Figure:
    weeks = programme.weeks
    fig = go.Figure()
    fig.add_scatter(x=[w.start for w in weeks], y=[w.participants for w in weeks], mode="lines", name="participants")
    fig.add_scatter(x=[w.start for w in weeks], y=[w.active for w in weeks], mode="lines+markers",
                    name="shared that week")
    low, high = programme.target
    fig.add_hrect(y0=low, y1=high, opacity=0.1, line_width=0, fillcolor=STATUS_STYLE[Status.PASS][2],
                  annotation_text=f"target {low}-{high}")
    fig.update_yaxes(title="people")
    return _layout(fig, "Participants and weekly active sharers since launch", 300)


def voice_chart(rows: Sequence[dict], min_ease: float, max_ratio: float) -> go.Figure:
    """Median reading ease (top) and volume against the weeks before (bottom) per team and week, the
    thresholds dashed; a flagged week is marked with a cross."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=("Median reading ease", "AI volume ÷ median of the weeks before"))
    for team in dict.fromkeys(r["team"] for r in rows):
        mine, shown = [r for r in rows if r["team"] == team], chart_text(team)
        for line, key in ((1, "median_reading_ease"), (2, "volume_ratio")):
            fig.add_scatter(x=[r["week"] for r in mine], y=[r[key] for r in mine], mode="lines+markers",
                            name=shown, legendgroup=shown, showlegend=line == 1, connectgaps=False,
                            marker={"size": 9, "symbol": ["x" if r["flags"] else "circle" for r in mine]},
                            customdata=[[r["ai_items"], r["with_body"]] for r in mine],
                            hovertemplate="week of %{x|%Y-%m-%d}: %{y}<br>%{customdata[0]} AI items, "
                                          "%{customdata[1]} with text<extra>" + shown + "</extra>", row=line, col=1)
    colour = STATUS_STYLE[Status.FAIL][2]
    fig.add_hline(y=min_ease, line_dash="dash", line_color=colour, row=1, col=1,
                  annotation_text=f"{min_ease:g}")
    fig.add_hline(y=max_ratio, line_dash="dash", line_color=colour, row=2, col=1,
                  annotation_text=f"{max_ratio:g}×")
    return _layout(fig, "Authenticity of published AI text, per team and week (x: a flagged week)", 460)


def incident_timeline(lines: Sequence[IncidentLine], end: datetime, target_hours: float) -> go.Figure:
    """Each incident from detection to containment (thick, coloured by what the check finds) and on to
    resolution (thin; dotted while open), drawn to the end of the date when not yet reached; a tick marks
    the containment target."""
    fig = go.Figure()
    for x in lines:
        i, name = x.incident, chart_text(x.incident.incident_id)
        if i.detected_at is None:
            continue
        status = Status.FAIL if x.failing else (Status.WARN if x.problems else Status.PASS)
        contained = i.contained_at if x.contained else end
        fig.add_scatter(x=[i.detected_at, contained], y=[name, name], mode="lines", showlegend=False,
                        line={"width": 14, "color": STATUS_STYLE[status][2] if status != Status.PASS else NEUTRAL},
                        hovertemplate=name + chart_text(f" {i.kind or ''}, {i.severity or 'unknown'} severity: "
                                                        f"{x.hours:.0f} h "
                                                        f"{'to containment' if x.contained else 'and not contained'}; "
                                                        f"owner {i.owner or 'none'}; {x.problems or 'no problem'}")
                        + "<extra></extra>")
        if x.contained:
            fig.add_scatter(x=[contained, i.resolved_at if x.state == "resolved" else end], y=[name, name],
                            mode="lines", showlegend=False,
                            line={"width": 4, "color": "#999999", "dash": "solid" if x.state == "resolved" else "dot"},
                            hovertemplate=f"{name}: {x.state}<extra></extra>")
        fig.add_scatter(x=[i.detected_at + timedelta(hours=target_hours)], y=[name], mode="markers",
                        marker={"symbol": "line-ns-open", "size": 18, "color": "#333333"}, showlegend=False,
                        hovertemplate=f"{target_hours:g}-hour containment target<extra></extra>")
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, f"Incidents: detection to containment (thick) and resolution (thin); tick: the "
                        f"{target_hours:g}-hour target", 80 + 36 * max(1, len(lines)))


def fake_share_chart(weeks: Sequence[FakeWeek], points: Sequence[SharePoint], warn: float,
                     fail: float) -> go.Figure:
    """The share of new customers flagged as suspected fakes per snapshot (bars) against the warn and fail
    limits, and the flagged share of the whole snapshot (line) in its anomaly baseline band."""
    fig = go.Figure(go.Bar(x=[w.snapshot_date for w in weeks], y=[w.share for w in weeks], marker_color=NEUTRAL,
                           name="new customers flagged", customdata=[[w.flagged, w.new_customers] for w in weeks],
                           hovertemplate="%{x|%Y-%m-%d}: %{y:.1%} (%{customdata[0]} of %{customdata[1]} new)"
                                         "<extra></extra>"))
    mine = [p for p in points if p.field == FAKE_FIELD]
    banded = [p for p in mine if p.low is not None]
    if banded:
        fig.add_scatter(x=[p.snapshot_date for p in banded] + [p.snapshot_date for p in reversed(banded)],
                        y=[p.high for p in banded] + [max(0.0, p.low) for p in reversed(banded)], fill="toself",
                        mode="lines", line={"width": 0}, opacity=0.15, name="baseline band", hoverinfo="skip")
    if mine:
        fig.add_scatter(x=[p.snapshot_date for p in mine], y=[p.share for p in mine], mode="lines+markers",
                        name="all customers flagged", hovertemplate="%{x|%Y-%m-%d}: %{y:.1%} of the snapshot"
                                                                    "<extra></extra>")
    anomalies = [p for p in mine if p.anomaly]
    if anomalies:
        fig.add_scatter(x=[p.snapshot_date for p in anomalies], y=[p.share for p in anomalies], mode="markers",
                        marker={"size": 16, "symbol": "x", "color": STATUS_STYLE[Status.FAIL][2]}, name="anomaly")
    for limit, status in ((warn, Status.WARN), (fail, Status.FAIL)):
        fig.add_hline(y=limit, line_dash="dash", line_color=STATUS_STYLE[status][2],
                      annotation_text=f"{STATUS_STYLE[status][1].lower()} above {limit:.0%} of new customers")
    fig.update_yaxes(title="share flagged as suspected fakes", tickformat=".0%", rangemode="tozero")
    return _layout(fig, "Suspected fakes: share of new customers (bars) and of the whole snapshot (line)", 340)
