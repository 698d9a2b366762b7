"""Untrusted text stays text in the browser: Markdown and HTML planted in a journey's owner, a staff name, an
answer's comment and a review's note show as their characters, and the browser draws no image or link of theirs
and asks nothing of the host they name."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import planted
from tests.appserver import CHROMIUM, app_server, main_text, settle
from tests.planted import CHECK, COMMENT, HOST, NAME, NOTE, OWNER
from trust.checks.registry import BY_ID
from trust.views.markdown import WORD_JOINER

# Each address, its title and the planted values it shows; the Markdown and HTML each value holds.
PAGES = {
    "?team=crm": ("Weekly trust review", (OWNER, NAME)),
    "check?check=signal.preflight&team=crm": ("Pre-flight checks before go-live", (OWNER,)),
    f"check?check={CHECK}&team=crm": (BY_ID[CHECK].title, (COMMENT,)),
    "checklist?team=crm": ("Trust checklist", (COMMENT,)),
}
MARKS = ("![px]", "[click]", "**BOLD**", "<img src=", "<b>b</b>", "$x$", "[red]")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (.ci/run installs it)"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory, demo_extracts):
    folder = tmp_path_factory.mktemp("planted")
    root = planted.extracts(demo_extracts, folder / "extracts")
    planted.state(folder / "state.db", folder / "audit.key")  # where app_server points TRUST_STATE
    with app_server(root, folder / "streamlit.log") as url:
        yield url


@pytest.fixture
def asked(page) -> list[str]:
    """Every address the page requests (its images and scripts included), from the first one on."""
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def literally(value: str) -> re.Pattern:
    """The value's characters in order, allowing only the invisible word joiners markdown_text puts in."""
    return re.compile(f"{WORD_JOINER}?".join(re.escape(c) for c in value))


def nothing_interpreted(page, asked: list[str]) -> None:
    expect(page.locator(f'img[src*="{HOST}"], a[href*="{HOST}"], a[href^="mailto:"], [src*="{HOST}"]')).to_have_count(0)
    main = page.locator('[data-testid="stMain"]')
    expect(main.locator("strong", has_text="BOLD")).to_have_count(0)
    expect(main.locator(".katex")).to_have_count(0)
    assert [url for url in asked if HOST in url] == []


@pytest.mark.parametrize("address", PAGES)
def test_planted_markdown_and_html_show_as_text_and_fetch_nothing(server, page, asked, address):
    title, values = PAGES[address]
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{server}/{address}")
    settle(page, title)
    main_text(page)
    main = page.locator('[data-testid="stMain"]')
    for value in values:
        expect(main.get_by_text(literally(value)).first).to_be_visible()
    for mark in MARKS:
        expect(main.get_by_text(mark, exact=False).first).to_be_visible()
    nothing_interpreted(page, asked)


def test_a_planted_review_note_shows_as_text_in_the_change_history(server, page, asked):
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{server}/checklist")  # all teams: a review is the organisation's, no team's
    settle(page, "Trust checklist")
    page.get_by_text("Change history and exports").click()
    history = page.locator('[data-testid="stExpander"] [data-testid="stDataFrame"]')
    history.scroll_into_view_if_needed()
    expect(history).to_be_visible()
    # A dataframe draws on a canvas and shows plain text; its accessible table holds the cells' text.
    expect(history.locator('[role="gridcell"]').filter(has_text=NOTE)).to_have_count(1)
    nothing_interpreted(page, asked)
    # The export is written when asked for, from the store as it is then: the note is in it, as data.
    with page.expect_download() as download:
        page.get_by_role("button", name="Change history (CSV)").click()
    assert download.value.suggested_filename == "history-all.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert NOTE in [json.loads(r["after"]).get("note") for r in rows if r["after"]]
