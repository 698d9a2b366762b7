"""The credibility checks at both sides of every threshold: claims judged by SQL from literal extracts,
incidents and fake users judged from literal facts; a missing register is named and not assessed."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from tests.builders import HEALTHY, write_extracts
from trust.checks.credibility import fake_accounts, impersonation_response
from trust.checks.model import Status
from trust.engine import evaluate
from trust.facts.credibility import FakeFacts, FakeJourney, FakeWeek, Incident, IncidentFacts
from trust.facts.model import MISSING_REGISTER
from trust.settings import Settings

D = date(2026, 11, 22)
END = datetime(2026, 11, 23)
H, DAY = timedelta(hours=1), timedelta(days=1)
S = Settings()
P, W, F, N = Status.PASS, Status.WARN, Status.FAIL, Status.NOT_ASSESSED
PUBLISHED = datetime(2026, 11, 10, 12, 0)


def claim(**overrides) -> dict:
    base = {"claim_id": "CL1", "item_id": "I1", "claim_text": "Cuts costs by 30%", "claim_type": "statistic",
            "evidence_url": "https://example.com/study", "evidence_kind": "study", "evidence_date": date(2026, 1, 5),
            "expires_on": None, "reviewed_by": "E2", "reviewer_role": "legal",
            "approved_at": PUBLISHED - 2 * H}
    return {**base, **overrides}


ITEM = {**HEALTHY["content_items"][0], "makes_claim": True}
CLAIMS = [
    ("approved by legal before publication", [claim()], P),
    ("approved by compliance, role spelled loosely", [claim(reviewer_role=" Compliance ")], P),
    ("approved at the moment of publication", [claim(approved_at=PUBLISHED)], P),
    ("no row for the item", [claim(item_id="OTHER")], F),
    ("no evidence", [claim(evidence_url=" ")], F),
    ("not approved", [claim(approved_at=None)], F),
    ("approved after publication", [claim(approved_at=PUBLISHED + H)], F),
    ("approved by a role that does not count", [claim(reviewer_role="brand")], F),
    ("evidence expired before publication", [claim(expires_on=date(2026, 11, 9))], F),
    ("evidence expiring on the day it went out", [claim(expires_on=date(2026, 11, 10))], F),
    ("one of two rows fails", [claim(), claim(claim_id="CL2", evidence_url=None)], F),
    ("evidence exactly 24 months old", [claim(evidence_date=date(2024, 11, 22))], P),
    ("evidence 24 months and a day old", [claim(evidence_date=date(2024, 11, 21))], W),
    ("expired since publication", [claim(expires_on=date(2026, 11, 20))], W),
    ("expires within 30 days", [claim(expires_on=D + 30 * DAY)], W),
    ("expires in 31 days", [claim(expires_on=D + 31 * DAY)], P),
]


def _claims_result(tmp_path, open_db, tables, settings=S, as_of=D, skip=()):
    db = open_db(write_extracts(tmp_path / "x", tables, skip=skip))
    return evaluate(db, db.load(), settings, as_of).result("credibility.claims_substantiated")


@pytest.mark.parametrize(("rows", "expected"), [c[1:] for c in CLAIMS], ids=[c[0] for c in CLAIMS])
def test_claims_substantiated_at_each_rule(tmp_path, open_db, rows, expected):
    result = _claims_result(tmp_path, open_db, {"content_items": [ITEM], "claims": rows})
    assert result.status is expected, result.summary
    if expected is not P:
        assert result.evidence.rows and result.evidence.rows[0][0] == "I1"
        assert result.owner == "Ana (crm)"  # the item's owner, by name


def test_claims_without_a_register_fail_and_without_the_column_are_not_assessed(tmp_path, open_db):
    no_register = _claims_result(tmp_path / "a", open_db, {"content_items": [ITEM]}, skip=["claims"])
    assert no_register.status is F and "no claims register was exported" in no_register.summary
    no_column = _claims_result(tmp_path / "b", open_db, {})
    assert no_column.status is N and no_column.reason == MISSING_REGISTER and "makes_claim" in no_column.summary
    unpublished = _claims_result(tmp_path / "c", open_db, {"content_items": [{**ITEM, "published_at": None}]})
    assert unpublished.status is N and "No published item makes a claim" in unpublished.summary
    later = _claims_result(tmp_path / "d", open_db, {"content_items": [ITEM], "claims": []}, as_of=date(2026, 11, 9))
    assert later.status is N  # the item was not yet published on that day


def test_claim_reviewer_roles_is_a_setting(tmp_path, open_db):
    result = _claims_result(tmp_path, open_db, {"content_items": [ITEM], "claims": [claim(reviewer_role="brand")]},
                            Settings(claim_reviewer_roles="legal, brand"))
    assert result.status is P


def incident(**overrides) -> Incident:
    base = dict(incident_id="BI1", kind="impersonation", channel="social", severity="high",
                detected_at=END - 10 * DAY, contained_at=END - 10 * DAY + 24 * H, resolved_at=END - 8 * DAY,
                owner="Ana")
    return Incident(**{**base, **overrides})


INCIDENTS = [
    ("no incident", [], P),
    ("high, contained in exactly 24 h", [incident()], P),
    ("high, contained after 24 h and a minute", [incident(contained_at=END - 10 * DAY + 24 * H + H / 60)], F),
    ("high, contained after 60 h", [incident(contained_at=END - 10 * DAY + 60 * H)], F),
    ("high, not contained for 25 h", [incident(detected_at=END - 25 * H, contained_at=None, resolved_at=None)], F),
    ("high, open 23 h and not yet contained", [incident(detected_at=END - 23 * H, contained_at=None,
                                                        resolved_at=None)], P),
    ("unknown severity held to the high target", [incident(severity=None, contained_at=END - 10 * DAY + 30 * H)],
     F),
    ("no owner", [incident(owner=" ")], F),
    ("medium, contained in 72 h", [incident(severity="medium", contained_at=END - 10 * DAY + 72 * H)], P),
    ("medium, contained in 73 h", [incident(severity="medium", contained_at=END - 10 * DAY + 73 * H)], W),
    ("low, contained in a week", [incident(severity="low", contained_at=END - 3 * DAY)], P),
    ("open exactly 30 days", [incident(detected_at=END - 30 * DAY, contained_at=END - 30 * DAY + H,
                                       resolved_at=None)], P),
    ("open 31 days", [incident(detected_at=END - 31 * DAY, contained_at=END - 31 * DAY + H, resolved_at=None)], W),
    ("contained after the as-of day counts as not yet", [incident(detected_at=END - 2 * DAY,
                                                                  contained_at=END + H, resolved_at=None)], F),
    # Without a detection time nothing can be measured: no target can be shown to be met.
    ("high, no detection time", [incident(detected_at=None)], F),
    ("unknown severity, no detection time", [incident(severity=None, detected_at=None)], F),
    ("medium, no detection time", [incident(severity="medium", detected_at=None)], W),
    ("low, no detection time, resolved", [incident(severity="low", detected_at=None)], P),
    ("low, no detection time, still open", [incident(severity="low", detected_at=None, resolved_at=None)], W),
]


@pytest.mark.parametrize(("incidents", "expected"), [c[1:] for c in INCIDENTS], ids=[c[0] for c in INCIDENTS])
def test_impersonation_response_at_each_threshold(incidents, expected):
    result = impersonation_response(IncidentFacts(D, True, tuple(incidents)), S)
    assert result.status is expected, result.summary
    if expected is not P:
        assert result.evidence.rows[0][0] == "BI1" and result.evidence.rows[0][-1]


def test_an_absent_incident_log_is_named_and_not_assessed():
    result = impersonation_response(IncidentFacts(D, False), S)
    assert result.status is N and "brand_incidents" in result.summary and result.reason == MISSING_REGISTER


def week(new: int, flagged: int, unscreened: int = 0) -> FakeWeek:
    return FakeWeek(D, D - 7 * DAY, new, flagged, unscreened)


HELD = (FakeJourney("J1", "Welcome", "crm", "Ana", "live", 1),)
FAKES = [
    ("2% flagged", week(1000, 20), (), P),
    ("2.1% flagged", week(1000, 21), (), W),
    ("5% flagged", week(1000, 50), (), W),
    ("5.1% flagged", week(1000, 51), (), F),
    ("10% unscreened", week(1000, 0, 100), (), P),
    ("10.1% unscreened", week(1000, 0, 101), (), W),
    ("one suspect in a journey audience", week(1000, 1), HELD, F),
    ("no new customer, a suspect in an audience", week(0, 0), HELD, F),
    ("no new customer", week(0, 0), (), N),
    ("no earlier snapshot", None, (), N),
]


@pytest.mark.parametrize(("current", "journeys", "expected"), [c[1:] for c in FAKES], ids=[c[0] for c in FAKES])
def test_fake_accounts_at_each_threshold(current, journeys, expected):
    facts = FakeFacts(D, True, current, (current,) if current else (), journeys)
    result = fake_accounts(facts, S)
    assert result.status is expected, result.summary
    if journeys:
        assert "J1" in result.summary and result.owner == "Ana" and result.evidence.rows[0][1] == "J1 Welcome"


def test_fake_accounts_without_the_flag_is_named_and_not_assessed():
    result = fake_accounts(FakeFacts(D, False), S)
    assert result.status is N and "suspected_fake" in result.summary and result.reason == MISSING_REGISTER


def test_an_undated_incident_is_listed_with_no_hours_and_left_out_of_the_timeline():
    from trust.views.charts import incident_timeline
    from trust.views.credibility import incident_lines, incident_table

    lines = incident_lines(IncidentFacts(D, True, (incident(detected_at=None, resolved_at=None),
                                                   incident(incident_id="BI2"))), S)
    rows = {r["Incident"]: r for r in incident_table(lines, END)}
    assert rows["BI1"]["Hours to contain"] is None and "no detection time" in rows["BI1"]["Problems"]
    assert rows["BI2"]["Hours to contain"] == 24.0
    drawn = {name for trace in incident_timeline(lines, END, 24).data for name in (trace.y or ())}
    assert drawn == {"BI2"}
