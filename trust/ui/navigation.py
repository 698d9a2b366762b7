"""The app's pages and their addresses: the navigation app.py runs, and old addresses that lead to the right page.

The top-level pages/ folder makes Streamlit start each process in its pages-folder mode, in
which a first request runs the page file alone. Streamlit switches a process to st.navigation
as soon as any script declares it (its documented rule: with st.navigation, the pages folder is
ignored), so a page that finds itself alone declares the navigation and reruns through app.py.
Page files are named after their addresses, so every address either mode shows resolves.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st


@dataclass(frozen=True)
class PageSpec:
    """One page of the app: its section, script, title, icon and address."""

    section: str
    path: str
    title: str
    icon: str
    url: str
    default: bool = False


PAGES: tuple[PageSpec, ...] = (
    PageSpec("Review", "pages/overview.py", "Overview", "🧭", "home", default=True),  # served at /
    PageSpec("Review", "pages/checklist.py", "Trust checklist", "✅", "checklist"),
    PageSpec("Review", "pages/check.py", "Check detail", "🔎", "check"),
    PageSpec("Layers", "pages/signal-quality.py", "Signal quality", "📡", "signal-quality"),
    PageSpec("Layers", "pages/approvals.py", "Approvals and audit", "🖊️", "approvals"),
    PageSpec("Layers", "pages/credibility.py", "Credibility", "🛡️", "credibility"),
    PageSpec("Layers", "pages/measurement.py", "Measurement", "📏", "measurement"),
    PageSpec("Layers", "pages/advocacy.py", "Advocacy", "📣", "advocacy"),
    PageSpec("Data", "pages/data-sources.py", "Data sources", "🗂️", "data-sources"),
)
DETAIL_PAGE = "pages/check.py"
OVERVIEW_PAGE = "pages/overview.py"

# Earlier addresses (the pages-folder names of earlier releases, and the Overview's file name), each
# served by the page it means as a hidden page: the address and its query stay, links and the
# sidebar use the page's own address (Streamlit links to the first page registered for a script).
MOVED: dict[str, str] = {
    "overview": OVERVIEW_PAGE,
    "check_detail": DETAIL_PAGE,
    "signal_quality": "pages/signal-quality.py",
    "data_sources": "pages/data-sources.py",
}


def pages() -> dict[str, list]:
    """The navigation: each section's pages, then the hidden pages that serve the earlier addresses."""
    sections: dict[str, list] = {}
    for page in PAGES:
        sections.setdefault(page.section, []).append(
            st.Page(page.path, title=page.title, icon=page.icon, url_path=page.url, default=page.default))
    titles = {page.path: page.title for page in PAGES}
    moved = [st.Page(path, title=titles[path], url_path=url, visibility="hidden") for url, path in MOVED.items()]
    sections["Data"] = [*sections["Data"], *moved]
    return sections


def route() -> None:
    """From a page running alone: declare the app's navigation, which switches the process to it, and
    rerun, so that app.py runs this page (and every later one). Once per session: should a page run
    alone again, this returns and the page carries on by itself."""
    if st.session_state.get("_routed"):
        return
    st.session_state["_routed"] = True
    st.navigation(pages())
    st.rerun()


def forward(address: str) -> None:
    """An earlier address running alone: route through app.py, which serves it; else go to its page."""
    route()
    st.switch_page(MOVED[address])
