"""The pack's chart is drawn only once kaleido's page has run its script, and anything else is reported."""

import asyncio
import re

import plotly.graph_objects as go
import pytest

from trust.views import static_chart


class FakeDevtools:
    """A Chromium tab's DevTools session: answers `typeof kaleido_scopes` with the next of `states` (None: the
    context kaleido holds is gone), the last one from then on."""

    def __init__(self, states: list[str | None]):
        self.states, self.asked = list(states), []

    async def send_command(self, method, params):
        self.asked.append((method, params["executionContextId"]))
        state = self.states.pop(0) if len(self.states) > 1 else self.states[0]
        if state is None:
            return {"error": {"code": -32000, "message": "Cannot find context with specified id"}}
        return {"result": {"result": {"type": "string", "value": state}}}


class FakeTab:
    """Stands in for kaleido's tab: the DevTools session and the context kaleido calls, which a reload renews."""

    def __init__(self, states: list[str | None]):
        self.tab, self._current_js_id, self.reloads = FakeDevtools(states), 1, 0

    async def reload(self):
        self.reloads += 1
        self._current_js_id += 1


class FakeBrowser:
    """Stands in for kaleido.Kaleido: one tab in its queue; draws, or fails with `error`."""

    def __init__(self, tab: FakeTab, error: Exception | None = None):
        self.tab, self.error, self.calls, self.options = tab, error, [], None

    def __call__(self, **options):
        self.options = options
        self.tabs_ready = asyncio.Queue()
        self.tabs_ready.put_nowait(self.tab)
        return self

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        return False

    async def calc_fig(self, figure, opts):
        assert self.tabs_ready.qsize() == 1, "the tab was not put back for kaleido"
        self.calls.append(opts)
        if self.error is not None:
            raise self.error
        return b"<svg/>"


def _figure():
    return go.Figure(go.Bar(x=[1, 2], y=[3, 4])).update_layout(width=720, height=260)


def _use(monkeypatch, browser: FakeBrowser) -> FakeBrowser:
    monkeypatch.setattr(static_chart.kaleido, "Kaleido", browser)
    monkeypatch.setattr(static_chart, "ASK_EVERY", 0.001)
    return browser


def test_a_ready_page_is_drawn_at_once_at_the_layouts_size(monkeypatch):
    browser = _use(monkeypatch, FakeBrowser(FakeTab(["object"])))
    assert static_chart.svg(_figure()) == b"<svg/>"
    assert browser.options == {"n": 1, "mathjax": False}
    assert browser.calls == [{"format": "svg", "width": 720, "height": 260, "scale": 1}]
    assert browser.tab.tab.asked == [("Runtime.callFunctionOn", 1)] and browser.tab.reloads == 0


def test_a_page_still_loading_is_asked_again_until_its_script_is_defined(monkeypatch):
    """kaleido's start-up race: it took the new-tab page's load event for its own page's."""
    browser = _use(monkeypatch, FakeBrowser(FakeTab(["undefined", "undefined", "object"])))
    assert static_chart.svg(_figure()) == b"<svg/>"
    assert len(browser.tab.tab.asked) == 3 and browser.tab.reloads == 0 and len(browser.calls) == 1


def test_a_context_that_is_gone_is_taken_again_by_reloading_the_tab(monkeypatch):
    browser = _use(monkeypatch, FakeBrowser(FakeTab([None, "undefined", "object"])))
    assert static_chart.svg(_figure()) == b"<svg/>"
    assert browser.tab.reloads == 1
    assert [context for _, context in browser.tab.tab.asked] == [1, 2, 2]  # the renewed context is asked


def test_a_page_that_never_runs_its_script_is_reported_not_drawn(monkeypatch):
    browser = _use(monkeypatch, FakeBrowser(FakeTab(["undefined"])))
    monkeypatch.setattr(static_chart, "READY_WITHIN", 0.05)
    with pytest.raises(static_chart.ChartNotDrawn,
                       match=re.escape("did not run its script within 0 s (kaleido_scopes is undefined)")):
        static_chart.svg(_figure())
    assert browser.calls == []


def test_a_reload_that_never_ends_is_reported_not_waited_for(monkeypatch):
    tab = FakeTab([None])

    async def stuck():
        tab.reloads += 1
        await asyncio.Event().wait()

    tab.reload = stuck
    browser = _use(monkeypatch, FakeBrowser(tab))
    monkeypatch.setattr(static_chart, "READY_WITHIN", 0.05)
    with pytest.raises(static_chart.ChartNotDrawn, match="kaleido_scopes is in a context that is gone"):
        static_chart.svg(_figure())
    assert tab.reloads == 1 and browser.calls == []


def test_an_error_of_the_render_itself_is_raised(monkeypatch):
    browser = _use(monkeypatch, FakeBrowser(FakeTab(["object"]), ValueError("bad figure")))
    with pytest.raises(ValueError, match="bad figure"):
        static_chart.svg(_figure())
    assert len(browser.calls) == 1


def test_a_real_chart_is_drawn_as_svg():
    assert static_chart.svg(_figure()).lstrip().startswith(b"<svg")
