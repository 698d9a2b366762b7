"""Tampering with the audit log is detected by `trust audit verify`, naming the first broken entry."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from datetime import UTC, datetime

import pytest

from trust.cli import main
from trust.state import assessments as A
from trust.state.access import Identity

BOSS = Identity("boss@example.com", "Bo", "leadership")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
ANSWERS = ["yes", "partly", "no", "yes"]


@pytest.fixture
def paths(tmp_path):
    state, key = tmp_path / "state.db", tmp_path / "secret" / "audit.key"
    store = A.Store(state, key)
    for i, answer in enumerate(ANSWERS):
        A.save_answers(store, BOSS, "crm", [A.AnswerInput("culture.brand_voice", answer, based_on=i)], NOW)
    store.close()
    return state, key


def verify(capsys, state, key) -> tuple[int, str]:
    code = main(["audit", "verify", "--state", str(state), "--key", str(key)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def tamper(state, *statements: str) -> None:
    conn = sqlite3.connect(state)
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def test_an_untouched_log_verifies(paths, capsys):
    code, out = verify(capsys, *paths)
    assert code == 0 and "verifies: 4 entries" in out


FORGED = hashlib.sha256(b"forged").hexdigest()

CASES = [
    ("edited entry", ["UPDATE audit_log SET after = replace(after, 'partly', 'yes') WHERE seq = 2"],
     "entry 2", "altered"),
    ("deleted entry", ["DELETE FROM audit_log WHERE seq = 2"], "entry 2", "missing"),
    ("reordered entries", ["UPDATE audit_log SET seq = -2 WHERE seq = 2", "UPDATE audit_log SET seq = 2 WHERE seq = 3",
                           "UPDATE audit_log SET seq = 3 WHERE seq = -2"], "entry 2", ""),
    ("entry appended by hand", [
        "INSERT INTO audit_log SELECT 5, at, actor, action, team, check_id, subject, before, after, hash, "
        f"'{FORGED}' FROM audit_log WHERE seq = 4"], "entry 5", "without the audit key"),
    ("truncated log", ["DELETE FROM audit_log WHERE seq = 4"], "entry 4", "truncated"),
    ("answers table edited outside the log", ["UPDATE answers SET answer = 'no'"], "", "changed outside"),
]


@pytest.mark.parametrize(("statements", "where", "why"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_tampering_is_detected_at_the_first_broken_entry(paths, capsys, statements, where, why):
    state, key = paths
    tamper(state, *statements)
    code, out = verify(capsys, state, key)
    assert code == 1, out
    assert "does NOT verify" in out and where in out and why in out


def test_an_older_copy_of_the_file_restored_is_detected(tmp_path, capsys):
    state, key = tmp_path / "state.db", tmp_path / "audit.key"
    store = A.Store(state, key)
    A.save_answers(store, BOSS, "crm", [A.AnswerInput("culture.brand_voice", "yes")], NOW)
    store.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    shutil.copy(state, tmp_path / "backup.db")
    store = A.Store(state, key)
    A.save_answers(store, BOSS, "crm", [A.AnswerInput("culture.brand_voice", "no", based_on=1)], NOW)
    store.close()
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"state.db{suffix}").unlink(missing_ok=True)
    shutil.copy(tmp_path / "backup.db", state)
    code, out = verify(capsys, state, key)
    assert code == 1 and "older copy" in out


def test_a_forged_or_missing_head_record_is_detected(paths, capsys):
    state, key = paths
    head = key.with_name(key.name + ".head")
    head.write_text(head.read_text().replace('"seq": 4', '"seq": 3'))
    code, out = verify(capsys, state, key)
    assert code == 1 and "not written with the audit key" in out
    head.unlink()
    code, out = verify(capsys, state, key)
    assert code == 1 and "head record" in out and "missing" in out


def test_a_missing_store_or_key_is_a_usage_error(tmp_path, paths, capsys):
    state, key = paths
    assert verify(capsys, tmp_path / "none.db", key)[0] == 2
    code, out = verify(capsys, state, tmp_path / "no.key")
    assert code == 2 and "TRUST_AUDIT_KEY_FILE" in out and "no.key is missing" in out and "restore the key" in out


def test_a_different_key_cannot_verify(paths, tmp_path, capsys):
    state, _ = paths
    other = tmp_path / "other.key"
    other.write_text("ab" * 32)
    code, out = verify(capsys, state, other)
    assert code == 1 and "entry 1" in out
