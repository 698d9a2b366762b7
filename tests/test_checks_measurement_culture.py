"""Measurement and culture checks judged from literal rows, at both sides of each threshold."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from trust.checks.culture import advocacy_cadence, self_assessed, upskilling
from trust.checks.measurement import intangibles, pilot_criteria, tolerances
from trust.checks.model import Status
from trust.facts.advocacy import AdvocacyFacts, Nudge, Participant, Share
from trust.facts.answers import Answer, AssessmentFacts
from trust.facts.measurement import Forecast, MeasurementFacts, Method, Pilot
from trust.facts.people import PeopleFacts, Person
from trust.settings import Settings

D = date(2026, 11, 22)
DAY = timedelta(days=1)
S = Settings()
P, W, F, N = Status.PASS, Status.WARN, Status.FAIL, Status.NOT_ASSESSED


def pilot(**overrides) -> Pilot:
    base = dict(pilot_id="P1", team="crm", owner="Ana", start_date=D - 40 * DAY, end_date=D - 20 * DAY,
                primary_metric="ctr", primary_target=0.05, primary_result=0.06, supporting_metric="conv",
                supporting_target=10.0, risk_metric="errors", risk_limit=0.01, risk_result=0.005, decision="scale")
    return Pilot(**{**base, **overrides})


PILOTS = [
    ("none started", [pilot(start_date=D + DAY)], N),
    ("clean, 21 days", [pilot()], P),
    ("22 days", [pilot(end_date=D - 19 * DAY)], W),
    ("no end date", [pilot(end_date=None, decision=None)], W),
    # Nothing places a pilot with no start date after D: it is judged, and cannot show it is bounded.
    ("no start date", [pilot(start_date=None)], W),
    ("no start date, no primary metric", [pilot(start_date=None, primary_metric=None)], F),
    ("no supporting target", [pilot(supporting_target=None)], W),
    ("no risk metric", [pilot(risk_metric=" ")], F),
    ("no primary target", [pilot(primary_target=None)], F),
    ("decision due: 14 days after end", [pilot(end_date=D - 14 * DAY, start_date=D - 30 * DAY, decision=None)], P),
    ("decision overdue: 15 days after end", [pilot(end_date=D - 15 * DAY, start_date=D - 30 * DAY, decision=None)], W),
    ("decision due: 13 days after end", [pilot(end_date=D - 13 * DAY, start_date=D - 30 * DAY, decision=None)], P),
    # A pilot decided `scale` must have met its primary target and stayed within its risk limit.
    ("scaled, primary result on its target", [pilot(primary_result=0.05)], P),
    ("scaled, primary result one step under its target", [pilot(primary_result=0.0499)], F),
    ("scaled without a primary result", [pilot(primary_result=None)], F),
    ("scaled, risk result on its limit", [pilot(risk_result=0.01)], P),
    ("scaled, risk result one step over its limit", [pilot(risk_result=0.0101)], F),
    ("scaled without a risk result", [pilot(risk_result=None)], F),
    ("risk where more is better, on its limit", [pilot(risk_limit=0.98, risk_result=0.98, risk_direction="higher")], P),
    ("risk where more is better, one step under", [pilot(risk_limit=0.98, risk_result=0.979, risk_direction="higher")],
     F),
    ("risk where more is better, judged the default way", [pilot(risk_limit=0.98, risk_result=0.995)], F),
    ("primary where less is better, under its target", [pilot(primary_result=0.04, primary_direction="lower")], P),
    ("primary where less is better, one step over", [pilot(primary_result=0.0501, primary_direction="lower")], F),
    ("stopped after missing its target", [pilot(primary_result=0.01, decision="stop")], P),
    ("extended after missing its target", [pilot(primary_result=0.01, decision="extend")], P),
]


@pytest.mark.parametrize(("pilots", "status"), [c[1:] for c in PILOTS], ids=[c[0] for c in PILOTS])
def test_pilot_criteria(pilots, status):
    verdict = pilot_criteria(MeasurementFacts(D, pilots=tuple(pilots)), S)
    assert verdict.status is status, verdict.summary
    if status is F:
        assert verdict.owner == "Ana"
    if status in (W, F):
        assert "P1: " in verdict.summary  # names the pilot and the criterion


PROVEN = [
    ("ended, met, within, scaled", pilot(), True),
    ("ended, met, within, not yet decided", pilot(decision=None), True),
    ("ends on the as-of date", pilot(end_date=D), True),
    ("still running", pilot(end_date=D + DAY), False),
    ("missed its primary target", pilot(primary_result=0.04, decision=None), False),
    ("outside its risk limit", pilot(risk_result=0.02, decision=None), False),
    ("stopped", pilot(decision="stop"), False),
    ("extended", pilot(decision="extend"), False),
    ("no start date", pilot(start_date=None), True),
]


@pytest.mark.parametrize(("one", "expected"), [c[1:] for c in PROVEN], ids=[c[0] for c in PROVEN])
def test_a_proven_pilot(one, expected):
    from trust.checks.pilots import proven

    assert proven(one, D) is expected


@pytest.mark.parametrize("one", [c[1] for c in PROVEN], ids=[c[0] for c in PROVEN])
def test_the_check_judges_every_pilot_readiness_counts_as_proven(one):
    """Readiness takes its proven pilots from every pilot; the check must have judged each of them."""
    from trust.checks.pilots import proven_pilots

    verdict = pilot_criteria(MeasurementFacts(D, pilots=(one,)), S)
    assert verdict.metrics["proven_pilots"] == list(proven_pilots([one], D))


def forecasts(variances: list[float], tolerance: float | None = 0.15, model="M1") -> list[Forecast]:
    """Monthly forecasts whose actual is 100 and whose predictions give the wanted variances."""
    start = D - timedelta(days=31 * len(variances))
    return [Forecast(model, "Revenue", "crm", "Ben", start + timedelta(days=31 * i), 100 * (1 + v), 100.0, tolerance)
            for i, v in enumerate(variances)]


TOLERANCES = [
    ("no actual yet", [Forecast("M1", period_start=D - DAY, predicted=10.0, actual=None)], N),
    ("latest exactly at tolerance", forecasts([0.1, 0.1, 0.15]), P),
    ("latest just over", forecasts([0.1, 0.1, 0.1501]), F),
    ("breach in the three periods before the latest", forecasts([0.1, 0.2, 0.1, 0.1, 0.1]), W),
    ("breach four periods before the latest", forecasts([0.2, 0.1, 0.1, 0.1, 0.1]), P),
    ("no tolerance defined: 15% applies", forecasts([0.1, 0.1], tolerance=None), W),
    ("no tolerance defined and over 15%", forecasts([0.1, 0.16], tolerance=None), F),
    ("own tolerance wider than 15%", forecasts([0.1, 0.2], tolerance=0.25), P),
    # A period with an actual and no prediction: the latest variance is unknown, never within tolerance.
    ("latest period has no prediction",
     [*forecasts([0.1, 0.1]), Forecast("M1", period_start=D - DAY, predicted=None, actual=100.0)], F),
    ("a period before the latest has no prediction",
     [Forecast("M1", period_start=D - 40 * DAY, predicted=None, actual=100.0), *forecasts([0.1])], W),
    ("future periods are ignored",
     [*forecasts([0.1, 0.1]), Forecast("M1", period_start=D + DAY, predicted=500.0, actual=100.0)], P),
]


@pytest.mark.parametrize(("rows", "status"), [c[1:] for c in TOLERANCES], ids=[c[0] for c in TOLERANCES])
def test_tolerances(rows, status):
    verdict = tolerances(MeasurementFacts(D, forecasts=tuple(rows)), S)
    assert verdict.status is status, verdict.summary


def method(**overrides) -> Method:
    base = dict(metric="market_awareness", kind="intangible", team="brand", owner="Cy", baseline_value=0.04,
                baseline_date=D - 300 * DAY, method="regression", documentation_url="https://wiki/aw",
                run_count=2, last_run=D - 179 * DAY)
    return Method(**{**base, **overrides})


INTANGIBLES = [
    ("none registered", [method(kind="revenue")], N),
    ("healthy at the edges", [method()], P),
    ("run once", [method(run_count=1)], W),
    ("last run 180 days ago: outside the 180 days up to D", [method(last_run=D - 180 * DAY)], W),
    ("no baseline", [method(baseline_value=None)], W),
    ("no method", [method(method=None)], F),
    ("no documentation", [method(documentation_url="")], F),
    ("baselined after the as-of date", [method(baseline_date=D + DAY, method=None)], N),
]


@pytest.mark.parametrize(("methods", "status"), [c[1:] for c in INTANGIBLES], ids=[c[0] for c in INTANGIBLES])
def test_intangibles(methods, status):
    assert intangibles(MeasurementFacts(D, methods=tuple(methods)), S).status is status


def staff(trained: int, untrained: int, trained_on: date = D) -> tuple[Person, ...]:
    return tuple([Person(f"T{i}", uses_ai=True, active=True, ai_safety_completed=(trained_on,)) for i in range(trained)]
                 + [Person(f"U{i}", uses_ai=True, active=True) for i in range(untrained)])


UPSKILLING = [
    ("nobody uses AI", (Person("E1", uses_ai=False, active=True),), N),
    ("exactly 80%", staff(8, 2), P),
    ("just under 80%", staff(79, 21), W),
    ("exactly 50%", staff(5, 5), W),
    ("just under 50%", staff(49, 51), F),
    ("training after the as-of date does not count", staff(10, 0, trained_on=D + DAY), F),
    ("inactive and non-AI staff are out of scope",
     (*staff(4, 1), Person("X", uses_ai=True, active=False), Person("Y", uses_ai=False, active=True)), P),
    # Nothing shows someone with `uses_ai` or `active` unrecorded is out of scope: they count, untrained.
    ("uses_ai unrecorded counts", (*staff(3, 0), Person("Z", uses_ai=None, active=True)), W),
    ("active unrecorded counts", (*staff(3, 0), Person("Z", uses_ai=True, active=None)), W),
    ("both unrecorded, trained", (*staff(3, 0), Person("Z", ai_safety_completed=(D,))), P),
]


@pytest.mark.parametrize(("people", "status"), [c[1:] for c in UPSKILLING], ids=[c[0] for c in UPSKILLING])
def test_upskilling(people, status):
    assert upskilling(PeopleFacts(D, people), S).status is status


def weekly(weeks: int = 20, gap_after: int | None = None, gap_days: int = 7, posts: int = 3) -> tuple[Nudge, ...]:
    """Nudges every 7 days ending today; `gap_after` weeks from the end, the interval is `gap_days`."""
    days, day = [], D
    for i in range(weeks):
        days.append(day)
        day -= timedelta(days=gap_days if gap_after is not None and i == gap_after else 7)
    return tuple(Nudge(f"N{i}", d, posts, True) for i, d in enumerate(sorted(days)))


PEOPLE = tuple(Participant(f"E{i}", "crm", D - 200 * DAY) for i in range(10))


def shares(sharers: int, approved: bool | None = True, when: date = D - DAY) -> tuple[Share, ...]:
    return tuple(Share(f"S{i}", f"E{i}", "post", None, when, approved, 3) for i in range(sharers))


CADENCE = [
    ("no programme", (), PEOPLE, (), N),
    ("weekly, 3 posts, sustained", weekly(), PEOPLE, shares(5), P),
    ("a 14-day gap warns", weekly(gap_after=2, gap_days=14), PEOPLE, shares(5), W),
    ("a 15-day gap fails", weekly(gap_after=2, gap_days=15), PEOPLE, shares(5), F),
    ("an 8-day gap passes", weekly(gap_after=2, gap_days=8), PEOPLE, shares(5), P),
    ("a 9-day gap warns", weekly(gap_after=2, gap_days=9), PEOPLE, shares(5), W),
    ("a gap outside the 8-week window is forgiven", weekly(gap_after=12, gap_days=30), PEOPLE, shares(5), P),
    ("silence since the last nudge", tuple(n for n in weekly() if n.sent_on <= D - 15 * DAY), PEOPLE, shares(5), F),
    ("five posts in a nudge", weekly(posts=5), PEOPLE, shares(5), W),
    ("a non-approved share", weekly(), PEOPLE, shares(5) + shares(1, approved=False), F),
    ("a non-approved share before the window", weekly(), PEOPLE,
     shares(5) + shares(1, approved=False, when=D - 60 * DAY), P),
    ("fewer than half sharing", weekly(), PEOPLE, shares(4), W),
    ("half sharing", weekly(), PEOPLE, shares(5), P),
    ("a nudge without progress statistics", (*weekly()[:-1], Nudge("NX", D, 3, False)), PEOPLE, shares(5), W),
    ("statistics not recorded on a nudge", (*weekly()[:-1], Nudge("NX", D, 3, None)), PEOPLE, shares(5), W),
    ("a share whose approval was not recorded", weekly(), PEOPLE, shares(5) + shares(1, approved=None), F),
    # The window is the 8 weeks (56 days) up to D, D included: D - 55 is its first day.
    ("a non-approved share on the window's first day", weekly(), PEOPLE,
     shares(5) + shares(1, approved=False, when=D - 55 * DAY), F),
    ("a non-approved share the day before the window", weekly(), PEOPLE,
     shares(5) + shares(1, approved=False, when=D - 56 * DAY), P),
]


@pytest.mark.parametrize(("nudges", "participants", "shares_", "status"), [c[1:] for c in CADENCE],
                         ids=[c[0] for c in CADENCE])
def test_advocacy_cadence(nudges, participants, shares_, status):
    verdict = advocacy_cadence(AdvocacyFacts(D, nudges, participants, shares_), S)
    assert verdict.status is status, verdict.summary
    assert verdict.score is None  # judged by status alone


def test_an_advocacy_gap_is_named_with_whether_the_cadence_resumed():
    resumed = advocacy_cadence(AdvocacyFacts(D, weekly(gap_after=2, gap_days=21), PEOPLE, shares(5)), S)
    start = D - timedelta(days=14 + 21)
    assert f"21 days between the nudges of {start.isoformat()} and {(start + 21 * DAY).isoformat()} (resumed since)" \
        in resumed.summary
    after_a_gap = (*tuple(n for n in weekly() if n.sent_on <= D - 16 * DAY), Nudge("NEW", D, 3, True))
    today = advocacy_cadence(AdvocacyFacts(D, after_a_gap, PEOPLE, shares(5)), S)
    assert "(resumed since)" in today.summary and "not resumed" not in today.summary  # a nudge on D itself
    silent = tuple(n for n in weekly() if n.sent_on <= D - 16 * DAY)
    stopped = advocacy_cadence(AdvocacyFacts(D, silent, PEOPLE, shares(5)), S)
    assert f"since {(D - 21 * DAY).isoformat()} (not resumed)" in stopped.summary


def answers(given: dict[str, str]) -> tuple[Answer, ...]:
    """Answers by team; a value ending in '(stale)' has expired."""
    return tuple(Answer("culture.brand_voice", team, a.removesuffix("(stale)"), comment=f"{team} says {a}",
                        answered_by=f"lead@{team}", stale=a.endswith("(stale)")) for team, a in given.items())


ALL_TEAMS = [
    ("nobody answered", {}, N),
    ("every team yes", {"a": "yes", "b": "yes"}, P),
    ("yes and n/a", {"a": "yes", "b": "n/a"}, P),
    ("one partly", {"a": "yes", "b": "partly"}, W),
    ("one no", {"a": "yes", "b": "no"}, F),
    ("no outranks a missing answer", {"a": "no"}, F),
    ("a team has not answered", {"a": "yes"}, W),
    ("an expired answer counts as missing", {"a": "yes", "b": "yes(stale)"}, W),
    ("only expired answers", {"a": "yes(stale)", "b": "no(stale)"}, N),
    ("a team that reaches no customer is not counted", {"a": "yes", "b": "yes", "x": "no"}, P),
]


@pytest.mark.parametrize(("given", "status"), [c[1:] for c in ALL_TEAMS], ids=[c[0] for c in ALL_TEAMS])
def test_self_assessed_across_teams_counts_missing_answers(given, status):
    facts = AssessmentFacts(D, None, {"culture.brand_voice": answers(given)}, teams=("a", "b"))
    verdict = self_assessed("culture.brand_voice")(facts, S)
    assert verdict.status is status, verdict.summary
    rows = {r["team"]: r for r in verdict.evidence.as_dicts()}
    assert {"a", "b"} <= set(rows)  # every team that owes an answer is listed, answered or not
    assert all(rows[t]["answer"] is None for t in ("a", "b") if t not in given or given[t].endswith("(stale)"))
    if "x" in given:
        assert rows["x"]["state"].startswith("not counted")


ONE_TEAM = [("yes", P), ("partly", W), ("no", F), ("n/a", P), (None, N), ("yes(stale)", N)]


@pytest.mark.parametrize(("given", "status"), ONE_TEAM)
def test_self_assessed_for_one_team(given, status):
    facts = AssessmentFacts(D, "a", {"culture.brand_voice": answers({"a": given} if given else {})}, teams=("a", "b"))
    verdict = self_assessed("culture.brand_voice")(facts, S)
    assert verdict.status is status, verdict.summary
    assert verdict.score is None  # judged by the answer alone
    if given == "n/a":
        assert "a says n/a" in verdict.summary  # n/a passes with its comment
    if given == "yes(stale)":
        assert "expired" in verdict.summary
