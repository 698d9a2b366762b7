"""The trust dashboard: page set-up, the shared frame (week, team, freshness) and the router."""

import streamlit as st

from trust import ui

st.set_page_config(page_title="Trust dashboard", page_icon="🛡️", layout="wide")
ui.sidebar()

navigation = st.navigation({
    "Review": [
        st.Page("pages/overview.py", title="Overview", icon="🧭", default=True),  # served at /
        st.Page("pages/checklist.py", title="Trust checklist", icon="✅", url_path="checklist"),
        st.Page(ui.DETAIL_PAGE, title="Check detail", icon="🔎", url_path="check"),
    ],
    "Layers": [
        st.Page("pages/signal_quality.py", title="Signal quality", icon="📡", url_path="signal-quality"),
        st.Page("pages/approvals.py", title="Approvals and audit", icon="🖊️", url_path="approvals"),
        st.Page("pages/measurement.py", title="Measurement", icon="📏", url_path="measurement"),
        st.Page("pages/advocacy.py", title="Advocacy", icon="📣", url_path="advocacy"),
    ],
    "Data": [
        st.Page("pages/data_sources.py", title="Data sources", icon="🗂️", url_path="data-sources"),
    ],
})
try:
    navigation.run()
finally:
    ui.end_of_run()
