"""The server's start computes the Overview a first visit opens on (trust.ui.warmup), before anyone asks, and
a problem it meets is the first page's to show, not a crash or a trace in the server's log."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.appserver import CHROMIUM, app_server, settle

DONE = "the latest week computed at the server's start"
STOPPED = "the server did not compute the latest week at its start"


def _wait_for(log: Path, text: str, timeout: float = 180) -> str:
    """The server's log once it holds `text` (the warm-up's own line), polled until `timeout`."""
    deadline = time.monotonic() + timeout
    while text not in (found := log.read_text(errors="replace")):
        assert time.monotonic() < deadline, f"no {text!r} in the server's log:\n{found[-3000:]}"
        time.sleep(0.2)
    return found


def _kept(folder: Path) -> dict[str, float]:
    """Every file the server kept of the export's facts, with its modification time (a file read back is
    touched: see trust.extracts.keeping)."""
    return {str(p.relative_to(folder)): p.stat().st_mtime for p in folder.rglob("*") if p.is_file()}


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (.ci/run installs it)")
def test_the_server_computes_the_first_overview_before_anyone_asks(demo_extracts, tmp_path, page):
    log = tmp_path / "streamlit.log"
    with app_server(demo_extracts, log) as url:
        found = _wait_for(log, DONE)  # no visit yet
        assert "Traceback" not in found and "missing ScriptRunContext" not in found, found[-3000:]
        kept = _kept(tmp_path / "facts")
        assert any(name.rsplit("/", 1)[-1].startswith("content_metrics-") for name in kept), sorted(kept)
        page.goto(url + "/")
        settle(page, "Weekly trust review")
        # The visit found every week computed: it computed nothing, so it kept and read back no file either.
        assert _kept(tmp_path / "facts") == kept


def test_a_setting_to_fix_stops_the_warm_up_in_one_line_and_the_server_still_answers(demo_extracts, tmp_path):
    log = tmp_path / "streamlit.log"
    with app_server(demo_extracts, log, env={"TRUST_THREADS": "many"}) as url:
        found = _wait_for(log, STOPPED)
        line = next(ln for ln in found.splitlines() if STOPPED in ln)
        assert "TRUST_THREADS" in line, line
        assert "Traceback" not in found, found[-3000:]
        assert url  # the health check answered: the server serves the page that names the setting
