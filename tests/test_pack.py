"""The weekly leadership pack: its content read back from the PDF, at most three A4 pages, every value
escaped in the HTML, nothing fetched from outside, and the command line's errors."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pypdf
import pytest
from markdown_it import MarkdownIt

from tests.builders import HEALTHY, write_extracts
from trust.cli import main
from trust.state.access import Identity
from trust.state.actions import ActionInput, save_action
from trust.state.store import Store
from trust.views.markdown import WORD_JOINER

BOSS = Identity("boss@example.com", "Bo", "leadership")
HOSTILE = '<img src="http://evil.example/x.png"> <a href="http://evil.example">click</a> **bold** [x](http://e.x)'


def _flat(text: str) -> str:
    """PDF text without its spacing (text extraction spaces letters apart)."""
    return re.sub(r"[\s\x00]+", "", text)


@pytest.fixture
def with_action(tmp_path, env):
    """A state store holding one overdue action on a failing check of the demo."""
    store = Store(tmp_path / "s" / "state.db", tmp_path / "s" / "audit.key")
    save_action(store, BOSS, ActionInput("signal.preflight", None, "E014", date(2026, 11, 20), "Rebuild the audience"),
                datetime(2026, 11, 19, tzinfo=UTC))
    store.close()
    env(state=store.path, audit_key_file=store.key_path)


def test_the_pdf_pack_of_the_demo_says_what_the_review_needs_in_three_pages(demo_extracts, tmp_path, with_action,
                                                                           capsys):
    out = tmp_path / "pack.pdf"
    assert main(["report", "--extracts", str(demo_extracts), "--out", str(out)]) == 0
    assert "Wrote the weekly pack for 2026-11-22" in capsys.readouterr().out
    reader = pypdf.PdfReader(out)
    assert 1 <= len(reader.pages) <= 3
    text = _flat("".join(page.extract_text() for page in reader.pages))
    for expected in ("Readiness:stage0of3,Notyetstable", "Whatchangedsincelastweek", "Comparedwith2026-11-15",
                     "Failingchecks,worstfirst", "Go-livepre-flight", "Fail", "Pre-flightchecksbeforego-live",
                     "due2026-11-20(overdue)", "Overdueactions:Pre-flightchecksbeforego-live"):
        assert _flat(expected).lower() in text.lower(), expected
    owner = next(line.split(",")[1] for line in (demo_extracts / "staff.csv").read_text().splitlines()
                 if line.startswith("E014,"))
    assert _flat(owner) in text  # owners by name, never a bare employee ID


def test_the_html_pack_escapes_every_value_and_fetches_nothing(tmp_path, capsys):
    journeys = [{**HEALTHY["journeys"][0], "name": HOSTILE}]
    root = write_extracts(tmp_path / "x", {"journeys": journeys})
    assert main(["report", "--extracts", str(root), "--format", "html", "--out", "-"]) == 0
    html = capsys.readouterr().out
    assert "&lt;img src=&#34;http://evil.example/x.png&#34;&gt;" in html
    assert "<a href=\"http://evil" not in html and "<img src=\"http" not in html
    sources = re.findall(r"""\b(?:src|href)=["']([^"']*)""", html)
    assert sources and all(s.startswith("data:") or s.startswith("http://localhost:8501/") for s in sources), sources
    assert not re.search(r"@import|url\(", html)


def test_the_markdown_pack_prints_hostile_values_as_text_in_their_own_cell(tmp_path, capsys):
    journeys = [{**HEALTHY["journeys"][0], "name": HOSTILE + " | a cell\nsplit `code` _x_ &amp;"}]
    root = write_extracts(tmp_path / "x", {"journeys": journeys})
    assert main(["report", "--extracts", str(root), "--format", "md", "--out", "-"]) == 0
    # A word joiner (invisible) breaks what a GFM reader would turn into a link: see trust/views/markdown.py.
    html = MarkdownIt("commonmark").enable("table").render(capsys.readouterr().out).replace(WORD_JOINER, "")
    assert "<img" not in html and "evil.example\">" not in html and "<code>" not in html and "<em>x" not in html
    assert HOSTILE.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;") in html
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", html, re.S) if "evil.example" in r)
    assert len(re.findall(r"<td[ >]", row)) == 7  # the name's `|` and line break stay inside its cell
    assert "split `code` _x_ &amp;amp;" in row
    links = re.findall(r'<a href="([^"]*)"', html)
    assert links and all(link.startswith("http://localhost:8501/") for link in links), links


def test_a_team_pack_says_what_moved_and_which_checks_are_organisation_wide(demo_extracts, capsys):
    """The pack reports the week as the Overview does: every kind of move, the layers' changes, the go-lives,
    and for one team which failing checks are the organisation's."""
    assert main(["report", "--extracts", str(demo_extracts), "--format", "md", "--out", "-", "--team", "crm"]) == 0
    markdown = capsys.readouterr().out
    assert "| Layer | Score | Change | Worst status | Assessed |" in markdown
    assert re.search(r"\| Signal quality \| [\d.]+ \| (\\?[-+][\d.]+|no change) \|", markdown)
    for line in ("- Improved: ", "- Going live in the next 7 days: "):
        assert line in markdown, line
    assert "**Anomalies reviewed** (organisation-wide)" in markdown
    assert "**Pre-flight checks before go-live** (organisation-wide)" not in markdown  # judged for crm itself
    assert main(["check", "--extracts", str(demo_extracts), "--team", "crm"]) == 1
    table = capsys.readouterr().out
    assert re.search(r"signal\.anomaly_review .*\(organisation-wide\)", table)
    assert not re.search(r"signal\.preflight .*\(organisation-wide\)", table)


def test_the_markdown_pack_and_the_command_lines_errors(tmp_path, capsys):
    root = write_extracts(tmp_path / "x")
    assert main(["report", "--extracts", str(root), "--format", "md", "--out", "-", "--team", "crm"]) == 0
    markdown = capsys.readouterr().out
    assert markdown.startswith("# Weekly trust pack") and "team crm" in markdown
    assert "http://localhost:8501/signal-quality?week=2026-11-22&team=crm" in markdown
    assert main(["report", "--extracts", str(root), "--team", "nobody"]) == 2
    assert "unknown team" in capsys.readouterr().err
    assert main(["report", "--extracts", str(root), "--format", "md", "--out", str(tmp_path / "no" / "x.md")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_the_checklist_line_counts_errors_as_errors_not_as_failures(tmp_path, capsys):
    """A broken forecasts table errors the model check, upskilling warns and nothing fails: the pack's
    checklist line says so, never "2 checks fail or warn"."""
    root = write_extracts(tmp_path / "x", {"forecasts": [{**HEALTHY["forecasts"][0], "tolerance": "fifteen%"}]})
    for form in ("md", "html"):
        assert main(["report", "--extracts", str(root), "--format", form, "--out", "-"]) == 0
        out = capsys.readouterr().out
        assert "1 check warns and 1 cannot be judged (error) of 21" in out
        assert "fail or warn of" not in out


def test_a_chart_that_cannot_be_drawn_stops_the_pack_with_a_message_and_no_file(tmp_path, capsys, monkeypatch):
    from trust.views import pack, static_chart

    def broken(figure):
        raise static_chart.ChartNotDrawn("kaleido's page in Chromium did not run its script within 60 s")

    monkeypatch.setattr(pack, "svg", broken)
    root, out = write_extracts(tmp_path / "x", {}), tmp_path / "pack.pdf"
    assert main(["report", "--extracts", str(root), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "trust report: no pack: its chart could not be drawn: kaleido's page" in err and "Traceback" not in err
    assert not out.exists()
