"""Self-assessments and anomaly reviews: saving them safely, reading them as of a date, their history."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urlparse

from trust.checks.registry import BY_ID
from trust.facts.anomalies import Review
from trust.facts.answers import Answer, State
from trust.state.access import Identity
from trust.state.actions import recorded as recorded_actions
from trust.state.auditlog import Verification, entries
from trust.state.store import Store, utc_now

__all__ = ["ANSWERS", "AnswerInput", "InvalidAnswer", "StaleAnswer", "Store", "StoredAnswer"]

ANSWERS = ("yes", "partly", "no", "n/a")
MAX_COMMENT = 2000


class InvalidAnswer(ValueError):
    """An answer that cannot be saved as given; the message says which field and why."""


@dataclass(frozen=True)
class AnswerInput:
    """One answer from the form, with the version the person saw when they filled it in."""

    check_id: str
    answer: str
    comment: str | None = None
    evidence_url: str | None = None
    based_on: int = 0


@dataclass(frozen=True)
class StoredAnswer:
    team: str
    check_id: str
    version: int
    answer: str
    comment: str | None
    evidence_url: str | None
    answered_by: str
    answered_at: datetime

    def fields(self) -> dict:
        return {"version": self.version, "answer": self.answer, "comment": self.comment,
                "evidence_url": self.evidence_url, "answered_by": self.answered_by,
                "answered_at": self.answered_at.isoformat()}


class StaleAnswer(Exception):
    """Someone saved newer answers since the form was filled in; nothing of this save was kept."""

    def __init__(self, newer: tuple[StoredAnswer, ...]) -> None:
        names = ", ".join(BY_ID[a.check_id].title if a.check_id in BY_ID else a.check_id for a in newer)
        super().__init__(f"newer answers were saved meanwhile for: {names}; review them and save again")
        self.newer = newer


def _validate(item: AnswerInput) -> AnswerInput:
    if item.check_id not in BY_ID:
        raise InvalidAnswer(f"{item.check_id!r} is not a check of the catalogue")
    if item.answer not in ANSWERS:
        raise InvalidAnswer(f"{item.check_id}: the answer must be one of {', '.join(ANSWERS)}, not {item.answer!r}")
    comment = (item.comment or "").strip() or None
    if comment and len(comment) > MAX_COMMENT:
        raise InvalidAnswer(f"{item.check_id}: the comment is {len(comment)} characters; at most {MAX_COMMENT}")
    url = (item.evidence_url or "").strip() or None
    if url and (urlparse(url).scheme not in ("http", "https") or not urlparse(url).netloc):
        raise InvalidAnswer(f"{item.check_id}: the evidence link must be an http(s) address, not {url!r}")
    return AnswerInput(item.check_id, item.answer, comment, url, item.based_on)


def _row(team: str, row: tuple) -> StoredAnswer:
    check_id, version, answer, comment, url, by, at = row
    return StoredAnswer(team, check_id, version, answer, comment, url, by, datetime.fromisoformat(at))


def current_answers(store: Store, team: str | None = None) -> tuple[StoredAnswer, ...]:
    rows = store.connection().execute(
        "SELECT team, check_id, version, answer, comment, evidence_url, answered_by, answered_at FROM answers "
        "WHERE ? IS NULL OR team = ? ORDER BY team, check_id", (team, team)).fetchall()
    return tuple(_row(r[0], r[1:]) for r in rows)


def save_answers(store: Store, actor: Identity, team: str, items: list[AnswerInput],
                 now: datetime | None = None) -> tuple[StoredAnswer, ...]:
    """Save a team's answers in one transaction; refused whole if any is stale or not the actor's to give."""
    actor.require_answer(team)
    items = [_validate(i) for i in items]
    now = now or utc_now()
    saved: list[StoredAnswer] = []
    with store.write() as tx:
        current = {r[0]: _row(team, r) for r in tx.conn.execute(
            "SELECT check_id, version, answer, comment, evidence_url, answered_by, answered_at FROM answers "
            "WHERE team = ?", (team,)).fetchall()}
        newer = tuple(current[i.check_id] for i in items
                      if (current[i.check_id].version if i.check_id in current else 0) != i.based_on)
        if newer:
            raise StaleAnswer(newer)
        for item in items:
            before = current.get(item.check_id)
            if before and (before.answer, before.comment, before.evidence_url) == (
                    item.answer, item.comment, item.evidence_url):
                continue  # unchanged: no new version
            answer = StoredAnswer(team, item.check_id, (before.version if before else 0) + 1, item.answer,
                                  item.comment, item.evidence_url, actor.email, now)
            tx.conn.execute(
                "INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (team, check_id) DO UPDATE SET "
                "version = excluded.version, answer = excluded.answer, comment = excluded.comment, "
                "evidence_url = excluded.evidence_url, answered_by = excluded.answered_by, "
                "answered_at = excluded.answered_at",
                (team, item.check_id, answer.version, answer.answer, answer.comment, answer.evidence_url,
                 answer.answered_by, now.isoformat()))
            tx.audit(now, actor.email, "answer", team, item.check_id, None,
                     before.fields() if before else None, answer.fields())
            saved.append(answer)
    return tuple(saved)


def answer_history(store: Store) -> tuple[Answer, ...]:
    """Every answer ever given, oldest first, replayed from the audit log (times in UTC, without zone)."""
    given = []
    for entry in entries(store.connection()):
        if entry.action == "answer" and entry.after:
            a = json.loads(entry.after)
            given.append(Answer(entry.check_id, entry.team, a["answer"], a.get("comment"), a.get("answered_by"),
                                datetime.fromisoformat(a["answered_at"]).astimezone(UTC).replace(tzinfo=None)))
    return tuple(given)


def state(store: Store) -> State:
    """Everything the checks need from the store."""
    return State(answer_history(store), reviews(store), utc_now().replace(tzinfo=None))


def save_review(store: Store, actor: Identity, field: str, value: str | None, snapshot_date: date, note: str,
                now: datetime | None = None) -> Review:
    """Acknowledge an anomaly with a note; it then counts as reviewed from this moment."""
    actor.require_review()
    note = (note or "").strip()
    if not note:
        raise InvalidAnswer("a review needs a note saying what was found")
    now = now or utc_now()
    key = (field, value if value is not None else "", snapshot_date.isoformat())
    with store.write() as tx:
        before = tx.conn.execute("SELECT version, reviewed_by, reviewed_at, note FROM reviews WHERE field = ? AND "
                                 "value_key = ? AND snapshot_date = ?", key).fetchone()
        version = (before[0] if before else 0) + 1
        tx.conn.execute(
            "INSERT INTO reviews VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (field, value_key, snapshot_date) DO "
            "UPDATE SET version = excluded.version, reviewed_by = excluded.reviewed_by, "
            "reviewed_at = excluded.reviewed_at, note = excluded.note",
            (field, key[1], value, key[2], version, actor.email, now.isoformat(), note))
        after = {"version": version, "reviewed_by": actor.email, "reviewed_at": now.isoformat(), "note": note}
        tx.audit(now, actor.email, "review", None, None, f"{field}|{key[1]}|{key[2]}",
                 dict(zip(("version", "reviewed_by", "reviewed_at", "note"), before, strict=True)) if before else None,
                 after)
    return Review(field, value, snapshot_date, actor.email, now.astimezone(UTC).replace(tzinfo=None), note,
                  "dashboard")


def reviews(store: Store) -> tuple[Review, ...]:
    """The anomaly reviews made in the dashboard (timestamps in UTC, without zone, like the extracts)."""
    rows = store.connection().execute("SELECT field, value, snapshot_date, reviewed_by, reviewed_at, note "
                                      "FROM reviews ORDER BY reviewed_at").fetchall()
    return tuple(Review(f, v, date.fromisoformat(s), by,
                        datetime.fromisoformat(at).astimezone(UTC).replace(tzinfo=None), note, "dashboard")
                 for f, v, s, by, at, note in rows)


@dataclass(frozen=True)
class Change:
    seq: int
    at: datetime
    actor: str
    action: str
    team: str | None
    check_id: str | None
    subject: str | None
    before: dict | None
    after: dict | None


def history(store: Store, team: str | None = None, check_id: str | None = None) -> tuple[Change, ...]:
    """Every change, newest first, optionally for one team and/or one check."""
    changes = [Change(e.seq, datetime.fromisoformat(e.at), e.actor, e.action, e.team, e.check_id, e.subject,
                      json.loads(e.before) if e.before else None, json.loads(e.after) if e.after else None)
               for e in entries(store.connection())
               if (team is None or e.team == team) and (check_id is None or e.check_id == check_id)]
    return tuple(reversed(changes))


def consistency(store: Store) -> Verification:
    """The answers, reviews and actions tables against the log's replay: a direct edit of any shows here."""
    conn = store.connection()
    replayed: dict[tuple, dict] = {}
    for e in entries(conn):
        key = ("answer", e.team, e.check_id) if e.action == "answer" else (e.action, e.subject)
        replayed[key] = json.loads(e.after) if e.after else None
    tables: dict[tuple, dict] = {}
    for team, check_id, *rest in conn.execute("SELECT team, check_id, version, answer, comment, evidence_url, "
                                              "answered_by, answered_at FROM answers"):
        tables[("answer", team, check_id)] = dict(zip(
            ("version", "answer", "comment", "evidence_url", "answered_by", "answered_at"), rest, strict=True))
    for field, value_key, snapshot, *rest in conn.execute("SELECT field, value_key, snapshot_date, version, "
                                                          "reviewed_by, reviewed_at, note FROM reviews"):
        tables[("review", f"{field}|{value_key}|{snapshot}")] = dict(zip(
            ("version", "reviewed_by", "reviewed_at", "note"), rest, strict=True))
    tables.update(recorded_actions(store))
    for key in sorted(set(replayed) | set(tables), key=str):
        if replayed.get(key) != tables.get(key):
            what = f"{key[1]} / {key[2]}" if key[0] == "answer" else key[1]
            return Verification(False, len(replayed), None, f"the current {key[0]} for {what} differs from "
                                "what the audit log records: it was changed outside the dashboard")
    return Verification(True, len(replayed))


def verify(store: Store) -> Verification:
    """The chain, the head and the tables' agreement with the log."""
    chain = store.verify()
    if not chain.ok:
        return chain
    tables = consistency(store)
    return chain if tables.ok else tables
