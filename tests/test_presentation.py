"""What the pages build from engine results: review deltas, safe exports, advocacy, charts, trail explanations."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import pytest

from trust.checks.model import Result, Status
from trust.checks.programme import add_months, programme
from trust.checks.registry import CHECKS
from trust.engine import Evaluation
from trust.facts.advocacy import AdvocacyFacts, Nudge, Participant, Share
from trust.scoring import layer_scores, readiness
from trust.settings import Settings
from trust.views import charts
from trust.views.export import mask, masked_rows, neutralise, safe_csv
from trust.views.trail import explain, has_approvals
from trust.views.weekly import changes, failing, headline

D = date(2026, 11, 22)


def evaluation(statuses: dict[str, Status], as_of: date = D, metrics: dict | None = None) -> Evaluation:
    results = tuple(Result(c.id, c.layer, c.title, statuses.get(c.id, Status.PASS), 100.0, "s",
                           (metrics or {}).get(c.id, {}), None, None, "organisation") for c in CHECKS)
    return Evaluation(as_of, None, as_of, results, readiness(results), layer_scores(results))


def test_changes_sort_new_failures_fixes_and_regressions():
    before = evaluation({"signal.preflight": Status.PASS, "governance.audit_trail": Status.FAIL,
                         "measurement.tolerances": Status.PASS, "culture.upskilling": Status.FAIL})
    now = evaluation({"signal.preflight": Status.FAIL, "governance.audit_trail": Status.PASS,
                      "measurement.tolerances": Status.WARN, "culture.upskilling": Status.WARN})
    moved = changes(now, before)
    assert [r.id for r in moved.new_failures] == ["signal.preflight"]
    assert [r.id for r in moved.fixed] == ["governance.audit_trail"]
    assert [r.id for r in moved.regressions] == ["measurement.tolerances"]
    assert [r.id for r in moved.improvements] == ["culture.upskilling"]
    assert changes(now, None).new_failures == ()


def test_failing_lists_worst_first_then_in_checklist_order():
    now = evaluation({"culture.upskilling": Status.FAIL, "signal.preflight": Status.WARN,
                      "governance.audit_trail": Status.ERROR, "measurement.tolerances": Status.FAIL})
    assert [r.id for r in failing(now)] == ["governance.audit_trail", "measurement.tolerances",
                                            "culture.upskilling", "signal.preflight"]


def test_headline_deltas_and_missing_figures():
    now = evaluation({}, metrics={"governance.audit_trail": {"rate": 0.99}, "measurement.tolerances": {
        "within_tolerance": 4, "models": 5}, "culture.advocacy_cadence": {"active_sharers": 18}})
    before = evaluation({}, metrics={"governance.audit_trail": {"rate": 0.97}})
    figures = {h.key: h for h in headline(now, before)}
    assert figures["audit"].delta == pytest.approx(0.02)
    assert figures["models"].value == 4 and figures["models"].delta is None
    assert "of 5" in figures["models"].help
    assert {h.key: h.previous for h in headline(now, None)}["audit"] is None


@pytest.mark.parametrize("cell", ["=1+1", "+cmd", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(cell):
    assert neutralise(cell) == "'" + cell
    data = safe_csv(["item_id", "note"], [[cell, "ok"], ["plain", None]]).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))
    assert rows[1][0] == "'" + cell and rows[2] == ["plain", ""]
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for c in row)


def test_safe_values_pass_through_and_dates_are_iso():
    assert neutralise("A-1") == "A-1" and neutralise(0.5) == "0.5" and neutralise(-3) == "'-3"
    assert neutralise(datetime(2026, 11, 22, 9, 5)) == "2026-11-22 09:05:00" and neutralise(["a", "b"]) == "a|b"


def test_customer_ids_are_masked_but_distinguishable():
    assert mask("C00012345") == "•••••••45" and mask("AB") == "•••" and mask(None) is None
    rows = masked_rows(("journey_id", "customer_id"), [("J1", "C1234"), ("J1", "C9999")])
    assert rows == [("J1", "•••34"), ("J1", "•••99")]


def test_advocacy_programme_weeks_gaps_and_evaluation_window():
    nudges = (Nudge("N1", date(2026, 7, 8), 3), Nudge("N2", date(2026, 7, 15), 4), Nudge("N3", date(2026, 8, 5), 6))
    people = (Participant("E1", "crm", date(2026, 7, 1)), Participant("E2", "crm", date(2026, 7, 1), date(2026, 7, 20)))
    shares = (Share("S1", "E1", "p", "N1", date(2026, 7, 9), True),
              Share("S2", "E2", "p", "N1", date(2026, 7, 9), False),
              Share("S3", "E1", "p", None, date(2026, 8, 1), None))
    plan = programme(AdvocacyFacts(date(2026, 8, 9), nudges, people, shares), Settings())
    assert plan.launch == date(2026, 7, 8) and plan.participants == 1
    assert next(w.start for w in plan.weeks) == date(2026, 7, 6)
    assert plan.missed_weeks == (date(2026, 7, 20), date(2026, 7, 27))
    # The page lists what the cadence check judges: content not recorded as approved, empty included.
    assert plan.weeks[0].active == 2 and plan.unapproved == (
        ("S2", "E2", date(2026, 7, 9), "not approved", True),
        ("S3", "E1", date(2026, 8, 1), "approval not recorded", True))
    assert (plan.evaluation_from, plan.evaluation_to) == (date(2026, 11, 8), date(2026, 12, 8))
    assert "days until the evaluation window" in plan.evaluation_state(date(2026, 8, 9))
    assert "In the evaluation window" in plan.evaluation_state(date(2026, 11, 20))
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


T = datetime(2026, 11, 10, 9)
H = timedelta(hours=1)


def event(kind, role, at):
    return {"event_id": f"{kind}-{at:%H}", "event_type": kind, "actor": "E1", "actor_role": role, "occurred_at": at,
            "note": None}


@pytest.mark.parametrize(("events", "counts", "reason"), [
    ([event("approved", "legal", T + H)], True, "counts"),
    ([event("approved", "brand", T + H)], False, "not a required role"),
    ([event("approved", "legal", T + 6 * H)], False, "after publication"),
    ([event("approved", "legal", T + H), event("edited", "marketer", T + 2 * H)], False, "edited afterwards"),
])
def test_trail_explains_each_approval(events, counts, reason):
    item = {"approver_roles": ["legal"], "mapped": True, "approval_required": True, "published_at": T + 5 * H}
    steps = explain(item, events, datetime(2026, 11, 23))
    approval = next(s for s in steps if s.event_type == "approved")
    assert approval.counts is counts and reason in approval.reason
    assert has_approvals(item, steps) is counts


def test_charts_are_built_from_results():
    weeks = [D - timedelta(weeks=i) for i in (2, 1, 0)]
    fig = charts.status_history(weeks, [Status.PASS, Status.WARN, Status.FAIL], [100.0, 50.0, None])
    marker = fig.data[0].marker
    assert list(marker.symbol) == ["circle", "triangle-up", "x"]
    assert list(fig.data[0].text) == ["Pass", "Warn", "Fail"]
    by_status = charts.status_history(weeks, [Status.PASS, Status.NOT_ASSESSED, Status.FAIL], [None] * 3)
    assert list(by_status.data[0].y) == ["Pass", "Not assessed", "Fail"]  # a check without a score
    layers = [(w, evaluation({"signal.preflight": status}).layers)
              for w, status in zip(weeks, (Status.PASS, Status.WARN, Status.FAIL), strict=True)]
    trend = charts.layer_history(layers)
    signal = next(t for t in trend.data if t.name == "Signal quality")
    assert list(signal.text) == ["Pass", "Warn", "Fail"]
    assert list(signal.marker.symbol) == ["circle", "triangle-up", "x"]
    assert {s for s in Status} == set(charts.STATUS_STYLE)


def test_the_signal_quality_score_reads_rounded_down_like_the_field_scores():
    """89.96 is below 90: every rendering of a signal-quality score reads 89.9, never the threshold."""
    from dataclasses import replace

    from trust.views.report import as_json
    from trust.views.weekly import delta_text, figure_text

    assert figure_text(89.96) == "89.9" and figure_text(99.99) == "99.9" and figure_text(100.0) == "100.0"
    assert figure_text(66.7) == figure_text(66.6 + 0.1) == "66.7"  # float noise does not drop a tenth
    now, before = replace(evaluation({}), signal_score=89.96), replace(evaluation({}), signal_score=89.81)
    signal = next(h for h in headline(now, before) if h.key == "signal")
    assert figure_text(signal.value) == "89.9" and figure_text(signal.previous) == "89.8"
    assert delta_text(signal.delta, signal.unit) == "+0.1"  # the change between the figures shown, not +0.2
    assert as_json(now)["signal_score"] == 89.9  # like signal_scores[].score, the value shown
    trend = charts.field_score_trend([(D, "language", 89.96), (D - timedelta(weeks=1), "language", 89.81)])
    assert list(trend.data[0].y) == [89.8, 89.9]


@pytest.mark.parametrize(("statuses", "line"), [
    ({"signal.preflight": Status.ERROR, "governance.audit_trail": Status.ERROR},
     "2 checks cannot be judged (error) of 21"),
    ({"signal.preflight": Status.FAIL, "governance.audit_trail": Status.FAIL, "culture.upskilling": Status.WARN,
      "measurement.tolerances": Status.ERROR}, "2 checks fail, 1 warns and 1 cannot be judged (error) of 21"),
    ({"culture.upskilling": Status.WARN, "measurement.tolerances": Status.ERROR},
     "1 check warns and 1 cannot be judged (error) of 21"),
    ({"signal.preflight": Status.FAIL}, "1 check fails of 21"),
    ({"signal.preflight": Status.NOT_ASSESSED}, "None of the 21 checks fails, warns or errors"),
])
def test_the_checklist_line_counts_what_it_names(statuses, line):
    from trust.views.weekly import failing_counts

    assert failing_counts(evaluation(statuses)) == line
