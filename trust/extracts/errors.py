"""Contract errors: what is wrong with an extract, said so that a data team can fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ContractError:
    """One breach of the extract contract, naming where it is and what was expected."""

    table: str
    problem: str
    expected: str
    found: str
    column: str | None = None
    file: str | None = None
    # CSV: the physical line in the file (the header is line 1); Parquet: the row, from 1.
    row: int | None = None

    @property
    def where(self) -> str:
        place = self.table + (f".{self.column}" if self.column else "")
        details = []
        if self.file:
            details.append(self.file)
        if self.row is not None:
            details.append(f"{'line' if (self.file or '').endswith('.csv') else 'row'} {self.row}")
        return place + (f" ({', '.join(details)})" if details else "")

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}; expected {self.expected}, found {self.found}"

    def as_dict(self) -> dict[str, object]:
        return {
            "table": self.table, "column": self.column, "file": self.file, "row": self.row,
            "problem": self.problem, "expected": self.expected, "found": self.found,
            "message": str(self),
        }


class ExtractsUnavailable(Exception):
    """The extracts location as a whole cannot be read (missing, not a folder, unreadable)."""
