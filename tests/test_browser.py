"""Browser tests: Debian's Chromium, driven by Playwright, against a server started by the test."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import expect

from tests.appserver import CHROMIUM, ROOT, app_server, choose, main_text, settle

SHOTS = ROOT / "test-results" / "screenshots"
TITLES = {"": "Weekly trust review", "checklist": "Trust checklist", "check": "Customer fields mapped and owned",
          "signal-quality": "Signal quality", "approvals": "Approvals and audit", "credibility": "Credibility",
          "measurement": "Measurement",
          "advocacy": "Employee advocacy", "data-sources": "Data sources"}
PAGES = list(TITLES)
FORMULA_ITEM = "=1+2"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (.ci/run installs it)"),
]


def _extracts(demo: Path, folder: Path) -> Path:
    """The demo, plus one breach whose item ID a spreadsheet would run as a formula."""
    shutil.copytree(demo, folder)
    con = duckdb.connect()
    for name, row in (
        ("content_items", f"SELECT '{FORMULA_ITEM}' AS item_id, 'crm' AS team, 'email' AS channel, "
                          "'standard' AS context, true AS ai_generated, 0.9 AS model_confidence, "
                          "false AS makes_commitment, 'E001' AS owner, false AS ai_label_applied, "
                          "TIMESTAMP '2026-11-20 09:00' AS created_at, TIMESTAMP '2026-11-20 12:00' AS published_at"),
        ("audit_events", f"SELECT 'EV-X' AS event_id, '{FORMULA_ITEM}' AS item_id, 'published' AS event_type, "
                         "'cms' AS actor, 'system' AS actor_role, TIMESTAMP '2026-11-20 12:00' AS occurred_at"),
    ):
        path = folder / f"{name}.parquet"
        con.execute(f"COPY (SELECT * FROM read_parquet('{path}') UNION ALL BY NAME {row}) TO '{path}.new' "
                    "(FORMAT parquet)")
        os.replace(f"{path}.new", path)
    return folder


@pytest.fixture(scope="module")
def server(tmp_path_factory, demo_extracts):
    extracts = _extracts(demo_extracts, tmp_path_factory.mktemp("browser") / "extracts")
    with app_server(extracts, tmp_path_factory.mktemp("server") / "streamlit.log") as url:
        yield url


def _no_exception(page) -> None:
    expect(page.locator('[role="dialog"]')).to_have_count(0)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_loads_without_an_exception(server, page, path):
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{server}/{path}")
    settle(page, TITLES[path])
    _no_exception(page)
    main_text(page)  # every element drawn, so the screenshot shows the page, not its placeholders
    expect(page.locator('[data-testid="stSidebar"] [data-testid="stSkeleton"]')).to_have_count(0)
    page.locator('[data-testid="stMain"] h1').first.scroll_into_view_if_needed()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{path or 'overview'}.png"), full_page=True)


def test_a_failing_check_on_overview_leads_to_its_records_and_a_safe_csv(server, page, tmp_path):
    page.goto(f"{server}/")
    settle(page, "Weekly trust review")
    page.locator("a", has_text="Approvals before publication").first.click()
    expect(page).to_have_url(re.compile(r"check=governance\.approval_compliance"))
    settle(page, "Approvals before publication")
    _no_exception(page)
    records = page.locator('[data-testid="stDataFrame"]').first
    records.scroll_into_view_if_needed()
    expect(records).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    target = tmp_path / "breaches.csv"
    download.value.save_as(target)
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert rows[0][0] == "item_id" and len(rows) > 2
    assert [r[0] for r in rows if FORMULA_ITEM in r[0]] == ["'" + FORMULA_ITEM]
    assert not [c for r in rows for c in r if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "check-detail-records.png"), full_page=True)


def test_the_team_filter_changes_the_page_and_the_url(server, page):
    page.goto(f"{server}/")
    settle(page, "Weekly trust review")
    choose(page, page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').nth(1), "crm")
    expect(page).to_have_url(re.compile(r"team=crm"))
    caption = page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first
    expect(caption).to_contain_text("team crm")
    settle(page, "Weekly trust review")


def test_an_action_added_on_a_check_shows_on_the_overview(server, page):
    page.goto(f"{server}/check?check=governance.audit_trail&team=crm")
    settle(page, "Audit trail complete")
    page.get_by_label("What will be done").fill("Backfill the recommended events")
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_text(re.compile(r"Saved action #\d+"))).to_be_visible(timeout=60_000)
    _no_exception(page)
    page.goto(f"{server}/?team=crm")
    settle(page, "Weekly trust review")
    action = page.locator("a", has_text="Audit trail complete").filter(has_text="due")
    action.first.scroll_into_view_if_needed()
    expect(action.first).to_be_visible()


def test_the_overview_serves_this_weeks_pack_as_a_pdf(server, page, tmp_path):
    page.goto(f"{server}/?team=crm")
    settle(page, "Weekly trust review")
    with page.expect_download(timeout=90_000) as download:
        page.get_by_role("button", name="Download this week's pack (PDF)").click()
    target = tmp_path / "pack.pdf"
    download.value.save_as(target)
    assert download.value.suggested_filename == "trust-pack-2026-11-22-crm.pdf"
    assert target.read_bytes().startswith(b"%PDF")


def test_chromium_is_the_system_one():
    assert shutil.which("chromium") == CHROMIUM or Path(CHROMIUM).exists()


def test_a_failing_claim_on_credibility_leads_to_its_items_audit_trail(page, tmp_path):
    """Extracts of their own (a claim with no evidence on item I2), so the test does not hang on the demo's."""
    from tests.builders import HEALTHY, write_extracts
    from tests.test_page_credibility import TABLES

    published = {"event_id": "A9", "item_id": "I2", "event_type": "published", "actor": "cms",
                 "actor_role": "system", "occurred_at": TABLES["content_items"][1]["published_at"], "note": None}
    root = write_extracts(tmp_path / "extracts", {**TABLES, "audit_events": [*HEALTHY["audit_events"], published]})
    with app_server(root, tmp_path / "streamlit.log") as url:
        page.goto(f"{url}/credibility")
        settle(page, "Credibility")
        _no_exception(page)
        page.locator('[data-testid="stMain"] a', has_text="I2").filter(has_text="no evidence").click()
        expect(page).to_have_url(re.compile(r"/approvals\?.*approvals\.item=I2"))
        settle(page, "Approvals and audit")
        _no_exception(page)
        expect(page.get_by_label("Content item ID")).to_have_value("I2")
        trail = page.get_by_text(re.compile(r"^I2 · crm · email / standard"))
        expect(trail).to_be_visible()
        trail.scroll_into_view_if_needed()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "credibility-claim-trail.png"), full_page=True)
