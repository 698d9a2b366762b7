"""Credibility computed by SQL from literal extracts: new customers flagged as suspected fakes, the pre-flight
rule that blocks them, the anomaly on their share, the registers in every form and their named errors."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from tests.builders import HEALTHY, write_extracts, write_table
from trust.checks.model import Status
from trust.cli import main
from trust.engine import evaluate
from trust.settings import Settings

D = date(2026, 11, 22)
WEEK = timedelta(days=7)


def customer(snapshot: date, customer_id: str, fake: bool | None = False, **extra) -> dict:
    base = {**HEALTHY["customers"][0], "snapshot_date": snapshot, "customer_id": customer_id, "suspected_fake": fake}
    return {**base, **extra}


def weeks(count: int, regulars: int, arrivals: dict[int, list[bool | None]]) -> list[dict]:
    """`count` weekly snapshots ending on D; `regulars` customers in each, and in week k the new ones of arrivals[k]
    (True: flagged as suspected fake, None: never screened), who stay from then on."""
    rows, joined = [], []
    for k in range(count):
        day = D - (count - 1 - k) * WEEK
        joined += [(f"N{k}-{i}", flag) for i, flag in enumerate(arrivals.get(k, []))]
        rows += [customer(day, f"R{i}") for i in range(regulars)]
        rows += [customer(day, cid, flag) for cid, flag in joined]
    return rows


def run(tmp_path, open_db, customers, audience=None, settings=None):
    tables = {"customers": customers}
    if audience is not None:
        tables["journey_audience"] = [{"journey_id": "J1", "customer_id": c} for c in audience]
    db = open_db(write_extracts(tmp_path / "x", tables))
    return evaluate(db, db.load(), settings or Settings(), D)


def test_new_customers_are_those_absent_from_the_snapshot_before(tmp_path, open_db):
    # Week 2: 20 arrivals and one returning customer, 1 of 21 flagged (4.7%: over 2%, so it warns).
    arrivals = {1: [False] * 10, 2: [True] + [False] * 19}
    rows = [*weeks(3, 50, arrivals), customer(D - 2 * WEEK, "BACK"), customer(D, "BACK")]
    result = run(tmp_path, open_db, rows).result("credibility.fake_accounts")
    assert result.status is Status.WARN, result.summary
    assert result.metrics["new_customers"] == 21 and result.metrics["flagged"] == 1
    assert "4.7% of the 21 new customers" in result.summary


def test_a_suspected_fake_in_an_audience_fails_pre_flight_and_the_check(tmp_path, open_db):
    rows = weeks(2, 20, {1: [True, False]})
    evaluation = run(tmp_path, open_db, rows, audience=["R1", "N1-0"])
    fakes = evaluation.result("credibility.fake_accounts")
    assert fakes.status is Status.FAIL and "J1" in fakes.summary
    assert fakes.metrics["suspects_in_audiences"] == 1
    preflight = evaluation.result("signal.preflight")
    assert preflight.status is Status.FAIL, preflight.summary
    journey, status = evaluation.journeys[0]
    assert journey.rules["suspected_fake"] == 1 and journey.blocking == 1 and status is Status.FAIL


def test_unscreened_new_customers_warn_and_no_arrivals_is_not_assessed(tmp_path, open_db):
    unscreened = run(tmp_path / "a", open_db, weeks(2, 20, {1: [None, None] + [False] * 9}))  # 18% unscreened
    result = unscreened.result("credibility.fake_accounts")
    assert result.status is Status.WARN and "never screened" in result.summary
    quiet = run(tmp_path / "b", open_db, weeks(2, 20, {})).result("credibility.fake_accounts")
    assert quiet.status is Status.NOT_ASSESSED and "No new customer" in quiet.summary


def test_the_suspected_fake_share_of_the_snapshot_is_watched_for_anomalies(tmp_path, open_db):
    rows = weeks(6, 100, {5: [True] * 12})  # 12 of 112 flagged in the last snapshot, none before
    evaluation = run(tmp_path, open_db, rows)
    found = [a for a in evaluation.anomalies if a.field == "suspected_fake"]
    assert [(a.value, a.kind, a.snapshot_date) for a in found] == [("true", "fake_share", D)]
    review = evaluation.result("signal.anomaly_review")
    assert "suspected_fake = true" in review.summary and "flagged share 10.7%" in review.summary


def test_without_the_flag_nothing_is_watched_or_blocked(tmp_path, open_db):
    rows = [{k: v for k, v in r.items() if k != "suspected_fake"} for r in weeks(6, 100, {5: [True] * 12})]
    evaluation = run(tmp_path, open_db, rows)
    assert not [a for a in evaluation.anomalies if a.field == "suspected_fake"]
    assert evaluation.result("credibility.fake_accounts").status is Status.NOT_ASSESSED


@pytest.mark.parametrize("form", ["csv", "parquet", "folder-csv", "folder-parquet"])
def test_the_registers_and_flags_load_in_each_form(tmp_path, open_db, form):
    items = [{**HEALTHY["content_items"][0], "makes_claim": True}]
    root = write_extracts(tmp_path, {"content_items": items, "customers": weeks(2, 3, {1: [True]})}, form=form)
    db = open_db(root)
    extracts = db.load()
    assert extracts.errors == ()
    assert extracts.table("content_items").has("makes_claim") and extracts.table("customers").has("suspected_fake")
    evaluation = evaluate(db, extracts, Settings(), D)
    assert evaluation.result("credibility.claims_substantiated").status is Status.PASS
    assert evaluation.result("credibility.impersonation_response").status is Status.PASS
    assert db.query(extracts, "claims_register", {"team": None})[0][0] == "CL1"


BAD = [
    ("claims", {"approved_at": "last tuesday"}, "claims.approved_at", "'last tuesday'"),
    ("brand_incidents", {"severity": "critical"}, "brand_incidents.severity", "'critical'"),
    ("claims", {"claim_type": "rumour"}, "claims.claim_type", "'rumour'"),
    ("brand_incidents", {"incident_id": ""}, "brand_incidents.incident_id", None),
]


@pytest.mark.parametrize(("name", "change", "where", "found"), BAD, ids=[b[2] for b in BAD])
def test_a_bad_register_value_is_a_named_error_and_its_check_an_error(tmp_path, capsys, name, change, where, found):
    root = write_extracts(tmp_path)
    write_table(root, name, [{**HEALTHY[name][0], **change}], "csv")
    assert main(["validate", "--extracts", str(root)]) == 1
    out = capsys.readouterr().out
    assert f"{where} ({name}.csv, line 2)" in out and (found is None or found in out), out
    assert main(["check", "--extracts", str(root), "--format", "json"]) == 1
    check = "credibility.claims_substantiated" if name == "claims" else "credibility.impersonation_response"
    assert f'"id": "{check}"' in (text := capsys.readouterr().out)
    assert '"status": "error"' in text.split(f'"id": "{check}"')[1].split('"id"')[0]


def test_a_suspected_fake_of_maybe_is_a_named_error(tmp_path, capsys):
    root = write_extracts(tmp_path)
    (root / "customers.csv").write_text(
        "snapshot_date,customer_id,language,region,consent_email,consent_sms,consent_push,lifecycle_stage,"
        "customer_status,updated_at,source_system,suspected_fake\n"
        "2026-11-22,C1,en,NA,true,true,false,active,active,2026-11-01 09:30:00,crm,maybe\n")
    assert main(["validate", "--extracts", str(root)]) == 1
    out = capsys.readouterr().out
    assert "customers.suspected_fake (customers.csv, line 2)" in out and "'maybe'" in out
    assert "absent  claims" not in out and "brand_incidents" in out


def test_validate_lists_absent_registers(tmp_path, capsys):
    root = write_extracts(tmp_path, skip=["claims", "brand_incidents"])
    assert main(["validate", "--extracts", str(root)]) == 0
    out = capsys.readouterr().out
    assert "absent  claims" in out and "absent  brand_incidents" in out


def test_an_incident_detected_long_ago_but_still_open_is_judged(tmp_path, open_db):
    old = {**HEALTHY["brand_incidents"][0], "detected_at": datetime(2026, 1, 5, 8, 0),
           "contained_at": datetime(2026, 1, 5, 9, 0), "resolved_at": None}
    result = run_incidents(tmp_path, open_db, [old])
    assert result.status is Status.WARN and "open for" in result.summary
    closed = {**old, "resolved_at": datetime(2026, 2, 1, 9, 0)}
    assert run_incidents(tmp_path / "b", open_db, [closed]).status is Status.PASS  # outside the 90-day window


def test_an_incident_without_a_detection_time_is_judged_unless_resolved_before_the_window(tmp_path, open_db):
    """Nothing shows when it was detected: it is judged, and fails the 24-hour target it cannot be shown to meet,
    unless it was closed before the window opened (it was detected before that too)."""
    undated = {**HEALTHY["brand_incidents"][0], "severity": "high", "detected_at": None, "resolved_at": None}
    result = run_incidents(tmp_path, open_db, [undated])
    assert result.status is Status.FAIL and "no detection time" in result.summary, result.summary
    in_window = {**undated, "resolved_at": datetime.combine(D, datetime.min.time()) - timedelta(days=89)}
    assert run_incidents(tmp_path / "b", open_db, [in_window]).status is Status.FAIL
    before = {**undated, "resolved_at": datetime.combine(D, datetime.min.time()) - timedelta(days=91)}
    assert run_incidents(tmp_path / "c", open_db, [before]).status is Status.PASS


def run_incidents(tmp_path, open_db, rows):
    db = open_db(write_extracts(tmp_path / "x", {"brand_incidents": rows}))
    return evaluate(db, db.load(), Settings(), D).result("credibility.impersonation_response")


def test_presence_counts_hold_across_the_blocks_of_62_snapshots(tmp_path, open_db):
    """130 weekly snapshots: pairs of neighbours on both sides of each block edge (62 and 124) are counted
    as a snapshot-by-snapshot comparison counts them."""
    import random

    pick = random.Random(12)
    days = [D - (129 - k) * WEEK for k in range(130)]
    rows = []
    for day in days:
        for i in range(12):
            if pick.random() < 0.6:
                rows.append(customer(day, f"C{i}", pick.choice([True, False, None])))
                if pick.random() < 0.1:  # the same ID twice in a snapshot
                    rows.append(customer(day, f"C{i}", pick.choice([True, False, None])))
    db = open_db(write_extracts(tmp_path / "x", {"customers": rows}))
    extracts = db.load()
    found = {r[0]: r[1:] for r in db.query(extracts, "customer_presence")}
    seen: dict[date, dict[str, list]] = {}
    for r in rows:
        seen.setdefault(r["snapshot_date"], {}).setdefault(r["customer_id"], []).append(r["suspected_fake"])
    expected = {}
    for k, day in enumerate(sorted(seen)):
        ids = seen[day]
        if k == 0:
            expected[day] = (None, len(ids), None, None, None)
            continue
        before = sorted(seen)[k - 1]
        new = [c for c in ids if c not in seen[before]]
        expected[day] = (before, len(ids), len(new), sum(any(f is True for f in ids[c]) for c in new),
                         sum(all(f is None for f in ids[c]) for c in new))
    assert len(expected) > 124 and found == expected
