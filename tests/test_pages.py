"""AppTest for every page: it renders, its figures are the engine's, and the filters and links work."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.apprun import answering
from tests.builders import write_extracts
from trust.checks.model import percent
from trust.checks.registry import CHECKS
from trust.engine import evaluate
from trust.extracts.database import Database
from trust.settings import Settings
from trust.views.markdown import markdown_text

PAGES = ["pages/overview.py", "pages/checklist.py", "pages/check.py", "pages/signal-quality.py",
         "pages/approvals.py", "pages/credibility.py", "pages/measurement.py", "pages/advocacy.py",
         "pages/data-sources.py"]


@pytest.fixture
def demo(demo_extracts) -> Path:
    return demo_extracts


def engine(root: Path, **kwargs):
    db = Database(root, "512MB", 2)
    try:
        return evaluate(db, db.load(), Settings(extracts=root), **kwargs)
    finally:
        db.close()


def table_with(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_demo(demo, app, page):
    at = app(demo, page)
    assert at.title, f"{page} shows no title"
    assert not at.get("exception")


def test_overview_figures_are_the_engines_and_the_team_filter_changes_them(demo, app):
    expected = engine(demo)
    shown = metrics(app(demo, "pages/overview.py"))
    assert shown["Readiness stage"] == f"{expected.readiness.stage} of 3"
    assert shown["Approval compliance"] == percent(expected.approval["rate"])
    assert shown["Audit completeness"] == percent(expected.result("governance.audit_trail").metrics["rate"])
    # The filters are bound to the URL (?team=, ?week=), as a shared link sets them.
    crm = engine(demo, team="crm")
    at = app(demo, "pages/overview.py", team="crm")
    assert "team crm" in at.caption[0].value
    assert metrics(at)["Approval compliance"] == percent(crm.approval["rate"])
    assert crm.approval["rate"] != expected.approval["rate"]


def test_the_week_filter_changes_the_figures(demo, app):
    weeks = app(demo, "pages/overview.py").selectbox(key="week").options
    earlier = weeks[4]
    at = app(demo, "pages/overview.py", week=earlier)
    assert f"As of {earlier}" in at.caption[0].value
    past = engine(demo, as_of=date.fromisoformat(earlier))
    assert metrics(at)["Approval compliance"] == percent(past.approval["rate"])
    assert past.approval["rate"] != engine(demo).approval["rate"]


def test_overview_links_carry_check_week_and_team(demo, app):
    at = app(demo, "pages/overview.py", team="brand", week="2026-11-15")
    links = [link.proto for link in at.get("page_link")]
    assert links and all(link.page == "check" for link in links)
    for link in links:
        query = dict(pair.split("=") for pair in link.query_string.split("&"))
        assert query["team"] == "brand" and query["week"] == "2026-11-15" and query["check"]


def test_check_detail_follows_the_check_in_the_url_and_masks_customers(demo, app):
    at = app(demo, "pages/check.py", check="signal.preflight")
    assert at.title[0].value == "Pre-flight checks before go-live"
    records = table_with(at, "customer_id")
    assert len(records) > 0 and all(str(v).startswith("•") for v in records["customer_id"])
    at.toggle(key="detail.unmask").set_value(True).run()
    assert not any(str(v).startswith("•") for v in table_with(at, "customer_id")["customer_id"])
    assert at.get("download_button")


def test_checklist_shows_every_check_and_the_team_grid(demo, app):
    at = app(demo, "pages/checklist.py")
    links = [link.proto.query_string for link in at.get("page_link")]
    assert len(links) == len(CHECKS)
    grid = table_with(at, "Organisation")
    assert list(grid.columns) == ["Check", "Organisation", "brand", "crm", "growth"]
    assert len(grid) == len(CHECKS)
    at = app(demo, "pages/checklist.py", team="crm")
    assert not [d for d in at.dataframe if "Organisation" in d.value.columns]


def test_the_checklists_answer_form_and_change_history_are_drawn_only_once_opened(demo, app):
    at = app(demo, "pages/checklist.py")
    assert [e.label for e in at.expander] == ["Answer the checklist", "Change history and exports"]
    assert not at.get("form_submit_button") and not at.text_input and not at.get("download_button")
    answering(at)
    assert len(at.text_input) == 2 * len(CHECKS) and at.get("form_submit_button")
    at.session_state["checklist.history"] = True
    at.run()
    assert [b.label for b in at.get("download_button")] == ["Answers (CSV)", "Change history (CSV)"]


def test_a_broken_table_shows_its_error_where_needed_and_the_rest_works(tmp_path, app):
    root = write_extracts(tmp_path / "x")
    (root / "forecasts.csv").write_text("model_id\nM1\n")
    for page in PAGES:
        at = app(root, page)
        assert not at.exception
    at = app(root, "pages/checklist.py")
    assert any("Error" in link.proto.label and "predictive" in link.proto.label.lower()
               for link in at.get("page_link"))
    at = app(root, "pages/data-sources.py")
    assert any("forecasts" in e.value for e in at.error)


def test_no_data_for_a_team_or_week_says_so(tmp_path, app):
    """A team or week without records gets a message saying what is missing, not an empty page."""
    later = [{"nudge_id": "N1", "sent_on": date(2026, 12, 7), "recommended_posts": 3, "includes_stats": True}]
    root = write_extracts(tmp_path / "x", {"advocacy_nudges": later})
    shown = {page: [i.value for i in app(root, page, **params).info] for page, params in (
        ("pages/advocacy.py", {"week": "2026-11-22"}), ("pages/signal-quality.py", {"team": "brand"}),
        ("pages/measurement.py", {"team": "brand"}), ("pages/approvals.py", {"team": "brand"}))}
    assert "No advocacy programme has started by 2026-11-22." in shown["pages/advocacy.py"]
    assert "No scheduled or live journey for team brand." in shown["pages/signal-quality.py"]
    assert {"No forecast with an actual as of this week for team brand.", "No pilot for team brand."} <= set(
        shown["pages/measurement.py"])
    assert "No content item as of 2026-11-22 for team brand." in shown["pages/approvals.py"]


def test_audit_trail_lookup_explains_which_approvals_count(demo, app):
    at = app(demo, "pages/approvals.py")
    at.text_input(key="approvals.item").set_value("CI-P03").run()
    assert not at.exception
    trail = table_with(at, "Counts")
    approvals = trail[trail["Event"] == "approved"]
    assert (approvals["Counts"] == "❌ does not count").all()
    assert any("not a required role" in why for why in approvals["Why"])
    assert any("Has its approvals: ❌ no" in m.value for m in at.markdown)
    at.text_input(key="approvals.item").set_value("NOPE").run()
    assert any("no content item" in w.value for w in at.warning)


def test_overview_shows_each_layer_status_beside_its_score_and_each_blocker_with_its_reason(demo, app):
    from trust.ui.widgets import badge

    expected = engine(demo)
    at = app(demo, "pages/overview.py")
    shown = metrics(at)
    markdown = [m.value for m in at.markdown]
    for layer in expected.layers:
        assert shown[layer.title] == (f"{layer.score:.1f}" if layer.score is not None else "not evidenced")
        assert badge(layer.status) in markdown
    labels = [link.proto.label for link in at.get("page_link")]
    captions = [c.value for c in at.caption]
    for blocker in expected.readiness.blockers:
        assert markdown_text(blocker.reason) in captions, blocker  # a reason quotes data: shown as text
    assert any("owner: Mateo Rossi (crm)" in label for label in labels)  # owners by name on the Overview
    assert any("Layer scores, last 8 weeks" in str(chart.proto.spec) for chart in at.get("plotly_chart"))


def test_a_past_week_without_audience_history_says_so(demo, app, tmp_path):
    import shutil

    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    root = tmp_path / "extracts"
    shutil.copytree(demo, root)
    audience = pq.read_table(root / "journey_audience.parquet")  # keep only today's export, undated
    today = audience.filter(pc.equal(audience["snapshot_date"], pc.max(audience["snapshot_date"])))
    pq.write_table(today.drop_columns(["snapshot_date"]), root / "journey_audience.parquet")
    at = app(root, "pages/signal-quality.py", week="2026-11-15")
    assert any("carry no history" in i.value for i in at.info)
    at = app(root, "pages/overview.py")
    assert any("Not compared" in c.value and "Pre-flight" in c.value for c in at.caption)


def test_an_action_added_on_the_check_detail_shows_on_the_overview_and_the_checklist(demo, app):
    at = app(demo, "pages/check.py", check="governance.approval_compliance", team="crm")
    owner = next(s for s in at.selectbox if s.label == "Owner")
    next(t for t in at.text_input if t.label == "What will be done").set_value("Block publishing until approved")
    at.date_input[0].set_value(date(2026, 11, 1))  # due before the latest week: overdue from the start
    next(b for b in at.get("form_submit_button") if b.label == "Add the action").click()
    at.run()
    assert not at.exception and any("Saved action #1" in s.value for s in at.success)
    table = table_with(at, "Flag")
    assert table["Owner"].tolist() == [owner.options[0]] and table["Flag"].tolist() == ["⏰ overdue"]
    overview = app(demo, "pages/overview.py", team="crm")
    assert any("Approvals before publication" in link.proto.label and "⏰ overdue" in link.proto.label
               for link in overview.get("page_link"))
    checklist = app(demo, "pages/checklist.py", team="crm")
    assert any("Action:" in c.value and "overdue" in c.value for c in checklist.caption)
    brand = app(demo, "pages/check.py", check="governance.approval_compliance", team="brand")
    assert "No action yet on this check for brand." in [i.value for i in brand.info]  # crm's action is crm's


def test_the_overview_shows_the_weeks_news(demo, app):
    at = app(demo, "pages/overview.py", week="2026-11-15")
    shown = [m.value for m in at.markdown]
    for title in ("New anomalies", "Going live in the next 7 days", "Answers expired or expiring within 14 days",
                  "Overdue actions"):
        assert any(v.startswith(f"**{title}** (") for v in shown), title
