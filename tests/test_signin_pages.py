"""Sign-in and roles in the app (AppTest's user support): who sees and may answer what."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.apprun import answering

SECRET = "9f2c4e6a8b0d1f3a5c7e9b1d3f5a7c9e0b2d4f6a8c0e2b4d"
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": SECRET, "client_id": "trust",
        "client_secret": "s", "server_metadata_url": "http://localhost:9400/.well-known/openid-configuration"}
ROLES = "email,role,teams\nboss@example.com,leadership,\nlead@example.com,team_lead,crm\nsee@example.com,viewer,\n"


@pytest.fixture
def app(app, env, demo_extracts, tmp_path):
    """The shared app runner on the demo, with sign-in configured and a roles file."""
    roles = tmp_path / "roles.csv"
    roles.write_text(ROLES)
    env(roles_file=roles)

    def _open(user: dict | None, page: str | None = "pages/checklist.py", auth: dict | None = AUTH,
              **params: str) -> AppTest:
        return app(demo_extracts, page, user=user, auth=auth, **params)

    return _open


def signed_in(email: str) -> dict:
    return {"is_logged_in": True, "email": email, "name": email.split("@")[0].title()}


def form_enabled(at: AppTest) -> bool:
    answering(at)
    return not at.get("form_submit_button")[0].proto.disabled


def test_a_signed_out_user_sees_only_the_sign_in_page(app):
    at = app({"is_logged_in": False}, page=None)
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.get("page_link") and not at.metric


def test_a_team_lead_answers_their_team_and_not_another(app):
    at = app(signed_in("lead@example.com"))
    assert any("Signed in as **Lead**" in c.value and "team lead for crm" in c.value for c in at.sidebar.caption)
    assert at.selectbox(key="checklist.answer_team").options == ["crm"]
    assert form_enabled(at)
    at.selectbox(key="answer.crm.culture.brand_voice").set_value("yes")
    at.get("form_submit_button")[0].click()
    at.run()
    assert not at.exception
    assert any("Saved 1 answer for crm" in s.value for s in at.success)
    other = app(signed_in("lead@example.com"), team="brand")
    assert not form_enabled(other)
    assert any("only leadership and brand's team lead" in c.value for c in other.caption)


def test_leadership_answers_for_every_team(app):
    at = app(signed_in("boss@example.com"))
    assert at.selectbox(key="checklist.answer_team").options == ["brand", "crm", "growth"]
    assert form_enabled(at)


def test_a_viewer_cannot_add_an_action(app):
    at = app(signed_in("see@example.com"), "pages/check.py", check="governance.audit_trail")
    assert not at.exception
    add = next(b for b in at.get("form_submit_button") if b.label == "Add the action")
    assert add.proto.disabled
    assert any("only leadership" in c.value for c in at.caption)


def test_a_viewer_reads_only(app):
    at = app(signed_in("see@example.com"))
    assert not form_enabled(at)


def test_a_user_missing_from_the_roles_file_is_refused_unless_a_default_role_is_set(app, env):
    at = app(signed_in("stranger@example.com"), page=None)
    assert any(t.value == "Access not granted" for t in at.title)
    assert not at.get("page_link")
    env(default_role="viewer")
    at = app(signed_in("stranger@example.com"))
    assert not form_enabled(at)


@pytest.mark.parametrize("secret", [None, "short", "changeme" * 5])
def test_a_weak_or_missing_cookie_secret_is_refused(app, secret):
    auth = {k: v for k, v in AUTH.items() if k != "cookie_secret"} | ({"cookie_secret": secret} if secret else {})
    at = app(signed_in("boss@example.com"), page=None, auth=auth)
    assert any(t.value == "The dashboard cannot open: a setting needs fixing" for t in at.title)
    errors = [e.value.replace("\\", "") for e in at.error]
    assert any("cookie_secret" in e and "secrets.toml" in e for e in errors), errors
    assert any("openssl rand -hex 32" in m.value for m in at.markdown)
    assert not at.get("page_link") and not at.metric


def test_without_sign_in_the_app_runs_in_local_mode_with_a_banner(app):
    at = app(None, auth=None)
    assert any("Local mode" in i.value for i in at.sidebar.info)
    assert form_enabled(at)
