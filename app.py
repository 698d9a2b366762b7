"""The trust dashboard: page set-up, the shared frame (week, team, freshness) and the router."""

import streamlit as st

from trust.ui import frame, navigation

st.set_page_config(page_title="Trust dashboard", page_icon="🛡️", layout="wide")
frame.sidebar()
try:
    st.navigation(navigation.pages()).run()
finally:
    frame.end_of_run()
