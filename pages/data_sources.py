"""An earlier address of the data sources page (/data_sources), run by Streamlit only for a process's first request.

The app's navigation serves that address with the page itself: this file routes there.
"""

from trust.ui import navigation

navigation.forward("data_sources")
