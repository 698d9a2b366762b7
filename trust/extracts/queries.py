"""The SQL room: each statement of queries/ with what its header declares it needs and how it is kept.

A header line `-- Needs: a, b` names the derived tables a statement reads; `-- Kept: per load`
marks a statement whose result the database keeps as a table of each load,
`-- Kept: per evaluation` one that each evaluation builds as a temporary table with its
own parameters (made by its first reader unless it is kept across runs), and `-- Kept: per
evaluation, as a view` one that each evaluation declares as a temporary view (it takes no
parameters: it reads them from a table kept per evaluation).
A table kept per evaluation, or a statement run for its rows, whose header has a line `-- Kept across
runs: ...` is costly enough to be worth keeping on disk for later runs on the same export with the same
parameters and the same evaluation tables (trust.extracts.keeping); so is a table kept per load whose header
has that line (one without it, such as the audit trails, costs more to write than later runs save).
The database materialises what is kept per load, and makes what an evaluation declared, just before
it computes a statement that reads them (never for rows read back from an earlier run); an
architecture test checks that every header tells the truth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

QUERIES = Path(__file__).resolve().parents[2] / "queries"
LOAD = "per load"
EVALUATION = "per evaluation"
VIEW = "per evaluation, as a view"

_QUERY_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_NEEDS = re.compile(r"^--\s*Needs:\s*(.+)$", re.MULTILINE)
_KEPT = re.compile(r"^--\s*Kept:\s*(per load|per evaluation(?:, as a view)?)\b", re.MULTILINE)
_ACROSS = re.compile(r"^--\s*Kept across runs:", re.MULTILINE)


@dataclass(frozen=True)
class Query:
    """One statement of queries/: its text, the derived tables it reads and how its own result is kept."""

    name: str
    text: str
    needs: tuple[str, ...]
    kept: str | None  # LOAD, EVALUATION, VIEW or None (run, never kept)
    across_runs: bool = False  # kept on disk for later runs on the same export (trust.extracts.keeping)


def header(text: str) -> str:
    """The leading comment block of a statement."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        lines.append(line)
    return "\n".join(lines)


@cache
def query(name: str) -> Query:
    """The statement in `queries/<name>.sql`; names are checked so they can never be paths."""
    if not _QUERY_NAME.match(name):
        raise ValueError(f"{name!r} is not a query name")
    try:
        text = (QUERIES / f"{name}.sql").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"there is no query {name!r} in {QUERIES}") from None
    top = header(text)
    needs = tuple(n.strip() for found in _NEEDS.findall(top) for n in found.split(",") if n.strip())
    kept = _KEPT.search(top)
    how = kept.group(1) if kept else None
    return Query(name, text, needs, how, how in (LOAD, EVALUATION, None) and bool(_ACROSS.search(top)))


def sql(name: str) -> str:
    """The text of `queries/<name>.sql`."""
    return query(name).text


def query_names() -> list[str]:
    return sorted(p.stem for p in QUERIES.glob("*.sql"))
