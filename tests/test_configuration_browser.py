"""A bad configuration in a real browser: the first request, straight to a page, meets the configuration screen,
with no page of the app behind it and no sidebar links (Debian's Chromium, driven by Playwright)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.appserver import CHROMIUM, app_server, settle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (.ci/run installs it)"),
]
TITLE = "The dashboard cannot open: a setting needs fixing"


def _shows_the_problem(page, *words: str) -> None:
    settle(page, TITLE)
    main = page.locator('[data-testid="stMain"]')
    for word in words:
        expect(main).to_contain_text(word)
    expect(main).to_contain_text("Fix:")
    expect(page.locator('[data-testid="stSidebarNav"] a')).to_have_count(0)  # not the pages-folder links
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    expect(page.locator('[role="dialog"]')).to_have_count(0)


def test_a_state_store_that_is_a_folder(demo_extracts, tmp_path, page):
    folder = tmp_path / "state-folder"
    folder.mkdir()
    with app_server(demo_extracts, tmp_path / "streamlit.log", env={"TRUST_STATE": str(folder)}) as url:
        page.goto(f"{url}/checklist")
        _shows_the_problem(page, "TRUST_STATE", f"{folder} is a folder, not a file")
        page.goto(f"{url}/")
        _shows_the_problem(page, "TRUST_STATE")


def test_sign_in_with_a_weak_cookie_secret(demo_extracts, tmp_path, page):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\ncookie_secret = "changeme"\n'
                       'client_id = "trust"\nclient_secret = "s"\n'
                       'server_metadata_url = "http://127.0.0.1:9/.well-known/openid-configuration"\n')
    with app_server(demo_extracts, tmp_path / "streamlit.log", args=("--secrets.files", str(secrets))) as url:
        page.goto(f"{url}/signal-quality")
        _shows_the_problem(page, "cookie_secret", "8 characters long", "openssl rand -hex 32")
