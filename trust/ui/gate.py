"""Screens that stand in for the whole app: a setting that needs fixing, sign-in, access refused.

Each is served as the only page of a hidden navigation, so the sidebar never falls back to Streamlit's
pages-folder links and no page of the app runs behind it.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from trust import configuration
from trust.configuration import ConfigProblem
from trust.settings import Settings
from trust.views.markdown import markdown_text


class Blocked(Exception):
    """The app cannot be shown to this person now: `render` draws what they see instead."""

    def __init__(self, title: str, render: Callable[[], None]) -> None:
        super().__init__(title)
        self.title, self.render = title, render


def show(blocked: Blocked) -> None:
    """Serve the blocked screen as the app's only page (whatever address was asked for)."""
    st.navigation([st.Page(blocked.render, title=blocked.title, url_path="blocked", default=True)],
                  position="hidden").run()


def problem(found: ConfigProblem) -> Blocked:
    """The screen of a setting that needs fixing: the setting, what was found and the fix."""

    def render() -> None:
        st.title("The dashboard cannot open: a setting needs fixing")
        describe(found)
        st.caption("The `trust` commands that use this setting print the same message and exit with code 2.")

    return Blocked("Configuration problem", render)


def describe(found: ConfigProblem) -> None:
    """One problem in three parts, every value shown as text."""
    st.error(f"**{markdown_text(found.setting)}**: {markdown_text(found.found)}.", icon="⛔")
    st.markdown(f"**Fix:** {markdown_text(found.fix)}.")


def not_saved(config: Settings, exc: BaseException) -> None:
    """A save the state store refused (disk full, read-only, any storage error): nothing of it was kept, and
    the person's input stays in the form for when the store is fixed."""
    found = configuration.storage_failure(config, exc) or ConfigProblem(
        "TRUST_STATE", f"{config.state} refused the save ({exc}), so nothing was saved",
        "check the file and its disk, then save again")
    st.error(f"Not saved. **{markdown_text(found.setting)}**: {markdown_text(found.found)}. "
             f"**Fix:** {markdown_text(found.fix)}. Your input is kept in the form.", icon="⛔")
