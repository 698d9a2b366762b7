"""The state store: versioned saves, stale refusals, expiry, overclaims, reviews and exports."""

from __future__ import annotations

import csv
import io
import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.builders import write_extracts
from trust.checks.model import Status
from trust.checks.registry import CHECKS
from trust.engine import evaluate
from trust.facts.answers import State, in_force
from trust.settings import Settings
from trust.state import assessments as A
from trust.state.access import AccessDenied, Identity
from trust.state.store import MIGRATIONS, Store
from trust.views.export import answers_csv, history_csv
from trust.views.weekly import overclaims

LEAD = Identity("lead@example.com", "Lee", "team_lead", ("crm",))
BOSS = Identity("boss@example.com", "Bo", "leadership")
VIEWER = Identity("see@example.com", None, "viewer")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "state.db", tmp_path / "keys" / "audit.key")
    yield s
    s.close()


def test_pragmas_and_migrations(store, tmp_path):
    conn = store.connection()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    versions = [r[0] for r in conn.execute("SELECT version FROM schema_migrations")]
    assert versions == [v for v, _ in MIGRATIONS]
    again = Store(tmp_path / "state.db", tmp_path / "keys" / "audit.key")  # migrating twice is a no-op
    assert [r[0] for r in again.connection().execute("SELECT version FROM schema_migrations")] == versions
    assert oct((tmp_path / "keys" / "audit.key").stat().st_mode & 0o777) == "0o600"


def test_the_audit_table_refuses_updates_and_deletes(store):
    A.save_answers(store, LEAD, "crm", [A.AnswerInput("culture.brand_voice", "yes")], NOW)
    for statement in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.connection().execute(statement)


def test_a_save_is_versioned_and_audited_in_the_same_transaction(store):
    saved = A.save_answers(store, LEAD, "crm", [A.AnswerInput("culture.brand_voice", "yes", "weekly review"),
                                               A.AnswerInput("culture.workload_redesign", "partly")], NOW)
    assert [a.version for a in saved] == [1, 1]
    A.save_answers(store, LEAD, "crm", [A.AnswerInput("culture.brand_voice", "partly", based_on=1)], NOW)
    changes = A.history(store, "crm")
    assert [(c.check_id, (c.before or {}).get("answer"), c.after["answer"]) for c in changes] == [
        ("culture.brand_voice", "yes", "partly"), ("culture.workload_redesign", None, "partly"),
        ("culture.brand_voice", None, "yes")]
    assert A.verify(store).ok


def test_a_stale_save_is_refused_whole_and_loses_nothing(store):
    A.save_answers(store, LEAD, "crm", [A.AnswerInput("culture.brand_voice", "yes")], NOW)
    A.save_answers(store, BOSS, "crm", [A.AnswerInput("culture.brand_voice", "no", "not yet", based_on=1)], NOW)
    with pytest.raises(A.StaleAnswer) as refused:
        A.save_answers(store, LEAD, "crm", [A.AnswerInput("culture.workload_redesign", "yes"),
                                           A.AnswerInput("culture.brand_voice", "partly", based_on=1)], NOW)
    assert [(a.answer, a.version, a.answered_by) for a in refused.value.newer] == [("no", 2, "boss@example.com")]
    current = {a.check_id: a for a in A.current_answers(store, "crm")}
    assert set(current) == {"culture.brand_voice"}  # the other answer of the refused save was not kept
    assert current["culture.brand_voice"].answer == "no" and current["culture.brand_voice"].comment == "not yet"
    assert store.revision() == 2


def test_a_save_for_another_team_is_refused_by_the_store(store):
    with pytest.raises(AccessDenied):
        A.save_answers(store, LEAD, "brand", [A.AnswerInput("culture.brand_voice", "yes")], NOW)
    with pytest.raises(AccessDenied):
        A.save_answers(store, VIEWER, "crm", [A.AnswerInput("culture.brand_voice", "yes")], NOW)
    with pytest.raises(AccessDenied):
        A.save_review(store, VIEWER, "language", "es", date(2026, 11, 22), "seen")
    assert store.revision() == 0
    A.save_answers(store, BOSS, "brand", [A.AnswerInput("culture.brand_voice", "yes")], NOW)
    assert store.revision() == 1


@pytest.mark.parametrize(("item", "message"), [
    (A.AnswerInput("culture.nope", "yes"), "not a check"),
    (A.AnswerInput("culture.brand_voice", "maybe"), "must be one of"),
    (A.AnswerInput("culture.brand_voice", "yes", evidence_url="javascript:alert(1)"), "http"),
    (A.AnswerInput("culture.brand_voice", "yes", comment="x" * 2001), "at most 2000"),
])
def test_invalid_answers_are_refused_with_a_reason(store, item, message):
    with pytest.raises(A.InvalidAnswer, match=message):
        A.save_answers(store, BOSS, "crm", [item], NOW)


def test_answers_expire_after_the_configured_age(store):
    A.save_answers(store, LEAD, "crm", [A.AnswerInput("culture.brand_voice", "yes")], NOW)
    history = A.answer_history(store)
    end = NOW.replace(tzinfo=None)
    assert [a.stale for a in in_force(history, end + timedelta(days=90), 90)] == [False]
    assert [a.stale for a in in_force(history, end + timedelta(days=90, seconds=1), 90)] == [True]
    assert in_force(history, end - timedelta(days=1), 90) == ()  # not yet given as of then


def test_self_assessed_checks_and_overclaims_through_the_engine(store, tmp_path, open_db):
    root = write_extracts(tmp_path / "x", {"training": [{"employee_id": "E9", "category": "ai_safety",
                                                         "course_id": "C", "completed_on": date(2026, 1, 1)}]})
    A.save_answers(store, LEAD, "crm", [A.AnswerInput("culture.brand_voice", "partly"),
                                       A.AnswerInput("culture.upskilling", "yes")], NOW)
    db = open_db(root)
    state = A.state(store)
    as_of = date(2026, 11, 22)
    crm = evaluate(db, db.load(), Settings(), as_of, "crm", state=state)
    assert crm.result("culture.brand_voice").status is Status.WARN
    assert crm.result("culture.workload_redesign").status is Status.NOT_ASSESSED
    assert crm.result("culture.upskilling").status is Status.FAIL  # nobody in crm trained
    answers = in_force(state.answers, datetime(2026, 11, 23), 90)
    assert [(o.team, o.check_id) for o in overclaims(answers, {"crm": crm})] == [("crm", "culture.upskilling")]
    before = evaluate(db, db.load(), Settings(), date(2026, 11, 1), "crm", state=state)
    assert before.result("culture.brand_voice").status is Status.NOT_ASSESSED  # answered after that date
    without = evaluate(db, db.load(), Settings(), as_of, "crm", state=State())
    assert without.result("culture.brand_voice").status is Status.NOT_ASSESSED


def test_dashboard_reviews_count_for_anomaly_review(store):
    review = A.save_review(store, LEAD, "language", None, date(2026, 11, 22), "NULL share checked", NOW)
    assert review.value is None and review.source == "dashboard"
    again = A.save_review(store, BOSS, "language", None, date(2026, 11, 22), "confirmed", NOW + timedelta(hours=1))
    assert again.reviewed_by == "boss@example.com"
    assert [(r.field, r.value, r.note) for r in A.reviews(store)] == [("language", None, "confirmed")]
    with pytest.raises(A.InvalidAnswer, match="note"):
        A.save_review(store, LEAD, "language", "es", date(2026, 11, 22), "  ")
    assert A.verify(store).ok


def test_exports_are_formula_safe(store):
    A.save_answers(store, BOSS, "crm", [A.AnswerInput("culture.brand_voice", "yes", '=HYPERLINK("x")')], NOW)
    titles = {c.id: c.title for c in CHECKS}
    for data in (answers_csv(A.current_answers(store), titles), history_csv(A.history(store))):
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert len(rows) == 2
        assert not [c for r in rows for c in r if c.startswith(("=", "+", "-", "@"))]
    assert "'=HYPERLINK" in answers_csv(A.current_answers(store), titles).decode("utf-8-sig")


def test_the_check_command_reads_the_state_store(store, tmp_path, env, capsys):
    import json

    from trust.cli import main

    root = write_extracts(tmp_path / "x")
    A.save_answers(store, BOSS, "crm", [A.AnswerInput("culture.brand_voice", "no")], NOW)
    env(state=store.path, audit_key_file=store.key_path)
    main(["check", "--extracts", str(root), "--format", "json", "--as-of", "2026-11-22"])
    checks = {c["id"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    assert checks["culture.brand_voice"]["status"] == "fail"
