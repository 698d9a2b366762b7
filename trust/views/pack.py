"""The weekly leadership pack: one week's readiness, layers, headline figures, news, failing checks with
their actions, go-live pre-flight and a line per page, as a view-model rendered to Markdown, HTML or PDF."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from trust import engine, lookups
from trust.checks.model import Result, Status, plural
from trust.checks.registry import BY_ID, CHECKS
from trust.engine import Evaluation
from trust.extracts.database import Database
from trust.extracts.loading import Extracts
from trust.facts.answers import State
from trust.facts.calendar import Cell
from trust.facts.directory import Directory
from trust.settings import Settings
from trust.state.actions import Action
from trust.views import news
from trust.views.actions import ActionLine, action_lines
from trust.views.charts import STATUS_STYLE, layer_history
from trust.views.evidenced import Unevidenced, credibility, credibility_line, not_evidenced
from trust.views.markdown import markdown_text
from trust.views.news import WhatChanged
from trust.views.static_chart import svg
from trust.views.weekly import Headline, delta_text, failing, failing_counts, figure_text, headline

TEMPLATES = Path(__file__).parent / "templates"
# Each page of the app, the check (or figure) its line reports and its address.
PAGES = (("Overview", None, ""), ("Trust checklist", None, "checklist"),
         ("Signal quality", "signal.field_quality", "signal-quality"),
         ("Approvals and audit", "governance.approval_compliance", "approvals"),
         ("Credibility", None, "credibility"),
         ("Measurement", "measurement.tolerances", "measurement"),
         ("Advocacy", "culture.advocacy_cadence", "advocacy"), ("Data sources", None, "data-sources"))


@dataclass(frozen=True)
class Failing:
    """A failing or warning check with its owner and the open action on it, if any."""

    result: Result
    action: ActionLine | None


@dataclass(frozen=True)
class PageLine:
    title: str
    line: str
    url: str


@dataclass(frozen=True)
class Pack:
    """Everything one week's pack shows, for the organisation or one team."""

    current: Evaluation
    weeks: tuple[Evaluation, ...]  # up to 8, oldest first, ending with `current`
    headline: tuple[Headline, ...]
    news: WhatChanged
    failing: tuple[Failing, ...]
    pages: tuple[PageLine, ...]
    layer_chart: str  # an SVG image as a data: URI, so the pack fetches nothing
    unevidenced: tuple[Unevidenced, ...] = ()

    @property
    def credibility(self) -> str:
        """Credibility's line beside the stage (it gates none), with its status."""
        return _credibility(self.current)

    @property
    def stages(self) -> tuple[tuple[date, int], ...]:
        return tuple((e.as_of, e.readiness.stage) for e in self.weeks)


# Status marks every PDF font has (the app's emoji are not in DejaVu): icon and word, never colour alone.
MARKS = {Status.PASS: "✓", Status.WARN: "⚠", Status.FAIL: "✗", Status.NOT_ASSESSED: "○", Status.ERROR: "⊘"}


def word(status: Status) -> str:
    """A status as a mark and a word, readable in black and white."""
    return f"{MARKS[status]} {STATUS_STYLE[status][1]}"


def _credibility(evaluation: Evaluation) -> str:
    layer = credibility(evaluation)
    return f"{word(layer.status)} · {credibility_line(layer)}"


def build(weeks: tuple[Evaluation, ...], news: WhatChanged, actions: tuple[ActionLine, ...], app_url: str,
          contract_errors: int = 0) -> Pack:
    """The pack of the last of `weeks`, compared with the one before it."""
    current = weeks[-1]
    previous = weeks[-2] if len(weeks) > 1 else None
    open_actions = {line.action.check_id: line for line in actions if line.action.status == "open"}
    params = {"week": current.as_of.isoformat(), **({"team": current.team} if current.team else {})}
    bad = failing(current)
    lines = []
    for title, check_id, path in PAGES:
        if check_id:
            r = current.result(check_id)
            line = f"{word(r.status)} · {r.summary}"
        elif path == "":
            line = f"Stage {current.readiness.stage} of 3, {current.readiness.name}"
        elif path == "credibility":
            line = _credibility(current)
        elif path == "checklist":
            line = failing_counts(current)
        else:
            line = "No contract error." if not contract_errors else f"{plural(contract_errors, 'contract error')}."
        lines.append(PageLine(title, line, f"{app_url.rstrip('/')}/{path}?{urlencode(params)}"))
    chart = layer_history([(e.as_of, e.layers) for e in weeks], "Layer scores, last 8 weeks")
    chart.update_layout(width=720, height=260, margin={"l": 40, "r": 10, "t": 30, "b": 30})
    drawn = svg(chart)
    return Pack(current, tuple(weeks), headline(current, previous), news,
                tuple(Failing(r, open_actions.get(r.id)) for r in bad), tuple(lines),
                "data:image/svg+xml;base64," + base64.b64encode(drawn).decode("ascii"), not_evidenced(current))


def assemble(db: Database, extracts: Extracts, settings: Settings, as_of: date | None, team: str | None,
             state: State | None, stored_actions: tuple[Action, ...]) -> Pack:
    """The pack of a week (default: the latest snapshot) for a team or all: the week and the 7 snapshots
    before it in one pass, its news and its actions, judged as of the week's date."""
    until = as_of or lookups.default_as_of(db, extracts)
    days = [*[d for d in lookups.snapshots(db, extracts) if d < until][-7:], until]
    cells = [Cell(d, team) for d in days]
    evaluated = engine.evaluate_cells(db, extracts, settings, cells, {cells[-1]}, 50, state, figures=True)
    weeks = tuple(evaluated[c] for c in cells)
    previous = weeks[-2] if len(weeks) > 1 else None
    found = news.for_week(db, extracts, settings, weeks[-1], previous, state, stored_actions)
    lines = action_lines(stored_actions, {c.id: c.title for c in CHECKS},
                         {r.id: r.status for r in weeks[-1].results}, until, _owners(db, extracts, settings),
                         team)
    return build(weeks, found, lines, settings.app_url, len(extracts.errors))


def _owners(db: Database, extracts: Extracts, settings: Settings):
    """Owners shown as people (as recorded when staff did not load)."""
    return Directory(lookups.people(db, extracts, settings)).display


def _markdown_value(value: object) -> str:
    """A value printed into the Markdown pack: as text (a name holding `|`, `<img …>` or `[x](…)` stays one
    table cell of plain text), unless the pack built it as Markdown for its place, such as a link's address."""
    return str(value) if isinstance(value, Markup) else markdown_text(value)


def _environment(html: bool) -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]) if html else False,
                      trim_blocks=True, lstrip_blocks=True, finalize=None if html else _markdown_value)
    env.filters["word"] = word
    env.globals.update(figure=figure_text, change=delta_text, title=lambda check_id: BY_ID[check_id].title)
    return env


def render(pack: Pack, form: str) -> str:
    """The pack as Markdown or HTML (every value escaped in HTML)."""
    return _environment(form == "html").get_template(f"pack.{form}").render(pack=pack)


def pdf(pack: Pack) -> bytes:
    """The HTML pack printed to A4 by WeasyPrint; it may fetch nothing but the images it carries."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Only data: URIs (the pack's own images) may be read: never the network or a file.
    return HTML(string=render(pack, "html"), url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
