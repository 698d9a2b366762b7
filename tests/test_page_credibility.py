"""The Credibility page: the three checks, the claims register with its flags and trail links, the incident
log, suspected fakes, and a named message for each register that was not exported."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from tests.builders import HEALTHY, D, write_extracts
from trust.facts.anomalies import SharePoint
from trust.facts.credibility import ClaimFacts, ClaimRow, FakeWeek, Incident, IncidentFacts
from trust.facts.directory import Directory
from trust.facts.people import Person
from trust.settings import Settings
from trust.views import credibility as view
from trust.views.charts import fake_share_chart, incident_timeline
from trust.views.markdown import markdown_text

PAGE = "pages/credibility.py"
EARLIER = D - timedelta(days=7)


def _item(item_id: str, published: datetime) -> dict:
    return {**HEALTHY["content_items"][0], "item_id": item_id, "created_at": published - timedelta(hours=3),
            "published_at": published, "makes_claim": True}


def _customer(customer_id: str, snapshot: date, fake: bool | None) -> dict:
    return {**HEALTHY["customers"][0], "customer_id": customer_id, "snapshot_date": snapshot,
            "suspected_fake": fake}


CLAIM = HEALTHY["claims"][0]
TABLES = {
    "content_items": [_item("I1", datetime(2026, 11, 10, 12)), _item("I2", datetime(2026, 11, 12, 12)),
                      _item("I3", datetime(2026, 11, 15, 12))],
    "claims": [
        CLAIM,
        {**CLAIM, "claim_id": "CL2", "item_id": "I2", "claim_text": "Best rates in town", "evidence_url": None,
         "evidence_kind": None, "evidence_date": None, "approved_at": datetime(2026, 11, 12, 9)},
        {**CLAIM, "claim_id": "CL3", "item_id": "I3", "evidence_date": date(2024, 1, 5),
         "expires_on": date(2026, 12, 10), "approved_at": datetime(2026, 11, 15, 9)},
    ],
    # Two snapshots: C3 joins in the latest and is flagged; C1, in the audience of J1, is flagged too.
    "customers": [_customer("C1", EARLIER, False), _customer("C2", EARLIER, False), _customer("C1", D, True),
                  _customer("C2", D, False), _customer("C3", D, True)],
    "brand_incidents": [
        HEALTHY["brand_incidents"][0],
        {"incident_id": "BI2", "kind": "impersonation", "channel": "x", "severity": "high",
         "detected_at": datetime(2026, 11, 20, 8), "contained_at": None, "resolved_at": None, "owner": "E1"},
    ],
}


@pytest.fixture
def credibility(tmp_path, app):
    """The Credibility page on the tables above (with `tables` replacing some, and `skip` left out)."""
    def _open(tables: dict | None = None, skip: tuple[str, ...] = (), **params: str) -> AppTest:
        root = write_extracts(tmp_path / "x", {**TABLES, **(tables or {})}, skip=skip)
        return app(root, PAGE, **params)

    return _open


def _table(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_the_page_renders_on_the_demo(demo_extracts, app):
    at = app(demo_extracts, PAGE)
    assert at.title[0].value == "Credibility" and not at.exception
    assert len(at.get("plotly_chart")) == 2


def test_the_page_shows_the_three_checks_each_linked_to_its_detail(credibility):
    at = credibility()
    assert at.title[0].value == "Credibility" and not at.exception
    checks = {link.proto.query_string: link.proto.label for link in at.get("page_link") if link.proto.page == "check"}
    assert set(checks) == {"check=credibility.claims_substantiated", "check=credibility.impersonation_response",
                           "check=credibility.fake_accounts"}
    assert checks["check=credibility.claims_substantiated"] == "❌ Fail · **Claims backed by evidence**"
    assert "❌ Fail" in checks["check=credibility.fake_accounts"]
    summaries = " ".join(c.value for c in at.caption)
    assert "BI2" in summaries and "cannot be backed" in summaries  # each summary in full, under its link


def test_the_register_puts_failing_and_expiring_claims_on_top_with_names_and_trail_links(credibility):
    at = credibility()
    register = _table(at, "Evidence kind")
    assert register["Claim"].tolist() == ["CL2", "CL3", "CL1"]
    assert register["Flag"].tolist() == ["❌ fails", "⚠️ expires soon", ""]
    assert register["Problem"].iloc[0] == "no evidence"
    assert register["Reviewer"].iloc[0] == "Ben (crm)"  # E2, by name from staff
    assert register["Evidence age"].tolist()[1:] == ["34 months", "5 months"]
    assert register["Item"].iloc[0] == "approvals?approvals.item=I2"
    trails = [link.proto for link in at.get("page_link") if link.proto.page == "approvals"]
    assert [t.query_string for t in trails] == ["approvals.item=I2", "approvals.item=I3"]
    assert trails[0].label.endswith("I2** CL2 — no evidence")
    assert trails[1].label.endswith("evidence expires soon (expires on 2026-12-10)")


def test_the_item_link_opens_its_audit_trail(tmp_path, app):
    at = app(write_extracts(tmp_path / "x", TABLES), "pages/approvals.py", **{view.TRAIL_PARAM: "I1"})
    assert at.text_input(key="approvals.item").value == "I1"
    assert any(m.value.startswith("**I1**") for m in at.markdown)
    assert "Counts" in _table(at, "Counts").columns


def test_incidents_list_the_open_one_with_its_owner_and_draw_the_timeline(credibility):
    at = credibility()
    still_open = next(d.value for d in at.dataframe if "Days open" in d.value.columns)
    assert still_open["Incident"].tolist() == ["BI2"]
    assert still_open["Owner"].tolist() == ["Ana (crm)"]
    assert "not contained after 64 h" in still_open["Problems"].iloc[0]
    charts = [str(c.proto.spec) for c in at.get("plotly_chart")]
    assert any("24-hour target" in c for c in charts) and any("Suspected fakes" in c for c in charts)


def test_fake_users_show_the_weekly_share_and_the_journeys_holding_them(credibility):
    at = credibility()
    weeks = _table(at, "Share flagged")
    assert weeks["New customers"].tolist() == [1] and weeks["Share flagged"].tolist() == [1.0]
    journeys = _table(at, "Suspected fakes")
    assert journeys["Journey"].tolist() == ["J1"] and journeys["Owner"].tolist() == ["Ana (crm)"]


def test_a_team_in_view_filters_claims_and_says_the_rest_is_organisation_wide(credibility):
    at = credibility(team="brand")
    assert "organisation-wide" in at.caption[0].value
    assert "The claims register holds no claim of team brand." in [i.value for i in at.info]
    assert _table(at, "Days open")["Incident"].tolist() == ["BI2"]


def test_each_missing_register_is_named_instead_of_a_blank_table(credibility):
    plain = {"content_items": [HEALTHY["content_items"][0]], "customers": HEALTHY["customers"]}
    at = credibility(plain, skip=("claims", "brand_incidents"))
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert markdown_text("no makes_claim column") in warnings and "No claims register (claims) was exported" in warnings
    infos = " ".join(i.value for i in at.info)
    assert markdown_text("brand_incidents") in infos and markdown_text("no suspected_fake column") in infos
    assert not [d for d in at.dataframe if "Evidence kind" in d.value.columns or "Days open" in d.value.columns]


def test_without_the_register_every_published_claim_item_is_listed_as_lacking_it(credibility):
    at = credibility(skip=("claims",))
    warnings = [w.value for w in at.warning]
    assert any("No claims register (claims) was exported" in w and "lacks evidence" in w for w in warnings)
    assert not any("makes_claim" in w for w in warnings)
    register = _table(at, "Evidence kind")
    assert sorted(register["Problem"]) == ["no claims register row"] * 3


# The view-model and the charts, from literals.

def test_evidence_age_reads_in_days_then_months():
    assert view.evidence_age(date(2026, 11, 1), D) == "21 days"
    assert view.evidence_age(date(2026, 9, 24), D) == "59 days"
    assert view.evidence_age(date(2026, 9, 23), D) == "1 month"
    assert view.evidence_age(date(2025, 11, 23), D) == "11 months"
    assert view.evidence_age(date(2026, 12, 1), D) == "dated later"
    assert view.evidence_age(None, D) is None


def _row(claim_id: str, **kw) -> dict:
    base = {"item_id": "I9", "claim_id": claim_id, "claim_type": "statistic", "claim_text": "x",
            "evidence_url": "https://e.example", "evidence_kind": "study", "evidence_date": date(2026, 1, 1),
            "expires_on": None, "reviewed_by": "E2", "reviewer_role": "legal", "approved_at": None,
            "published_at": None, "team": "crm", "owner": "E1"}
    return base | kw


def test_claim_lines_order_failing_then_expired_then_expiring():
    problem = ClaimRow("I9", "A", None, None, None, None, None, None, None, None, None, None, None, None, True,
                       "no evidence")
    missing = ClaimRow("I8", None, None, None, None, None, None, None, None, None, None, None, "Ana", "crm", True,
                       "no claims register row")
    facts = ClaimFacts(D, True, True, 2, 2, 0, {}, (problem, missing))
    register = [_row("C", expires_on=D + timedelta(days=40)), _row("B", expires_on=D + timedelta(days=30)),
                _row("D", expires_on=D), _row("A")]
    people = Directory((Person("E1", "Ana", "crm"), Person("E2", "Ben", "crm")))
    lines = view.claim_lines(register, facts, people, D, 30)
    assert [(c.item_id, c.claim_id, c.flag) for c in lines] == [
        ("I8", None, "❌ fails"), ("I9", "A", "❌ fails"), ("I9", "D", "⌛ expired"), ("I9", "B", "⚠️ expires soon"),
        ("I9", "C", "")]
    assert lines[1].reviewer == "Ben (crm)" and lines[2].why == f"evidence expired on {D.isoformat()}"
    assert view.trail_address("A&B", {"team": "crm"}) == "approvals?approvals.item=A%26B&team=crm"


def test_the_incident_timeline_draws_each_incident_and_the_target():
    end = datetime(2026, 11, 23)
    incidents = (Incident("X1", "deepfake", "tiktok", "high", datetime(2026, 11, 20), None, None, "Ana"),
                 Incident("X2", "fake_account", "x", "low", datetime(2026, 11, 1), datetime(2026, 11, 1, 5),
                          datetime(2026, 11, 2), "Ben"))
    lines = view.incident_lines(IncidentFacts(D, True, incidents), Settings())
    assert [(x.incident.incident_id, x.state, x.failing) for x in lines] == [("X1", "open", True),
                                                                              ("X2", "resolved", False)]
    fig = incident_timeline(lines, end, 24)
    ticks = [t for t in fig.data if t.mode == "markers"]
    assert [t.x[0] for t in ticks] == [datetime(2026, 11, 21), datetime(2026, 11, 2)]
    assert fig.data[0].x == (datetime(2026, 11, 20), end)  # not contained: drawn to the end of the date


def test_the_fake_share_chart_holds_the_weekly_share_and_the_snapshot_band():
    weeks = (FakeWeek(EARLIER, EARLIER - timedelta(days=7), 10, 1, 0), FakeWeek(D, EARLIER, 20, 0, 0))
    points = (SharePoint("suspected_fake", "true", D, 0.2, 0.1, 0.01, 0.05, 0.15, True),
              SharePoint("consent_email", "false", D, 0.5, None, None, None, None, False))
    fig = fake_share_chart(weeks, points, 0.02, 0.05)
    assert list(fig.data[0].y) == [0.1, 0.0]
    assert [t.name for t in fig.data[1:]] == ["baseline band", "all customers flagged", "anomaly"]
    assert len(fig.layout.shapes) == 2
