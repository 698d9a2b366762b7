"""What changed since last week: journeys about to go live, answers expiring, overclaims and overdue
actions, judged against the day in view; the same news on the command line."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from trust.checks.model import Status
from trust.cli import main
from trust.engine import this_week
from trust.facts.answers import Answer
from trust.facts.preflight import JourneyPreflight
from trust.settings import Settings
from trust.state import assessments as A
from trust.state.access import Identity
from trust.state.actions import ActionInput, save_action
from trust.state.store import Store
from trust.views.news import what_changed

D = date(2026, 11, 22)
BOSS = Identity("boss@example.com", "Bo", "leadership")


def _journey(jid: str, days: int | None) -> JourneyPreflight:
    at = None if days is None else datetime.combine(D + timedelta(days=days), datetime.min.time())
    return JourneyPreflight(jid, jid, "crm", "Ana", "email", "scheduled", 10, go_live_at=at)


def test_journeys_going_live_within_seven_days_and_answers_expiring_within_fourteen(demo_extracts, open_db):
    db = open_db(demo_extracts)
    current, previous = this_week(db, db.load(), Settings())
    journeys = tuple((_journey(j, d), Status.PASS) for j, d in (("J0", 0), ("J1", 1), ("J7", 7), ("J8", 8),
                                                                 ("JN", None)))
    answers = (Answer("culture.brand_voice", "crm", "yes", answered_at=datetime(2026, 9, 1)),  # expires 11-30
               Answer("culture.workload_redesign", "crm", "no", answered_at=datetime(2026, 10, 1)),  # 12-30
               Answer("culture.brand_voice", "brand", "yes", answered_at=datetime(2026, 8, 1), stale=True))
    news = what_changed(replace(current, journeys=journeys), previous, D, answers, 90, (), ())
    assert [j.journey_id for j, _ in news.going_live] == ["J1", "J7"]  # after D, up to D + 7
    assert [(d.answer.team, d.expires_on, d.expired) for d in news.answers] == [
        ("brand", date(2026, 10, 30), True), ("crm", date(2026, 11, 30), False)]
    assert news.compared_with == previous.as_of and news.moved.new_failures
    assert all(a.snapshot_date > previous.as_of for a in news.new_anomalies) and news.new_anomalies


def test_the_command_line_json_carries_the_weeks_news(demo_extracts, tmp_path, env, capsys):
    store = Store(tmp_path / "s" / "state.db", tmp_path / "s" / "audit.key")
    env(state=store.path, audit_key_file=store.key_path)
    at = datetime(2026, 11, 20, tzinfo=UTC)
    save_action(store, BOSS, ActionInput("signal.preflight", "crm", "E014", date(2026, 11, 21), "Rebuild"), at)
    save_action(store, BOSS, ActionInput("governance.transparency", "crm", "E014", date(2026, 11, 30), "Label"), at)
    A.save_answers(store, BOSS, "crm", [A.AnswerInput("measurement.tolerances", "yes")], at)
    store.close()
    main(["check", "--extracts", str(demo_extracts), "--format", "json", "--team", "crm"])
    changes = json.loads(capsys.readouterr().out)["changes"]
    owner = next(line.split(",")[1] for line in (demo_extracts / "staff.csv").read_text().splitlines()
                 if line.startswith("E014,")) + " (crm)"
    assert changes["day"] == "2026-11-22" and changes["compared_with"] == "2026-11-15"
    assert [(a["check_id"], a["due_date"], a["owner"]) for a in changes["overdue_actions"]] == [
        ("signal.preflight", "2026-11-21", owner)]  # the other is due after D
    assert [(o["team"], o["check_id"]) for o in changes["overclaims"]] == [("crm", "measurement.tolerances")]
    assert changes["answers_expiring"] == []  # answered two days before D: 90 days to go
    assert {j["journey_id"] for j in changes["going_live"]} == {"JRN-CRM-03"}
