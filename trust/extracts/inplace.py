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
from dataclasses import replace
from datetime import date, datetime

import duckdb

from trust.extracts.casting import NO_NULLS, convert, empty_as_null
from trust.extracts.contract import Table
from trust.extracts.layout import ROW_NUMBERS, FileLayout

# Folder values that DuckDB's Hive reading turns into NULL, where the load reads them as written.
_HIVE_NULLS = {"", "NULL", "__HIVE_DEFAULT_PARTITION__"}
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


# Per column of a file (by the file's own name), over every row group: no null; the smallest value from '!' on;
# no '' (the smallest value is not '', or the row group holds only nulls). False wherever statistics are missing.
Statistics = dict[str, tuple[bool, bool, bool]]


def statistics(cursor: duckdb.DuckDBPyConnection, layout: FileLayout) -> Statistics:
    """What one file's Parquet statistics show of each column it stores (read once for `proven` and
    `as_stored`)."""
    rows = cursor.execute(
        "SELECT path_in_schema, bool_and(coalesce(stats_null_count = 0, false)), "
        "bool_and(coalesce(stats_min_value >= '!', false)), "
        "bool_and(coalesce(stats_min_value <> '', false) OR coalesce(stats_null_count = num_values, false)) "
        "FROM parquet_metadata($path) GROUP BY path_in_schema",
        {"path": str(layout.file.path)}).fetchall()
    return {name: (no_nulls, from_bang, never_empty) for name, no_nulls, from_bang, never_empty in rows}


def proven(layout: FileLayout, stats: Statistics) -> set[str]:
    """The columns of one file whose only rule, never empty, its Parquet statistics show no value breaks.

    A partition value was checked when the file was inspected; a column stored in the file is
    proven when every row group's statistics count no null (and, for text, give a smallest value
    from '!' on, so that no value is empty or starts with a space; one that merely starts
    with a space is then read and judged). Without statistics nothing is proven and the values are read.
    """
    rules = {c: conv.proof for c, conv in layout.conversions.items() if conv.bad and conv.proof}
    done = {c for c in rules if layout.sources[c] not in layout.header}
    for name, (no_nulls, no_empty, _) in stats.items():
        if name in rules and no_nulls and (no_empty or rules[name] == NO_NULLS):
            done.add(name)
    return done


def as_stored(layout: FileLayout, stats: Statistics) -> FileLayout:
    """The layout with each text column read as the file stores it where its Parquet statistics show no
    empty text: every row group's smallest value is not '' (or the row group holds only nulls), so
    NULLIF(column, '') would change no value. A bare column lets DuckDB push a query's filters into the
    scan (`event_type = 'approved'` is judged on the file's dictionary): the audit trails cost a sixth less.
    Without statistics every column keeps its conversion."""
    plain = {column for column, source in layout.sources.items()
             if source in layout.header and layout.conversions[column].typed == empty_as_null(source)
             and stats.get(layout.header[source], (False, False, False))[2]}
    if not plain:
        return layout
    conversions = {c: replace(conv, typed=layout.sources[c]) if c in plain else conv
                   for c, conv in layout.conversions.items()}
    return replace(layout, conversions=conversions)


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


def view(cursor: duckdb.DuckDBPyConnection, table: Table, layouts: list[FileLayout]) -> str:
    """The SELECT behind the table's view: each file's typed columns in contract order.

    Files that store every column alike and differ only in their Hive folder values are read by one
    scan (see `_one_scan`), which DuckDB runs in parallel across the files and prunes by those values;
    otherwise each file is read by a scan of its own, one after another. A view cannot take bound
    parameters, so paths and partition values are written in as literals (quoted like any SQL string).
    """
    one = _one_scan(cursor, table, layouts)
    if one is not None:
        return one
    selects = []
    for layout in layouts:
        columns = []
        for column in table.columns:
            conversion = layout.conversions.get(column.name)
            columns.append(f'{conversion.typed} AS "{column.name}"' if conversion is not None
                           else f'CAST(NULL AS {column.type.duckdb_type}) AS "{column.name}"')
        scan = _PARAMETER.sub(lambda m, p=layout.params: _literal(p[m.group(1)]), layout.scan)
        scan = scan.replace(ROW_NUMBERS, "")  # a view names no row
        selects.append(f"SELECT {', '.join(columns)} FROM {scan}")
    return " UNION ALL ".join(selects)


def _one_scan(cursor: duckdb.DuckDBPyConnection, table: Table, layouts: list[FileLayout]) -> str | None:
    """One `read_parquet` over every file, or None where it could read a value differently from the files'
    own scans.

    It needs every file to store the same contract columns in the same types, with the same
    conversions, and every Hive folder value to be one that DuckDB's own Hive reading gives exactly
    as the load checked it: the folders on each file's path are exactly its partitions (no other
    `key=value` folder or file name, no %-escape, no value DuckDB reads as NULL), every partition
    key is a contract column taken from the folder in every file, and DuckDB's cast of each folder
    value equals the value the load checked.
    """
    first = layouts[0]
    keys = [k for k, _ in first.file.partitions]
    if len(layouts) < 2 or len(set(keys)) != len(keys):
        return None
    columns = {c.name: c for c in table.columns}
    by_key = {}
    for key in keys:
        column = columns.get(key)
        if column is None:
            return None
        by_key[key] = column
    for layout in layouts:
        folders = [part for part in layout.file.path.parent.parts if "=" in part]
        if ([k for k, _ in layout.file.partitions] != keys or "%" in str(layout.file.path)
                or "=" in layout.file.path.name
                or folders != [f"{k}={v}" for k, v in layout.file.partitions]
                or any(v.upper() in _HIVE_NULLS for _, v in layout.file.partitions)):
            return None
        for name, conversion in layout.conversions.items():
            source = layout.sources[name]
            mine = first.conversions.get(name)
            if name in by_key:
                if source not in layout.params:  # the column is stored in the file, not its folder
                    return None
                value = dict(layout.file.partitions)[name]
                cast = cursor.execute(f"SELECT TRY_CAST($v AS {by_key[name].type.duckdb_type})", {"v": value})
                if cast.fetchall()[0][0] != layout.params[source]:
                    return None
            elif (mine is None or mine.typed != conversion.typed or source != first.sources[name]
                  or layout.stored.get(source) != first.stored.get(source)):
                return None
        if layout.conversions.keys() != first.conversions.keys():
            return None
    selected = []
    for column in table.columns:
        if column.name in by_key:
            typed = convert(f'"{column.name}"', column.type.duckdb_type, column.type, column.not_null,
                            column.choices).typed
            selected.append(f'{typed} AS "{column.name}"')
        elif column.name in first.conversions:
            selected.append(f'{first.conversions[column.name].typed} AS "{column.name}"')
        else:
            selected.append(f'CAST(NULL AS {column.type.duckdb_type}) AS "{column.name}"')
    paths = ", ".join(_literal(str(layout.file.path)) for layout in layouts)
    types = ", ".join(f"{_literal(k)}: {by_key[k].type.duckdb_type}" for k in keys)
    hive = (f"hive_partitioning = true, hive_types = {{{types}}}, hive_types_autocast = false" if keys
            else "hive_partitioning = false")
    return f"SELECT {', '.join(selected)} FROM read_parquet([{paths}], {hive}, union_by_name = true)"


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
