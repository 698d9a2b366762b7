"""Strict loading on Spark: every table of the contract from extract files or a catalog database, with the
conversions and the named contract errors of the DuckDB engine, in one staged pass per table."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import duckdb

from trust.extracts.contract import TABLES, Table
from trust.extracts.dialect import transpile
from trust.extracts.errors import ContractError
from trust.extracts.layout import FileLayout, inspect_all
from trust.extracts.loading import ABSENT, BROKEN, MAX_ERRORS_PER_TABLE, OK, LoadedTable, _broken, _first_line
from trust.extracts.rejects import clip, csv_line, structural_errors
from trust.extracts.sources import locate
from trust.spark.parts import Part, catalog_part, files_part, groups, local_path
from trust.spark.session import drop, keep

log = logging.getLogger(__name__)
# How Spark writes the floating-point values that are not numbers, and how DuckDB (and so the errors) does.
_SPARK_FLOATS = {"NaN": "nan", "Infinity": "inf", "-Infinity": "-inf"}


class Source:
    """Where Spark finds the extracts: a folder of files, or the tables of a catalog database."""

    def __init__(self, root: Path | None = None, database: str | None = None) -> None:
        if (root is None) == (database is None):
            raise ValueError("give either a folder or a catalog database")
        self.root, self.database = root, database

    def __str__(self) -> str:
        return f"catalog database {self.database}" if self.database else str(self.root)


def load_all(session: Any, source: Source, prefix: str, tables: tuple[Table, ...] = TABLES) -> dict[str, LoadedTable]:
    """Load each table as the temporary view `<prefix>_<table>`; a broken table never stops the others."""
    inspector = duckdb.connect(":memory:", config={"threads": 1, "autoload_known_extensions": False,
                                                   "autoinstall_known_extensions": False})
    loaded = {}
    try:
        for table in tables:
            try:
                loaded[table.name] = _load(session, inspector, source, table, prefix)
            except Exception as exc:  # one table's surprise must not blank the others
                log.exception("loading %s on Spark failed", table.name)
                loaded[table.name] = LoadedTable(table.name, table.required, BROKEN, errors=(
                    ContractError(table.name, "the table could not be read", "a readable extract",
                                  _first_line(exc)),))
            if loaded[table.name].status == BROKEN:  # as on DuckDB: an empty stand-in for the shared queries
                _stand_in(session, table, f"{prefix}_{table.name}")
    finally:
        inspector.close()
    return loaded


def _load(session: Any, inspector: duckdb.DuckDBPyConnection, source: Source, table: Table,
          prefix: str) -> LoadedTable:
    view = f"{prefix}_{table.name}"
    if source.database:
        qualified = f"{source.database}.{table.name}"
        if not session.catalog.tableExists(f"{source.database}.{table.name}"):
            return _absent(session, table, view, f"a table {qualified} in the catalog", "no such table")
        found = catalog_part(session, table, qualified, f"{prefix}__src_{table.name}")
        if isinstance(found, list):
            return _broken(table, (qualified,), found)
        return _stage(session, table, [found], (qualified,), view, [qualified])
    located = locate(source.root, table)
    files = tuple(f.relative for f in located.files)
    if not located.present:
        return _absent(session, table, view, f"{table.name}.parquet, {table.name}.csv or a folder {table.name}/",
                       "none of them in the extracts folder")
    with inspector.cursor() as cursor:
        layouts, found = inspect_all(cursor, table, located.files)
        errors = [*located.errors, *found]
        if not errors:
            errors.extend(_csv_structure(cursor, table, layouts))
        if errors:
            return _broken(table, files, errors)
        types = [_parquet_types(cursor, layout) for layout in layouts]
    base = str(source.root / table.name) if (source.root / table.name).is_dir() else None
    try:
        parts = [files_part(session, table, [layouts[k] for k in group], f"{prefix}__src_{table.name}_{n}",
                            types[group[0]], base)
                 for n, group in enumerate(groups(layouts, types))]
    except Exception as exc:
        if "PARQUET_TYPE_ILLEGAL" not in str(exc):
            raise
        return _broken(table, files, _unreadable_times(table, layouts, types, exc))
    order = [str(layout.file.path) for layout in layouts]
    return _stage(session, table, parts, files, view, order)


def _unreadable_times(table: Table, layouts: list[FileLayout], types: list[dict[str, str]],
                      exc: Exception) -> list[ContractError]:
    """Spark refuses a Parquet type it cannot convert (a TIME in milliseconds, even in an extra column that
    would be ignored): each such column of each file, named; else the file's first line of the refusal."""
    found = [ContractError(table.name, "Spark cannot read the column's Parquet type, even as an extra column",
                           "a type Spark reads (a TIME in microseconds or nanoseconds, or no TIME column)",
                           "a TIME column Spark refuses (likely milliseconds)", column=name.strip('"'),
                           file=layout.file.relative)
             for layout, typed in zip(layouts, types, strict=True) for name, kind in typed.items()
             if kind.upper().startswith("TIME") and not kind.upper().startswith("TIMESTAMP")]
    return found or [ContractError(table.name, "Spark cannot read a column's Parquet type", "a type Spark reads",
                                   _first_line(exc), file=layouts[0].file.relative if layouts else None)]


def _absent(session: Any, table: Table, view: str, expected: str, found: str) -> LoadedTable:
    if table.required:
        return LoadedTable(table.name, True, BROKEN, errors=(
            ContractError(table.name, "a required table is missing", expected, found),))
    _stand_in(session, table, view)  # absent means no such records
    return LoadedTable(table.name, False, ABSENT)


def _stand_in(session: Any, table: Table, view: str) -> None:
    """An empty view of the contract's shape in place of a table that is absent or broken, so a query may read it."""
    columns = ", ".join(f'CAST(NULL AS {c.type.duckdb_type}) AS "{c.name}"' for c in table.columns)
    session.sql(f"CREATE OR REPLACE TEMP VIEW {view} AS {transpile(f'SELECT {columns} WHERE false')}")


def _parquet_types(cursor: duckdb.DuckDBPyConnection, layout: FileLayout) -> dict[str, str]:
    if layout.file.format != "parquet":
        return {}
    described = cursor.execute("DESCRIBE SELECT * FROM read_parquet($p, hive_partitioning = false)",
                               {"p": str(layout.file.path)}).fetchall()
    return {'"' + name.replace('"', '""') + '"': str(kind) for name, kind, *_ in described}


def _csv_structure(cursor: duckdb.DuckDBPyConnection, table: Table, layouts: list[FileLayout]) -> list[ContractError]:
    """Ragged rows, open quotes and bad encoding in CSV files, found by DuckDB's strict reader on the driver:
    Spark's own reader pads or drops such rows without a word."""
    csv_layouts = [lay for lay in layouts if lay.file.format == "csv"]
    for layout in csv_layouts:
        # Every field is read (a count alone would skip them, and with them the encoding check).
        fields = ", ".join(f"c{i}" for i in range(len(layout.header)))
        cursor.execute(f"SELECT sum(hash({fields})) FROM {layout.scan}", layout.params).fetchall()
    return structural_errors(cursor, table, csv_layouts, MAX_ERRORS_PER_TABLE) if csv_layouts else []


def _stage(session: Any, table: Table, parts: list[Part], files: tuple[str, ...], view: str,
           order: list[str]) -> LoadedTable:
    """Convert every part's rows into one staging table kept by Spark, check each value once per file (in
    `order`, the files' order), and expose the table."""
    stage = f"{view}__stage"
    checked = [c.name for c in table.columns if any(p.conversions.get(c.name) and p.conversions[c.name].bad
                                                      for p in parts)]
    selects = []
    for part in parts:
        columns = []
        for column in table.columns:
            conversion = part.conversions.get(column.name)
            typed = conversion.typed if conversion else f"CAST(NULL AS {column.type.duckdb_type})"
            columns.append(f'{typed} AS "{column.name}"')
        for name in checked:
            conversion = part.conversions.get(name)
            bad = conversion.bad if conversion and conversion.bad else None
            columns.append(f'COALESCE({bad}, false) AS "__bad_{name}"' if bad else f'false AS "__bad_{name}"')
            source = part.sources.get(name)
            columns.append(f'CAST({source} AS VARCHAR) AS "__src_{name}"' if bad and source
                           else f'CAST(NULL AS VARCHAR) AS "__src_{name}"')
        columns += ["__file", "__row"]
        selects.append(f"SELECT {', '.join(columns)} FROM {part.view}")
    keep(session, stage, transpile(" UNION ALL ".join(selects)))
    counts = ", ".join(f"count_if(`__bad_{n}`), min_by(`__src_{n}`, __row) FILTER (WHERE `__bad_{n}`), "
                       f"min(__row) FILTER (WHERE `__bad_{n}`)" for n in checked)
    summary = session.sql(f"SELECT __file, count(*){', ' + counts if counts else ''} FROM {stage} "
                          "GROUP BY __file").collect()
    by_file = {local_path(row[0]): tuple(row[1:]) for row in summary}
    owner = {file: part for part in parts for file in part.files}
    errors: list[ContractError] = []
    total = 0
    for file in order:
        part = owner[file]
        rows, *found = by_file.get(file, (0,) + (0, None, None) * len(checked))
        total += rows
        layout = part.files[file]
        if rows == 0 and not table.may_be_empty:
            csv = layout is not None and layout.file.format == "csv"
            errors.append(ContractError(table.name, "the file has no data rows",
                                        "at least one row below the header" if csv else "at least one row",
                                        "a header and nothing else" if csv else "0 rows", file=part.label(file)))
        for i, name in enumerate(checked):
            count, value, row = found[3 * i: 3 * i + 3]
            if count:
                errors.append(_bad_value(table, part, file, name, count, value, row))
    if errors:
        drop(session, stage)
        return _broken(table, files, errors, total)
    names = ", ".join(f"`{c.name}`" for c in table.columns)
    session.sql(f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT {names} FROM {stage}")
    present = tuple(c.name for c in table.columns if any(c.name in p.conversions for p in parts))
    return LoadedTable(table.name, table.required, OK, files, total, columns=present)


def _bad_value(table: Table, part: Part, file: str, column: str, count: int, value: str | None,
               row: int | None) -> ContractError:
    """The first value of `column` in one file that breaks the contract, worded as the DuckDB engine words it."""
    layout = part.files[file]
    if layout is not None and layout.file.format == "csv":
        row = csv_line(layout, layout.sources[column], value)
    elif layout is None:
        row = None
    if column in part.floats:
        value = _SPARK_FLOATS.get(value, value)
    spec = table.column(column)
    blank = value is None or not str(value).strip()
    found = "an empty value" if blank else repr(clip(value))
    if count > 1:
        found += f" ({count} values in this file do not fit)"
    problem = ("a value is missing where the contract requires one" if blank
               else "a value cannot be read as the column's type")
    return ContractError(table.name, problem, spec.expected, found, column=column, file=part.label(file), row=row)
