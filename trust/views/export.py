"""Records leaving the app: CSV that spreadsheets cannot execute, customer IDs masked by default."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime

# A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SENSITIVE_COLUMNS = ("customer_id",)


def neutralise(value: object) -> str:
    """The cell as text, prefixed with a quote when a spreadsheet would run it as a formula."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        text = value.isoformat(sep=" ", timespec="seconds")
    elif isinstance(value, date):
        text = value.isoformat()
    elif isinstance(value, list | tuple):
        text = "|".join(str(v) for v in value)
    else:
        text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def safe_csv(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 CSV (with a byte-order mark, for spreadsheets) whose cells cannot be formulas."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(c) for c in columns])
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def mask(value: object) -> object:
    """A customer ID with all but its last two characters hidden: enough to tell rows apart."""
    if value is None:
        return None
    text = str(value)
    return "•" * max(3, len(text) - 2) + text[-2:] if len(text) > 2 else "•••"


def masked_rows(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> list[tuple]:
    hidden = {i for i, c in enumerate(columns) if c in SENSITIVE_COLUMNS}
    return [tuple(mask(v) if i in hidden else v for i, v in enumerate(row)) for row in rows]


def answers_csv(answers: Iterable, titles: dict[str, str]) -> bytes:
    """The answers in force, one row per team and check, as formula-safe CSV."""
    columns = ("team", "check_id", "check", "version", "answer", "comment", "evidence_url", "answered_by",
               "answered_at")
    return safe_csv(columns, [(a.team, a.check_id, titles.get(a.check_id, ""), a.version, a.answer, a.comment,
                               a.evidence_url, a.answered_by, a.answered_at) for a in answers])


def history_csv(changes: Iterable) -> bytes:
    """The audit history of answers and reviews, oldest first, as formula-safe CSV."""
    columns = ("seq", "at", "actor", "action", "team", "check_id", "subject", "before", "after")
    return safe_csv(columns, [(c.seq, c.at, c.actor, c.action, c.team, c.check_id, c.subject,
                               json.dumps(c.before) if c.before else None, json.dumps(c.after) if c.after else None)
                              for c in changes])


def actions_csv(actions: Iterable, titles: dict[str, str], day: date, owner) -> bytes:
    """Every action with its owner by name and whether it is overdue as of `day`, as formula-safe CSV."""
    columns = ("action_id", "check_id", "check", "team", "owner", "due_date", "status", "overdue", "note",
               "version", "created_by", "created_at", "changed_by", "changed_at")
    return safe_csv(columns, [(a.action_id, a.check_id, titles.get(a.check_id, ""), a.team or "organisation",
                               owner(a.owner) or a.owner, a.due_date, a.status, "yes" if a.overdue(day) else "no",
                               a.note, a.version, a.created_by, a.created_at, a.changed_by, a.changed_at)
                              for a in actions])
