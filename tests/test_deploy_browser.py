"""Two app processes behind Caddy (deploy/Caddyfile): each browser stays on one process, answers saved through
both land in the one state store, no update is lost, and the audit chain verifies."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.appserver import CHROMIUM, COOKIE, ROOT, app_server, choose, proxy, routed_to, served_by
from tests.test_signin_browser import answer, open_checklist
from trust.state import assessments as A
from trust.state.store import Store

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (.ci/run installs it)"),
    pytest.mark.skipif(shutil.which("caddy") is None and not os.environ.get("CI"),
                       reason="Debian's caddy is not installed (.ci/run installs it)"),
]
@pytest.fixture
def deployment(demo_extracts, tmp_path):
    """Two app processes sharing one state store and the extracts, behind the proxy."""
    shared = {"TRUST_STATE": str(tmp_path / "state.db"), "TRUST_AUDIT_KEY_FILE": str(tmp_path / "audit.key")}
    with ExitStack() as stack:
        upstreams = []
        for name in ("one", "two"):
            (tmp_path / name).mkdir()
            url = stack.enter_context(app_server(demo_extracts, tmp_path / name / "streamlit.log", env=shared))
            upstreams.append(url.removeprefix("http://"))
        yield stack.enter_context(proxy(upstreams, tmp_path / "caddy.log")), upstreams, tmp_path


def browser_on(browser, url: str, upstream: str):
    context = browser.new_context()
    context.add_cookies([{"name": COOKIE, "value": routed_to(upstream), "url": url}])
    return context.new_page()


def test_answers_saved_through_two_processes_all_land_and_the_chain_verifies(browser, deployment):
    url, (one, two), folder = deployment
    assert served_by(url, routed_to(one)) == one and served_by(url, routed_to(two)) == two
    first, second = browser_on(browser, url, one), browser_on(browser, url, two)
    for page in (first, second):
        open_checklist(page, url, "?team=crm")
    answer(first, "crm", "culture.brand_voice", "yes", "Saved 1 answer for crm")
    # The second browser, on the other process, still shows brand voice unanswered: its save of that row
    # is refused, not written over the first one's.
    choose(second, second.locator(".st-key-answer-crm-culture-brand_voice [data-testid='stSelectbox']"), "no")
    second.get_by_role("button", name="Save answers").click()
    expect(second.locator('[data-testid="stMain"]')).to_contain_text("Not saved")
    open_checklist(second, url, "?team=crm")
    answer(second, "crm", "culture.upskilling", "partly", "Saved 1 answer for crm")
    store = Store(folder / "state.db", folder / "audit.key")
    saved = {(a.team, a.check_id): a.answer for a in A.current_answers(store)}
    assert saved == {("crm", "culture.brand_voice"): "yes", ("crm", "culture.upskilling"): "partly"}
    assert store.revision() == 2 and A.verify(store).ok
    verify = subprocess.run([sys.executable, "-m", "trust.cli", "audit", "verify", "--state",
                             str(folder / "state.db"), "--key", str(folder / "audit.key")],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert verify.returncode == 0, verify.stdout + verify.stderr
