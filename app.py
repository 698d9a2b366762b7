"""The trust dashboard: page set-up, the shared frame and the router."""

import streamlit as st

from trust import ui

st.set_page_config(page_title="Trust dashboard", page_icon="🛡️", layout="wide")

config = ui.settings()
with st.sidebar:
    st.caption("Extracts: " + ("demo data" if config.uses_demo else f"`{config.extracts_path}`"))

st.navigation([
    st.Page("pages/data_sources.py", title="Data sources", icon="🗂️", url_path="data-sources"),
]).run()
