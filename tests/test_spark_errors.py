"""Strict loading holds on Spark: each bad extract of the loader's catalogue of faults is the same named
contract error (table, column, file, row, problem, expected, found) on Spark as on DuckDB; a table missing
from a catalog database is named as such."""

from __future__ import annotations

import itertools

import pytest

from tests.builders import write_extracts
from tests.spark_support import require_spark
from tests.test_loader_errors import CASES
from trust.extracts.contract import table
from trust.extracts.loading import load_all

pytestmark = pytest.mark.spark
_loads = itertools.count()


@pytest.fixture(scope="module")
def session():
    require_spark()
    from trust.spark.session import open_session

    return open_session(None)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_bad_extract_is_the_same_named_error_on_spark(tmp_path, open_db, session, case):
    from trust.spark.loading import Source
    from trust.spark.loading import load_all as load_on_spark

    root = write_extracts(tmp_path / "extracts")
    case.corrupt(root)
    db = open_db(root)
    spec = table(case.table)
    with db.cursor() as cursor:
        cursor.execute("CREATE SCHEMA parity")
    embedded = load_all(db._connection, db.root, "parity", (spec,))[case.table]
    on_spark = load_on_spark(session, Source(root=db.root), f"p{next(_loads)}", (spec,))[case.table]
    assert embedded.status == "broken"
    assert [e.as_dict() for e in on_spark.errors] == [e.as_dict() for e in embedded.errors]
    assert on_spark.status == "broken"


def test_a_table_missing_from_the_catalog_is_named(session):
    from trust.spark.loading import Source
    from trust.spark.loading import load_all as load_on_spark

    session.sql("CREATE DATABASE IF NOT EXISTS trust_missing")
    loaded = load_on_spark(session, Source(database="trust_missing"), "m0", (table("staff"), table("claims")))
    staff = loaded["staff"]
    assert staff.status == "broken"
    assert staff.errors[0].problem == "a required table is missing"
    assert "trust_missing.staff" in staff.errors[0].expected
    assert loaded["claims"].status == "absent"  # optional: absent means no such records


def test_a_column_missing_from_a_catalog_table_is_named(session):
    from trust.spark.loading import Source
    from trust.spark.loading import load_all as load_on_spark

    session.sql("CREATE DATABASE IF NOT EXISTS trust_columns")
    session.sql("DROP TABLE IF EXISTS trust_columns.staff")
    session.sql("CREATE TABLE trust_columns.staff (employee_id STRING, name STRING, team STRING, "
                "uses_ai BOOLEAN, active BOOLEAN) USING parquet")
    session.sql("INSERT INTO trust_columns.staff VALUES ('E1', 'Ana', 'crm', true, true)")
    staff = load_on_spark(session, Source(database="trust_columns"), "m1", (table("staff"),))["staff"]
    assert staff.status == "broken"
    error = staff.errors[0]
    assert (error.problem, error.column, error.file) == ("a required column is missing", "role",
                                                        "trust_columns.staff")


def test_a_value_that_does_not_cast_in_a_catalog_table_is_quoted(session):
    """A catalog table has no row numbers, yet its first bad value is quoted, never taken for an empty one."""
    from trust.spark.loading import Source
    from trust.spark.loading import load_all as load_on_spark

    session.sql("CREATE DATABASE IF NOT EXISTS trust_values")
    session.sql("DROP TABLE IF EXISTS trust_values.staff")
    session.sql("CREATE TABLE trust_values.staff (employee_id STRING, name STRING, team STRING, role STRING, "
                "uses_ai STRING, active BOOLEAN) USING parquet")
    session.sql("INSERT INTO trust_values.staff VALUES ('E1', 'Ana', 'crm', 'legal', 'maybe', true), "
                "('E2', 'Bo', 'crm', 'legal', 'true', true)")
    staff = load_on_spark(session, Source(database="trust_values"), "m2", (table("staff"),))["staff"]
    assert staff.status == "broken"
    error = staff.errors[0]
    assert (error.problem, error.column, error.found) == ("a value cannot be read as the column's type", "uses_ai",
                                                         "'maybe'")


def test_a_parquet_time_column_spark_refuses_is_named_and_one_it_reads_is_ignored(tmp_path, session):
    """Extra columns are ignored: a TIME in microseconds is read and dropped; one in milliseconds, which Spark's
    Parquet reader refuses outright, is a named error for its column and file rather than an unreadable table."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from trust.spark.loading import Source
    from trust.spark.loading import load_all as load_on_spark

    root = write_extracts(tmp_path / "x", form="parquet")
    staff = pq.read_table(root / "staff.parquet")
    for n, (stored, kind) in enumerate(((pa.int64(), pa.time64("us")), (pa.int32(), pa.time32("ms")))):
        times = pa.array([0] * len(staff), stored).cast(kind)
        pq.write_table(staff.append_column("shift_start", times), root / "staff.parquet")
        loaded = load_on_spark(session, Source(root=root), f"t{n}", (table("staff"),))["staff"]
        if n == 0:
            assert loaded.status == "ok", [str(e) for e in loaded.errors]
        else:
            assert loaded.status == "broken"
            assert (loaded.errors[0].column, loaded.errors[0].file) == ("shift_start", "staff.parquet")


def test_a_new_export_replaces_the_previous_load_and_releases_its_views(session, tmp_path):
    from trust.spark.database import SparkDatabase

    root = write_extracts(tmp_path / "extracts")
    db = SparkDatabase(root)
    first = db.load()
    db.materialise(first, "item_trails")
    (root / "staff.csv").write_text((root / "staff.csv").read_text() + "\n", encoding="utf-8")
    second = db.load()
    assert second.schema != first.schema
    views = [v.name for v in session.catalog.listTables() if v.isTemporary]
    assert not [v for v in views if v.startswith(f"{first.schema}_")]
    assert f"{second.schema}_staff" in views
    assert db.query(second, "staff_training", {"team": None})
