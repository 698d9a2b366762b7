"""Actions as the pages and the pack show them: owner by name, overdue as of the day in view, and an open
action whose check now passes flagged as fixed, so someone closes it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from trust.checks.model import Status
from trust.state.actions import Action

FIXED = "fixed: close the action?"
OVERDUE = "overdue"


@dataclass(frozen=True)
class ActionLine:
    """One action with what its reader must notice."""

    action: Action
    check_title: str
    owner: str
    flag: str | None  # OVERDUE, FIXED or None

    @property
    def scope(self) -> str:
        return self.action.team or "organisation"


def action_lines(actions: Iterable[Action], titles: dict[str, str], statuses: dict[str, Status], day: date,
                 owner: Callable[[str], str | None], team: str | None = None,
                 include_closed: bool = False) -> tuple[ActionLine, ...]:
    """The actions in view (a team's and the organisation's, or all for the organisation), open ones first.

    `day` is the day in view (today on the latest week, the week's date before); `statuses` are the
    checks' statuses in view: an open action whose check passes is flagged as fixed.
    """
    lines = []
    for a in actions:
        if team is not None and a.team not in (team, None):
            continue
        if a.status != "open" and not include_closed:
            continue
        flag = None
        if a.status == "open":
            flag = FIXED if statuses.get(a.check_id) is Status.PASS else OVERDUE if a.overdue(day) else None
        lines.append(ActionLine(a, titles.get(a.check_id, a.check_id), owner(a.owner) or a.owner, flag))
    return tuple(sorted(lines, key=lambda line: (line.action.status != "open", line.action.due_date,
                                                 line.action.action_id)))


def day_in_view(week: date, latest: date | None, today: date) -> date:
    """Overdue is judged as of today on the latest week, as of the week's date on a past one."""
    return today if latest is None or week >= latest else week
