"""What facts are made of: the records behind a status, a family of facts and the query that lists failing records."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from trust.extracts.loading import Extracts
    from trust.facts.answers import State
    from trust.facts.calendar import Cell
    from trust.facts.collector import Collector

# Why a check could not be judged as of a date, when the reason matters beyond its summary.
NO_HISTORY = "no_history"
# A credibility register (or the column that carries it) was not exported: nothing shows the layer is in hand.
MISSING_REGISTER = "missing_register"


@dataclass(frozen=True)
class Evidence:
    """The records behind a status: what they are, their columns, the first rows and how many."""

    kind: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    total: int
    # The owners of every failing record (not only the rows shown), most records first.
    owners: tuple[str, ...] = ()

    def as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def evidence(kind: str, columns: tuple[str, ...], rows: list | tuple, total: int | None = None,
             limit: int | None = None, owners: tuple[str, ...] = ()) -> Evidence:
    rows = tuple(tuple(r) for r in rows)
    shown = rows if limit is None else rows[:limit]
    return Evidence(kind, columns, shown, len(rows) if total is None else total, owners)


@dataclass(frozen=True)
class Records:
    """The query in queries/ that lists a check's failing records, and what one of its rows is.

    For a content check, `flag` names the column of `content_flags` that the query lists,
    so the number of records comes from the same rule as the check's counts.
    """

    query: str
    kind: str
    flag: str | None = None
    # Parameters of the query beyond the cell's (end, team, limit), as (name, value) pairs.
    params: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class Request:
    """What an evaluation asks of a family: its cells, those whose failing records are listed, the
    records queries of the family's checks, and what people recorded in the dashboard."""

    cells: tuple[Cell, ...]
    evidence_cells: frozenset[Cell] = frozenset()
    records: tuple[Records, ...] = ()
    state: State | None = None

    @property
    def days(self) -> list[date]:
        return sorted({c.as_of for c in self.cells})


@dataclass(frozen=True)
class Family:
    """One kind of facts: the tables it is collected from, its grain and the function that collects it.

    A family of grain "cell" is collected for every (as-of, team) cell; one of grain "date" is
    organisation-wide, collected once per as-of date and shared by every team.
    """

    name: str
    tables: tuple[str, ...]
    grain: Literal["cell", "date"]
    collect: Callable[[Collector, Request], Mapping[Any, Any]]

    def key(self, cell: Cell) -> Any:
        """Where a cell's facts are kept in what `collect` returns."""
        return cell.as_of if self.grain == "date" else cell

    def ready(self, extracts: Extracts) -> bool:
        """Whether every table the family is collected from loaded."""
        return all(extracts.table(t).ok for t in self.tables)
