"""The pack's chart survives kaleido's start-up race once, and reports anything else."""

import plotly.graph_objects as go
import pytest
from kaleido.errors import JavascriptError

from trust.views import static_chart


class FakeBrowser:
    """Stands in for kaleido.Kaleido: fails the first `failures` renders with `error`, then draws."""

    def __init__(self, failures: int, error: Exception):
        self.failures, self.error, self.calls, self.options = failures, error, [], None

    def __call__(self, **options):
        self.options = options
        return self

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        return False

    async def calc_fig(self, figure, opts):
        self.calls.append(opts)
        if len(self.calls) <= self.failures:
            raise self.error
        return b"<svg/>"


def _figure():
    return go.Figure(go.Bar(x=[1, 2], y=[3, 4])).update_layout(width=720, height=260)


def test_a_render_that_meets_the_start_up_race_is_drawn_again_in_the_same_browser(monkeypatch):
    browser = FakeBrowser(1, JavascriptError("ReferenceError: kaleido_scopes is not defined"))
    monkeypatch.setattr(static_chart.kaleido, "Kaleido", browser)
    assert static_chart.svg(_figure()) == b"<svg/>"
    assert len(browser.calls) == 2 and browser.options == {"n": 1, "mathjax": False}
    assert browser.calls[0] == {"format": "svg", "width": 720, "height": 260, "scale": 1}


def test_a_second_failure_and_any_other_error_are_raised(monkeypatch):
    browser = FakeBrowser(2, JavascriptError("ReferenceError: kaleido_scopes is not defined"))
    monkeypatch.setattr(static_chart.kaleido, "Kaleido", browser)
    with pytest.raises(JavascriptError):
        static_chart.svg(_figure())
    assert len(browser.calls) == 2
    other = FakeBrowser(1, ValueError("bad figure"))
    monkeypatch.setattr(static_chart.kaleido, "Kaleido", other)
    with pytest.raises(ValueError, match="bad figure"):
        static_chart.svg(_figure())
    assert len(other.calls) == 1


def test_a_real_chart_is_drawn_as_svg():
    assert static_chart.svg(_figure()).lstrip().startswith(b"<svg")
