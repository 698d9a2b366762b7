"""Layer scores, readiness with its blockers, and what changed since last week, from literal results."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from trust.checks.model import Result, Status
from trust.checks.registry import CHECKS
from trust.engine import Evaluation
from trust.facts.model import NO_HISTORY
from trust.scoring import NO_PROVEN_PILOT, layer_scores, readiness
from trust.views.weekly import changes

P, W, F, N, E = Status.PASS, Status.WARN, Status.FAIL, Status.NOT_ASSESSED, Status.ERROR
D = date(2026, 11, 22)


def results(**statuses: Status) -> tuple[Result, ...]:
    """Every check passing, except those named (dots as double underscores: signal__preflight)."""
    named = {k.replace("__", "."): v for k, v in statuses.items()}
    return tuple(Result(c.id, c.layer, c.title, named.get(c.id, P), 50.0, f"{c.id} says so", {}, None, None,
                        "organisation") for c in CHECKS)


def signal(*statuses: Status) -> tuple[Result, ...]:
    ids = [c.id.replace(".", "__") for c in CHECKS if c.layer == "signal"]
    return results(**dict(zip(ids, statuses, strict=True)))


# (case, the four signal checks' statuses, expected score, expected layer status)
LAYER = [
    ("all pass", (P, P, P, P), 100.0, P),
    ("a warn counts half", (P, P, P, W), 87.5, W),
    ("a fail counts nothing, whatever its check's own score", (P, P, P, F), 75.0, F),
    ("an error counts as assessed and failing", (P, P, E, F), 50.0, E),
    ("not assessed is left out", (P, N, P, W), 83.3, W),
    ("nothing assessed: no score", (N, N, N, N), None, N),
    ("only warns", (W, W, W, W), 50.0, W),
]


@pytest.mark.parametrize(("statuses", "score", "status"), [c[1:] for c in LAYER], ids=[c[0] for c in LAYER])
def test_layer_score_is_the_share_of_assessed_checks_passing(statuses, score, status):
    layer = layer_scores(signal(*statuses))[0]
    assert layer.layer == "signal" and layer.score == score and layer.status is status
    assert layer.assessed + layer.not_assessed == layer.checks == 4
    assert layer.not_assessed == statuses.count(N)


def test_a_layer_leaves_out_what_is_excluded():
    layer = layer_scores(signal(P, F, P, P), exclude=["signal.preflight"])[0]
    assert layer.score == 100.0 and layer.checks == 3


PROVEN = ("PIL-01",)
READINESS = [
    ("everything passes, a proven pilot", results(), PROVEN, 3, []),
    ("everything passes, no proven pilot", results(), (), 2, [("measurement.pilot_criteria", NO_PROVEN_PILOT)]),
    ("a signal check fails", results(signal__preflight=F), PROVEN, 0, [("signal.preflight", "fail")]),
    ("a signal check errors", results(signal__field_quality=E), PROVEN, 0, [("signal.field_quality", "error")]),
    ("signal warns: stage 1 still stands", results(signal__preflight=W, measurement__tolerances=F), PROVEN, 1,
     [("measurement.tolerances", "fail")]),
    ("nothing evidenced in stage 2", results(measurement__pilot_criteria=N, measurement__tolerances=N,
                                             governance__audit_trail=N), PROVEN, 1,
     [("governance.audit_trail", "not assessed"), ("measurement.pilot_criteria", "not assessed"),
      ("measurement.tolerances", "not assessed")]),
    ("one check of stage 2 evidenced is enough", results(measurement__pilot_criteria=N, measurement__tolerances=N),
     PROVEN, 3, []),
    ("nothing evidenced in stage 1", signal(N, N, N, N), PROVEN, 0,
     [(c.id, "not assessed") for c in CHECKS if c.layer == "signal"]),
    ("stage 3 blocked by a check and by the missing pilot", results(accountability__crisis_comms=F), (), 2,
     [("accountability.crisis_comms", "fail"), ("measurement.pilot_criteria", NO_PROVEN_PILOT)]),
]


@pytest.mark.parametrize(("given", "proven", "stage", "blockers"), [c[1:] for c in READINESS],
                         ids=[c[0] for c in READINESS])
def test_readiness_and_the_reason_of_each_blocker(given, proven, stage, blockers):
    ready = readiness(given, proven)
    assert ready.stage == stage
    assert [(b.id, b.reason.split(":")[0].split(",")[0]) for b in ready.blockers] == blockers
    assert ready.blocking == tuple(dict.fromkeys(i for i, _ in blockers))
    as_json = ready.as_dict()
    assert as_json["blockers"] == [{"id": b.id, "reason": b.reason} for b in ready.blockers]


def evaluation(day: date, given: tuple[Result, ...], proven=PROVEN) -> Evaluation:
    return Evaluation(day, None, day, given, readiness(given, proven), layer_scores(given), proven_pilots=proven)


def no_history(given: tuple[Result, ...]) -> tuple[Result, ...]:
    return tuple(replace(r, status=N, reason=NO_HISTORY) if r.id == "signal.preflight" else r for r in given)


LAST = date(2026, 11, 15)
CHANGES = [
    ("not assessed to fail is a new failure", {"measurement__intangibles": N}, {"measurement__intangibles": F},
     "new_failures"),
    ("not assessed to warn is a new failure", {"measurement__intangibles": N}, {"measurement__intangibles": W},
     "new_failures"),
    ("pass to fail is a new failure", {}, {"measurement__intangibles": F}, "new_failures"),
    ("pass to warn is a regression", {}, {"measurement__intangibles": W}, "regressions"),
    ("fail to pass is a fix", {"measurement__intangibles": F}, {}, "fixed"),
    ("fail to warn is an improvement", {"measurement__intangibles": F}, {"measurement__intangibles": W},
     "improvements"),
    ("fail to not assessed is no fix", {"measurement__intangibles": F}, {"measurement__intangibles": N},
     "unassessed"),
    ("not assessed to pass is not listed", {"measurement__intangibles": N}, {}, None),
]


@pytest.mark.parametrize(("before", "now", "listed"), [c[1:] for c in CHANGES], ids=[c[0] for c in CHANGES])
def test_what_changed_since_last_week(before, now, listed):
    moved = changes(evaluation(D, results(**now)), evaluation(LAST, results(**before)))
    kinds = ("new_failures", "fixed", "regressions", "improvements", "unassessed")
    assert {k: [r.id for r in getattr(moved, k)] for k in kinds} == {
        k: (["measurement.intangibles"] if k == listed else []) for k in kinds}


def test_a_week_without_audience_history_is_not_compared():
    before = no_history(results())  # last week could not judge pre-flight
    now = results(signal__preflight=F)  # this week it fails
    moved = changes(evaluation(D, now), evaluation(LAST, before))
    assert not moved.new_failures and moved.left_out == ("signal.preflight",)
    # The layer change and the stage change are computed with pre-flight out of both weeks.
    assert moved.layer_delta("signal") == 0.0
    assert moved.stage == (3, 3)
    assert evaluation(D, now).readiness.stage == 0  # the stage shown is still this week's own
