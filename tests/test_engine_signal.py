"""Signal quality computed by SQL from literal customers: field scores, pre-flight rules, anomalies."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from tests.builders import write_extracts
from trust.checks.model import Status
from trust.engine import evaluate, trend
from trust.lookups import preflight_journey
from trust.settings import Settings

D = date(2026, 11, 22)


def customer(cid: str, snapshot: date = D, **overrides) -> dict:
    base = {"snapshot_date": snapshot, "customer_id": cid, "language": "en", "region": "NA",
            "consent_email": True, "consent_sms": True, "consent_push": True, "lifecycle_stage": "active",
            "customer_status": "active", "updated_at": datetime(2026, 11, 1), "source_system": "crm"}
    return {**base, **overrides}


REGISTRY = [
    {"field_name": "language", "risk": "high", "authoritative_source": "crm", "owner": "Ana",
     "allowed_values": ["en", "es"], "max_staleness_days": 30, "last_reviewed": date(2026, 6, 1)},
    {"field_name": "region", "risk": "high", "authoritative_source": "crm", "owner": "Ana",
     "allowed_values": None, "max_staleness_days": None, "last_reviewed": date(2026, 6, 1)},
    {"field_name": "source_system", "risk": "low", "authoritative_source": "crm", "owner": None,
     "allowed_values": ["crm"], "max_staleness_days": 1, "last_reviewed": None},
]


def load(tmp_path, open_db, tables):
    root = write_extracts(tmp_path / "x", {"field_registry": REGISTRY, **tables})
    db = open_db(root)
    return db, db.load()


def test_field_scores_completeness_validity_freshness_and_uniqueness(tmp_path, open_db):
    customers = [
        customer("C1"), customer("C2", language=None), customer("C3", language="xx"),
        customer("C4", updated_at=datetime(2026, 10, 23)),  # exactly D - 30 days: fresh
        customer("C5", updated_at=datetime(2026, 10, 22, 23, 59)),  # just before: stale
        customer("C5", updated_at=None),  # a duplicate ID, and NULL updated_at is stale
        customer("C9", snapshot=D - timedelta(days=7), language=None),  # an older snapshot: ignored
    ]
    db, extracts = load(tmp_path, open_db, {"customers": customers})
    evaluation = evaluate(db, extracts, Settings())
    scores = {s.field: s for s in evaluation.signal_scores}
    assert set(scores) == {"language", "region"}  # high-risk fields only
    language = scores["language"]
    assert language.completeness == pytest.approx(5 / 6)
    assert language.validity == pytest.approx(4 / 5)
    assert language.freshness == pytest.approx(4 / 6)
    assert language.score == pytest.approx(100 * (5 / 6 + 4 / 5 + 4 / 6) / 3)
    assert scores["region"].score == 100  # no list, no staleness limit
    assert evaluation.uniqueness == pytest.approx(5 / 6)
    assert evaluation.signal_score == pytest.approx((language.score + 100) / 2)
    assert evaluation.snapshot == D


def test_an_id_or_update_time_is_judged_against_the_registry_like_a_coded_field(tmp_path, open_db):
    """field_stats counts the ID and the update time from the rows, not from value counts: an
    allowed-values list still applies to them, and each field's own staleness limit too."""
    registry = [*REGISTRY,
                {"field_name": "customer_id", "risk": "high", "authoritative_source": "mdm", "owner": "Ana",
                 "allowed_values": ["C1", "C2"], "max_staleness_days": 5, "last_reviewed": date(2026, 6, 1)},
                {"field_name": "updated_at", "risk": "high", "authoritative_source": "mdm", "owner": "Ana",
                 "allowed_values": ["2026-11-01 00:00:00"], "max_staleness_days": None,
                 "last_reviewed": date(2026, 6, 1)}]
    customers = [customer("C1"), customer("C2", updated_at=datetime(2026, 11, 20)), customer("C3"),
                 customer("C4", updated_at=None)]
    db, extracts = load(tmp_path, open_db, {"customers": customers, "field_registry": registry})
    scores = {s.field: s for s in evaluate(db, extracts, Settings()).signal_scores}
    assert (scores["customer_id"].completeness, scores["customer_id"].validity) == (1, 0.5)
    assert scores["customer_id"].freshness == pytest.approx(1 / 4)  # only C2 within 5 days
    assert scores["updated_at"].completeness == pytest.approx(3 / 4)
    assert scores["updated_at"].validity == pytest.approx(2 / 3)  # C1 and C3 carry the allowed time


def test_as_of_picks_the_current_snapshot(tmp_path, open_db):
    customers = [customer("C1", snapshot=D - timedelta(days=7), language=None), customer("C1")]
    db, extracts = load(tmp_path, open_db, {"customers": customers})
    mid_week = evaluate(db, extracts, Settings(), D - timedelta(days=3))
    assert mid_week.snapshot == D - timedelta(days=7)
    assert {s.field: s.completeness for s in mid_week.signal_scores}["language"] == 0
    before_any = evaluate(db, extracts, Settings(), D - timedelta(days=30))
    assert before_any.snapshot is None and before_any.signal_scores == ()


JOURNEY = {"journey_id": "J1", "name": "Hola", "team": "crm", "owner": "Ana", "channel": "sms", "language": "es",
           "lifecycle_stages": ["active"], "status": "live", "go_live_at": datetime(2026, 11, 1),
           "regions": ["NA", "LATAM"]}

MEMBERS = [
    ("clear", customer("OK", language="es"), None),
    ("not in snapshot", None, "not in the current snapshot"),
    ("no sms consent", customer("M", language="es", consent_sms=False), "no sms consent"),
    ("unknown sms consent", customer("M", language="es", consent_sms=None), "no sms consent"),
    ("closed", customer("M", language="es", customer_status="closed"), "customer status closed"),
    ("language differs", customer("M", language="en"), "language en (journey: es)"),
    ("language missing", customer("M", language=None), "language missing"),
    ("language not allowed", customer("M", language="xx"), "language xx not allowed"),
    ("stale", customer("M", language="es", updated_at=datetime(2026, 1, 1)), "stale attributes"),
    ("off stage", customer("M", language="es", lifecycle_stage="lapsed"), "lifecycle stage lapsed not targeted"),
    ("region not the journey's", customer("M", language="es", region="EMEA"),
     "region EMEA not among the journey's regions"),
    ("region missing", customer("M", language="es", region=None), "region missing not among the journey's regions"),
    ("region one of the journey's", customer("OK", language="es", region="LATAM"), None),
]


@pytest.mark.parametrize(("row", "rule"), [c[1:] for c in MEMBERS], ids=[c[0] for c in MEMBERS])
def test_each_preflight_rule(tmp_path, open_db, row, rule):
    audience = [{"journey_id": "J1", "customer_id": "OK" if row is None or row["customer_id"] == "OK" else "M"}]
    if row is None:
        audience = [{"journey_id": "J1", "customer_id": "GHOST"}]
    customers = [customer("OK", language="es")] + ([row] if row and row["customer_id"] != "OK" else [])
    db, extracts = load(tmp_path, open_db, {"customers": customers, "journeys": [JOURNEY],
                                            "journey_audience": audience})
    gate = preflight_journey(db, extracts, Settings(), "J1")
    status, failures = gate.status, gate.failures
    if rule is None:
        assert status is Status.PASS and failures.total == 0
        return
    assert [r["rules"] for r in failures.as_dicts()] == [rule]
    blocking = rule not in ("stale attributes", "lifecycle stage lapsed not targeted")
    # One member of one: a warning is over 5% of the audience, so it warns.
    assert status is (Status.FAIL if blocking else Status.WARN)
    result = evaluate(db, extracts, Settings()).result("signal.preflight")
    assert result.status is status and result.evidence.total == 1


def test_a_member_present_twice_is_listed_once_with_the_values_that_break_each_rule(tmp_path, open_db):
    """A customer ID twice in the snapshot: each rule holds when one of its rows breaks it, and the list shows
    the value of the row that breaks the rule, never that of the other row (here 'active', 'es', 'NA')."""
    rows = [customer("M", language="es", customer_status="closed", region="NA"),
            customer("M", language="xx", customer_status="active", region="EMEA", lifecycle_stage="lapsed")]
    db, extracts = load(tmp_path, open_db, {"customers": rows, "journeys": [JOURNEY],
                                            "journey_audience": [{"journey_id": "J1", "customer_id": "M"}]})
    gate = preflight_journey(db, extracts, Settings(), "J1")
    assert [r["rules"] for r in gate.failures.as_dicts()] == [
        "customer status closed; language xx not allowed; region EMEA not among the journey's regions; "
        "lifecycle stage lapsed not targeted"]


def test_one_trend_counts_each_member_once_on_snapshots_with_and_without_a_duplicated_id(tmp_path, open_db):
    """Over two weeks, the first with M twice in its snapshot and the second with every ID once, each member
    counts once in each week, with the rules and values of all its rows."""
    before = D - timedelta(days=7)
    customers = [customer("M", before, language="es", customer_status="closed"),
                 customer("M", before, language="xx"),
                 customer("U", before, language="es", customer_status="closed"),
                 customer("M", language="es", customer_status="closed"), customer("U", language="xx")]
    audience = [{"journey_id": "J1", "customer_id": c, "snapshot_date": day} for day in (before, D) for c in "MU"]
    db, extracts = load(tmp_path, open_db, {"customers": customers, "journeys": [JOURNEY],
                                            "journey_audience": audience})
    weeks = {e.as_of: e.journeys[0][0] for e in trend(db, extracts, Settings(), weeks=2)}
    assert {day: (j.audience, j.blocking, j.rules["not_active"], j.rules["bad_language"])
            for day, j in weeks.items()} == {before: (2, 2, 2, 1), D: (2, 2, 1, 1)}
    for day, expected in ((before, [("M", "customer status closed; language xx not allowed"),
                                    ("U", "customer status closed")]),
                          (D, [("M", "customer status closed"), ("U", "language xx not allowed")])):
        listed = evaluate(db, extracts, Settings(), day).result("signal.preflight").evidence.as_dicts()
        assert [(r["customer_id"], r["rules"]) for r in listed] == expected


def test_preflight_gate_checks_a_draft_journey_but_the_check_ignores_it(tmp_path, open_db):
    draft = {**JOURNEY, "status": "draft"}
    db, extracts = load(tmp_path, open_db, {"customers": [customer("C1")], "journeys": [draft],
                                            "journey_audience": [{"journey_id": "J1", "customer_id": "C1"}]})
    gate = preflight_journey(db, extracts, Settings(), "J1")
    assert gate.journey.status == "draft" and gate.status is Status.FAIL
    assert evaluate(db, extracts, Settings()).result("signal.preflight").status is Status.NOT_ASSESSED
    assert preflight_journey(db, extracts, Settings(), "NOPE") is None


def test_preflight_team_filter(tmp_path, open_db):
    journeys = [JOURNEY, {**JOURNEY, "journey_id": "J2", "team": "brand", "language": "en"}]
    audience = [{"journey_id": "J1", "customer_id": "C1"}, {"journey_id": "J2", "customer_id": "C1"}]
    db, extracts = load(tmp_path, open_db, {"customers": [customer("C1")], "journeys": journeys,
                                            "journey_audience": audience})
    assert evaluate(db, extracts, Settings(), team="crm").result("signal.preflight").status is Status.FAIL
    assert evaluate(db, extracts, Settings(), team="brand").result("signal.preflight").status is Status.PASS


def weekly_customers(n_weeks: int, shifted_last: int) -> list[dict]:
    rows = []
    for w in range(n_weeks):
        snapshot = D - timedelta(weeks=n_weeks - 1 - w)
        for i in range(100):
            spanish = i < 20 and not (w == n_weeks - 1 and i < shifted_last)
            rows.append(customer(f"C{i}", snapshot=snapshot, language="es" if spanish else "en"))
    return rows


def test_anomalies_end_to_end_with_reviews(tmp_path, open_db):
    customers = weekly_customers(6, shifted_last=14)  # 20% -> 6% Spanish in the latest snapshot
    reviews = [{"field": "language", "value": "es", "snapshot_date": D, "reviewed_by": "Ana",
                "reviewed_at": datetime(2026, 11, 23, 9), "note": "feed fixed"}]
    db, extracts = load(tmp_path, open_db, {"customers": customers, "alert_reviews": reviews})
    evaluation = evaluate(db, extracts, Settings())
    assert {(a.field, a.value) for a in evaluation.anomalies} == {("language", "es"), ("language", "en")}
    check = evaluation.result("signal.anomaly_review")
    assert check.status is Status.WARN and check.metrics["pending"] == 2  # the review is dated after D
    later = evaluate(db, extracts, Settings(), D + timedelta(days=8))
    assert later.result("signal.anomaly_review").metrics == {"anomalies": 2, "reviewed": 1, "overdue": 1,
                                                             "pending": 0}


def test_a_consent_field_is_watched_whatever_its_risk_in_the_registry(tmp_path, open_db):
    """The registry of the test data marks only `language` high-risk; an opt-out spike is an anomaly all the same."""
    rows = weekly_customers(6, shifted_last=0)
    for row in rows:  # 10% opted out of email, then 40% in the latest snapshot
        row["consent_email"] = int(row["customer_id"][1:]) >= (40 if row["snapshot_date"] == D else 10)
    db, extracts = load(tmp_path, open_db, {"customers": rows})
    evaluation = evaluate(db, extracts, Settings())
    assert [(a.field, a.value, a.kind) for a in evaluation.anomalies] == [("consent_email", "false", "opt_out")]
    assert evaluation.result("signal.anomaly_review").status is Status.WARN


def test_a_stable_history_has_no_anomaly(tmp_path, open_db):
    db, extracts = load(tmp_path, open_db, {"customers": weekly_customers(6, shifted_last=0)})
    evaluation = evaluate(db, extracts, Settings())
    assert evaluation.anomalies == ()
    assert evaluation.result("signal.anomaly_review").status is Status.PASS


def test_a_journey_without_regions_does_not_judge_region(tmp_path, open_db):
    anywhere = {**JOURNEY, "regions": []}
    db, extracts = load(tmp_path, open_db, {
        "customers": [customer("C1", language="es", region="EMEA")], "journeys": [anywhere],
        "journey_audience": [{"journey_id": "J1", "customer_id": "C1"}]})
    assert preflight_journey(db, extracts, Settings(), "J1").status is Status.PASS


def audiences(tmp_path, open_db, dated: bool):
    """Three weekly snapshots; the audience exported two weeks ago holds C1, last week's C2 (who is
    not active), this week's C3; C1 is clear in every week."""
    weeks = [D - timedelta(weeks=2), D - timedelta(weeks=1), D]
    customers = [customer(c, snapshot=w, language="es", customer_status="closed" if c == "C2" else "active")
                 for w in weeks for c in ("C1", "C2", "C3")]
    rows = [{"journey_id": "J1", "customer_id": c, **({"snapshot_date": w} if dated else {})}
            for c, w in zip(("C1", "C2", "C3"), weeks, strict=True)]
    if not dated:
        rows = [rows[0]]
    return load(tmp_path, open_db, {"customers": customers, "journeys": [JOURNEY], "journey_audience": rows})


# (as of, expected pre-flight with dated exports): each week judges its own latest export.
HISTORY = [
    (D - timedelta(weeks=2, days=1), Status.WARN),  # no export yet: no audience
    (D - timedelta(weeks=2), Status.PASS),  # C1's export, on the day it was exported
    (D - timedelta(days=8), Status.PASS),  # still C1's export
    (D - timedelta(weeks=1), Status.FAIL),  # C2's export: C2 is closed
    (D, Status.PASS),  # C3's export
]


@pytest.mark.parametrize(("as_of", "status"), HISTORY, ids=[a.isoformat() for a, _ in HISTORY])
def test_audience_history_judges_each_week_on_its_own_export(tmp_path, open_db, as_of, status):
    db, extracts = audiences(tmp_path, open_db, dated=True)
    assert evaluate(db, extracts, Settings(), as_of).result("signal.preflight").status is status
    assert preflight_journey(db, extracts, Settings(), "J1", as_of).status is status


def test_without_audience_history_past_weeks_are_not_assessed_and_the_gate_does_not_pass(tmp_path, open_db):
    from trust.facts.model import NO_HISTORY

    db, extracts = audiences(tmp_path, open_db, dated=False)
    assert evaluate(db, extracts, Settings()).result("signal.preflight").status is Status.PASS
    for as_of in (D - timedelta(days=1), D - timedelta(weeks=1)):
        result = evaluate(db, extracts, Settings(), as_of).result("signal.preflight")
        assert result.status is Status.NOT_ASSESSED and result.reason == NO_HISTORY
        gate = preflight_journey(db, extracts, Settings(), "J1", as_of)
        assert gate.status is Status.NOT_ASSESSED and gate.reason == NO_HISTORY
    assert preflight_journey(db, extracts, Settings(), "J1", D + timedelta(days=3)).status is Status.PASS


def test_a_journey_status_is_read_case_aside_so_a_live_journey_is_never_left_out(tmp_path, open_db):
    shouting = {**JOURNEY, "status": "Live", "channel": "SMS"}
    db, extracts = load(tmp_path, open_db, {"customers": [customer("C1", language="es")], "journeys": [shouting],
                                            "journey_audience": [{"journey_id": "J1", "customer_id": "C9"}]})
    assert extracts.errors == ()
    assert evaluate(db, extracts, Settings()).result("signal.preflight").status is Status.FAIL  # C9 is unknown


@pytest.mark.parametrize(("column", "value"), [("status", "active"), ("channel", "whatsapp")])
def test_a_journey_status_or_channel_outside_the_contract_is_a_named_error(tmp_path, open_db, column, value):
    db, extracts = load(tmp_path, open_db, {"journeys": [{**JOURNEY, column: value}]})
    assert any(f"journeys.{column}" in str(e) and f"'{value}'" in str(e) for e in extracts.errors), extracts.errors
    assert evaluate(db, extracts, Settings()).result("signal.preflight").status is Status.ERROR


def test_a_journey_with_no_status_is_pre_flighted(tmp_path, open_db):
    """Nothing shows a journey with an empty status is not live: its audience is judged."""
    db, extracts = load(tmp_path, open_db, {"customers": [customer("C1", language="es")],
                                            "journeys": [{**JOURNEY, "status": None}],
                                            "journey_audience": [{"journey_id": "J1", "customer_id": "C9"}]})
    assert evaluate(db, extracts, Settings()).result("signal.preflight").status is Status.FAIL


def test_a_high_risk_field_the_customers_extract_lacks_fails_ownership(tmp_path, open_db):
    """suspected_fake is an optional column: marked high-risk but absent from every file, it is no column."""
    fake = {**REGISTRY[0], "field_name": "suspected_fake", "allowed_values": None, "max_staleness_days": None}
    root = write_extracts(tmp_path / "x", {"field_registry": [*REGISTRY, fake], "customers": [customer("C1")]})
    db = open_db(root)
    extracts = db.load()
    assert not extracts.table("customers").has("suspected_fake")
    result = evaluate(db, extracts, Settings()).result("signal.field_ownership")
    assert result.status is Status.FAIL, result.summary
    assert "suspected_fake (not a column of customers)" in result.summary


@pytest.mark.parametrize(("region", "stage", "stopped"), [
    ("NA", "active", True),  # the second row does not allow NA
    ("LATAM", "active", False),  # both rows allow LATAM and the active stage
    ("LATAM", "lapsed", True),  # the first row does not target lapsed customers
    ("EMEA", "lapsed", True),  # neither row allows either
])
def test_a_journey_listed_twice_is_judged_by_each_of_its_rows(tmp_path, open_db, region, stage, stopped):
    """Region and stage limits are counted per journey row: a list that names a value twice allows it once,
    and a member that one row of the journey does not allow is stopped, as a join with every row stops it."""
    rows = [{**JOURNEY, "regions": ["NA", "LATAM", "NA"], "lifecycle_stages": ["active"]},
            {**JOURNEY, "regions": ["LATAM"], "lifecycle_stages": ["active", "lapsed"]}]
    db, extracts = load(tmp_path, open_db, {
        "customers": [customer("C1", language="es", region=region, lifecycle_stage=stage)], "journeys": rows,
        "journey_audience": [{"journey_id": "J1", "customer_id": "C1"}]})
    gate = preflight_journey(db, extracts, Settings(), "J1")
    assert (gate.failures.total > 0) is stopped


def test_field_values_counts_every_value_null_included_as_python_counts_them(tmp_path, open_db):
    """field_values.sql counts the text fields and the flags in two passes: each value's count, NULL among them,
    and each snapshot's rows are what counting the rows one by one gives, in the same order."""
    flags = ("consent_email", "consent_sms", "consent_push", "suspected_fake")
    texts = ("language", "region", "lifecycle_stage", "customer_status", "source_system")
    cycle = (True, False, None)
    customers = [customer(f"C{i}", snapshot=D - timedelta(days=7 * (i % 2)),
                          language=("en", "es", None)[i % 3], region=(None, "NA", "EMEA", "NA")[i % 4],
                          **{f: cycle[(i + k) % 3] if f != "suspected_fake" or i % 5 else None
                             for k, f in enumerate(flags)})
                 for i in range(23)]
    customers += [customer("C0", snapshot=D, consent_sms=None),  # an ID present twice counts twice
                  customer("C0", snapshot=D - timedelta(days=14))]  # every consent true: no false or NULL row
    db, extracts = load(tmp_path, open_db, {"customers": customers})
    counted = Counter((row["snapshot_date"], "row_count", None) for row in customers)
    for row in customers:
        for field in texts + flags:
            value = row.get(field)
            counted[(row["snapshot_date"], field,
                     value if value is None or isinstance(value, str) else str(value).lower())] += 1  # 'true'
    expected = sorted(((*k, n) for k, n in counted.items()), key=lambda r: (r[0], r[1], r[2] is None, r[2] or ""))
    assert db.query(extracts, "field_values") == expected
    assert any(r[1] in flags and r[2] is None for r in expected)  # NULL flags are among the values counted
