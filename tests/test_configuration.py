"""Every bad configuration gives a page that names the setting, what was found and the fix (never a redacted
exception nor the pages-folder links), and the commands that use the setting print the same message and exit
2; a setting a command does not use never fails it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest

from tests.apprun import answering
from trust.cli import main
from trust.configuration import ConfigProblem, state_store
from trust.settings import Settings
from trust.state import assessments
from trust.state.access import local_identity
from trust.state.store import Store

ROOT = Path(__file__).parents[1]
TITLE = "The dashboard cannot open: a setting needs fixing"


def shown(at) -> str:
    """Everything the blocked screen says, as its elements carry it (Markdown escapes removed)."""
    return " ".join(e.value for e in [*at.title, *at.error, *at.markdown, *at.caption]).replace("\\", "")


def blocked(at, *words: str) -> None:
    """The app shows the configuration screen with these words, and no page of the app behind it."""
    assert not at.exception, [e.message for e in at.exception]
    assert [t.value for t in at.title] == [TITLE]
    text = shown(at)
    assert all(w in text for w in words), text
    assert "Fix:" in text
    assert not at.get("page_link") and not at.metric and not at.sidebar.selectbox


def cli(capsys, *args: str) -> tuple[int, str]:
    """The command's exit code and what it printed on stderr (its own lines, not the app's earlier logging)."""
    capsys.readouterr()
    code = main(list(args))
    return code, "\n".join(line for line in capsys.readouterr().err.splitlines() if line.startswith("trust"))


def signed_log(state: Path, key: Path) -> None:
    """A store whose audit log holds one entry signed with `key`."""
    store = Store(state, key)
    assessments.save_review(store, local_identity("me"), "language", "en", date(2026, 11, 1), "looked at it")
    store.close()


def as_nobody(*command: str) -> subprocess.CompletedProcess:
    """`command` run as an unprivileged user (root reads and writes everything, so file modes only bind others)."""
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.geteuid() == 0 else []
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": "/tmp"}
    return subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=120, env=env, cwd="/tmp")


@pytest.fixture
def shared_dir():
    """A folder another user can reach (pytest's own temporary folders are private)."""
    folder = Path(tempfile.mkdtemp(prefix="trust-config-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_state_store_that_is_a_folder(app, env, demo_extracts, tmp_path, capsys):
    folder = tmp_path / "state-folder"
    folder.mkdir()
    env(state=folder)
    blocked(app(demo_extracts), "TRUST_STATE", "is a folder, not a file")
    code, err = cli(capsys, "check", "--extracts", str(demo_extracts))
    assert code == 2 and f"TRUST_STATE: {folder} is a folder, not a file. Fix:" in err


def test_a_corrupt_state_store(app, env, demo_extracts, tmp_path, capsys):
    bad = tmp_path / "state.db"
    bad.write_bytes(b"this is not SQLite at all\n" * 200)
    env(state=bad)
    blocked(app(demo_extracts), "TRUST_STATE", "not a readable SQLite database", "latest backup")
    code, err = cli(capsys, "check", "--extracts", str(demo_extracts), "--format", "json")
    assert code == 2 and "TRUST_STATE" in err and "not a readable SQLite database" in err
    code, err = cli(capsys, "audit", "verify", "--state", str(bad), "--key", str(tmp_path / "k"))
    assert code == 2 and "not a readable SQLite database" in err


def test_a_state_store_that_cannot_be_created(app, env, demo_extracts, tmp_path):
    (tmp_path / "plain-file").write_text("x")
    env(state=tmp_path / "plain-file" / "state.db")
    blocked(app(demo_extracts), "TRUST_STATE", "cannot be created", "is a file")


def test_a_read_only_state_store_stops_the_app_but_not_a_reading_command(shared_dir):
    state, key = shared_dir / "state.db", shared_dir / "audit.key"
    signed_log(state, key)
    key.chmod(0o644)
    state.chmod(0o444)  # read-only for everyone; SQLite may still keep its shared-memory file in the folder
    shared_dir.chmod(0o777)
    probe = ("from pathlib import Path\nfrom trust.configuration import ConfigProblem, state_store\n"
             "from trust.settings import Settings\n"
             f"s = Settings.model_construct(state=Path({str(state)!r}))\n"
             "state_store(s, write=False)\n"
             "try:\n    state_store(s, write=True)\nexcept ConfigProblem as exc:\n    print(exc)\n")
    run = as_nobody(sys.executable, "-c", probe)
    assert run.returncode == 0, run.stderr
    assert f"TRUST_STATE: {state} cannot be written" in run.stdout and "Fix:" in run.stdout
    verify = as_nobody(sys.executable, "-m", "trust.cli", "audit", "verify", "--state", str(state), "--key", str(key))
    assert verify.returncode == 0, verify.stderr  # reading a read-only store is fine


@pytest.mark.parametrize("locked", ["file", "folder"])
def test_an_unreadable_state_store_stops_the_commands(shared_dir, locked):
    state, key = shared_dir / "state.db", shared_dir / "audit.key"
    signed_log(state, key)
    key.chmod(0o644)
    if locked == "file":
        state.chmod(0o000)
        found = f"trust: TRUST_STATE: {state} cannot be read by this user. Fix:"
    else:  # a WAL store is read with a shared-memory file beside it, which this user cannot create
        state.chmod(0o444)
        found = f"trust: TRUST_STATE: {state} cannot be read by this user: SQLite keeps a shared-memory file"
    run = as_nobody(sys.executable, "-m", "trust.cli", "audit", "verify", "--state", str(state), "--key", str(key))
    assert run.returncode == 2, run.stderr
    assert found in run.stderr and "Traceback" not in run.stderr


def test_missing_or_unreadable_extracts(app, env, tmp_path, capsys, shared_dir):
    missing = tmp_path / "no-such-extracts"
    blocked(app(missing), "TRUST_EXTRACTS", "does not exist")
    code, err = cli(capsys, "check", "--extracts", str(missing))
    assert code == 2 and f"TRUST_EXTRACTS: {missing} does not exist. Fix:" in err
    locked = shared_dir / "extracts"
    locked.mkdir(mode=0o700)
    run = as_nobody(sys.executable, "-m", "trust.cli", "validate", "--extracts", str(locked))
    assert run.returncode == 2 and f"TRUST_EXTRACTS: {locked} cannot be read by this user" in run.stderr


def test_a_missing_audit_key_while_its_log_exists(app, env, demo_extracts, tmp_path, capsys):
    state, key = tmp_path / "s" / "state.db", tmp_path / "s" / "audit.key"
    signed_log(state, key)
    key.unlink()
    env(state=state, audit_key_file=key)
    blocked(app(demo_extracts), "TRUST_AUDIT_KEY_FILE", "is missing", "1 audit entry", "restore the key file")
    assert not key.exists()  # no new key was made to sign over the old log
    code, err = cli(capsys, "audit", "verify", "--state", str(state), "--key", str(key))
    assert code == 2 and "TRUST_AUDIT_KEY_FILE" in err and "1 audit entry" in err
    code, err = cli(capsys, "check", "--extracts", str(demo_extracts))
    assert code == 2 and "TRUST_AUDIT_KEY_FILE" in err
    with pytest.raises(FileNotFoundError, match="a new key would leave every entry unverifiable"):
        Store(state, key)
    assert not key.exists()


def test_a_bad_roles_row_stops_sign_in_but_never_a_nightly_check(app, env, demo_extracts, tmp_path, capsys):
    from tests.test_signin_pages import AUTH, signed_in

    roles = tmp_path / "roles.csv"
    roles.write_text("email,role,teams\nboss@example.com,leadership,\nlead@example.com,captain,crm\n")
    env(roles_file=roles)
    blocked(app(demo_extracts, user=signed_in("boss@example.com"), auth=AUTH), "TRUST_ROLES_FILE", "captain")
    code, err = cli(capsys, "check", "--extracts", str(demo_extracts), "--format", "json")
    assert code in (0, 1) and "TRUST_ROLES_FILE" not in err


def test_an_invalid_setting_value(app, env, demo_extracts):
    env(approval_warn_rate="lots")
    blocked(app(demo_extracts), "TRUST_APPROVAL_WARN_RATE", "invalid")


def test_the_same_words_on_the_page_and_the_command_line(tmp_path):
    folder = tmp_path / "x"
    folder.mkdir()
    with pytest.raises(ConfigProblem) as caught:
        state_store(Settings.model_construct(state=folder), write=True)
    problem = caught.value
    assert str(problem) == f"TRUST_STATE: {problem.found}. Fix: {problem.fix}"


def _answer_three_with_long_comments(at, team: str = "brand") -> list[str]:
    answering(at)
    keys = [f"comment.{team}.culture.brand_voice", f"comment.{team}.measurement.intangibles",
            f"comment.{team}.culture.upskilling"]
    for n, key in enumerate(keys):
        check = key.split(".", 2)[2]
        at.selectbox(key=f"answer.{team}.{check}").set_value("partly")
        at.text_input(key=key).set_value(f"{n} " + "evidence in the shared drive " * 60)
    at.get("form_submit_button")[0].click()
    return keys


@pytest.mark.parametrize("refusal", ["full", "read-only"])
def test_a_save_refused_by_the_disk_keeps_the_input_and_saves_nothing(app, env, demo_extracts, tmp_path,
                                                                       monkeypatch, refusal):
    at = app(demo_extracts, "pages/checklist.py")
    state, key = tmp_path / "state" / "state.db", tmp_path / "state" / "audit.key"
    original = Store.connection

    def refusing(self):
        conn = original(self)
        if refusal == "full":  # SQLite's own full-disk error: no page may be added to the file
            conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")
        else:
            conn.execute("PRAGMA query_only = ON")
        return conn

    monkeypatch.setattr(Store, "connection", refusing)
    at.selectbox(key="checklist.answer_team").set_value("brand")
    at.run()
    keys = _answer_three_with_long_comments(at)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    errors = " ".join(e.value for e in at.error).replace("\\", "")
    assert "Not saved" in errors and "TRUST_STATE" in errors and "Your input is kept" in errors
    assert ("is full" if refusal == "full" else "is read-only") in errors
    assert all(at.text_input(key=k).value.endswith("shared drive ") for k in keys)
    monkeypatch.setattr(Store, "connection", original)
    with sqlite3.connect(state) as conn:
        assert conn.execute("SELECT count(*) FROM answers").fetchone()[0] == 0
    check = Store(state, key)
    assert check.revision() == 0 and check.verify().ok
