"""What Spark reads for one table: a part per file (or one per catalog table), each with the contract columns'
conversions, ready to be staged with one pass that also finds every value that breaks the contract.

A file's layout and conversions come from the same inspection the DuckDB engine uses (Parquet metadata and
CSV headers are read on the driver, which never reads the rows), so both engines name the same problems.
Spark reads some Parquet shapes its own way; they are normalised in the scan before the conversions apply:
nanosecond timestamps arrive as integers, and zoned timestamps as instants, turned into UTC wall clocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trust.extracts.casting import Conversion, IncompatibleType, convert
from trust.extracts.contract import Table
from trust.extracts.dialect import literal
from trust.extracts.errors import ContractError
from trust.extracts.layout import FileLayout

# How DuckDB names the Parquet types that Spark reads as something else, and what the scan makes of them.
_ZONED = ("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ")
_OTHER_UNITS = ("TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S")
_FLOATS = ("FLOAT", "DOUBLE")


@dataclass(frozen=True)
class Part:
    """One source of a table's rows on Spark: a view of its raw columns and each contract column's conversion."""

    label: str  # the file (relative to the extracts folder) or the catalog table, as errors name it
    view: str  # a temporary view of the raw columns, with __row (Parquet: the row from 1; else an order)
    conversions: dict[str, Conversion]
    sources: dict[str, str]  # contract column -> source column of the view (quoted)
    layout: FileLayout | None = None  # for a file: its DuckDB layout (CSV line lookups)
    floats: frozenset[str] = frozenset()  # contract columns stored as floating point (NaN shown as DuckDB does)


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


def file_part(session: Any, table: Table, layout: FileLayout, view: str, types: dict[str, str]) -> Part:
    """Read one file with Spark as `view`; `types` are the DuckDB types of its Parquet columns (by quoted name)."""
    path = str(layout.file.path)
    conversions = dict(layout.conversions)
    if layout.file.format == "csv":
        schema = ", ".join(f"c{i} STRING" for i in range(len(layout.header)))
        frame = session.read.csv(path, schema=schema, header=True, quote='"', escape='"', multiLine=True,
                                 mode="PERMISSIVE", encoding="UTF-8", enforceSchema=True)
        projections = ["*", "monotonically_increasing_id() AS __row"]
    else:
        frame = session.read.parquet(path)
        fields = {f.name: f.dataType for f in frame.schema.fields}
        projections = [_normalised(name, types.get(_quoted(name), ""), fields[name]) for name in fields]
        projections.append("__row")
        frame = frame.selectExpr("*", "_metadata.row_index + 1 AS __row")
        for column in table.columns:
            duck = types.get(layout.sources.get(column.name, ""), "").upper()
            if column.name in conversions and (duck in _ZONED or duck in _OTHER_UNITS):
                # A UTC wall clock in microseconds once scanned: converted as a plain timestamp.
                conversions[column.name] = convert(layout.sources[column.name], "TIMESTAMP", column.type,
                                                   column.not_null, column.choices)
    frame.createOrReplaceTempView(f"{view}_raw")
    for alias, value in layout.params.items():
        if not alias.endswith("_path"):
            # A Hive partition value, checked and typed once on the driver; bound here as a literal.
            projections.append(f"{literal(value).sql('spark')} AS {alias}")
    session.sql(f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT {', '.join(projections)} FROM {view}_raw")
    floats = frozenset(c for c, src in layout.sources.items() if types.get(src, "").upper() in _FLOATS)
    return Part(layout.file.relative, view, conversions, dict(layout.sources), layout, floats)


def _normalised(name: str, duck_type: str, data_type: Any) -> str:
    column = f"`{name.replace('`', '``')}`"
    kind = type(data_type).__name__
    if duck_type.upper() == "TIMESTAMP_NS" and kind == "LongType":
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
                f"CAST(NULL AS BIGINT) AS __row FROM {view}_raw")
    floats = frozenset(c for c in sources if spark_type(fields[c]) in _FLOATS)
    return Part(qualified, view, conversions, sources, floats=floats)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
