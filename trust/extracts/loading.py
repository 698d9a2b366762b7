"""Load every table of an extracts folder into DuckDB, strictly typed, or say exactly why not."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from trust.extracts import inplace
from trust.extracts.contract import TABLES, Table
from trust.extracts.errors import ContractError
from trust.extracts.layout import FileLayout, inspect_all
from trust.extracts.rejects import clip, csv_line, has_rejects, structural_errors
from trust.extracts.sources import locate

log = logging.getLogger(__name__)

MAX_ERRORS_PER_TABLE = 25
OK, BROKEN, ABSENT = "ok", "broken", "absent"


@dataclass(frozen=True)
class LoadedTable:
    """One table after loading: its files, rows and status, and its contract errors if broken."""

    name: str
    required: bool
    status: str
    files: tuple[str, ...] = ()
    rows: int | None = None
    errors: tuple[ContractError, ...] = ()
    # The contract columns at least one of its files holds: an optional column absent from every
    # file is not in it (its values read as NULL).
    columns: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == OK

    def has(self, column: str) -> bool:
        """Whether the table loaded with `column` in at least one of its files."""
        return self.ok and column in self.columns


@dataclass(frozen=True)
class Extracts:
    """One load of an extracts folder: the DuckDB schema that holds its tables, and their state."""

    root: Path
    fingerprint: str
    schema: str
    tables: dict[str, LoadedTable] = field(hash=False)
    loaded_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def table(self, name: str) -> LoadedTable:
        return self.tables[name]

    @property
    def errors(self) -> tuple[ContractError, ...]:
        return tuple(e for t in self.tables.values() for e in t.errors)


def load_all(connection: duckdb.DuckDBPyConnection, root: Path, schema: str,
             tables: tuple[Table, ...] = TABLES, threads: int = 1) -> dict[str, LoadedTable]:
    """Load each table into `schema`, `threads` tables at a time; a broken table never stops the others."""
    def one(table: Table) -> LoadedTable:
        # A cursor of its own per table: the CSV reader's reject tables start empty, and tables load side by side.
        with connection.cursor() as cursor:
            try:
                loaded = load_table(cursor, root, table, schema)
            except Exception as exc:  # one table's surprise must not blank the others
                log.exception("loading %s failed", table.name)
                _drop(cursor, schema, f"__load_{table.name}")
                loaded = LoadedTable(table.name, table.required, BROKEN, errors=(
                    ContractError(table.name, "the table could not be read", "a readable extract",
                                  _first_line(exc)),))
            if loaded.status == BROKEN:
                # Checks that do not depend on it still run, over facts shared with some that do: the
                # shared queries read an empty stand-in, and the checks that need the table say error.
                _stand_in(cursor, schema, table)
            return loaded

    with ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="load") as pool:
        return {t.name: loaded for t, loaded in zip(tables, pool.map(one, tables), strict=True)}


def _stand_in(cursor: duckdb.DuckDBPyConnection, schema: str, table: Table) -> None:
    """An empty table of the contract's shape in place of one that is absent or broken, so a query may read it."""
    columns = ", ".join(f'"{c.name}" {c.type.duckdb_type}' for c in table.columns)
    cursor.execute(f"CREATE OR REPLACE TABLE {schema}.{table.name} ({columns})")


def load_table(cursor: duckdb.DuckDBPyConnection, root: Path, table: Table, schema: str) -> LoadedTable:
    """Read `table`'s files with explicit types into `schema`.`table`, validating every value."""
    source = locate(root, table)
    files = tuple(f.relative for f in source.files)
    if not source.present:
        if not table.required:
            _stand_in(cursor, schema, table)  # absent means no such records
            return LoadedTable(table.name, False, ABSENT)
        return LoadedTable(table.name, True, BROKEN, errors=(ContractError(
            table.name, "a required table is missing",
            f"{table.name}.parquet, {table.name}.csv or a folder {table.name}/",
            "none of them in the extracts folder"),))
    layouts, found = inspect_all(cursor, table, source.files)
    errors = [*source.errors, *found]
    if errors:
        return _broken(table, files, errors)
    if inplace.fits(table, layouts):
        return _load_in_place(cursor, table, layouts, files, schema)
    staging = f"__load_{table.name}"
    try:
        cursor.execute(f"CREATE OR REPLACE TABLE {schema}.{staging} AS {_union(table, layouts)}",
                       {k: v for lay in layouts for k, v in lay.params.items()})
    except duckdb.Error as exc:
        _drop(cursor, schema, staging)
        return _broken(table, files, [_read_failure(table, layouts, exc)])
    checked = inplace.bad_columns(table, layouts)
    counts = ", ".join(f'count(*) FILTER (WHERE "__bad_{c}")' for c in checked)
    summary = cursor.execute(
        f"SELECT __file, count(*) {', ' + counts if counts else ''} FROM {schema}.{staging} GROUP BY __file"
    ).fetchall()
    errors = (structural_errors(cursor, table, layouts, MAX_ERRORS_PER_TABLE)
              + _value_errors(cursor, table, layouts, checked, summary))
    rows = cursor.execute(f"SELECT count(*) FROM {schema}.{staging}").fetchone()[0]
    if errors:
        _drop(cursor, schema, staging)
        return _broken(table, files, errors, rows)
    for column in cursor.execute(
        "SELECT column_name FROM duckdb_columns() WHERE schema_name = $s AND table_name = $t "
        "AND starts_with(column_name, '__')", {"s": schema, "t": staging}
    ).fetchall():
        cursor.execute(f'ALTER TABLE {schema}.{staging} DROP COLUMN "{column[0]}"')
    cursor.execute(f"ALTER TABLE {schema}.{staging} RENAME TO {table.name}")
    return LoadedTable(table.name, table.required, OK, files, rows, columns=_present(table, layouts))


def _union(table: Table, layouts: list[FileLayout]) -> str:
    selects = []
    for k, layout in enumerate(layouts):
        columns = []
        for column in table.columns:
            conversion = layout.conversions.get(column.name)
            if conversion is None:  # an optional column this file does not have
                columns.append(f'CAST(NULL AS {column.type.duckdb_type}) AS "{column.name}"')
                continue
            columns.append(f'{conversion.typed} AS "{column.name}"')
            if conversion.bad:
                columns.append(f'COALESCE({conversion.bad}, false) AS "__bad_{column.name}"')
        columns.append(f"CAST({k} AS INTEGER) AS __file")
        selects.append(f"SELECT {', '.join(columns)} FROM {layout.scan}")
    return " UNION ALL BY NAME ".join(selects)


def _load_in_place(cursor, table: Table, layouts: list[FileLayout], files: tuple[str, ...],
                   schema: str) -> LoadedTable:
    """A view over Parquet files that already store the contract's types, after one pass for the value rules."""
    checked = inplace.bad_columns(table, layouts)
    try:
        stats = [inplace.statistics(cursor, layout) for layout in layouts]
        proofs = [inplace.proven(layout, found) for layout, found in zip(layouts, stats, strict=True)]
        summary = cursor.execute(inplace.summary(table, layouts, proofs),
                                 {k: v for lay in layouts for k, v in lay.params.items()}).fetchall()
    except duckdb.Error as exc:
        return _broken(table, files, [_read_failure(table, layouts, exc)])
    errors = _value_errors(cursor, table, layouts, checked, summary)
    rows = sum(row[1] for row in summary)
    if errors:
        return _broken(table, files, errors, rows)
    stored = [inplace.as_stored(layout, found) for layout, found in zip(layouts, stats, strict=True)]
    cursor.execute(f"CREATE OR REPLACE VIEW {schema}.{table.name} AS {inplace.view(cursor, table, stored)}")
    return LoadedTable(table.name, table.required, OK, files, rows, columns=_present(table, layouts))


def _present(table: Table, layouts: list[FileLayout]) -> tuple[str, ...]:
    return tuple(c.name for c in table.columns if any(c.name in lay.conversions for lay in layouts))


def _value_errors(cursor, table: Table, layouts: list[FileLayout], bad_columns: list[str],
                  summary: list[tuple]) -> list[ContractError]:
    """The files with no rows and the first bad value of each column and file, from the per-file counts
    (rows: file index, row count, then one count per column of `bad_columns`)."""
    by_file = {row[0]: row[1:] for row in summary}
    errors: list[ContractError] = []
    for k, layout in enumerate(layouts):
        rows, *bad = by_file.get(k, (0,) + (0,) * len(bad_columns))
        if rows == 0 and not table.may_be_empty and not has_rejects(cursor, layout):
            errors.append(ContractError(
                table.name, "the file has no data rows", "at least one row below the header"
                if layout.file.format == "csv" else "at least one row",
                "a header and nothing else" if layout.file.format == "csv" else "0 rows",
                file=layout.file.relative))
        for column, count in zip(bad_columns, bad, strict=True):
            if count:
                errors.append(_bad_value(cursor, table, layout, column, count))
    return errors


def _bad_value(cursor, table: Table, layout: FileLayout, column: str, count: int) -> ContractError:
    """The first offending value of `column` in one file, located by line or row."""
    conversion = layout.conversions[column]
    source = layout.sources[column]
    row_expr = "file_row_number + 1" if layout.file.format == "parquet" else "NULL"
    value, row = cursor.execute(
        f"SELECT CAST({source} AS VARCHAR), {row_expr} FROM {layout.scan} WHERE {conversion.bad} LIMIT 1",
        layout.params,
    ).fetchone()
    if layout.file.format == "csv":
        row = csv_line(layout, source, value)
    spec = table.column(column)
    found = "an empty value" if value is None or not str(value).strip() else repr(clip(value))
    if count > 1:
        found += f" ({count} values in this file do not fit)"
    problem = ("a value cannot be read as the column's type" if value is not None and str(value).strip()
               else "a value is missing where the contract requires one")
    return ContractError(table.name, problem, spec.expected, found, column=column, file=layout.file.relative,
                         row=row)


def _read_failure(table: Table, layouts: list[FileLayout], exc: BaseException) -> ContractError:
    message = str(exc)
    culprit = next((lay.file.relative for lay in layouts if str(lay.file.path) in message), None)
    return ContractError(table.name, "the table could not be read", "readable files",
                         _first_line(exc), file=culprit)


def _broken(table: Table, files: tuple[str, ...], errors: list[ContractError], rows: int | None = None) -> LoadedTable:
    shown = errors[:MAX_ERRORS_PER_TABLE]
    if len(errors) > len(shown):
        shown.append(ContractError(table.name, "more errors were found", "no errors",
                                   f"{len(errors) - len(shown)} more not listed"))
    return LoadedTable(table.name, table.required, BROKEN, files, rows, tuple(shown))


def _drop(cursor, schema: str, name: str) -> None:
    try:
        cursor.execute(f"DROP TABLE IF EXISTS {schema}.{name}")
    except duckdb.Error:
        log.warning("could not drop %s.%s", schema, name)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
