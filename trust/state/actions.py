"""Actions on failing checks: who promised to fix what, by when; versioned, saved in one transaction, audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from trust.checks.registry import BY_ID
from trust.state.access import Identity
from trust.state.store import Store, utc_now

STATUSES = ("open", "done", "dropped")
MAX_NOTE = 2000
COLUMNS = ("action_id", "check_id", "team", "owner", "due_date", "note", "status", "version", "created_by",
           "created_at", "changed_by", "changed_at")


class InvalidAction(ValueError):
    """An action that cannot be saved as given; the message says which field and why."""


@dataclass(frozen=True)
class ActionInput:
    """An action from the form: a new one (no `action_id`) or a change to the version the person saw."""

    check_id: str
    team: str | None
    owner: str
    due_date: date
    note: str | None = None
    status: str = "open"
    action_id: int | None = None
    based_on: int = 0


@dataclass(frozen=True)
class Action:
    """An action as stored: what it fixes, who owns it, by when, its state and who last touched it."""

    action_id: int
    check_id: str
    team: str | None  # None: the organisation's
    owner: str  # an employee ID (or name) of staff
    due_date: date
    note: str | None
    status: str
    version: int
    created_by: str
    created_at: datetime
    changed_by: str
    changed_at: datetime

    def fields(self) -> dict:
        """The action as the audit log records it."""
        return {"check_id": self.check_id, "team": self.team, "owner": self.owner,
                "due_date": self.due_date.isoformat(), "note": self.note, "status": self.status,
                "version": self.version, "created_by": self.created_by, "created_at": self.created_at.isoformat(),
                "changed_by": self.changed_by, "changed_at": self.changed_at.isoformat()}

    def overdue(self, day: date) -> bool:
        """Still open after its due date, as of `day` (today on the latest week, the week's date before)."""
        return self.status == "open" and self.due_date < day


class StaleAction(Exception):
    """Someone changed the action since the form was filled in; nothing of this save was kept."""

    def __init__(self, newer: Action) -> None:
        super().__init__(f"action {newer.action_id} was changed meanwhile by {newer.changed_by} (now version "
                         f"{newer.version}); review it and save again")
        self.newer = newer


def _row(row) -> Action:
    values = dict(zip(COLUMNS, row, strict=True))
    return Action(**{**values, "due_date": date.fromisoformat(values["due_date"]),
                     "created_at": datetime.fromisoformat(values["created_at"]),
                     "changed_at": datetime.fromisoformat(values["changed_at"])})


def _validate(item: ActionInput) -> ActionInput:
    if item.check_id not in BY_ID:
        raise InvalidAction(f"{item.check_id!r} is not a check of the catalogue")
    if item.status not in STATUSES:
        raise InvalidAction(f"the status must be one of {', '.join(STATUSES)}, not {item.status!r}")
    owner = (item.owner or "").strip()
    if not owner:
        raise InvalidAction("an action needs an owner: a person from staff")
    if not isinstance(item.due_date, date) or isinstance(item.due_date, datetime):
        raise InvalidAction(f"the due date must be a date, not {item.due_date!r}")
    note = (item.note or "").strip() or None
    if note and len(note) > MAX_NOTE:
        raise InvalidAction(f"the note is {len(note)} characters; at most {MAX_NOTE}")
    team = (item.team or "").strip() or None
    return ActionInput(item.check_id, team, owner, item.due_date, note, item.status, item.action_id, item.based_on)


def actions(store: Store, check_id: str | None = None) -> tuple[Action, ...]:
    """Every action (or a check's), by due date."""
    rows = store.connection().execute(
        f"SELECT {', '.join(COLUMNS)} FROM actions WHERE ? IS NULL OR check_id = ? ORDER BY due_date, action_id",
        (check_id, check_id)).fetchall()
    return tuple(_row(r) for r in rows)


def save_action(store: Store, actor: Identity, item: ActionInput, now: datetime | None = None) -> Action:
    """Create an action, or change one if nobody changed it since `based_on`; refused whole otherwise, and
    refused when the actor may not act for its team (or, on a change, for the team it had)."""
    item = _validate(item)
    actor.require_act(item.team)
    now = now or utc_now()
    with store.write() as tx:
        before = None
        if item.action_id is not None:
            found = tx.conn.execute(f"SELECT {', '.join(COLUMNS)} FROM actions WHERE action_id = ?",
                                    (item.action_id,)).fetchone()
            if found is None:
                raise InvalidAction(f"there is no action {item.action_id}")
            before = _row(found)
            actor.require_act(before.team)
            if before.version != item.based_on:
                raise StaleAction(before)
        action_id = item.action_id if before else (tx.conn.execute(
            "SELECT coalesce(max(action_id), 0) + 1 FROM actions").fetchone()[0])
        saved = Action(action_id, item.check_id, item.team, item.owner, item.due_date, item.note, item.status,
                       (before.version if before else 0) + 1, before.created_by if before else actor.email,
                       before.created_at if before else now, actor.email, now)
        if before is not None and before.fields() | {"version": 0, "changed_by": "", "changed_at": ""} == \
                saved.fields() | {"version": 0, "changed_by": "", "changed_at": ""}:
            return before  # unchanged: no new version
        values = saved.fields()
        tx.conn.execute(
            f"INSERT INTO actions ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))}) "
            "ON CONFLICT (action_id) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in COLUMNS[1:]),
            (action_id, *(values[c] for c in COLUMNS[1:])))
        tx.audit(now, actor.email, "action", saved.team, saved.check_id, f"action:{action_id}",
                 before.fields() if before else None, values)
    return saved


def recorded(store: Store) -> dict[tuple, dict]:
    """The actions table as the audit log should replay it: key ('action', 'action:N') to its fields."""
    return {("action", f"action:{a.action_id}"): a.fields() for a in actions(store)}
