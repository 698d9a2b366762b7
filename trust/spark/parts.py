"""What Spark reads for one table: a part per group of files of one layout (or one per catalog table), each with
the contract columns' conversions, ready to be staged with one pass that also finds every value that breaks the
contract.

A file's layout and conversions come from the same inspection the DuckDB engine uses (Parquet metadata and
CSV headers are read on the driver, which never reads the rows), so both engines name the same problems.
Spark reads some Parquet shapes its own way; they are normalised in the scan before the conversions apply:
nanosecond timestamps arrive as integers, and zoned timestamps as instants, turned into UTC wall clocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from trust.extracts.casting import Conversion, IncompatibleType, convert
from trust.extracts.contract import Table
from trust.extracts.errors import ContractError
from trust.extracts.layout import FileLayout

# How DuckDB names the Parquet types that Spark reads as something else, and what the scan makes of them.
_ZONED = ("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ")
_NANOS = ("TIMESTAMP_NS", "TIMESTAMPTZ_NS")  # read by Spark as integers (nanosAsLong), zoned or not
_OTHER_UNITS = (*_NANOS, "TIMESTAMP_MS", "TIMESTAMP_S")
_FLOATS = ("FLOAT", "DOUBLE")


@dataclass(frozen=True)
class Part:
    """Rows of a table that Spark reads in one scan: a view of their raw columns, with `__file` (the file, or
    the catalog table) and `__row` (Parquet: the row from 1; else an order, never NULL: the first bad value of
    a column is picked by it), and each contract column's conversion."""

    view: str
    conversions: dict[str, Conversion]
    sources: dict[str, str]  # contract column -> source column of the view (quoted)
    # The files the scan reads, by local path, with their DuckDB layouts; for a catalog table, its qualified
    # name and None.
    files: dict[str, FileLayout | None]
    floats: frozenset[str] = frozenset()  # contract columns stored as floating point (NaN shown as DuckDB does)

    def label(self, file: str) -> str:
        layout = self.files.get(file)
        return layout.file.relative if layout is not None else file


def groups(layouts: list[FileLayout], types: list[dict[str, str]]) -> list[list[int]]:
    """The files that one scan can read together: the same format, columns and types, and partition folders
    whose keys are not also columns of the files. Each group keeps the files' order."""
    found: dict[tuple, list[int]] = {}
    for k, (layout, typed) in enumerate(zip(layouts, types, strict=True)):
        keys = tuple(name for name, _ in layout.file.partitions)
        alone = any(key in set(layout.header.values()) for key in keys)
        signature = (layout.file.format, tuple(sorted(layout.header.items())), tuple(sorted(typed.items())), keys,
                     k if alone else None)
        found.setdefault(signature, []).append(k)
    return sorted(found.values())


def spark_type(data_type: Any) -> str:
    """A Spark data type named as DuckDB names the same type, for the shared conversions."""
    name = type(data_type).__name__
    simple = {"StringType": "VARCHAR", "ByteType": "TINYINT", "ShortType": "SMALLINT", "IntegerType": "INTEGER",
              "LongType": "BIGINT", "FloatType": "FLOAT", "DoubleType": "DOUBLE", "BooleanType": "BOOLEAN",
              "DateType": "DATE", "TimestampNTZType": "TIMESTAMP", "TimestampType": "TIMESTAMPTZ",
              "NullType": '"NULL"', "VarcharType": "VARCHAR", "CharType": "VARCHAR"}
    if name in simple:
        return simple[name]
    if name == "DecimalType":
        return f"DECIMAL({data_type.precision},{data_type.scale})"
    if name == "ArrayType" and type(data_type.elementType).__name__ in ("StringType", "VarcharType"):
        return "VARCHAR[]"
    return data_type.simpleString().upper()


def files_part(session: Any, table: Table, layouts: list[FileLayout], view: str, types: dict[str, str],
               base: str | None) -> Part:
    """Read files of one layout in one scan as `view`; `types` are the DuckDB types of the Parquet columns (by
    quoted name); `base` is the table's folder, whose Hive partition folders Spark reads as text columns."""
    first = layouts[0]
    paths = [str(lay.file.path) for lay in layouts]
    reader = session.read.option("basePath", base) if base and first.file.partitions else session.read
    conversions = dict(first.conversions)
    sources = dict(first.sources)
    if first.file.format == "csv":
        schema = ", ".join(f"c{i} STRING" for i in range(len(first.header)))
        frame = reader.csv(paths, schema=schema, header=True, quote='"', escape='"', multiLine=True,
                           mode="PERMISSIVE", encoding="UTF-8", enforceSchema=True)
        order = "monotonically_increasing_id()"
    else:
        frame = reader.parquet(*paths)
        order = "_metadata.row_index + 1"
    fields = {f.name: f.dataType for f in frame.schema.fields}
    frame = frame.selectExpr("*", "_metadata.file_path AS __file", f"{order} AS __row")
    projections = [_normalised(name, types.get(_quoted(name), ""), fields[name]) for name in fields]
    for column in table.columns:
        duck = types.get(sources.get(column.name, ""), "").upper()
        partition = dict(first.file.partitions)
        if column.name in conversions and (duck in _ZONED or duck in _OTHER_UNITS):
            # A UTC wall clock in microseconds once scanned: converted as a plain timestamp.
            conversions[column.name] = convert(sources[column.name], "TIMESTAMP", column.type, column.not_null,
                                               column.choices)
        elif column.name in partition and column.name in fields:
            # A Hive folder value (checked on the driver already), read by Spark as text.
            sources[column.name] = _quoted(column.name)
            conversions[column.name] = convert(sources[column.name], "VARCHAR", column.type, column.not_null,
                                               column.choices)
    frame.createOrReplaceTempView(f"{view}_raw")
    session.sql(f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT {', '.join(projections)}, __file, __row "
                f"FROM {view}_raw")
    floats = frozenset(c for c, src in sources.items() if types.get(src, "").upper() in _FLOATS)
    return Part(view, conversions, sources, {str(lay.file.path): lay for lay in layouts}, floats)


def local_path(file: str) -> str:
    """A file as Spark names it in `_metadata.file_path` (`file:/a%20b/x.parquet`), as a local path; a catalog
    table's name as it is."""
    if not file.startswith("file:"):
        return file
    path = file.removeprefix("file:")
    return unquote("/" + path.lstrip("/"))


def _normalised(name: str, duck_type: str, data_type: Any) -> str:
    column = f"`{name.replace('`', '``')}`"
    kind = type(data_type).__name__
    if duck_type.upper() in _NANOS and kind == "LongType":  # nanoseconds since the epoch, UTC
        return f"CAST(timestamp_micros(div({column}, 1000)) AS TIMESTAMP_NTZ) AS {column}"
    if kind == "TimestampType":
        return f"CAST({column} AS TIMESTAMP_NTZ) AS {column}"
    return column


def catalog_part(session: Any, table: Table, qualified: str, view: str) -> Part | list[ContractError]:
    """One catalog table as a part, or the contract errors of its columns."""
    frame = session.table(qualified)
    fields = {f.name: f.dataType for f in frame.schema.fields}
    errors: list[ContractError] = []
    conversions: dict[str, Conversion] = {}
    sources: dict[str, str] = {}
    for column in table.columns:
        if column.name not in fields:
            if not column.optional:
                shown = ", ".join(repr(f) for f in list(fields)[:12]) + (" ..." if len(fields) > 12 else "")
                errors.append(ContractError(table.name, "a required column is missing",
                                            f"a column named {column.name!r}", f"the columns {shown}",
                                            column=column.name, file=qualified))
            continue
        source = _quoted(column.name)
        duck = spark_type(fields[column.name])
        if duck == "TIMESTAMPTZ":
            duck = "TIMESTAMP"  # normalised to the UTC wall clock in the scan
        try:
            conversions[column.name] = convert(source, duck, column.type, column.not_null, column.choices)
            sources[column.name] = source
        except IncompatibleType:
            errors.append(ContractError(table.name, "the column's stored type cannot hold the contract's type",
                                        column.type.expected, f"the type {fields[column.name].simpleString()}",
                                        column=column.name, file=qualified))
    if errors:
        return errors
    frame.createOrReplaceTempView(f"{view}_raw")
    projections = [_normalised(name, "", data_type) for name, data_type in fields.items()]
    session.sql(f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT {', '.join(projections)}, "
                f"'{qualified}' AS __file, monotonically_increasing_id() AS __row FROM {view}_raw")
    floats = frozenset(c for c in sources if spark_type(fields[c]) in _FLOATS)
    return Part(view, conversions, sources, {qualified: None}, floats)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
