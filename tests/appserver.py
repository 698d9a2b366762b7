"""A Streamlit server of the app for browser tests and the app benchmark, and how to wait for a page."""

from __future__ import annotations

import hashlib
import hmac
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from trust.views.markdown import WORD_JOINER

ROOT = Path(__file__).parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def app_server(extracts: Path, log: Path, timeout: float = 60, port: int | None = None,
               env: dict[str, str] | None = None, args: tuple[str, ...] = ()) -> Iterator[str]:
    """Serve app.py on a free port with `extracts`; yields the base URL, stops the server after."""
    port = port or free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("TRUST_")}, "TRUST_EXTRACTS": str(extracts),
           "TRUST_STATE": str(log.parent / "state.db"), "TRUST_AUDIT_KEY_FILE": str(log.parent / "audit.key"),
           "TRUST_FACTS_CACHE": str(log.parent / "facts"),
           "STREAMLIT_CLIENT_SHOW_ERROR_DETAILS": "full", **(env or {})}
    with open(log, "wb") as out:  # a file, not a pipe: an unread pipe would block the server
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false", *args],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                if time.time() > deadline or process.poll() is not None:
                    raise RuntimeError("the Streamlit server did not start: "
                                       + log.read_text(errors="replace")[-2000:]) from None
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


COOKIE = "trust_process"
SECRET = "routing-key-of-the-test"  # TRUST_LB_SECRET of the proxies started here


def routed_to(upstream: str) -> str:
    """The cookie value with which Caddy's cookie policy sends a browser to `upstream` (an HMAC of its
    address, Caddy's documented rule)."""
    return hmac.new(SECRET.encode(), upstream.encode(), hashlib.sha256).hexdigest()


def served_by(url: str, cookie: str | None) -> str:
    headers = {"Cookie": f"{COOKIE}={cookie}"} if cookie else {}
    request = urllib.request.Request(f"{url}/_stcore/health", headers=headers)
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.headers["X-Trust-Process"]


@contextmanager
def proxy(upstreams: list[str], log: Path) -> Iterator[str]:
    """deploy/Caddyfile in front of `upstreams` (host:port) on a free port; yields its URL once it reaches each."""
    port = free_port()
    env = {**os.environ, "TRUST_PROXY_PORT": str(port), "TRUST_UPSTREAMS": " ".join(upstreams),
           "TRUST_LB_SECRET": SECRET, "HOME": str(log.parent)}
    with open(log, "wb") as out:
        process = subprocess.Popen(["caddy", "run", "--config", str(ROOT / "deploy" / "Caddyfile"), "--adapter",
                                    "caddyfile"], env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 30
        while True:  # both processes reachable through the proxy
            try:
                if {served_by(url, routed_to(u)) for u in upstreams} == set(upstreams):
                    break
            except OSError:
                pass
            if time.time() > deadline or process.poll() is not None:
                raise RuntimeError("Caddy did not start: " + log.read_text(errors="replace")[-2000:])
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)



def settle(page, title: str | None = None, timeout_ms: int = 90_000) -> None:
    """Wait until the page titled `title` (any page when None) is drawn and its script has finished.

    Naming the title matters after a click: until the new page is drawn, the old one still has
    a title and a finished script, and a wait on those alone would return at once.
    """
    heading = page.locator('[data-testid="stMain"] h1')
    expect(heading.filter(has_text=title).first if title else heading.first).to_be_visible(timeout=timeout_ms)
    expect(page.locator('[data-testid="stApp"]')).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=timeout_ms)


def choose(page, box, value: str) -> None:
    """Pick `value` in the select box `box` (a locator of a stSelectbox).

    A rerun still drawing the page can close the open list or replace the box under the pointer, so each
    try waits for the script to finish, opens the list and clicks the option with a short timeout, and the
    pick counts only once the box holds the value.
    """
    option = page.get_by_role("option", name=value, exact=True).first
    for _ in range(8):
        expect(page.locator('[data-testid="stApp"]')).to_have_attribute(
            "data-test-script-state", "notRunning", timeout=90_000)
        box.scroll_into_view_if_needed()
        try:
            box.click(timeout=5_000)
            option.click(timeout=5_000)
            expect(box.get_by_role("combobox")).to_have_value(value, timeout=5_000)
            return
        except (PlaywrightError, AssertionError):
            page.keyboard.press("Escape")
    expect(box.get_by_role("combobox")).to_have_value(value)


def main_text(page, timeout_ms: int = 30_000) -> str:
    """The text of the page's main area once every element in it has been drawn, as a person reads it: without
    the invisible word joiners that keep a value's addresses and shortcodes from being rewritten (markdown_text).

    Streamlit shows a skeleton while an element (a table, a chart) loads, and some load only
    once scrolled into view: each skeleton in turn is scrolled to and waited for until it goes.
    (A plain scroll, not Playwright's, which would wait for the pulsing skeleton to stand still.)
    """
    skeletons = page.locator('[data-testid="stMain"] [data-testid="stSkeleton"]')
    for _ in range(100):
        if not skeletons.count():
            break
        with suppress(PlaywrightError):  # drawn (and replaced) meanwhile: look again
            skeleton = skeletons.first.element_handle(timeout=1_000)
            skeleton.evaluate("e => e.scrollIntoView({block: 'center'})")
            skeleton.wait_for_element_state("hidden", timeout=timeout_ms)
    expect(skeletons).to_have_count(0, timeout=timeout_ms)
    return page.locator('[data-testid="stMain"]').inner_text().replace(WORD_JOINER, "")
