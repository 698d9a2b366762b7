"""A Streamlit server of the app for browser tests and the app benchmark, and how to wait for a page."""

from __future__ import annotations

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
    env = {**os.environ, "TRUST_EXTRACTS": str(extracts), "STREAMLIT_CLIENT_SHOW_ERROR_DETAILS": "full",
           **(env or {})}
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


def settle(page, timeout_ms: int = 90_000) -> None:
    """Wait until the page has a title and the app has finished running its script."""
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout_ms)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms)
    page.wait_for_timeout(300)


def main_text(page, timeout_ms: int = 30_000) -> str:
    """The text of the page's main area once every element in it has been drawn.

    Streamlit draws some elements far below the fold only when they are scrolled into view
    (a skeleton stands in until then), so each skeleton is scrolled to before reading.
    """
    skeletons = page.locator('[data-testid="stMain"] [data-testid="stSkeleton"]')
    deadline = page.evaluate("Date.now()") + timeout_ms
    while skeletons.count() and page.evaluate("Date.now()") < deadline:
        with suppress(PlaywrightError):  # drawn (and replaced) meanwhile: look again
            skeletons.first.scroll_into_view_if_needed(timeout=2000)
        page.wait_for_timeout(200)
    return page.locator('[data-testid="stMain"]').inner_text()
