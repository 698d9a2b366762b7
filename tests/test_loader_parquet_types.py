"""Real export shapes: every lossless Parquet type the contract accepts loads, the rest is a named error."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.builders import HEALTHY, write_extracts
from trust.cli import main
from trust.extracts.contract import table

T = datetime(2026, 11, 10, 9, 30)


def load(tmp_path, open_db, name: str, columns: dict[str, pa.Array]):
    """HEALTHY extracts with table `name` replaced by a Parquet file of `columns` (the rest from HEALTHY)."""
    root = write_extracts(tmp_path / "x", skip=[name])
    rows = HEALTHY.get(name, [])
    n = len(next(iter(columns.values())))
    arrays, names = [], []
    for column in table(name).columns:
        if column.name in columns:
            arrays.append(columns[column.name])
        elif column.optional:
            continue
        else:
            arrays.append(pa.array([rows[i % len(rows)].get(column.name) for i in range(n)] if rows else [None] * n))
        names.append(column.name)
    pq.write_table(pa.Table.from_arrays(arrays, names=names), root / f"{name}.parquet")
    db = open_db(root)
    extracts = db.load()
    loaded = extracts.table(name)
    values = None
    if loaded.ok:
        with db.cursor(extracts) as cursor:
            values = {c: [r[0] for r in cursor.execute(f'SELECT "{c}" FROM {name}').fetchall()] for c in columns}
    return loaded, values


def stamps(unit: str, tz: str | None = None, moments=(T, datetime(2026, 11, 11, 23, 59, 59))) -> pa.Array:
    per_second = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}[unit]
    return pa.array([int(m.replace(tzinfo=UTC).timestamp()) * per_second for m in moments],
                    pa.timestamp(unit, tz=tz))


# (case, table, {column: array}, {column: expected values})
ACCEPTED = [
    ("decimal for a double", "forecasts", {"predicted": pa.array([Decimal("100.50"), None], pa.decimal128(10, 2))},
     {"predicted": [100.5, None]}),
    ("float32 for a double", "forecasts", {"actual": pa.array([95.5, 0.25], pa.float32())},
     {"actual": [95.5, 0.25]}),
    ("an integer for a double", "forecasts", {"tolerance": pa.array([1, 0], pa.int16())}, {"tolerance": [1.0, 0.0]}),
    ("int8 for an integer", "measurement_methods", {"run_count": pa.array([3, -1], pa.int8())}, {"run_count": [3, -1]}),
    ("uint32 for an integer", "measurement_methods", {"run_count": pa.array([4_294_967_295, 2], pa.uint32())},
     {"run_count": [4_294_967_295, 2]}),
    ("uint64 that fits", "measurement_methods", {"run_count": pa.array([2**63 - 1, 0], pa.uint64())},
     {"run_count": [2**63 - 1, 0]}),
    ("whole decimal for an integer", "measurement_methods",
     {"run_count": pa.array([Decimal(5), None], pa.decimal128(38, 0))}, {"run_count": [5, None]}),
    ("dictionary-encoded text", "staff", {"employee_id": pa.array(["E1", "E2"]).dictionary_encode(),
                                          "team": pa.array(["crm", "crm"]).dictionary_encode()},
     {"employee_id": ["E1", "E2"], "team": ["crm", "crm"]}),
    ("large string text", "staff", {"employee_id": pa.array(["E1", "E2"], pa.large_string())},
     {"employee_id": ["E1", "E2"]}),
    ("timestamp in seconds, no zone", "content_items", {"created_at": stamps("s")},
     {"created_at": [T, datetime(2026, 11, 11, 23, 59, 59)]}),
    ("timestamp in milliseconds, UTC", "content_items", {"created_at": stamps("ms", "UTC")},
     {"created_at": [T, datetime(2026, 11, 11, 23, 59, 59)]}),
    ("timestamp in nanoseconds, UTC", "content_items", {"created_at": stamps("ns", "UTC")},
     {"created_at": [T, datetime(2026, 11, 11, 23, 59, 59)]}),
    ("timestamp with another zone is converted to UTC", "content_items",
     {"created_at": stamps("us", "Europe/Paris")}, {"created_at": [T, datetime(2026, 11, 11, 23, 59, 59)]}),
    ("date64 for a date", "training", {"completed_on": pa.array([date(2026, 9, 1), None], pa.date64())},
     {"completed_on": [date(2026, 9, 1), None]}),
    ("timestamp at midnight UTC for a date", "training",
     {"completed_on": stamps("ms", "UTC", (datetime(2026, 9, 1), datetime(2026, 9, 2)))},
     {"completed_on": [date(2026, 9, 1), date(2026, 9, 2)]}),
    ("0 and 1 for a boolean", "staff", {"active": pa.array([1, 0], pa.int8())}, {"active": [True, False]}),
    ("list of strings", "field_registry", {"allowed_values": pa.array([["en", "es"], None], pa.list_(pa.string()))},
     {"allowed_values": [["en", "es"], None]}),
    ("large list of large strings", "field_registry",
     {"allowed_values": pa.array([["en"], []], pa.large_list(pa.large_string()))},
     {"allowed_values": [["en"], []]}),
    ("pipe-separated text for a list", "field_registry", {"allowed_values": pa.array(["en|es", None])},
     {"allowed_values": [["en", "es"], None]}),
    ("a list is cleaned like pipe-separated text", "field_registry",
     {"allowed_values": pa.array([[" en ", "", None], [""]], pa.list_(pa.string()))},
     {"allowed_values": [["en"], []]}),
    ("NULL type on a column that may be empty", "staff", {"name": pa.nulls(2)}, {"name": [None, None]}),
    # Warehouses store IDs as NUMBER or BIGINT: an integer is text of its exact digits, as a CSV would hold it.
    ("integers of any width for text are their digits", "journey_audience",
     {"journey_id": pa.array([-7, 100], pa.int8()), "customer_id": pa.array([1001, 9_007_199_254_740_993]),
      "snapshot_date": pa.array([date(2026, 11, 22)] * 2)},
     {"journey_id": ["-7", "100"], "customer_id": ["1001", "9007199254740993"]}),
    ("unsigned integers for text are their digits", "staff",
     {"employee_id": pa.array([2**64 - 1, 0], pa.uint64()), "team": pa.array([255, None], pa.uint8())},
     {"employee_id": ["18446744073709551615", "0"], "team": ["255", None]}),
    ("NULL type on an optional column", "audit_events",
     {"event_id": pa.array(["A1", "A2"]), "item_id": pa.array(["I1", "I1"]), "note": pa.nulls(2)},
     {"note": [None, None]}),
    ("a direction in any case", "pilots", {"pilot_id": pa.array(["P1", "P2"]),
                                           "risk_direction": pa.array(["Higher", " lower "])},
     {"risk_direction": ["higher", "lower"]}),
    ("NULL type on a direction", "pilots", {"pilot_id": pa.array(["P1", "P2"]), "risk_direction": pa.nulls(2)},
     {"risk_direction": [None, None]}),
]


@pytest.mark.parametrize(("name", "columns", "expected"), [c[1:] for c in ACCEPTED], ids=[c[0] for c in ACCEPTED])
def test_lossless_parquet_types_load(tmp_path, open_db, name, columns, expected):
    loaded, values = load(tmp_path, open_db, name, columns)
    assert loaded.ok, [str(e) for e in loaded.errors]
    if expected:
        assert {c: values[c] for c in expected} == expected


# (case, table, {column: array}, column named in the error, words in the error)
REFUSED = [
    ("uint64 too large for an integer", "measurement_methods", {"run_count": pa.array([2**63, 1], pa.uint64())},
     "run_count", "9223372036854775808"),
    ("decimal with a fraction for an integer", "measurement_methods",
     {"run_count": pa.array([Decimal("2.5"), None], pa.decimal128(5, 1))}, "run_count", "2.5"),
    ("2 in a 0/1 boolean", "staff", {"active": pa.array([1, 2], pa.int8())}, "active", "2"),
    ("timestamp not at midnight for a date", "training", {"completed_on": stamps("s", "UTC")}, "completed_on",
     "09:30"),
    ("NULL type where a value is required", "staff", {"employee_id": pa.nulls(2)}, "employee_id",
     "Parquet's NULL type"),
    ("NULL type for a journey audience's week", "journey_audience",
     {"journey_id": pa.array(["J1"]), "customer_id": pa.array(["C1"]), "snapshot_date": pa.nulls(1)},
     "snapshot_date", "never be empty"),
    ("a direction that is neither higher nor lower", "pilots",
     {"pilot_id": pa.array(["P1"]), "primary_direction": pa.array(["up"])}, "primary_direction", "higher, lower"),
    # Text that is not a string or an integer would be a spelling the loader made up ('1001.0', 'true').
    ("a double for text", "journey_audience", {"journey_id": pa.array(["J1"]), "customer_id": pa.array([1001.0])},
     "customer_id", "the Parquet type DOUBLE"),
    ("a float for text", "staff", {"employee_id": pa.array([1.0, 2.0], pa.float32())}, "employee_id",
     "the Parquet type FLOAT"),
    ("a decimal for text", "staff", {"employee_id": pa.array([Decimal(1001), Decimal(2)], pa.decimal128(38, 0))},
     "employee_id", "the Parquet type DECIMAL(38,0)"),
    ("a boolean for text", "staff", {"name": pa.array([True, False])}, "name", "the Parquet type BOOLEAN"),
    ("a date for text", "training", {"course_id": pa.array([date(2026, 9, 1)])}, "course_id",
     "the Parquet type DATE"),
    ("a timestamp for text", "audit_events",
     {"event_id": pa.array(["A1"]), "item_id": pa.array(["I1"]), "note": stamps("ms", moments=(T,))}, "note",
     "the Parquet type TIMESTAMP"),
    ("a number where text is a list", "field_registry", {"allowed_values": pa.array([1.5, 2.0])}, "allowed_values",
     "list"),
    # Read in place: the statistics show a null or an empty text, so the values are read to find it.
    ("an empty text where a value is required", "staff", {"employee_id": pa.array(["E1", ""])}, "employee_id",
     "an empty value"),
    ("a null where a value is required", "staff", {"employee_id": pa.array(["E1", None])}, "employee_id",
     "row 2"),
    ("a null date where one is required", "journey_audience",
     {"journey_id": pa.array(["J1", "J1"]), "customer_id": pa.array(["C1", "C2"]),
      "snapshot_date": pa.array([date(2026, 11, 22), None])}, "snapshot_date", "row 2"),
]


@pytest.mark.parametrize(("name", "columns", "column", "words"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_values_that_do_not_fit_are_named_errors(tmp_path, open_db, name, columns, column, words):
    loaded, _ = load(tmp_path, open_db, name, columns)
    assert not loaded.ok
    error = loaded.errors[0]
    assert error.table == name and error.column == column and error.file == f"{name}.parquet"
    assert words in str(error), str(error)


def test_validate_accepts_an_export_whose_optional_columns_are_null_typed(tmp_path, capsys):
    root = write_extracts(tmp_path / "x", skip=["audit_events", "content_items"])
    audit = HEALTHY["audit_events"]
    pq.write_table(pa.table({c: pa.array([r[c] for r in audit]) for c in ("event_id", "item_id", "event_type",
                                                                              "actor", "actor_role", "occurred_at")}
                            | {"note": pa.nulls(len(audit))}), root / "audit_events.parquet")
    items = HEALTHY["content_items"]
    pq.write_table(pa.table({c: pa.array([r[c] for r in items]) for c in items[0] if c != "body"}
                            | {"body": pa.nulls(len(items))}), root / "content_items.parquet")
    assert main(["validate", "--extracts", str(root)]) == 0
    assert "No contract errors." in capsys.readouterr().out


# The same tables written the ways different warehouses write them: the checks must not notice.
def _shape(t: pa.Table, shape: str) -> pa.Table:
    columns = []
    for field, column in zip(t.schema, t.columns, strict=True):
        kind = field.type
        if shape == "warehouse":  # dictionary strings, nanosecond UTC timestamps, decimals, 0/1 booleans
            if pa.types.is_string(kind):
                column = column.dictionary_encode()
            elif pa.types.is_timestamp(kind):
                column = column.cast(pa.timestamp("ns", tz="UTC"))
            elif pa.types.is_floating(kind):
                column = column.cast(pa.decimal128(18, 6))
            elif pa.types.is_boolean(kind):
                column = column.cast(pa.int8())
        elif shape == "lake":  # large strings, millisecond timestamps without a zone, NULL-typed empty columns
            if column.null_count == len(column):
                column = pa.nulls(len(column))
            elif pa.types.is_string(kind):
                column = column.cast(pa.large_string())
            elif pa.types.is_timestamp(kind):
                column = column.cast(pa.timestamp("ms"))
            elif pa.types.is_date(kind):
                column = column.cast(pa.timestamp("s", tz="UTC"))
        columns.append(column)
    return pa.Table.from_arrays(columns, names=t.column_names)


def _checks(root: Path, capsys) -> list[dict]:
    main(["check", "--extracts", str(root), "--format", "json"])
    payload = json.loads(capsys.readouterr().out)
    return [{k: c[k] for k in ("id", "status", "score", "summary", "metrics", "owner")} for c in payload["checks"]]


def test_the_same_tables_in_every_shape_give_identical_check_results(demo_extracts, tmp_path, capsys):
    reshaped = ("content_items", "audit_events", "journey_audience")
    results = {}
    for shape in ("plain", "warehouse", "lake"):
        root = tmp_path / shape
        shutil.copytree(demo_extracts, root)
        for name in reshaped:
            original = pq.read_table(demo_extracts / f"{name}.parquet")
            if name == "content_items":  # an optional text column left empty by the export
                original = original.set_column(original.column_names.index("body"), "body",
                                               pa.nulls(original.num_rows, pa.string()))
            pq.write_table(original if shape == "plain" else _shape(original, shape), root / f"{name}.parquet")
        results[shape] = _checks(root, capsys)
    assert pq.read_schema(tmp_path / "lake" / "content_items.parquet").field("body").type == pa.null()
    assert pq.read_schema(tmp_path / "warehouse" / "audit_events.parquet").field("occurred_at").type.tz == "UTC"
    assert all(c["status"] != "error" for c in results["plain"])
    assert results["warehouse"] == results["plain"]
    assert results["lake"] == results["plain"]


@pytest.mark.parametrize("statistics", [True, False], ids=["with statistics", "without statistics"])
def test_a_never_empty_column_read_in_place_is_checked_with_or_without_statistics(tmp_path, open_db, statistics):
    root = write_extracts(tmp_path / "x", skip=["staff"])
    staff = pa.table({"employee_id": ["E1", " E2", "E3 ", "E4"], "name": ["a", "b", " ", "d"], "team": ["crm"] * 4,
                      "role": ["x"] * 4, "uses_ai": [True] * 4, "active": [True] * 4})
    pq.write_table(staff, root / "staff.parquet", write_statistics=statistics)
    assert open_db(root).load().table("staff").ok  # spaces around an ID, or in a column that may be empty, hold
    # Only spaces is as empty as nothing: the statistics' smallest value (' ') must not prove the column.
    for ids in (["E1", "E2", None, ""], ["E1", "E2", "   ", " "]):
        pq.write_table(staff.set_column(0, "employee_id", pa.array(ids)), root / "staff.parquet",
                       write_statistics=statistics)
        errors = open_db(root).load().table("staff").errors
        assert [(e.column, e.file, e.row) for e in errors] == [("employee_id", "staff.parquet", 3)], ids
        assert "an empty value (2 values in this file do not fit)" in str(errors[0])
        assert "missing where the contract requires one" in errors[0].problem


@pytest.mark.parametrize(("ids", "proven"), [(["E1", "E2"], True), (["E1", "!E2"], True), (["E1", " E2"], False),
                                             (["E1", "  "], False), (["E1", ""], False)])
def test_statistics_prove_a_never_empty_text_column_only_when_no_value_starts_with_a_space(tmp_path, ids, proven):
    """The smallest value from '!' on shows no value is empty or only spaces; below it, the values are read."""
    import duckdb

    from trust.extracts import inplace
    from trust.extracts.layout import inspect_all
    from trust.extracts.sources import locate

    staff = pa.table({"employee_id": ids, "name": ["a", "b"], "team": ["crm"] * 2, "role": ["x"] * 2,
                      "uses_ai": [True] * 2, "active": [True] * 2})
    pq.write_table(staff, tmp_path / "staff.parquet", write_statistics=True)
    with duckdb.connect() as cursor:
        layouts, errors = inspect_all(cursor, table("staff"), locate(tmp_path, table("staff")).files)
        assert not errors
        assert ("employee_id" in inplace.proven(layouts[0], inplace.statistics(cursor, layouts[0]))) is proven
