"""An earlier address of the check detail page (/check_detail), run by Streamlit only for a process's first request.

The app's navigation serves that address with the page itself: this file routes there.
"""

from trust.ui import navigation

navigation.forward("check_detail")
