"""A plotly figure drawn as SVG by kaleido, in the machine's Chromium (the weekly pack's chart).

kaleido 1.5 opens its page in a fresh tab and takes the first JavaScript context and load event the tab
reports. On a busy machine those can still be the blank tab's, and the figure then fails with
"kaleido_scopes is not defined" (4 renders in 25 with both cores kept busy here; 4 tests of one CI run).
Every render ends with kaleido reloading its tab, and a reload waits for the page's own events, so a figure
that meets that start-up race is drawn again in the same browser, on a page that has loaded. Any other
error, or a second failure, is raised.
MathJax is off: the pack's charts hold no formulas, and its script would be fetched from a CDN that a closed
network refuses.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import kaleido
import plotly.graph_objects as go
import plotly.io as pio
from kaleido.errors import JavascriptError

ATTEMPTS = 2  # the first render may meet the start-up race; the second runs on a reloaded page


async def _draw(figure: dict, opts: dict) -> bytes:
    async with kaleido.Kaleido(n=1, mathjax=False) as browser:
        for _ in range(ATTEMPTS - 1):
            try:
                return await browser.calc_fig(figure, opts=opts)
            except JavascriptError:
                pass  # kaleido has reloaded the tab: the next attempt runs on a loaded page
        return await browser.calc_fig(figure, opts=opts)


def svg(figure: go.Figure) -> bytes:
    """The figure as SVG bytes, at the width and height of its layout."""
    layout = figure.layout
    opts = {"format": "svg", "width": layout.width or pio.defaults.default_width,
            "height": layout.height or pio.defaults.default_height, "scale": 1}
    # In a thread of its own: the caller may already run an event loop (Streamlit's script thread does not,
    # but a test or a server may).
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _draw(figure.to_dict(), opts)).result()
