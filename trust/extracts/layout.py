"""Read each file's header or schema and map the contract's columns onto what the file holds."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field

import duckdb

from trust.extracts.casting import Conversion, IncompatibleType, convert, is_null_type
from trust.extracts.contract import Column, Table
from trust.extracts.errors import ContractError
from trust.extracts.sources import SourceFile

# What a Parquet scan of the load reads besides the columns, to name the row of a bad value.
ROW_NUMBERS = ", file_row_number = true"


@dataclass(frozen=True)
class FileLayout:
    """How to read one file: the scan, its bound parameters and each contract column's conversion."""

    file: SourceFile
    scan: str
    params: dict[str, object]
    conversions: dict[str, Conversion]
    # Positional CSV column name (c0, c1...) or quoted Parquet name, per contract column.
    sources: dict[str, str]
    # The file's own column names, by the name its source column has in the scan.
    header: dict[str, str]
    # The DuckDB type each source column is stored in (a partition value's: the contract's type).
    stored: dict[str, str] = field(default_factory=dict)


def inspect(cursor: duckdb.DuckDBPyConnection, table: Table, file: SourceFile,
            key: str = "f0") -> FileLayout | list[ContractError]:
    """The layout of `file`, or the contract errors that stop it from being read.

    `key` prefixes the file's parameter names, so that several files fit in one statement.
    """
    if file.path.stat().st_size == 0:
        return [ContractError(table.name, "the file is empty", "a header row and data rows",
                              "0 bytes", file=file.relative)]
    try:
        with open(file.path, "rb"):
            pass
    except OSError as exc:  # permissions, most often: said as such, not as a malformed file
        return [ContractError(table.name, "the file cannot be opened", "a file this process may read",
                              exc.strerror or type(exc).__name__, file=file.relative)]
    if file.format == "csv":
        return _inspect_csv(cursor, table, file, key)
    return _inspect_parquet(cursor, table, file, key)


def inspect_all(cursor: duckdb.DuckDBPyConnection, table: Table,
                files: tuple[SourceFile, ...]) -> tuple[list[FileLayout], list[ContractError]]:
    """The layouts of a table's files (the k-th keyed `f<k>`), and the contract errors of those that cannot be read."""
    layouts: list[FileLayout] = []
    errors: list[ContractError] = []
    for k, file in enumerate(files):
        result = inspect(cursor, table, file, f"f{k}")
        if isinstance(result, list):
            errors.extend(result)
        else:
            layouts.append(result)
    return layouts, errors


def _inspect_csv(cursor: duckdb.DuckDBPyConnection, table: Table, file: SourceFile,
                 key: str) -> FileLayout | list[ContractError]:
    def error(problem: str, expected: str, found: str, column: str | None = None) -> list[ContractError]:
        return [ContractError(table.name, problem, expected, found, column=column,
                              file=file.relative, row=1)]

    with open(file.path, "rb") as fh:
        first = fh.readline()
    try:
        line = first.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return error("the header is not UTF-8 text", "a UTF-8 header row",
                     f"the byte {first[exc.start]:#04x} at position {exc.start}")
    try:
        header = next(csv.reader([line]), [])
    except csv.Error as exc:
        return error("the header cannot be parsed", "comma-separated column names", str(exc))
    header = [h.strip() for h in header]
    if not any(header):
        return error("the header row is blank", "a header row of column names", "a blank first line")
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        return [ContractError(table.name, "a column name appears more than once in the header",
                              "each column name once", f"{name!r} {header.count(name)} times",
                              column=name if name in table.column_names else None,
                              file=file.relative, row=1) for name in duplicated]
    positions = {name: i for i, name in enumerate(header)}
    sources = {c.name: f"c{positions[c.name]}" for c in table.columns if c.name in positions}
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header)))
    scan = (f"read_csv(${key}_path, header = false, skip = 1, auto_detect = false, delim = ',', "
            f"quote = '\"', escape = '\"', columns = {{{columns}}}, strict_mode = true, "
            f"null_padding = false, ignore_errors = true, store_rejects = true, rejects_limit = 100, "
            f"hive_partitioning = false, encoding = 'utf-8')")
    types = dict.fromkeys(sources.values(), "VARCHAR")
    return _layout(cursor, table, file, key, scan, sources, types, header,
                   {f"c{i}": name for i, name in enumerate(header)})


def _inspect_parquet(cursor: duckdb.DuckDBPyConnection, table: Table, file: SourceFile,
                     key: str) -> FileLayout | list[ContractError]:
    try:
        schema = cursor.execute(
            "SELECT name, num_children FROM parquet_schema($path)", {"path": str(file.path)}
        ).fetchall()
        described = cursor.execute(
            "DESCRIBE SELECT * FROM read_parquet($path, hive_partitioning = false)",
            {"path": str(file.path)},
        ).fetchall()
    except duckdb.Error as exc:
        return [ContractError(table.name, "the file cannot be read as Parquet",
                              "a complete Parquet file", _first_line(exc), file=file.relative)]
    names = _top_level(schema)
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        return [ContractError(table.name, "a column name appears more than once in the file",
                              "each column name once", f"{name!r} {names.count(name)} times",
                              column=name if name in table.column_names else None,
                              file=file.relative) for name in duplicated]
    types = {name: row[1] for name, row in zip(names, described, strict=True)}
    sources = {c.name: _quote(c.name) for c in table.columns if c.name in types}
    scan = f"read_parquet(${key}_path, hive_partitioning = false{ROW_NUMBERS})"
    return _layout(cursor, table, file, key, scan, sources, {_quote(n): types[n] for n in sources}, names,
                   {_quote(n): n for n in sources})


def _layout(cursor: duckdb.DuckDBPyConnection, table: Table, file: SourceFile, key: str, scan: str,
            sources: dict[str, str],
            types: dict[str, str], found: list[str],
            header: dict[str, str]) -> FileLayout | list[ContractError]:
    errors: list[ContractError] = []
    params: dict[str, object] = {f"{key}_path": str(file.path)}
    projections = ["*"]
    partition_values = dict(file.partitions)
    for column in table.columns:
        if column.name in sources:
            if column.name in partition_values:  # in the file and in its folder name: they must agree
                errors += _against_folder(cursor, table, file, column, scan, params, sources[column.name],
                                          types[sources[column.name]], partition_values[column.name])
            continue
        if column.name in partition_values:
            # The value comes from a Hive folder name such as snapshot_date=2026-11-22: one
            # value for the whole file, so it is checked once here and bound already typed.
            raw = partition_values[column.name]
            conversion = convert("v", "VARCHAR", column.type, column.not_null, column.choices)
            typed, bad = cursor.execute(f"SELECT {conversion.typed}, {conversion.bad or 'false'} "
                                        "FROM (SELECT CAST($v AS VARCHAR) AS v)", {"v": raw}).fetchone()
            if bad:
                errors.append(ContractError(
                    table.name, "a value cannot be read as the column's type (in a Hive folder name)",
                    column.expected, repr(raw), column=column.name, file=file.relative))
                continue
            alias = f"{key}_p{len(params)}"
            projections.append(f"CAST(${alias} AS {column.type.duckdb_type}) AS {alias}")
            params[alias] = typed
            sources[column.name] = alias
            types[alias] = column.type.duckdb_type
        elif not column.optional:
            errors.append(ContractError(
                table.name, "a required column is missing", f"a column named {column.name!r}",
                _found_columns(column.name, found), column=column.name, file=file.relative,
                row=1 if file.format == "csv" else None))
    conversions: dict[str, Conversion] = {}
    for column in table.columns:
        if column.name not in sources:
            continue
        source = sources[column.name]
        if column.not_null and is_null_type(types[source]):
            errors.append(ContractError(
                table.name, "a column that may never be empty holds no value at all", column.expected,
                "Parquet's NULL type (every value empty)", column=column.name, file=file.relative))
            continue
        try:
            conversions[column.name] = convert(source, types[source], column.type, column.not_null, column.choices)
        except IncompatibleType:
            errors.append(ContractError(
                table.name, "the column's stored type cannot hold the contract's type",
                column.type.expected, f"the Parquet type {types[source]}", column=column.name,
                file=file.relative))
    if errors:
        return errors
    scan_sql = f"(SELECT {', '.join(projections)} FROM {scan})"
    return FileLayout(file, scan_sql, params, conversions, sources, header, types)


def _against_folder(cursor: duckdb.DuckDBPyConnection, table: Table, file: SourceFile, column: Column, scan: str,
                    params: dict[str, object], source: str, source_type: str, raw: str) -> list[ContractError]:
    """The rows whose own value of `column` differs from the value its Hive folder name gives (a file
    whose values cannot be read is reported by the value rules instead)."""
    try:
        own = convert(source, source_type, column.type, False, column.choices)
    except IncompatibleType:
        return []
    folder = convert("v", "VARCHAR", column.type, False, column.choices)
    differing, example = cursor.execute(
        f"SELECT count(*), any_value(CAST({source} AS VARCHAR)) FROM {scan} "
        f"WHERE ({own.typed}) IS DISTINCT FROM (SELECT {folder.typed} FROM (SELECT CAST($folder AS VARCHAR) AS v))",
        {**params, "folder": raw}).fetchone()
    if not differing:
        return []
    return [ContractError(
        table.name, "the file's values disagree with its Hive folder name",
        f"{column.name} {raw} on every row, as the folder {column.name}={raw} says",
        f"{example!r}" + (f" ({differing:,} rows differ)" if differing > 1 else ""),
        column=column.name, file=file.relative)]


def _found_columns(name: str, found: list[str]) -> str:
    near = [f for f in found if f.strip().lower() == name]
    if near:
        return f"a column named {near[0]!r} (column names are lower case, without spaces)"
    shown = ", ".join(repr(f) for f in found[:12]) + (" ..." if len(found) > 12 else "")
    return f"the columns {shown}" if found else "no columns"


def _top_level(schema: list[tuple[str, int | None]]) -> list[str]:
    """Top-level column names from Parquet's flattened schema (the first element is the root)."""
    names: list[str] = []

    def skip(i: int) -> int:
        children = schema[i][1] or 0
        i += 1
        for _ in range(children):
            i = skip(i)
        return i

    i = 1
    while i < len(schema):
        names.append(schema[i][0])
        i = skip(i)
    return names


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
