"""Every address resolves, whatever a process has served before: a first request straight to a page, the
links the sidebar shows, and the older addresses of pages (Debian's Chromium, driven by Playwright)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.appserver import CHROMIUM, app_server, settle
from trust.ui.navigation import MOVED, PAGES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (.ci/run installs it)"),
]
TITLE = {"pages/overview.py": "Weekly trust review", "pages/checklist.py": "Trust checklist",
         "pages/check.py": "Pre-flight checks before go-live", "pages/signal-quality.py": "Signal quality",
         "pages/approvals.py": "Approvals and audit", "pages/credibility.py": "Credibility",
         "pages/measurement.py": "Measurement",
         "pages/advocacy.py": "Employee advocacy", "pages/data-sources.py": "Data sources"}
ADDRESS = {p.path: "" if p.default else p.url for p in PAGES}
QUERY = "?check=signal.preflight&team=crm"


@pytest.fixture
def fresh_server(demo_extracts, tmp_path):
    """A server that has served nothing yet: its first request meets Streamlit's pages-folder mode."""
    with app_server(demo_extracts, tmp_path / "streamlit.log") as url:
        yield url


def _lands_on(page, path: str) -> None:
    settle(page, TITLE[path])
    expect(page.locator('[role="dialog"]')).to_have_count(0)  # no "Page not found"
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def _sidebar_links(page) -> list[str]:
    links = page.locator('[data-testid="stSidebarNav"] a')
    expect(links).to_have_count(len(PAGES))
    return [links.nth(i).get_attribute("href") for i in range(len(PAGES))]


FIRST = ["pages/check.py", "pages/signal-quality.py", "check_detail", "data_sources", "overview"]


@pytest.mark.parametrize("first", FIRST)
def test_a_first_request_straight_to_a_page_lands_on_it(fresh_server, page, first):
    address = ADDRESS.get(first, first)
    page.goto(f"{fresh_server}/{address}{QUERY}")
    _lands_on(page, MOVED.get(first, first))
    expect(page).to_have_url(re.compile(re.escape(f"/{address}?") + ".*team=crm"))
    assert len(_sidebar_links(page)) == len(PAGES)


def test_every_link_the_sidebar_shows_resolves(fresh_server, page):
    page.goto(f"{fresh_server}/checklist")
    _lands_on(page, "pages/checklist.py")
    hrefs = _sidebar_links(page)
    assert [re.sub(r"^.*?//[^/]+/", "", h) for h in hrefs] == [ADDRESS[p.path] for p in PAGES]
    for href, spec in zip(hrefs, PAGES, strict=True):
        page.goto(href + QUERY)
        _lands_on(page, spec.path)


@pytest.mark.parametrize("old", MOVED)
def test_an_older_address_serves_its_page_with_its_query(fresh_server, page, old):
    page.goto(f"{fresh_server}/")
    _lands_on(page, "pages/overview.py")
    page.goto(f"{fresh_server}/{old}{QUERY}")
    _lands_on(page, MOVED[old])
    expect(page).to_have_url(re.compile(re.escape(f"/{old}?") + ".*team=crm"))
    assert len(_sidebar_links(page)) == len(PAGES)  # the hidden pages stay out of the sidebar
