"""Shared fixtures: a database over a folder of tiny extracts, closed after each test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from trust.db import Database


@pytest.fixture(scope="session", autouse=True)
def own_state_store(tmp_path_factory) -> Iterator[None]:
    """Every test (and every server a test starts) keeps its answers and audit key out of the checkout."""
    folder = tmp_path_factory.mktemp("state")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRUST_STATE", str(folder / "state.db"))
        patch.setenv("TRUST_AUDIT_KEY_FILE", str(folder / "audit.key"))
        yield


@pytest.fixture(autouse=True)
def fresh_state_store(tmp_path, monkeypatch) -> None:
    """A state store of its own for each test, so answers saved by one test never show in another."""
    monkeypatch.setenv("TRUST_STATE", str(tmp_path / "state" / "state.db"))
    monkeypatch.setenv("TRUST_AUDIT_KEY_FILE", str(tmp_path / "state" / "audit.key"))


@pytest.fixture(scope="session")
def demo_extracts(tmp_path_factory) -> Path:
    """A small demo (1,000 customers) written once and only read by the tests that share it."""
    from trust.demo import write_demo

    root = tmp_path_factory.mktemp("shared-demo") / "extracts"
    write_demo(root, customers=1000)
    return root


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """pytest-playwright launches Debian's Chromium (Playwright cannot download a browser here)."""
    from tests.appserver import CHROMIUM, CHROMIUM_ARGS

    return {"executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture
def open_db() -> Iterator:
    """Open a Database on a folder; every database opened is closed at the end of the test."""
    opened: list[Database] = []

    def _open(root: Path) -> Database:
        db = Database(root, memory_limit="512MB", threads=2)
        opened.append(db)
        return db

    yield _open
    for db in opened:
        db.close()


# In CI nothing may be skipped silently: a skipped test there is a failure.
_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("CI") == "true" and _skipped:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"CI=true and {len(_skipped)} test(s) were skipped: "
                                + ", ".join(_skipped), red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
