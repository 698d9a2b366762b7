"""One item's audit trail explained: which approvals count and why the others do not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TrailStep:
    event_id: str
    event_type: str
    actor: str | None
    actor_role: str | None
    occurred_at: datetime | None
    note: str | None
    counts: bool | None  # for approvals: does it count; None for other events
    reason: str


def explain(item: dict, events: list[dict], as_of_end: datetime) -> tuple[TrailStep, ...]:
    """Each event of the trail as of a date; approvals say whether they count, as the checks judge them.

    An approval counts when it is by one of the rule's roles (any role but `system` when the
    rule names none), no later than publication, and no edit came at or after it (up to the
    as-of date).
    """
    roles = list(item.get("approver_roles") or [])
    required = bool(item.get("mapped")) and bool(item.get("approval_required"))
    published = item.get("published_at")
    edits = [e["occurred_at"] for e in events if e["event_type"] == "edited" and e["occurred_at"] is not None
             and e["occurred_at"] < as_of_end]
    steps = []
    for e in events:
        at = e["occurred_at"]
        if e["event_type"] != "approved":
            steps.append(TrailStep(e["event_id"], e["event_type"], e["actor"], e["actor_role"], at, e["note"], None,
                                   "after the as-of date" if at is not None and at >= as_of_end else ""))
            continue
        counts, reason = _approval(e, roles, required, published, edits, as_of_end)
        steps.append(TrailStep(e["event_id"], "approved", e["actor"], e["actor_role"], at, e["note"], counts, reason))
    return tuple(steps)


def _approval(event: dict, roles: list[str], required: bool, published: datetime | None, edits: list[datetime],
              as_of_end: datetime) -> tuple[bool, str]:
    at, role = event["occurred_at"], event["actor_role"]
    if not required:
        return False, "the item's rule requires no approval"
    if at is None:
        return False, "the approval has no time"
    if at >= as_of_end:
        return False, "given after the as-of date"
    if "*" in roles and role in (None, "system"):
        return False, "the rule names no role, so a person must approve: " + (
            "an approval by the system does not count" if role else "an approval with no role cannot show that")
    if "*" not in roles and role not in roles:
        return False, f"{role or 'an unknown role'} is not a required role (needs {', '.join(roles)})"
    if published is None or published >= as_of_end:
        return False, "the item is not published as of this date"
    if at > published:
        return False, "given after publication"
    later = [e for e in edits if e >= at]
    if later:
        return False, f"the text was edited afterwards ({min(later):%Y-%m-%d %H:%M})"
    return True, "counts"


def has_approvals(item: dict, steps: tuple[TrailStep, ...]) -> bool:
    """Every required role has at least one approval that counts."""
    roles = list(item.get("approver_roles") or [])
    counted = {s.actor_role for s in steps if s.counts}
    if "*" in roles:
        return bool(counted)
    return all(r in counted for r in roles)
