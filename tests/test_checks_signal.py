"""Layer 1 checks judged from literal facts, at both sides of each threshold."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from trust.checks.model import Status
from trust.checks.signal import anomaly_review, field_ownership, field_quality, preflight
from trust.facts.anomalies import Anomaly, AnomalyFacts, Review
from trust.facts.model import NO_HISTORY
from trust.facts.preflight import JourneyPreflight, PreflightFacts
from trust.facts.signal import CUSTOMER_COLUMNS, FieldCounts, FieldSpec, SignalFacts
from trust.settings import Settings

D = date(2026, 11, 22)
S = Settings()


def spec(**overrides) -> FieldSpec:
    base = {"name": "language", "risk": "high", "source": "crm", "owner": "Ana",
            "last_reviewed": D - timedelta(days=30)}
    return FieldSpec(**{**base, **overrides})


OWNERSHIP = [
    ("all owned and reviewed", [spec(), spec(name="region")], Status.PASS),
    # "The last 365 days" are the 365 days up to D, D included: D - 364 is the first of them.
    ("reviewed 364 days ago", [spec(last_reviewed=D - timedelta(days=364))], Status.PASS),
    ("reviewed 365 days ago", [spec(last_reviewed=D - timedelta(days=365))], Status.WARN),
    ("never reviewed", [spec(last_reviewed=None)], Status.WARN),
    ("reviewed after the as-of date", [spec(last_reviewed=D + timedelta(days=1))], Status.WARN),
    ("no owner", [spec(owner=None), spec(name="region")], Status.FAIL),
    ("blank source", [spec(source=" ")], Status.FAIL),
    ("not a column of customers", [spec(name="email_domain")], Status.FAIL),
    ("low-risk field without owner is fine", [spec(), spec(name="source_system", risk="low", owner=None)],
     Status.PASS),
    ("no high-risk field at all", [spec(risk="low")], Status.FAIL),
]


@pytest.mark.parametrize(("registry", "status"), [c[1:] for c in OWNERSHIP], ids=[c[0] for c in OWNERSHIP])
def test_field_ownership(registry, status):
    verdict = field_ownership(SignalFacts(D, tuple(registry), CUSTOMER_COLUMNS), S)
    assert verdict.status is status
    if status is not Status.PASS and registry[0].high_risk:
        assert verdict.evidence.total >= 1 and verdict.evidence.kind == "fields"


def journey(audience=100, blocking=0, warned=0, jid="J1") -> JourneyPreflight:
    return JourneyPreflight(jid, "Welcome", "crm", "Ana", "email", "live", audience, blocking, warned)


PREFLIGHT = [
    ("no journey", [], S, Status.NOT_ASSESSED),
    ("all clear", [journey(), journey(jid="J2")], S, Status.PASS),
    ("one blocked member", [journey(blocking=1), journey(jid="J2")], S, Status.FAIL),
    ("blocked at the tolerance", [journey(blocking=1)], Settings(preflight_blocking_tolerance=1), Status.PASS),
    ("blocked over the tolerance", [journey(blocking=2)], Settings(preflight_blocking_tolerance=1), Status.FAIL),
    ("warnings at exactly 5%", [journey(warned=5)], S, Status.PASS),
    ("warnings over 5%", [journey(warned=6)], S, Status.WARN),
    ("fail outranks warn", [journey(warned=50), journey(jid="J2", blocking=3)], S, Status.FAIL),
]


@pytest.mark.parametrize(("journeys", "settings", "status"), [c[1:] for c in PREFLIGHT], ids=[c[0] for c in PREFLIGHT])
def test_preflight(journeys, settings, status):
    verdict = preflight(PreflightFacts(D, D, tuple(journeys)), settings)
    assert verdict.status is status
    if status is Status.FAIL:
        assert verdict.owner == "Ana"


SNAPSHOTS = tuple(D - timedelta(weeks=i) for i in range(12))
S7 = D - timedelta(weeks=1)


def anomaly(snapshot: date = S7, field="language", value="es") -> Anomaly:
    return Anomaly(field, value, snapshot, 0.1, 0.2, 0.001)


def review(a: Anomaly, at: datetime | None = None) -> Review:
    at = at or datetime.combine(a.snapshot_date, datetime.min.time())
    return Review(a.field, a.value, a.snapshot_date, "Ana", at)


A, NOW, OLD = anomaly(), anomaly(D), anomaly(D - timedelta(weeks=8))  # OLD: ninth snapshot back
DAY = timedelta(days=1)

# (case, as-of, anomalies, reviews, expected)
REVIEWS = [
    ("no anomaly", D, [], [], Status.PASS),
    ("all reviewed", D, [A, NOW], [review(A), review(NOW)], Status.PASS),
    ("unreviewed at 7 days", S7 + 7 * DAY, [A], [], Status.WARN),
    ("unreviewed at 8 days", S7 + 8 * DAY, [A], [], Status.FAIL),
    ("unreviewed at 6 days", S7 + 6 * DAY, [A], [], Status.WARN),
    ("reviewed only after the as-of date", S7 + 8 * DAY,
     [A], [review(A, datetime.combine(S7 + 9 * DAY, datetime.min.time()))], Status.FAIL),
    ("review of another value does not count", S7 + 8 * DAY, [A], [review(anomaly(value="en"))], Status.FAIL),
    ("older than the last eight snapshots", D, [OLD], [], Status.PASS),
    # Absent means none: with no alert_reviews and no dashboard review, the anomaly is unreviewed.
    ("no review recorded anywhere", S7 + 8 * DAY, [A], [], Status.FAIL),
]


@pytest.mark.parametrize(("as_of", "anomalies", "reviews", "status"), [c[1:] for c in REVIEWS],
                         ids=[c[0] for c in REVIEWS])
def test_anomaly_review(as_of, anomalies, reviews, status):
    facts = AnomalyFacts(as_of, SNAPSHOTS, tuple(anomalies), tuple(reviews), owners={"language": "Ana (crm)"})
    verdict = anomaly_review(facts, S)
    assert verdict.status is status
    if status is not Status.PASS:
        assert "language = es on" in verdict.summary and "against a" in verdict.summary  # names the anomaly
        assert verdict.owner == "Ana (crm)"


def test_anomaly_review_with_no_snapshot_old_enough_for_a_baseline_is_not_assessed():
    """Too few snapshots for a baseline: nothing was looked at, so "no anomaly" would be a pass on nothing."""
    for known in (0, 1, S.anomaly_min_baseline):
        facts = AnomalyFacts(D, SNAPSHOTS[:known], (), ())
        verdict = anomaly_review(facts, S)
        assert verdict.status is Status.NOT_ASSESSED and verdict.metrics["judged_snapshots"] == 0
        assert f"({known} snapshot" in verdict.summary
    one_judged = anomaly_review(AnomalyFacts(D, SNAPSHOTS[:S.anomaly_min_baseline + 1], (), ()), S)
    assert one_judged.status is Status.PASS and one_judged.metrics["judged_snapshots"] == 1
    assert one_judged.summary.startswith("No anomaly in the 1 snapshot judged of the last")


def test_anomaly_summaries_name_three_then_count_the_rest():
    many = [anomaly(value=v) for v in ("a", "b", "c", "d", "e")]
    verdict = anomaly_review(AnomalyFacts(S7 + 8 * DAY, SNAPSHOTS, tuple(many), ()), S)
    assert verdict.summary.count("language = ") == 3 and verdict.summary.endswith("and 2 more.")


def quality(present=1000, valid=None, fresh=1000, rows=1000, distinct=None, registry=None) -> SignalFacts:
    """One high-risk field `language` on a snapshot of `rows` rows."""
    counts = {"language": FieldCounts(present, present if valid is None else valid, fresh)}
    return SignalFacts(D, tuple(registry or [spec()]), CUSTOMER_COLUMNS, D, rows,
                       rows if distinct is None else distinct, counts)


# (case, facts, status, lowest field score)
QUALITY = [
    ("everything sound", quality(), Status.PASS, 100.0),
    ("a field at exactly 90", quality(fresh=700), Status.PASS, 90.0),
    ("a field one step under 90", quality(fresh=697), Status.WARN, 89.9),
    ("a field at exactly 80", quality(fresh=400), Status.WARN, 80.0),
    ("a field one step under 80", quality(fresh=397), Status.FAIL, 79.9),
    ("89.96 is not rounded up to pass", quality(fresh=6988, rows=10_000, present=10_000), Status.WARN, 89.9),
    ("a field with no value at all: validity is 1", quality(present=0, valid=0), Status.FAIL, 66.6),
    ("duplicates at exactly 0.1%", quality(distinct=999), Status.WARN, 100.0),
    ("duplicates one step over 0.1%", quality(rows=10_000, present=10_000, fresh=10_000, distinct=9_989),
     Status.FAIL, 100.0),
    ("one duplicate warns", quality(rows=10_000, present=10_000, fresh=10_000, distinct=9_999), Status.WARN, 100.0),
    ("no high-risk field: duplicates alone decide", quality(distinct=998, registry=[spec(risk="low")]),
     Status.FAIL, None),
    ("no high-risk field and no duplicate", quality(registry=[spec(risk="low")]), Status.PASS, None),
]


@pytest.mark.parametrize(("facts", "status", "score"), [c[1:] for c in QUALITY], ids=[c[0] for c in QUALITY])
def test_field_quality(facts, status, score):
    verdict = field_quality(facts, S)
    assert verdict.status is status, verdict.summary
    assert verdict.scored() == score
    if score is not None:
        assert verdict.score_of == "lowest field score (language)"
    rows = verdict.evidence.as_dicts()
    assert [r["field"] for r in rows if r["field"]] == ([] if score is None else ["language"])
    if status is not Status.PASS:
        assert ("language" in verdict.summary) or ("duplicate customer ID" in verdict.summary)


def test_field_quality_lists_the_duplicated_ids_and_is_not_assessed_without_a_snapshot():
    facts = replace(quality(distinct=998), duplicated=(("C7", 3),), duplicated_ids=1)
    rows = field_quality(facts, S).evidence.as_dicts()
    assert rows[-1]["customer_id"] == "C7" and rows[-1]["copies"] == 3
    empty = SignalFacts(D, (spec(),), CUSTOMER_COLUMNS)
    assert field_quality(empty, S).status is Status.NOT_ASSESSED
    assert field_quality(quality(fresh=850), Settings(field_score_pass=86, field_score_warn=85)).status is Status.PASS


def test_preflight_without_audience_history_is_not_assessed_with_its_reason():
    verdict = preflight(PreflightFacts(D - 7 * DAY, D - 7 * DAY, (), reason=NO_HISTORY, latest=D), S)
    assert verdict.status is Status.NOT_ASSESSED and verdict.reason == NO_HISTORY
    assert D.isoformat() in verdict.summary


def test_a_journey_with_no_audience_warns():
    verdict = preflight(PreflightFacts(D, D, (journey(audience=0), journey(jid="J2"))), S)
    assert verdict.status is Status.WARN and "no audience: J1" in verdict.summary


LATE = datetime.combine(S7 + 9 * DAY, datetime.min.time())  # after the end of the as-of day S7 + 8
NOW = datetime.combine(S7 + 20 * DAY, datetime.min.time())  # the app's "now", for the latest week
# (case, review, counts as of S7 + 8 days, with the dashboard's cutoff at NOW)
WHICH_REVIEWS = [
    ("an extract review after the as-of day never counts", review(A, LATE), False),
    ("a dashboard review up to now counts for the latest week", replace(review(A, LATE), source="dashboard"), True),
    ("a dashboard review after now does not", replace(review(A, NOW + DAY), source="dashboard"), False),
    ("an undated review counts as of the latest snapshot", replace(review(A), reviewed_at=None), True),
]


@pytest.mark.parametrize(("given", "counts"), [c[1:] for c in WHICH_REVIEWS], ids=[c[0] for c in WHICH_REVIEWS])
def test_which_reviews_count_as_of_a_date(given, counts):
    facts = AnomalyFacts(S7 + 8 * DAY, SNAPSHOTS, (A,), (given,), cutoff=NOW, latest=S7)
    assert anomaly_review(facts, S).status is (Status.PASS if counts else Status.FAIL)


def test_an_undated_review_does_not_count_for_past_weeks():
    undated = replace(review(A), reviewed_at=None)
    facts = AnomalyFacts(S7 + 8 * DAY, SNAPSHOTS, (A,), (undated,), latest=S7 + 14 * DAY)
    assert anomaly_review(facts, S).status is Status.FAIL
