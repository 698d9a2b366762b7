"""Running the app under AppTest: from app.py, then to a page, with query parameters, user and secrets."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).parents[1] / "app.py")


def run_app(page: str | None = None, params: dict[str, str] | None = None, user: dict | None = None,
            auth: dict | None = None) -> AppTest:
    """The app after one run of app.py and, when `page` is given, one run of that page."""
    st.cache_data.clear()
    # A limit, not a wait: a run returns as soon as it ends. The first run through a local Spark session (the
    # Data sources page on the demo, starting the JVM) passed 90 s on a slower CI machine with both cores busy,
    # and took 135 s there alone: 600 s leaves room for both.
    at = AppTest.from_file(APP, default_timeout=600)
    if auth is not None:
        at.secrets["auth"] = auth
    if user is not None:
        at.user = user
    params = params or {}
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page and not at.exception and at.get("page_link"):
        at.switch_page(page)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def answering(at: AppTest) -> AppTest:
    """The checklist with its answer form open (the form is drawn only while its expander is open)."""
    at.session_state["checklist.answering"] = True
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at
