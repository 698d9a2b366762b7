"""The tamper-evident audit log: an append-only, hash-chained table keyed by a secret outside the database.

Each entry's hash is an HMAC (keyed by the secret) over the previous entry's hash and the
entry itself, so an edited, deleted, reordered or hand-appended entry breaks the chain. A
head record (sequence and hash of the latest entry, also keyed) is kept beside the key,
outside the database, so a truncated log or an older copy of the file restored is caught too.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path

GENESIS = "0" * 64
FIELDS = ("seq", "at", "actor", "action", "team", "check_id", "subject", "before", "after")


@dataclass(frozen=True)
class Entry:
    seq: int
    at: str
    actor: str
    action: str
    team: str | None
    check_id: str | None
    subject: str | None
    before: str | None  # JSON
    after: str | None  # JSON
    prev_hash: str = GENESIS
    hash: str = ""

    def payload(self) -> str:
        return json.dumps({f: getattr(self, f) for f in FIELDS}, sort_keys=True, separators=(",", ":"))


def seal(key: bytes, prev_hash: str, entry: Entry) -> str:
    return hmac.new(key, (prev_hash + "\n" + entry.payload()).encode(), hashlib.sha256).hexdigest()


def append(conn: sqlite3.Connection, key: bytes, at: str, actor: str, action: str, team: str | None,
           check_id: str | None, subject: str | None, before: dict | None, after: dict | None) -> Entry:
    """Add an entry inside the caller's write transaction and return it, sealed."""
    last = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    entry = Entry(seq, at, actor, action, team, check_id, subject,
                  None if before is None else json.dumps(before, sort_keys=True),
                  None if after is None else json.dumps(after, sort_keys=True), prev)
    sealed = Entry(**{**entry.__dict__, "hash": seal(key, prev, entry)})
    conn.execute("INSERT INTO audit_log (seq, at, actor, action, team, check_id, subject, before, after, "
                 "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (sealed.seq, sealed.at, sealed.actor, sealed.action, sealed.team, sealed.check_id,
                  sealed.subject, sealed.before, sealed.after, sealed.prev_hash, sealed.hash))
    return sealed


def entries(conn: sqlite3.Connection) -> list[Entry]:
    rows = conn.execute("SELECT seq, at, actor, action, team, check_id, subject, before, after, prev_hash, hash "
                        "FROM audit_log ORDER BY rowid").fetchall()
    return [Entry(*row) for row in rows]


# The key and the head record -----------------------------------------------------------------

def load_key(path: Path) -> bytes:
    """The chain's secret key, created (readable by its owner only) on first use."""
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(temporary, path)  # fails if another process created the key first: theirs wins
        except FileExistsError:
            pass
        finally:
            temporary.unlink(missing_ok=True)
    text = path.read_text().strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise ValueError(f"audit key file {path} does not hold a hexadecimal key") from None
    if len(key) < 16:
        raise ValueError(f"audit key file {path} holds a key of {len(key)} bytes; at least 16 are needed")
    return key


def head_path(key_path: Path) -> Path:
    return Path(f"{key_path}.head")


def _head_mac(key: bytes, seq: int, digest: str) -> str:
    return hmac.new(key, f"head:{seq}:{digest}".encode(), hashlib.sha256).hexdigest()


def record_head(path: Path, key: bytes, seq: int, digest: str) -> None:
    """Move the head record forward to `seq` (never back), atomically and durably."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{path}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        current = read_head(path, key)
        if current is not None and current[0] >= seq:
            return
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(temporary, "w") as fh:
            json.dump({"seq": seq, "hash": digest, "mac": _head_mac(key, seq, digest)}, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temporary, path)
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def read_head(path: Path, key: bytes) -> tuple[int, str] | None:
    """The recorded head (seq, hash); None when there is none; ValueError when it was forged."""
    try:
        data = json.loads(Path(path).read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        raise ValueError(f"the head record {path} cannot be read") from None
    seq, digest = int(data["seq"]), str(data["hash"])
    if not hmac.compare_digest(str(data.get("mac", "")), _head_mac(key, seq, digest)):
        raise ValueError(f"the head record {path} was not written with the audit key")
    return seq, digest


# Verification -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Verification:
    ok: bool
    entries: int
    broken_at: int | None = None  # the first entry (by position, from 1) that fails
    problem: str = ""

    def __str__(self) -> str:
        if self.ok:
            return f"The audit log verifies: {self.entries} entries, chain and head intact."
        where = f" at entry {self.broken_at}" if self.broken_at is not None else ""
        return f"The audit log does NOT verify{where}: {self.problem}"


def verify(conn: sqlite3.Connection, key: bytes, head: Path) -> Verification:
    """Walk the chain from the first entry; report the first one that breaks it, then check the head."""
    log = entries(conn)
    previous = GENESIS
    for position, entry in enumerate(log, start=1):
        if entry.seq != position:
            what = "is missing" if entry.seq > position else "is out of order"
            return Verification(False, len(log), position, f"entry {position} {what} (found entry {entry.seq} "
                                "in its place): entries were deleted or reordered")
        if entry.prev_hash != previous:
            return Verification(False, len(log), position, f"entry {position} does not follow entry "
                                f"{position - 1}: the chain was cut or reordered")
        if not hmac.compare_digest(entry.hash, seal(key, previous, entry)):
            return Verification(False, len(log), position, f"entry {position} was altered or written without "
                                "the audit key")
        previous = entry.hash
    try:
        recorded = read_head(head, key)
    except ValueError as exc:
        return Verification(False, len(log), None, str(exc))
    if recorded is None:
        if log:
            return Verification(False, len(log), None, f"the head record {head} is missing, so a truncated log "
                                "could not be told apart")
        return Verification(True, 0)
    seq, digest = recorded
    if seq > len(log):
        return Verification(False, len(log), len(log) + 1, f"the log ends at entry {len(log)} but entry {seq} "
                            "was recorded: it was truncated or an older copy was restored")
    if seq and not hmac.compare_digest(log[seq - 1].hash, digest):
        return Verification(False, len(log), seq, f"entry {seq} is not the one recorded in the head: the file "
                            "was replaced by another copy")
    return Verification(True, len(log))
