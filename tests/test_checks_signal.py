"""Layer 1 checks judged from literal facts, at both sides of each threshold."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from trust.checks.model import Status
from trust.checks.signal import anomaly_review, field_ownership, preflight
from trust.collect import CUSTOMER_COLUMNS
from trust.facts import Anomaly, AnomalyFacts, FieldSpec, JourneyPreflight, PreflightFacts, Review, SignalFacts
from trust.settings import Settings

D = date(2026, 11, 22)
S = Settings()


def spec(**overrides) -> FieldSpec:
    base = {"name": "language", "risk": "high", "source": "crm", "owner": "Ana",
            "last_reviewed": D - timedelta(days=30)}
    return FieldSpec(**{**base, **overrides})


OWNERSHIP = [
    ("all owned and reviewed", [spec(), spec(name="region")], Status.PASS),
    ("reviewed exactly 365 days ago", [spec(last_reviewed=D - timedelta(days=365))], Status.PASS),
    ("reviewed 366 days ago", [spec(last_reviewed=D - timedelta(days=366))], Status.WARN),
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

# (case, as-of, anomalies, reviews, reviews available, expected)
REVIEWS = [
    ("no anomaly", D, [], [], True, Status.PASS),
    ("all reviewed", D, [A, NOW], [review(A), review(NOW)], True, Status.PASS),
    ("unreviewed at 7 days", S7 + 7 * DAY, [A], [], True, Status.WARN),
    ("unreviewed at 8 days", S7 + 8 * DAY, [A], [], True, Status.FAIL),
    ("reviewed only after the as-of date", S7 + 8 * DAY,
     [A], [review(A, datetime.combine(S7 + 9 * DAY, datetime.min.time()))], True, Status.FAIL),
    ("review of another value does not count", S7 + 8 * DAY, [A], [review(anomaly(value="en"))], True, Status.FAIL),
    ("older than the last eight snapshots", D, [OLD], [], True, Status.PASS),
    ("no review record available", S7 + 8 * DAY, [A], [], False, Status.NOT_ASSESSED),
]


@pytest.mark.parametrize(("as_of", "anomalies", "reviews", "available", "status"), [c[1:] for c in REVIEWS],
                         ids=[c[0] for c in REVIEWS])
def test_anomaly_review(as_of, anomalies, reviews, available, status):
    facts = AnomalyFacts(as_of, SNAPSHOTS, tuple(anomalies), tuple(reviews), available)
    assert anomaly_review(facts, S).status is status
