"""Shared fixtures: the environment of a test, the demo (written once per session), the app runner and
databases over folders of tiny extracts, closed after each test."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect
from streamlit.testing.v1 import AppTest

from tests.apprun import run_app
from trust.extracts.database import Database

# A browser assertion waits up to 30 s for what it asserts, not Playwright's 5 s: on a slower CI machine, running
# the suite in two processes beside a JVM, one rerun after a click took longer than 5 s and failed a test whose
# app was right (test_signin_browser, "Save answers" not yet visible).
expect.set_options(timeout=30_000)


@pytest.fixture(autouse=True)
def env(tmp_path, monkeypatch) -> Callable[..., None]:
    """The environment of one test: no TRUST_* setting from outside, and a state store and kept facts of its
    own (so answers saved by one test never show in another). Returns a setter: env(extracts=root)."""
    for name in [n for n in os.environ if n.startswith("TRUST_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("TRUST_STATE", str(tmp_path / "state" / "state.db"))
    monkeypatch.setenv("TRUST_AUDIT_KEY_FILE", str(tmp_path / "state" / "audit.key"))
    monkeypatch.setenv("TRUST_FACTS_CACHE", str(tmp_path / "state" / "facts"))

    def setting(**values: object) -> None:
        for name, value in values.items():
            monkeypatch.setenv(f"TRUST_{name.upper()}", str(value))

    return setting


@pytest.fixture(scope="session")
def demo_extracts(tmp_path_factory) -> Path:
    """The demo (1,000 customers), written once per session and only read by the tests that share it."""
    from trust.demo import write_demo

    root = tmp_path_factory.mktemp("shared-demo") / "extracts"
    write_demo(root, customers=1000)
    return root


@pytest.fixture
def app(env) -> Callable[..., AppTest]:
    """The app under AppTest on a folder of extracts: app.py, then `page` with the query parameters."""
    def _open(root: Path, page: str | None = None, *, user: dict | None = None, auth: dict | None = None,
              **params: str) -> AppTest:
        env(extracts=root)
        return run_app(page, params, user, auth)

    return _open


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


# The longest file first (the Spark parity suite, which starts a JVM and a Spark Connect server): when `make test`
# runs the files in several processes, the others then share the rest instead of waiting for it at the end.
_FIRST = ("test_spark_parity.py",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.path.name not in _FIRST)  # stable: the order within each group stays


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
