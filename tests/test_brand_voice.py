"""Authenticity evidence for `culture.brand_voice`: readability of known texts, weekly volume against the
weeks before at its threshold, overclaims from the evidence (never a changed status), no evidence
without a body column, and the evidence on the check's detail page."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from tests.builders import write_extracts
from trust.checks.culture import self_assessed
from trust.checks.model import Result, Status
from trust.checks.registry import BY_ID
from trust.checks.voice import AVAILABLE, FLAGS, KIND, week_flags
from trust.engine import by_team, evaluate
from trust.facts.answers import Answer, AssessmentFacts
from trust.facts.calendar import Cell
from trust.facts.voice import (
    Authenticity,
    Published,
    VoiceFacts,
    VoiceItem,
    VoiceWeek,
    evidence_of,
    readable,
    reading_ease,
    series,
    week_of,
)
from trust.settings import Settings
from trust.state import assessments as A
from trust.state.access import Identity
from trust.state.store import Store
from trust.views.charts import voice_chart
from trust.views.markdown import markdown_text
from trust.views.voice import voice_panel
from trust.views.weekly import DISAGREES, FAILS, overclaims

D = date(2026, 11, 22)  # a Sunday: its ISO week is that of Monday 2026-11-16
LATEST = date(2026, 11, 16)
GOOD = "The cat sat on the mat."  # reading ease 116.15
POOR = ("Notwithstanding the aforementioned considerations, organisational interoperability necessitates "
        "comprehensive reconsideration.")  # reading ease -187.7
S = Settings()
CHECK = BY_ID["culture.brand_voice"]
BOSS = Identity("boss@example.com", "Bo", "leadership")


@pytest.mark.parametrize(("text", "ease"), [
    (GOOD, 116.15),
    ("Hello", 36.62),  # two syllables in one word
    ("Your monthly account summary is ready", 45.65),
    (POOR, -187.7),
])
def test_reading_ease_of_known_texts(text, ease):
    assert reading_ease(text) == pytest.approx(ease, abs=0.01)


def test_reading_ease_is_textstats_to_the_hundredth_for_every_kind_of_text():
    import textstat

    from trust.demo.content import BODY_LABELS
    from trust.demo.voice import TEXTS
    from trust.facts import readability

    texts = [*BODY_LABELS, *TEXTS, GOOD, POOR, "", "Hello", "It's the customer's d'artagnan moment.",
             "Café crème brûlée!", "A co-operative, re-imagined: zzzqx flurbed the wug. Then? Twice... 3 times.",
             "!!! 42", "I.",
             "Notwithstanding " * 40, "Reply STOP to opt out of offers. " * 7]
    readability.learn(texts[:5])  # some words learnt ahead, the rest looked up as they come
    assert [readability.reading_ease(t) for t in texts] == [round(textstat.flesch_reading_ease(t), 2) for t in texts]


def test_a_weighted_median_is_the_median_of_the_values_repeated():
    import random
    import statistics

    from trust.facts.voice import weighted_median

    rng = random.Random(12)
    cases = [[(116.15, 1)], [(3.0, 2), (1.0, 1)], [(1.5, 1), (2.5, 1)], [(-187.7, 3), (45.65, 3)]]
    cases += [[(round(rng.uniform(-200, 120), 2), rng.randint(1, 5)) for _ in range(rng.randint(1, 9))]
              for _ in range(300)]
    for values in cases:
        assert weighted_median(values) == statistics.median([v for v, n in values for _ in range(n)]), values


@pytest.mark.parametrize(("body", "read"), [(None, False), ("", False), ("   ", False), ("!!! 42", False),
                                            ("Hi", True), ("Été", True)])
def test_only_a_body_with_letters_is_read(body, read):
    assert readable(body) is read


def _items(team: str | None, week: date, bodies, first: date | None = None, start: int = 0) -> list[VoiceItem]:
    """Items published on the Tuesday of `week`, one per body."""
    at = datetime.combine(week + timedelta(days=1), datetime.min.time()) + timedelta(hours=9)
    return [VoiceItem(f"{team}-{week.isoformat()}-{start + k}", team, at + timedelta(minutes=k), week, body,
                      first or week) for k, body in enumerate(bodies)]


def _weeks(team: str | None, counts: list[int], latest_body: str = GOOD, before: str = GOOD) -> list[VoiceItem]:
    """`counts[i]` items in each week up to LATEST (the last count is LATEST's): `latest_body` in LATEST,
    `before` in the weeks before it."""
    first = LATEST - timedelta(weeks=len(counts) - 1)
    found = []
    for k, n in enumerate(counts):
        week = first + timedelta(weeks=k)
        found += _items(team, week, [latest_body if week == LATEST else before] * n, first)
    return found


@pytest.mark.parametrize(("bodies", "with_body", "median_ease", "below"), [
    ([GOOD, GOOD, POOR, None], 3, 116.15, 1),  # no text: counted as an AI item, not read
    ([GOOD, POOR], 2, -35.78, 1),  # the median of two is their mean
    ([POOR, POOR, "Hello"], 3, -187.7, 3),
    ([None, "  "], 0, None, 0),
])
def test_a_weeks_median_reading_ease_and_share_below(bodies, with_body, median_ease, below):
    week = series(_items("crm", LATEST, bodies), LATEST, LATEST, 8, 50, "crm")[-1]
    assert (week.ai_items, week.with_body, week.below) == (len(bodies), with_body, below)
    assert week.median_ease == (None if median_ease is None else pytest.approx(median_ease, abs=0.01))
    assert week.below_share == (below / with_body if with_body else None)


def test_weeks_without_items_count_as_zero_from_the_teams_first_week():
    weeks = series(_weeks("crm", [2, 0, 2, 4]), LATEST - timedelta(weeks=3), LATEST, 8, 50, "crm")
    assert [(w.week, w.ai_items, w.baseline, w.baseline_weeks) for w in weeks] == [
        (date(2026, 10, 26), 2, None, 0),  # the team's first week: nothing before it
        (date(2026, 11, 2), 0, 2, 1),
        (date(2026, 11, 9), 2, 1, 2),
        (LATEST, 4, 2, 3)]  # the median of 2, 0 and 2
    assert weeks[-1].volume_ratio == 2


def test_only_the_window_of_weeks_before_counts():
    weeks = series(_weeks("crm", [9, 9, 1, 1, 1, 1, 1, 1, 1, 1, 1]), LATEST - timedelta(weeks=10), LATEST, 8,
                   50, "crm")
    assert len(weeks) == 9 and weeks[0].week == LATEST - timedelta(weeks=8)  # the latest and the 8 before
    assert (weeks[-1].baseline, weeks[-1].baseline_weeks) == (1, 8)  # the two weeks of 9 are further back


def _week(ai_items: int, baseline: float | None, ease: float | None) -> VoiceWeek:
    return VoiceWeek("crm", LATEST, ai_items, ai_items if ease is not None else 0, ease, 0, baseline, 8)


@pytest.mark.parametrize(("ai_items", "baseline", "ease", "flagged"), [
    (3, 2, 60.0, ()),  # exactly 1.5 times the median is not over it
    (31, 20, 60.0, ("volume",)),  # 1.55
    (4, 2, 60.0, ("volume",)),
    (2, 0, 60.0, ()),  # a median of zero gives no ratio
    (2, None, 60.0, ()),  # no week before
    (2, 2, 50.0, ()),  # exactly 50 is not below
    (2, 2, 49.99, ("readability",)),
    (0, 2, None, ()),  # nothing published: nothing to read, no volume
    (5, 2, 12.5, ("readability", "volume")),
])
def test_authenticity_flags_at_their_thresholds(ai_items, baseline, ease, flagged):
    found = week_flags(_week(ai_items, baseline, ease), S)
    kinds = tuple("readability" if f.startswith("median reading ease") else "volume" for f in found)
    assert kinds == flagged


def test_a_flag_says_why():
    assert week_flags(_week(5, 2, 38.0), S) == (
        "median reading ease 38 in the week of 2026-11-16, below 50",
        "AI volume 2.5× its 8-week median in the week of 2026-11-16 (5 items against 2)")


def _facts(answer: str | None, items: list[VoiceItem] | None) -> VoiceFacts:
    given = {} if answer is None else {"culture.brand_voice": (Answer("culture.brand_voice", "crm", answer),)}
    cell = Cell(D, "crm")
    voice = (Authenticity(D, "crm", False, LATEST) if items is None
             else evidence_of(Published.of(items), cell, week_of(D), S.voice_window_weeks, S.voice_min_reading_ease))
    return VoiceFacts(AssessmentFacts(D, "crm", given, ("crm",)), voice)


STEADY = [2] * 9
CASES = {
    "yes, poor readability": ("yes", _weeks("crm", STEADY, latest_body=POOR), Status.PASS, "median reading ease"),
    "yes, volume jump": ("yes", _weeks("crm", [*[2] * 8, 4]), Status.PASS, "AI volume 2×"),
    "yes, good evidence": ("yes", _weeks("crm", STEADY), Status.PASS, None),
    "yes, exactly 1.5 times": ("yes", _weeks("crm", [*[2] * 8, 3]), Status.PASS, None),
    "yes, poor readability in the weeks before only": ("yes", _weeks("crm", STEADY, before=POOR), Status.PASS,
                                                        None),
    "partly, poor readability": ("partly", _weeks("crm", STEADY, latest_body=POOR), Status.WARN, None),
    "no, poor readability": ("no", _weeks("crm", STEADY, latest_body=POOR), Status.FAIL, None),
    "yes, no body column": ("yes", None, Status.PASS, None),
    "yes, no AI item": ("yes", [], Status.PASS, None),
}


@pytest.mark.parametrize(("answer", "items", "status", "why"), CASES.values(), ids=CASES.keys())
def test_authenticity_evidence_makes_a_yes_an_overclaim_but_never_changes_the_status(answer, items, status, why):
    facts = _facts(answer, items)
    verdict = CHECK.evaluate(facts, S)
    alone = self_assessed("culture.brand_voice")(facts.assessment, S)
    assert verdict.status is alone.status is status
    result = Result.of(CHECK, verdict, "team")
    answers = facts.assessment.answers["culture.brand_voice"]
    claims = overclaims(answers, {"crm": SimpleNamespace(result=lambda _: result)})
    if why is None:
        assert claims == ()
    else:
        assert [(c.team, c.check_id, c.because) for c in claims] == [("crm", "culture.brand_voice", DISAGREES)]
        assert why in claims[0].summary and "2026-11-16" in claims[0].summary
        assert why in verdict.summary  # the check's own summary names the evidence too


def test_a_check_that_fails_is_still_overclaimed_for_failing():
    failing = Result("measurement.tolerances", "measurement", "Tolerances", Status.FAIL, None, "M1 breached.", {},
                     None, None, "team")
    claims = overclaims([Answer("measurement.tolerances", "crm", "yes")],
                        {"crm": SimpleNamespace(result=lambda _: failing)})
    assert [(c.summary, c.because) for c in claims] == [("M1 breached.", FAILS)]


def test_the_evidence_lists_each_team_and_week_and_the_figures_of_the_scope():
    items = _weeks("crm", STEADY, latest_body=POOR) + _weeks("brand", [*[2] * 8, 4]) + _items(None, LATEST, [GOOD])
    facts = VoiceFacts(AssessmentFacts(D, None, {}, ("brand", "crm")),
                       evidence_of(Published.of(items), Cell(D), week_of(D), 8, 50))
    verdict = CHECK.evaluate(facts, S)
    assert verdict.status is Status.NOT_ASSESSED and verdict.evidence.kind == KIND
    rows = verdict.evidence.as_dicts()
    assert [r["team"] for r in rows] == ["brand"] * 9 + ["crm"] * 9 + ["(no team)"]
    assert rows[8]["volume_ratio"] == 2 and rows[17]["median_reading_ease"] == pytest.approx(-187.7)
    m = verdict.metrics
    assert (m[AVAILABLE], m["voice_week"], m["ai_items"], m["volume_ratio"]) == (True, "2026-11-16", 7, 1.75)
    # The organisation's latest week: crm's 2 poor items, brand's 4 and one without a team, all good.
    assert (m["median_reading_ease"], m["below_share"]) == (pytest.approx(116.15), round(2 / 7, 4))
    assert set(m[FLAGS]) == {"brand", "crm"}  # items without a team are shown, never flagged


def test_a_day_inside_the_latest_week_counts_only_what_was_published_by_its_end():
    """The weeks before a date's week are counted once for every date; its own week only up to its day."""
    first = LATEST - timedelta(weeks=2)
    tuesday = _items("crm", LATEST, [GOOD, GOOD], first)  # 2026-11-17
    saturday = [VoiceItem(f"crm-sat-{k}", "crm", datetime(2026, 11, 21, 9, k), LATEST, POOR, first) for k in range(3)]
    later_team = [VoiceItem("web-sat", "web", datetime(2026, 11, 21, 10), LATEST, GOOD, LATEST)]
    before = _weeks("crm", [2, 2, 0])[:4]  # two items in each of the two weeks before
    published = Published.of([*saturday, *later_team, *tuesday, *before])  # in any order
    wednesday = evidence_of(published, Cell(date(2026, 11, 18)), LATEST, 8, 50)
    assert [(w.team, w.week, w.ai_items, w.below) for w in wednesday.teams][-1] == ("crm", LATEST, 2, 0)
    assert {w.team for w in wednesday.teams} == {"crm"}  # web's first item came after Wednesday
    assert (wednesday.scope[-1].ai_items, wednesday.scope[-1].baseline) == (2, 2.0)
    sunday = evidence_of(published, Cell(D), LATEST, 8, 50)
    assert [(w.team, w.ai_items, w.below) for w in sunday.teams if w.week == LATEST] == [("crm", 5, 3), ("web", 1, 0)]
    assert sunday.scope[-1].ai_items == 6
    assert evidence_of(published, Cell(D, "web"), LATEST, 8, 50).scope[-1].ai_items == 1


def test_the_panel_and_chart_of_the_detail_page():
    facts = _facts("yes", _weeks("crm", STEADY, latest_body=POOR))
    result = Result.of(CHECK, CHECK.evaluate(facts, S), "team")
    panel = voice_panel(result, S)
    assert len(panel.rows) == 9 and panel.figure is not None and "8 weeks before" in panel.note
    figure = voice_chart(panel.rows, 50, 1.5)
    assert [t.name for t in figure.data] == ["crm", "crm"] and list(figure.data[0].marker.symbol)[-1] == "x"
    absent = voice_panel(Result.of(CHECK, CHECK.evaluate(_facts("yes", None), S), "team"), S)
    assert absent.figure is None and "No authenticity evidence" in absent.note
    other = Result("culture.upskilling", "culture", "t", Status.PASS, None, "", {}, None, None, "team")
    assert voice_panel(other, S) is None


# Through the engine, the command line and the page, on tiny extracts ---------------------------------------


def _content(with_body: bool = True) -> list[dict]:
    items = (_weeks("crm", STEADY, latest_body=POOR) + _weeks("growth", [*[2] * 8, 4])
             + _weeks("brand", STEADY))
    rows = []
    for i in items:
        row = {"item_id": i.item_id, "team": i.team, "channel": "email", "context": "standard",
               "ai_generated": True, "model_confidence": 0.9, "makes_commitment": False, "owner": "E1",
               "ai_label_applied": True, "created_at": i.published_at - timedelta(hours=1),
               "published_at": i.published_at}
        rows.append({**row, "body": i.body} if with_body else row)
    # Not evidence: a draft, and a published item written by a person.
    rows.append({**rows[0], "item_id": "DRAFT", "published_at": None})
    rows.append({**rows[0], "item_id": "HUMAN", "ai_generated": False})
    return rows


@pytest.fixture
def voiced(tmp_path, env):
    """Extracts where crm's AI text reads poorly and growth's AI volume doubled, in the week of D; every
    team answered yes (saved in a store the app and the command line read)."""
    def _make(with_body: bool = True):
        root = write_extracts(tmp_path / ("x" if with_body else "y"), {"content_items": _content(with_body)})
        store = Store(tmp_path / "s" / "state.db", tmp_path / "s" / "audit.key")
        for team in ("crm", "growth", "brand"):
            A.save_answers(store, BOSS, team, [A.AnswerInput("culture.brand_voice", "yes")],
                           datetime(2026, 11, 20, tzinfo=UTC))
        state = A.state(store)
        store.close()
        env(state=store.path, audit_key_file=store.key_path)
        return root, state
    return _make


def test_the_engine_flags_the_teams_whose_evidence_disagrees(voiced, open_db):
    root, state = voiced()
    db = open_db(root)
    extracts = db.load()
    teams = by_team(db, extracts, S, D, ("brand", "crm", "growth"), state)
    answers = [Answer("culture.brand_voice", t, "yes") for t in ("brand", "crm", "growth")]
    claims = {c.team: c.summary for c in overclaims(answers, teams)}
    assert set(claims) == {"crm", "growth"}
    assert claims["crm"].startswith("median reading ease -187.7 in the week of 2026-11-16, below 50")
    assert claims["growth"].startswith("AI volume 2× its 8-week median in the week of 2026-11-16")
    assert all(e.result("culture.brand_voice").status is Status.PASS for e in teams.values())
    org = evaluate(db, extracts, S, D, state=state).result("culture.brand_voice")
    assert org.status is Status.PASS and org.evidence.total == 27 and set(org.metrics[FLAGS]) == {"crm", "growth"}


def test_without_a_body_column_there_is_no_evidence_and_no_overclaim(voiced, open_db):
    root, state = voiced(with_body=False)
    db = open_db(root)
    extracts = db.load()
    assert not extracts.table("content_items").has("body")
    crm = by_team(db, extracts, S, D, ("crm",), state)
    result = crm["crm"].result("culture.brand_voice")
    assert result.status is Status.PASS and result.metrics[AVAILABLE] is False
    assert "No authenticity evidence: content_items has no body column" in result.summary
    assert result.evidence.kind == "answers"  # the answers stay its records
    assert overclaims([Answer("culture.brand_voice", "crm", "yes")], crm) == ()


def test_the_command_line_json_names_the_overclaim_and_why(voiced, capsys):
    from trust.cli import main

    root, _ = voiced()
    main(["check", "--extracts", str(root), "--format", "json", "--team", "crm", "--as-of", D.isoformat()])
    payload = json.loads(capsys.readouterr().out)
    check = next(c for c in payload["checks"] if c["id"] == "culture.brand_voice")
    assert check["status"] == "pass" and check["evidence"]["kind"] == KIND
    assert check["metrics"][FLAGS]["crm"] == ["median reading ease -187.7 in the week of 2026-11-16, below 50"]
    assert payload["changes"]["overclaims"] == [{"team": "crm", "check_id": "culture.brand_voice",
                                                 "summary": "median reading ease -187.7 in the week of 2026-11-16, "
                                                            "below 50"}]


def test_the_detail_page_shows_the_evidence_per_team_and_week(voiced, app):
    root, _ = voiced()
    at = app(root, "pages/check.py", check="culture.brand_voice", week=D.isoformat())
    assert at.title[0].value == "Brand voice and simplicity reinforced"
    headings = [h.value for h in at.subheader]
    assert "Authenticity of published AI text" in headings and "Authenticity evidence, per team and week" in headings
    assert any("Authenticity of published AI text" in str(c.proto.spec) for c in at.get("plotly_chart"))
    table = next(d.value for d in at.dataframe if "median_reading_ease" in d.value.columns)
    assert len(table) == 27 and set(table["team"]) == {"brand", "crm", "growth"}
    summary = markdown_text("Authenticity evidence for crm: median reading ease -187.7")  # a summary is text
    assert summary in " ".join(m.value for m in at.markdown)


def test_the_detail_page_says_when_there_is_no_evidence(voiced, app):
    root, _ = voiced(with_body=False)
    at = app(root, "pages/check.py", check="culture.brand_voice", week=D.isoformat())
    assert any("No authenticity evidence" in c.value for c in at.caption)
    assert not any("Authenticity of published AI text" in str(c.proto.spec) for c in at.get("plotly_chart"))
