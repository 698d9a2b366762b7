"""Read Parquet in place: a table whose files already store the contract's types is a view over them.

Copying a large Parquet table into DuckDB costs more than every later query reads from it. When each
column of each file is stored in the contract's own type (text as text, a date as a date...), the only
work left is the value rules (never empty, one of a few choices, a finite number): one aggregate pass
counts what breaks them, file by file, and the table becomes a view that converts as it reads. The
conversions are the very expressions of the copy path, so the rows a query sees are the same. A
column whose only rule is "never empty" is validated from the file's metadata where its statistics
show no null (nor empty text), and read only where they cannot.

A file rewritten after the load is read as it now is until the next load re-validates it: the
fingerprint of the folder (paths, sizes, modification times) changes, so the next load does.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import duckdb

from trust.extracts.casting import NO_NULLS
from trust.extracts.contract import Table
from trust.extracts.layout import FileLayout

_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def fits(table: Table, layouts: list[FileLayout]) -> bool:
    """Whether every file is Parquet storing each column in the contract's type, so a view can read it."""
    return bool(layouts) and all(
        layout.file.format == "parquet"
        and all(c.in_place for c in layout.conversions.values())
        and all(_literal(v) is not None for v in layout.params.values())
        for layout in layouts
    )


def bad_columns(table: Table, layouts: list[FileLayout]) -> list[str]:
    """The contract columns that have a value rule in at least one file, in contract order."""
    return [c.name for c in table.columns
            if any(lay.conversions.get(c.name) and lay.conversions[c.name].bad for lay in layouts)]


def proven(cursor: duckdb.DuckDBPyConnection, layout: FileLayout) -> set[str]:
    """The columns of one file whose only rule, never empty, its Parquet statistics show no value breaks.

    A partition value was checked when the file was inspected; a column stored in the file is
    proven when every row group's statistics count no null (and, for text, give a smallest value
    other than the empty text). Without statistics nothing is proven and the values are read.
    """
    rules = {c: conv.proof for c, conv in layout.conversions.items() if conv.bad and conv.proof}
    done = {c for c in rules if layout.sources[c] not in layout.header}
    stats = cursor.execute(
        "SELECT path_in_schema, bool_and(coalesce(stats_null_count = 0, false)), "
        "bool_and(coalesce(stats_min_value <> '', false)) FROM parquet_metadata($path) GROUP BY path_in_schema",
        {"path": str(layout.file.path)}).fetchall()
    for name, no_nulls, no_empty in stats:
        if name in rules and no_nulls and (no_empty or rules[name] == NO_NULLS):
            done.add(name)
    return done


def summary(table: Table, layouts: list[FileLayout], proofs: list[set[str]]) -> str:
    """One pass over every file: its rows and, per column with a value rule, the values that break it
    (0 where the file's statistics prove none does, `proofs` giving those columns per file).

    Rows: the file's index, its row count, then one count per column of `bad_columns`.
    """
    checked = bad_columns(table, layouts)
    selects = []
    for k, layout in enumerate(layouts):
        counts = [f"count(*) FILTER (WHERE COALESCE({layout.conversions[c].bad}, false))"
                  if layout.conversions.get(c) and layout.conversions[c].bad and c not in proofs[k] else "0"
                  for c in checked]
        selects.append(f"SELECT {k} AS __file, count(*) AS __rows{''.join(', ' + c for c in counts)} "
                       f"FROM {layout.scan}")
    return " UNION ALL ".join(selects)


def view(table: Table, layouts: list[FileLayout]) -> str:
    """The SELECT behind the table's view: each file's typed columns in contract order, one after another.

    A view cannot take bound parameters, so the files' paths and partition values are written in as
    literals (a path is quoted like any SQL string).
    """
    selects = []
    for layout in layouts:
        columns = []
        for column in table.columns:
            conversion = layout.conversions.get(column.name)
            columns.append(f'{conversion.typed} AS "{column.name}"' if conversion is not None
                           else f'CAST(NULL AS {column.type.duckdb_type}) AS "{column.name}"')
        scan = _PARAMETER.sub(lambda m, p=layout.params: _literal(p[m.group(1)]), layout.scan)
        selects.append(f"SELECT {', '.join(columns)} FROM {scan}")
    return " UNION ALL ".join(selects)


def _literal(value: object) -> str | None:
    """`value` as a SQL literal, or None for a kind of value a view is not written with."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"CAST({value} AS BIGINT)"
    if isinstance(value, float):
        return f"CAST('{value!r}' AS DOUBLE)"
    if isinstance(value, datetime):
        return f"TIMESTAMP '{value.isoformat(sep=' ')}'"
    if isinstance(value, date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return None
