"""A plotly figure drawn as SVG by kaleido, in the machine's Chromium (the weekly pack's chart).

kaleido 1.5 takes over the tab Chromium opens at start, which is still loading Chromium's new-tab page, and
navigates it to its own page; it then waits for the first load event the tab reports. On a busy machine that
can be the new-tab page's, so kaleido calls its script before its page has run it, and the figure fails with
"kaleido_scopes is not defined" (6 renders in 100 with both cores kept busy here, and a CI run in which a second
render, after kaleido's reload, failed the same way). So before drawing, this module waits until kaleido's
script is defined in the very JavaScript context kaleido will call: a context that is gone (its page was
replaced) is taken again by reloading the tab, one whose page is still loading is asked again shortly.
MathJax is off: the pack's charts hold no formulas, and its script would be fetched from a CDN that a closed
network refuses.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import kaleido
import plotly.graph_objects as go
import plotly.io as pio

READY_WITHIN = 60.0  # seconds kaleido's page may take to run its script (at most 1.7 s in 120 renders, cores busy)
ASK_EVERY = 0.05  # seconds between two looks at a page that is still loading
SCRIPT_STATE = "function() { return typeof kaleido_scopes; }"


class ChartNotDrawn(RuntimeError):
    """kaleido's page in Chromium never became ready to draw."""


async def _script_state(tab) -> str | None:
    """`typeof kaleido_scopes` in the context kaleido calls on `tab` (a kaleido tab), or None when that context
    is gone."""
    answer = await tab.tab.send_command("Runtime.callFunctionOn", params={
        "functionDeclaration": SCRIPT_STATE, "executionContextId": tab._current_js_id,
        "returnByValue": True})
    if "error" in answer:
        return None
    return answer.get("result", {}).get("result", {}).get("value")


async def _until_ready(browser: kaleido.Kaleido) -> None:
    """Wait until the browser's one tab can draw: its script defined in the context kaleido calls."""
    tab, state = await browser.tabs_ready.get(), "unknown (the page never answered)"
    try:
        async with asyncio.timeout(READY_WITHIN):  # a reload that never ends counts too
            while (state := await _script_state(tab)) != "object":
                if state is None:
                    await tab.reload()  # kaleido takes the context of the reloaded page
                else:
                    await asyncio.sleep(ASK_EVERY)
    except TimeoutError:
        raise ChartNotDrawn(f"kaleido's page in Chromium did not run its script within {READY_WITHIN:.0f} s "
                            f"(kaleido_scopes is {state or 'in a context that is gone'})") from None
    finally:
        browser.tabs_ready.put_nowait(tab)


async def _draw(figure: dict, opts: dict) -> bytes:
    async with kaleido.Kaleido(n=1, mathjax=False) as browser:
        await _until_ready(browser)
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
