"""The chart builders as objects: each plotly figure is built from literals, and its traces carry the
figures, the bands and the marks (never colour alone) the pages rely on."""

from __future__ import annotations

from datetime import date, timedelta

from trust.checks.model import Status
from trust.checks.programme import Programme, Week
from trust.facts.anomalies import SharePoint
from trust.facts.content import ApprovalSlice
from trust.facts.measurement import MeasurementFacts, Pilot
from trust.views import charts
from trust.views.measurement import VariancePoint, pilot_spans

D = date(2026, 11, 22)
WEEKS = [D - timedelta(weeks=i) for i in (2, 1, 0)]
FAIL_COLOUR = charts.STATUS_STYLE[Status.FAIL][2]


def _programme() -> Programme:
    weeks = (Week(WEEKS[0], ("N1",), (2,), 20, 12), Week(WEEKS[1], (), (), 21, 3),
             Week(WEEKS[2], ("N2",), (9,), 22, 15))
    return Programme(WEEKS[0], 22, (20, 25), weeks, (), None, None)


def test_field_score_trend_draws_one_line_per_field_in_week_order():
    fig = charts.field_score_trend([(WEEKS[1], "region", 90.0), (WEEKS[0], "region", 80.0),
                                    (WEEKS[0], "language", 99.0)])
    assert [t.name for t in fig.data] == ["language", "region"]
    region = fig.data[1]
    assert list(region.x) == WEEKS[:2] and list(region.y) == [80.0, 90.0]


def test_share_band_draws_the_band_the_share_and_the_anomaly():
    points = [SharePoint("language", "en", WEEKS[0], 0.80, None, None, None, None, False),
              SharePoint("language", "en", WEEKS[1], 0.81, 0.80, 0.01, 0.75, 0.85, False),
              SharePoint("language", "en", WEEKS[2], 0.60, 0.80, 0.01, 0.75, 0.85, True),
              SharePoint("language", None, WEEKS[2], 0.02, None, None, None, None, False),
              SharePoint("region", "EMEA", WEEKS[2], 0.5, None, None, None, None, False)]
    fig = charts.share_band(points, "language")
    assert [t.name for t in fig.data] == ["en baseline band", "en", "en: anomaly", "(empty)"]
    band, share, anomaly, empty = fig.data
    assert list(band.y) == [0.85, 0.85, 0.75, 0.75] and band.fill == "toself"
    assert list(share.y) == [0.80, 0.81, 0.60]
    assert list(anomaly.x) == [WEEKS[2]] and anomaly.marker.symbol == "x"
    assert list(empty.y) == [0.02]


def test_approval_by_week_shows_the_weeks_only_against_the_fail_line():
    slices = [ApprovalSlice("week", "2026-11-09", 100, 99), ApprovalSlice("week", "2026-11-16", 50, 45),
              ApprovalSlice("team", "crm", 150, 144)]
    fig = charts.approval_by_week(slices, 0.95)
    bar = fig.data[0]
    assert list(bar.x) == ["2026-11-09", "2026-11-16"] and list(bar.y) == [0.99, 0.9]
    assert [list(c) for c in bar.customdata] == [[99, 100], [45, 50]]
    assert fig.layout.shapes[0].y0 == 0.95
    assert fig.layout.yaxis.range[0] == 0.9  # the axis reaches down to the worst week


def test_crisis_hours_names_the_unapproved_items_and_draws_the_target():
    fig = charts.crisis_hours([("CI-1", 2.5, True), ("CI-2", None, False)], 4)
    bar = fig.data[0]
    assert list(bar.y) == [2.5, 0] and list(bar.text) == ["", "no approvals"]
    assert list(bar.marker.color) == [charts.NEUTRAL, FAIL_COLOUR]
    assert fig.layout.shapes[0].y0 == 4 and "4-hour target" in fig.layout.annotations[0].text


def test_variance_chart_marks_breaches_with_a_cross():
    points = [VariancePoint("M1", "Churn", "crm", None, WEEKS[0], 100, 110, 0.09, 0.15, True),
              VariancePoint("M1", "Churn", "crm", None, WEEKS[1], 100, 130, 0.23, 0.15, True)]
    fig = charts.variance_chart(points)
    variance, tolerance = fig.data
    assert variance.name == "M1 Churn" and list(variance.marker.symbol) == ["circle", "x"]
    assert list(tolerance.y) == [0.15, 0.15] and tolerance.line.dash == "dot"


def test_pilot_timeline_draws_each_pilot_and_its_bound():
    pilots = (Pilot("P1", "Subject lines", start_date=date(2026, 9, 1), end_date=date(2026, 9, 30)),
              Pilot("P2", "Send times", start_date=date(2026, 6, 1), end_date=date(2026, 11, 1)),
              Pilot("P3", "Not started"))
    fig = charts.pilot_timeline(pilot_spans(MeasurementFacts(D, pilots)), 90)
    bars = {t.name: t for t in fig.data if t.mode == "lines"}
    assert set(bars) == {"P1", "P2"}  # a pilot without a start has nothing to draw
    assert bars["P1"].line.color == charts.NEUTRAL  # 30 days
    assert bars["P2"].line.color == charts.STATUS_STYLE[Status.WARN][2]  # 154 days, over the bound
    ticks = {t.y[0]: t.x[0] for t in fig.data if t.mode == "markers"}
    assert ticks == {"P1": date(2026, 11, 30), "P2": date(2026, 8, 30)}


def test_the_advocacy_charts_show_gaps_posts_and_the_target():
    programme = _programme()
    calendar = charts.nudge_calendar(programme)
    assert list(calendar.data[0].text) == ["N1", "gap", "N2"]
    assert list(calendar.data[0].marker.color) == [charts.NEUTRAL, FAIL_COLOUR, charts.NEUTRAL]
    posts = charts.posts_per_nudge(programme, 3, 5)
    assert list(posts.data[0].y) == [2, 9]
    assert list(posts.data[0].marker.color) == [charts.STATUS_STYLE[Status.WARN][2]] * 2  # both outside 3-5
    people = charts.active_participants(programme)
    assert [t.name for t in people.data] == ["participants", "shared that week"]
    assert list(people.data[1].y) == [12, 3, 15]
    assert (people.layout.shapes[0].y0, people.layout.shapes[0].y1) == (20, 25)


PLANTED = '<a href="http://planted.invalid/x">click</a> <b>B</b> &amp; %{x}'


def test_a_value_from_the_data_is_chart_text_not_plotly_markup():
    fig = charts.field_score_trend([(WEEKS[0], PLANTED, 90.0)])
    assert fig.data[0].name == ('&lt;a href="http://planted.invalid/x"&gt;click&lt;/a&gt; &lt;b&gt;B&lt;/b&gt; '
                                '&amp;amp; %\u2060{x}')
    crisis = charts.crisis_hours([(PLANTED, 2.0, False)], 4.0)
    shown = crisis.to_json()
    assert "<a href" not in shown and "<b>" not in shown and "%{x}<" not in shown.replace("%{x}:", "")
    band = charts.share_band([SharePoint("language", PLANTED, WEEKS[0], 0.5, None, None, None, None, False)],
                             "language")
    assert all("<a " not in (t.name or "") and "<a " not in (t.hovertemplate or "") for t in band.data)
