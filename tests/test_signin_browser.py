"""Sign-in end to end: a mock OpenID Connect provider, the app's own st.login, Debian's Chromium."""

from __future__ import annotations

import secrets
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from playwright.sync_api import expect

from tests.appserver import CHROMIUM, app_server, choose, free_port, main_text, settle
from trust.state import assessments as A

oidc_provider_mock = pytest.importorskip("oidc_provider_mock")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (.ci/run installs it)"),
]
ROLES = "email,role,teams\nboss@example.com,leadership,\nlead@example.com,team_lead,crm\n"
PEOPLE = {"lead@example.com": "Lee Lead", "boss@example.com": "Bo Boss"}


@pytest.fixture(scope="module")
def signed_in_app(tmp_path_factory, demo_extracts):
    folder = tmp_path_factory.mktemp("signin")
    extracts = demo_extracts
    (folder / "roles.csv").write_text(ROLES)
    with oidc_provider_mock.run_server_in_thread() as provider:
        issuer = f"http://127.0.0.1:{provider.server_port}"
        for email, name in PEOPLE.items():
            assert httpx.put(f"{issuer}/users/{quote(email)}", json={"email": email, "name": name}).status_code == 204
        port = free_port()
        (folder / "secrets.toml").write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_hex(32)}"\n'
            'client_id = "trust-dashboard"\nclient_secret = "test-secret"\n'
            f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n')
        env = {"TRUST_ROLES_FILE": str(folder / "roles.csv"), "TRUST_STATE": str(folder / "state.db"),
               "TRUST_AUDIT_KEY_FILE": str(folder / "audit.key")}
        with app_server(extracts, folder / "streamlit.log", port=port, env=env,
                        args=("--secrets.files", str(folder / "secrets.toml"))) as url:
            yield url, folder


def sign_in(browser, url: str, email: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url + "/")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_placeholder("sub").fill(email)
    page.get_by_role("button", name="Authorize").click()
    settle(page, "Weekly trust review")
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text(f"Signed in as {PEOPLE[email].split()[0]}")
    return page


def answer(page, team: str, check_id: str, value: str, saved: str) -> None:
    choose(page, page.locator(f".st-key-answer-{team}-{check_id.replace('.', '-')} [data-testid='stSelectbox']"), value)
    page.get_by_role("button", name="Save answers").click()
    expect(page.locator('[data-testid="stMain"]')).to_contain_text(saved)
    settle(page, "Trust checklist")


def open_checklist(page, url: str, query: str = "") -> None:
    """The checklist, with its answer form opened (drawn only while its expander is open)."""
    page.goto(f"{url}/checklist{query}")
    settle(page, "Trust checklist")
    page.get_by_text("Answer the checklist", exact=True).click()
    expect(page.get_by_role("button", name="Save answers")).to_be_visible()
    settle(page, "Trust checklist")


def test_team_lead_answers_their_team_not_another_and_leadership_sees_all(browser, signed_in_app):
    url, folder = signed_in_app
    lead = sign_in(browser, url, "lead@example.com")
    open_checklist(lead, url)
    answer(lead, "crm", "culture.brand_voice", "yes", "Saved 1 answer for crm")
    open_checklist(lead, url, "?team=brand")
    assert lead.get_by_role("button", name="Save answers").is_disabled()
    assert "only leadership and brand's team lead" in main_text(lead)

    boss = sign_in(browser, url, "boss@example.com")
    open_checklist(boss, url)
    assert "lead@example.com" in main_text(boss)  # crm's answer, by the lead
    choose(boss, boss.locator(".st-key-checklist-answer_team [data-testid='stSelectbox']"), "crm")
    # crm's model is outside its tolerance: an overclaim
    answer(boss, "crm", "measurement.tolerances", "yes", "Saved 1 answer for crm")
    open_checklist(boss, url)
    text = main_text(boss)
    assert "Overclaimed by crm" in text
    boss.goto(url + "/")
    settle(boss, "Weekly trust review")
    assert "answered yes to Tolerances on predictive outputs" in main_text(boss)

    store = A.Store(folder / "state.db", folder / "audit.key")
    saved = {(a.team, a.check_id): a.answered_by for a in A.current_answers(store)}
    assert saved == {("crm", "culture.brand_voice"): "lead@example.com",
                     ("crm", "measurement.tolerances"): "boss@example.com"}
    assert A.verify(store).ok
