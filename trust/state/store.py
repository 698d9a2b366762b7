"""The state store: SQLite holding self-assessments, anomaly reviews, actions and their audit log.

WAL mode with synchronous=FULL, one connection per thread, `BEGIN IMMEDIATE` for every
write so concurrent writers queue rather than fail, and versioned schema migrations.
Every change writes its audit entry in the same transaction; after the commit the head
record moves forward.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path

from trust.state import auditlog

MIGRATIONS: tuple[tuple[int, str], ...] = (
    (1, """
        CREATE TABLE answers (
            team TEXT NOT NULL,
            check_id TEXT NOT NULL,
            version INTEGER NOT NULL CHECK (version >= 1),
            answer TEXT NOT NULL CHECK (answer IN ('yes', 'partly', 'no', 'n/a')),
            comment TEXT,
            evidence_url TEXT,
            answered_by TEXT NOT NULL,
            answered_at TEXT NOT NULL,
            PRIMARY KEY (team, check_id)
        );
        CREATE TABLE reviews (
            field TEXT NOT NULL,
            value_key TEXT NOT NULL,
            value TEXT,
            snapshot_date TEXT NOT NULL,
            version INTEGER NOT NULL CHECK (version >= 1),
            reviewed_by TEXT NOT NULL,
            reviewed_at TEXT NOT NULL,
            note TEXT NOT NULL,
            PRIMARY KEY (field, value_key, snapshot_date)
        );
        CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            team TEXT,
            check_id TEXT,
            subject TEXT,
            before TEXT,
            after TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE INDEX audit_log_team_check ON audit_log (team, check_id);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be changed'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be deleted'); END;
    """),
    (2, """
        CREATE TABLE actions (
            action_id INTEGER PRIMARY KEY,
            check_id TEXT NOT NULL,
            team TEXT,
            owner TEXT NOT NULL,
            due_date TEXT NOT NULL,
            note TEXT,
            status TEXT NOT NULL CHECK (status IN ('open', 'done', 'dropped')),
            version INTEGER NOT NULL CHECK (version >= 1),
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            changed_by TEXT NOT NULL,
            changed_at TEXT NOT NULL
        );
        CREATE INDEX actions_check ON actions (check_id, team);
    """),
)


def utc_now() -> datetime:
    return datetime.now(UTC)


class Transaction:
    """One write transaction: its connection, and the audit entries it appended."""

    def __init__(self, conn: sqlite3.Connection, key: bytes) -> None:
        self.conn = conn
        self._key = key
        self.appended: list[auditlog.Entry] = []

    def audit(self, at: datetime, actor: str, action: str, team: str | None, check_id: str | None,
              subject: str | None, before: dict | None, after: dict | None) -> auditlog.Entry:
        entry = auditlog.append(self.conn, self._key, at.isoformat(), actor, action, team, check_id, subject,
                                before, after)
        self.appended.append(entry)
        return entry


class Store:
    """The SQLite state store at `path`, its audit chain keyed by the secret in `key_path`."""

    def __init__(self, path: Path, key_path: Path, create: bool = True) -> None:
        self.path = Path(path)
        self.key_path = Path(key_path)
        self.head = auditlog.head_path(self.key_path)
        if not create and not self.path.exists():
            raise FileNotFoundError(f"there is no state store at {self.path}")
        if not create and not self.key_path.exists():
            raise FileNotFoundError(f"the audit key {self.key_path} is missing: the log cannot be verified or "
                                    "extended without it")
        if not self.key_path.exists() and (self.head.exists() or signed_entries(self.path)):
            raise FileNotFoundError(f"the audit key {self.key_path} is missing, but the log of {self.path} was "
                                    "signed with it: a new key would leave every entry unverifiable")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.key = auditlog.load_key(self.key_path)
        self._local = threading.local()
        self._migrate()

    def connection(self) -> sqlite3.Connection:
        """This thread's connection (a connection is never shared between threads)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=True)
            conn.execute("PRAGMA busy_timeout = 60000")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            self._local.conn = conn
        return conn

    @contextmanager
    def write(self) -> Iterator[Transaction]:
        """A write transaction taken at once (`BEGIN IMMEDIATE`), committed whole or not at all."""
        conn = self.connection()
        conn.execute("BEGIN IMMEDIATE")
        transaction = Transaction(conn, self.key)
        try:
            yield transaction
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # a refused COMMIT (disk full, read-only) leaves the transaction open
                conn.execute("ROLLBACK")
            raise
        if transaction.appended:
            last = transaction.appended[-1]
            auditlog.record_head(self.head, self.key, last.seq, last.hash)

    def revision(self) -> int:
        """The number of audit entries: it changes whenever anything is saved."""
        row = self.connection().execute("SELECT coalesce(max(seq), 0) FROM audit_log").fetchone()
        return int(row[0])

    def verify(self) -> auditlog.Verification:
        return auditlog.verify(self.connection(), self.key, self.head)

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def _migrate(self) -> None:
        conn = self.connection()
        conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT "
                     "NOT NULL)")
        for version, script in MIGRATIONS:
            conn.execute("BEGIN IMMEDIATE")
            try:
                done = conn.execute("SELECT 1 FROM schema_migrations WHERE version = ?", (version,)).fetchone()
                if not done:
                    for statement in (s.strip() for s in _statements(script)):
                        conn.execute(statement)
                    conn.execute("INSERT INTO schema_migrations VALUES (?, ?)", (version, utc_now().isoformat()))
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")


def _statements(script: str) -> list[str]:
    """Split a migration into statements, keeping each trigger's body whole."""
    statements, current = [], []
    for line in script.strip().splitlines():
        current.append(line)
        text = "\n".join(current).strip()
        if text.endswith(";") and sqlite3.complete_statement(text):
            statements.append(text)
            current = []
    if "\n".join(current).strip():
        statements.append("\n".join(current))
    return statements


def signed_entries(path: Path) -> int:
    """How many audit entries the store at `path` holds, read without changing it (0: none, or no store)."""
    if not Path(path).is_file():
        return 0
    try:
        with closing(sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)) as conn:
            return int(conn.execute("SELECT count(*) FROM audit_log").fetchone()[0])
    except sqlite3.Error:
        return 0  # no log table yet, or not a store at all (which opening it reports)


def open_store(settings, create: bool = True) -> Store | None:
    """The store of the settings in force; without `create`, None when it does not exist yet."""
    if not create and not Path(settings.state).exists():
        return None
    return Store(settings.state, settings.audit_key_file, create=create)
