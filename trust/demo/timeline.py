"""The demo's calendar: the weekly snapshot dates and the clock every generated timestamp uses."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np

DAY = 86_400
HOUR = 3_600
MINUTE = 60
SNAPSHOTS = 12


@dataclass(frozen=True)
class Timeline:
    """Dates of a demo ending at `latest`; timestamps are whole seconds since the epoch, UTC."""

    latest: date

    @property
    def snapshot_dates(self) -> tuple[date, ...]:
        """The weekly snapshots, oldest first, the last one on `latest`."""
        return tuple(self.latest - timedelta(weeks=SNAPSHOTS - 1 - i) for i in range(SNAPSHOTS))

    def snapshot_index(self, weeks_before_latest: int) -> int:
        return SNAPSHOTS - 1 - weeks_before_latest

    def day(self, days_before_latest: int = 0) -> int:
        """Midnight UTC of the day `days_before_latest` days before `latest`, in seconds."""
        return _midnight(self.latest) - int(days_before_latest) * DAY

    @property
    def end(self) -> int:
        """The last second of `latest`: evaluations as of `latest` count everything up to it."""
        return _midnight(self.latest) + DAY - 1

    def at(self, days_before_latest: int, hour: int, minute: int = 0) -> datetime:
        """A wall-clock moment relative to `latest`, for the hand-written rows."""
        return to_datetime(self.day(days_before_latest) + hour * HOUR + minute * MINUTE)

    def date_before(self, days: int) -> date:
        return self.latest - timedelta(days=days)


def _midnight(d: date) -> int:
    return int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp())


def to_datetime(ts: int) -> datetime:
    """A naive UTC datetime, as the contract's zone-less timestamps mean UTC."""
    return datetime.fromtimestamp(int(ts), tz=UTC).replace(tzinfo=None)


def stream(seed: int, domain: str) -> np.random.Generator:
    """An independent random stream per domain: new draws in one table never shift another."""
    key = zlib.crc32(domain.encode("utf-8"))
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, key])))
