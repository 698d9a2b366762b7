"""The calendar of an evaluation: its (as-of, team) cells, where a day ends and which snapshot is current."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta


@dataclass(frozen=True)
class Cell:
    """One evaluation: as of a date, for a team (None = the whole organisation)."""

    as_of: date
    team: str | None = None


def day_end(day: date) -> datetime:
    """The exclusive end of a day: rows stamped before it fall on or before `day`."""
    return datetime.combine(day + timedelta(days=1), time.min)


def record_cutoff(as_of: date, latest_snapshot: date | None, read_at: datetime | None) -> datetime:
    """Until when recorded answers and reviews count as of a date.

    Extract rows count up to the end of the as-of day. Answers and reviews made in the
    dashboard are the present, so for the latest week (on or after the latest snapshot)
    everything recorded up to now counts; for earlier weeks, what was recorded by then.
    """
    end = day_end(as_of)
    if read_at is not None and (latest_snapshot is None or as_of >= latest_snapshot):
        return max(end, read_at)
    return end


def current_snapshot(snapshots: Iterable[date], as_of: date) -> date | None:
    """The latest snapshot on or before `as_of`."""
    return max((s for s in snapshots if s <= as_of), default=None)
