"""What an extracts folder holds: each table's files, rows, snapshot dates and contract errors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from trust.extracts.database import Database
from trust.extracts.errors import ContractError
from trust.extracts.loading import Extracts, LoadedTable


@dataclass(frozen=True)
class Inventory:
    """The Data sources view of one load, small enough to cache and show."""

    root: str
    fingerprint: str
    loaded_at: datetime
    tables: tuple[LoadedTable, ...]
    snapshots: tuple[tuple[date, int], ...]
    engine: str = ""  # the engine that read the extracts, in words (DuckDB embedded, or Spark and where)

    @property
    def errors(self) -> tuple[ContractError, ...]:
        return tuple(e for t in self.tables for e in t.errors)

    @property
    def latest_snapshot(self) -> date | None:
        return self.snapshots[-1][0] if self.snapshots else None

    def table(self, name: str) -> LoadedTable:
        return next(t for t in self.tables if t.name == name)


def take_inventory(database: Database, extracts: Extracts) -> Inventory:
    snapshots: tuple[tuple[date, int], ...] = ()
    if extracts.table("customers").ok:
        snapshots = tuple((d, n) for d, n in database.remembered(extracts, "customer_snapshots"))
    return Inventory(str(extracts.root), extracts.fingerprint, extracts.loaded_at,
                     tuple(extracts.tables.values()), snapshots, database.describe())


def freshness(latest: date | None, today: date) -> str:
    """How fresh the extracts are, in words: the age of the latest customer snapshot."""
    if latest is None:
        return "No customer snapshot could be read."
    days = (today - latest).days
    if days < 0:
        return f"Latest snapshot {latest.isoformat()} is dated in the future."
    if days == 0:
        return f"Latest snapshot {latest.isoformat()}, taken today."
    age = "1 day" if days == 1 else f"{days} days"
    note = "" if days <= 8 else " — older than a weekly export should be"
    return f"Latest snapshot {latest.isoformat()}, {age} old{note}."
