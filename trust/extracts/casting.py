"""Strict SQL conversions from what a file holds to each contract type, with a bad-value test.

DuckDB's own casts are more lenient than the contract: `'t'` and `'y'` read as booleans,
`'3.5'` rounds to the integer 4, `'nan'` is a number and a `+02:00` offset is silently
dropped from a timestamp. Every value is therefore checked against the contract's own
spelling here, and a value that does not fit is reported, never quietly turned into NULL.

The expressions are written in DuckDB's dialect with functions Spark also has (sqlglot
transpiles them for the Spark engine): anchored `regexp_matches`, `substr`, `regexp_extract`
by group number and interval arithmetic by multiplication.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trust.extracts.contract import ColumnType

# ISO-8601 date, optional time, optional zone (Z, +hh, +hhmm or +hh:mm, from -14:00 to +14:00 with minutes
# 00-59: any other offset is no zone on Earth, so the value is unreadable); groups: date, time, zone.
_ZONE = r"Z|[+-](?:(?:0\d|1[0-3])(?::?[0-5]\d)?|14(?::?00)?)"
_TIMESTAMP = rf"^(\d{{4}}-\d{{2}}-\d{{2}})(?:[T ](\d{{2}}:\d{{2}}(?::\d{{2}}(?:\.\d{{1,9}})?)?))?({_ZONE})?$"
_DATE = r"^\d{4}-\d{2}-\d{2}$"
_INTEGER = r"^[+-]?\d+$"
_NUMBER = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
_TRUE = ("true", "1", "yes")
_FALSE = ("false", "0", "no")

_INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT",
                  "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT"}
_FLOAT_TYPES = {"FLOAT", "DOUBLE"}
_TIMESTAMP_TYPES = {"TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS"}


class IncompatibleType(ValueError):
    """A file stores a column in a type that can never hold the contract's type."""


@dataclass(frozen=True)
class Conversion:
    """How to read one source column: the typed SQL expression and when a value is bad."""

    typed: str
    bad: str | None
    # The file already stores the contract's type: the conversion is cheap enough to run on every read.
    in_place: bool = False
    # When the only rule is "never empty": what a Parquet file's statistics must show for no value
    # to break it (NO_NULLS, or NO_NULLS_OR_BLANK for text, where '' and a value of only spaces are
    # empty too: no value may then start with a space or anything sorting before it).
    proof: str | None = None


NO_NULLS, NO_NULLS_OR_BLANK = "no nulls", "no nulls, and no text starting with a space"


def convert(source: str, source_type: str, target: ColumnType, not_null: bool = False,
            choices: tuple[str, ...] = ()) -> Conversion:
    """The conversion of SQL expression `source`, stored as DuckDB type `source_type`.

    `choices` limits a text column to a few values, compared and kept in lower case.
    """
    kind = _kind(source_type)
    if kind == "null":
        # Parquet's NULL type: what exporters write when every value of a column is empty.
        typed, bad = f"CAST(NULL AS {target.duckdb_type})", None
    else:
        typed, bad = _CONVERTERS[target](source, kind)
    if choices and kind != "null":
        # Read case and spaces aside: ' Live' is 'live', and a value of only spaces is empty like ''.
        text = f"lower(trim({typed}))"
        listed = ", ".join(f"'{c}'" for c in choices)
        typed, bad = _checked(_blank(typed), f"CASE WHEN {text} IN ({listed}) THEN {text} END")
    proof = None
    if not_null:
        if bad is None and kind in _STORED_AS[target]:  # empty exactly when the stored value is
            proof = NO_NULLS_OR_BLANK if target is ColumnType.TEXT else NO_NULLS
        # Text of only spaces is as empty as no text (the load's messages call it an empty value).
        empty = f"{_blank(typed)} IS NULL" if target is ColumnType.TEXT else f"({typed}) IS NULL"
        bad = empty if bad is None else f"({bad}) OR {empty}"
    return Conversion(typed, bad, kind == "null" or kind in _STORED_AS[target], proof)


def is_null_type(source_type: str) -> bool:
    """Parquet's NULL type, as DuckDB describes it."""
    return source_type.upper().strip('"') == "NULL"


def _kind(source_type: str) -> str:
    t = source_type.upper()
    if is_null_type(t):
        return "null"
    if t == "VARCHAR":
        return "text"
    if t in _INTEGER_TYPES:
        return "integer"
    if t in _FLOAT_TYPES or t.startswith("DECIMAL"):
        return "number"
    if t == "BOOLEAN":
        return "boolean"
    if t == "DATE":
        return "date"
    if t in _TIMESTAMP_TYPES:
        return "timestamp"
    if t.startswith("TIMESTAMPTZ") or t.endswith("WITH TIME ZONE"):
        return "timestamptz"
    if t.endswith("[]"):
        return "list"
    return t.lower()


def _blank(source: str) -> str:
    """A text value with surrounding spaces removed, NULL when empty."""
    return f"NULLIF(TRIM({source}), '')"


def _finite(number: str) -> str:
    """True for a finite number: NaN and the infinities minus themselves give NaN, never 0."""
    return f"({number}) - ({number}) = 0"


def _full_match(text: str, pattern: str) -> str:
    return f"regexp_matches({text}, '{pattern}')"  # every pattern here is anchored at both ends


def _checked(text: str, typed: str) -> tuple[str, str]:
    return typed, f"{text} IS NOT NULL AND ({typed}) IS NULL"


def _incompatible(target: ColumnType, kind: str) -> IncompatibleType:
    return IncompatibleType(f"a {kind} column cannot hold {target.expected}")


def empty_as_null(src: str) -> str:
    """Stored text with '' read as no value (the contract's reading of an empty cell)."""
    return f"NULLIF({src}, '')"


def _text(src: str, kind: str) -> tuple[str, str | None]:
    if kind == "text":
        return empty_as_null(src), None
    if kind == "integer":
        # Warehouses store IDs as NUMBER or BIGINT: the exact digits, as a CSV of the same values holds them.
        return f"CAST({src} AS VARCHAR)", None
    # A float, decimal, boolean, date or time has no one spelling as text ('1001.0' is not the ID '1001').
    raise _incompatible(ColumnType.TEXT, kind)


def _integer(src: str, kind: str) -> tuple[str, str | None]:
    if kind == "text":
        v = _blank(src)
        return _checked(v, f"CASE WHEN {_full_match(v, _INTEGER)} THEN TRY_CAST({v} AS BIGINT) END")
    if kind == "integer":
        return _checked(src, f"TRY_CAST({src} AS BIGINT)")
    if kind == "number":
        return _checked(src, f"CASE WHEN {_finite(f'{src}::DOUBLE')} AND {src} = round({src}) "
                             f"THEN TRY_CAST({src} AS BIGINT) END")
    raise _incompatible(ColumnType.INTEGER, kind)


def _double(src: str, kind: str) -> tuple[str, str | None]:
    if kind == "text":
        v = _blank(src)
        typed = f"CASE WHEN {_full_match(v, _NUMBER)} THEN TRY_CAST({v} AS DOUBLE) END"
        return _checked(v, f"CASE WHEN {_finite(typed)} THEN {typed} END")
    if kind in {"integer", "number"}:
        return _checked(src, f"CASE WHEN {_finite(f'{src}::DOUBLE')} THEN {src}::DOUBLE END")
    raise _incompatible(ColumnType.DOUBLE, kind)


def _boolean(src: str, kind: str) -> tuple[str, str | None]:
    if kind == "text":
        v = f"lower({_blank(src)})"
        return _checked(v, f"CASE WHEN {v} IN {_TRUE} THEN true WHEN {v} IN {_FALSE} THEN false END")
    if kind == "boolean":
        return src, None
    if kind == "integer":
        return _checked(src, f"CASE {src} WHEN 1 THEN true WHEN 0 THEN false END")
    raise _incompatible(ColumnType.BOOLEAN, kind)


def _date(src: str, kind: str) -> tuple[str, str | None]:
    if kind == "text":
        v = _blank(src)
        return _checked(v, f"CASE WHEN {_full_match(v, _DATE)} THEN TRY_CAST({v} AS DATE) END")
    if kind == "date":
        return src, None
    if kind in {"timestamp", "timestamptz"}:
        ts = _utc(src) if kind == "timestamptz" else f"CAST({src} AS TIMESTAMP)"
        # A timestamp is accepted for a date only at midnight: anything else loses information.
        return _checked(src, f"CASE WHEN CAST(CAST({ts} AS DATE) AS TIMESTAMP) = {ts} THEN CAST({ts} AS DATE) END")
    raise _incompatible(ColumnType.DATE, kind)


def _utc(src: str) -> str:
    """A zoned timestamp (any unit) as the UTC wall clock, whatever the session's time zone."""
    return f"make_timestamp(epoch_us(CAST({src} AS TIMESTAMPTZ)))"


def _timestamp(src: str, kind: str) -> tuple[str, str | None]:
    if kind == "text":
        v = _blank(src)
        d, t, z = (f"regexp_extract({v}, '{_TIMESTAMP}', {k})" for k in (1, 2, 3))
        local = f"TRY_CAST({d} || ' ' || COALESCE(NULLIF({t}, ''), '00:00:00') AS TIMESTAMP)"
        offset = (f"CASE WHEN {z} IN ('', 'Z') THEN 0 ELSE "
                  f"(CASE WHEN substr({z}, 1, 1) = '-' THEN -1 ELSE 1 END) * (CAST(substr({z}, 2, 2) AS INTEGER) * 60"
                  f" + COALESCE(TRY_CAST(NULLIF(replace(substr({z}, 4), ':', ''), '') AS INTEGER), 0)) END")
        typed = (f"CASE WHEN {_full_match(v, _TIMESTAMP)} "
                 f"THEN {local} - INTERVAL 1 MINUTE * ({offset}) END")
        return _checked(v, typed)
    if kind == "timestamp":
        return f"CAST({src} AS TIMESTAMP)", None
    if kind == "timestamptz":
        return _utc(src), None
    if kind == "date":
        return f"CAST({src} AS TIMESTAMP)", None
    raise _incompatible(ColumnType.TIMESTAMP, kind)


def _list(src: str, kind: str) -> tuple[str, str | None]:
    """A pipe-separated text or a list of strings, either way with items trimmed and empty ones dropped."""
    if kind == "text":
        return _cleaned(f"string_split({_blank(src)}, '|')"), None
    if kind == "list":
        return _cleaned(f"CAST({src} AS VARCHAR[])"), None
    raise _incompatible(ColumnType.LIST, kind)


def _cleaned(items: str) -> str:
    return f"list_filter(list_transform({items}, lambda s: trim(s)), lambda s: s <> '')"


# The stored kinds that already are each contract type (a Parquet file can be read in place).
_STORED_AS = {
    ColumnType.TEXT: {"text"},
    ColumnType.INTEGER: {"integer"},
    ColumnType.DOUBLE: {"number"},
    ColumnType.BOOLEAN: {"boolean"},
    ColumnType.DATE: {"date"},
    ColumnType.TIMESTAMP: {"timestamp", "timestamptz"},
    ColumnType.LIST: set(),
}

_CONVERTERS = {
    ColumnType.TEXT: _text,
    ColumnType.INTEGER: _integer,
    ColumnType.DOUBLE: _double,
    ColumnType.BOOLEAN: _boolean,
    ColumnType.DATE: _date,
    ColumnType.TIMESTAMP: _timestamp,
    ColumnType.LIST: _list,
}

assert all(re.compile(p) for p in (_TIMESTAMP, _DATE, _INTEGER, _NUMBER))
assert re.compile(_TIMESTAMP).groups == 3  # regexp_extract reads the date, time and zone by group number
