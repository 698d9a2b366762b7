"""An earlier address of the signal quality page (/signal_quality), run by Streamlit only for a process's first request.

The app's navigation serves that address with the page itself: this file routes there.
"""

from trust.ui import navigation

navigation.forward("signal_quality")
