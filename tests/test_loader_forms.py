"""Every table loads, typed, from each form the contract allows: file, folder and Hive partitions."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.builders import HEALTHY, write_csv, write_extracts, write_table
from trust.extracts.contract import TABLES, table

FORMS = ["csv", "parquet", "folder-csv", "folder-parquet", "hive-csv", "hive-parquet"]


def _rows(db, extracts, name):
    spec = table(name)
    with db.cursor(extracts) as cursor:
        order = ", ".join(f'"{c}"' for c in spec.column_names)
        result = cursor.execute(f"SELECT {order} FROM {name} ORDER BY {order}").fetchall()
    return [dict(zip(spec.column_names, r, strict=True)) for r in result]


def _expected(name):
    spec = table(name)
    rows = [{c: r.get(c) for c in spec.column_names} for r in HEALTHY[name]]
    return sorted(rows, key=lambda r: tuple((v is None, str(v)) for v in r.values()))


@pytest.mark.parametrize("form", FORMS)
def test_every_table_loads_in_each_form_with_its_values(tmp_path, open_db, form):
    write_extracts(tmp_path, form=form)
    db = open_db(tmp_path)
    extracts = db.load()
    for spec in TABLES:
        loaded = extracts.table(spec.name)
        if spec.name == "alert_reviews":
            assert loaded.status == "absent"
            continue
        assert loaded.status == "ok", (spec.name, [str(e) for e in loaded.errors])
        assert loaded.rows == len(HEALTHY[spec.name])
        got = _rows(db, extracts, spec.name)
        key = lambda r: tuple((v is None, str(v)) for v in r.values())  # noqa: E731
        assert sorted(got, key=key) == _expected(spec.name)


def test_hive_partition_value_supplies_snapshot_date(tmp_path, open_db):
    write_extracts(tmp_path)
    (tmp_path / "customers.csv").unlink()
    rows = [dict(r, snapshot_date=date(2026, 11, 15)) for r in HEALTHY["customers"]]
    write_table(tmp_path, "customers", rows + HEALTHY["customers"], "hive-parquet")
    db = open_db(tmp_path)
    extracts = db.load()
    assert extracts.table("customers").rows == 4
    assert db.query(extracts, "customer_snapshots") == [(date(2026, 11, 15), 2), (date(2026, 11, 22), 2)]


def test_csv_spellings_the_contract_allows(tmp_path, open_db):
    write_extracts(tmp_path, skip=["staff", "journeys"])
    write_csv(tmp_path / "staff.csv", ["employee_id", "name", "team", "role", "uses_ai", "active", "extra"], [
        {"employee_id": "E1", "uses_ai": "TRUE", "active": "1", "extra": "ignored"},
        {"employee_id": "E2", "uses_ai": "no", "active": "Yes"},
        {"employee_id": "E3", "uses_ai": "0", "active": "False"},
        {"employee_id": "E4", "uses_ai": "", "active": None},
    ])
    write_csv(tmp_path / "journeys.csv", table("journeys").column_names, [
        {"journey_id": "J1", "go_live_at": "2026-11-23T14:05:00Z", "lifecycle_stages": "active| lapsed |"},
        {"journey_id": "J2", "go_live_at": "2026-11-23T16:05:00+02:00", "lifecycle_stages": ""},
        {"journey_id": "J3", "go_live_at": "2026-11-23 14:05:00", "lifecycle_stages": "x"},
        {"journey_id": "J4", "go_live_at": "2026-11-23", "lifecycle_stages": None},
    ])
    db = open_db(tmp_path)
    extracts = db.load()
    with db.cursor(extracts) as cursor:
        staff = cursor.execute("SELECT employee_id, uses_ai, active FROM staff ORDER BY 1").fetchall()
        journeys = cursor.execute("SELECT journey_id, go_live_at, lifecycle_stages FROM journeys ORDER BY 1").fetchall()
    assert staff == [("E1", True, True), ("E2", False, True), ("E3", False, False), ("E4", None, None)]
    assert journeys == [
        ("J1", datetime(2026, 11, 23, 14, 5), ["active", "lapsed"]),
        ("J2", datetime(2026, 11, 23, 14, 5), None),
        ("J3", datetime(2026, 11, 23, 14, 5), ["x"]),
        ("J4", datetime(2026, 11, 23, 0, 0), None),
    ]


def test_csv_files_of_one_folder_are_mapped_by_name_not_position(tmp_path, open_db):
    write_extracts(tmp_path, skip=["staff"])
    columns = list(table("staff").column_names)
    write_csv(tmp_path / "staff" / "a.csv", columns, HEALTHY["staff"][:1])
    write_csv(tmp_path / "staff" / "b.csv", list(reversed(columns)), HEALTHY["staff"][1:])
    db = open_db(tmp_path)
    extracts = db.load()
    with db.cursor(extracts) as cursor:
        got = cursor.execute("SELECT employee_id, name, role FROM staff ORDER BY 1").fetchall()
    assert got == [("E1", "Ana", "marketer"), ("E2", "Ben", "marketing_lead")]


def test_optional_table_and_optional_columns_may_be_absent(tmp_path, open_db):
    write_extracts(tmp_path, skip=["content_items"])
    columns = [c for c in table("content_items").column_names if c != "body"]
    write_table(tmp_path, "content_items", HEALTHY["content_items"], "csv", columns=columns)
    db = open_db(tmp_path)
    extracts = db.load()
    assert extracts.table("content_items").ok and not extracts.table("content_items").has("body")
    assert extracts.table("customers").has("snapshot_date") and not extracts.table("customers").has("suspected_fake")
    assert extracts.table("alert_reviews").status == "absent"
    assert extracts.errors == ()
    with db.cursor(extracts) as cursor:
        assert cursor.execute("SELECT body FROM content_items").fetchall() == [(None,)]


def test_header_only_optional_table_is_empty_not_an_error(tmp_path, open_db):
    write_extracts(tmp_path)
    write_csv(tmp_path / "alert_reviews.csv", table("alert_reviews").column_names, [])
    extracts = open_db(tmp_path).load()
    assert extracts.table("alert_reviews").ok
    assert extracts.table("alert_reviews").rows == 0


def test_a_changed_file_is_reloaded_and_an_unchanged_one_is_not(tmp_path, open_db):
    write_extracts(tmp_path)
    db = open_db(tmp_path)
    first = db.load()
    assert db.load() is first
    write_table(tmp_path, "staff", HEALTHY["staff"][:1])
    second = db.load()
    assert second.fingerprint != first.fingerprint
    assert second.table("staff").rows == 1


def test_parquet_that_stores_the_contracts_types_is_read_in_place_and_the_rest_copied(tmp_path, open_db):
    write_extracts(tmp_path, skip=["customers", "staff"])
    write_table(tmp_path, "customers", HEALTHY["customers"], "hive-parquet")
    write_table(tmp_path, "staff", HEALTHY["staff"], "parquet")
    db = open_db(tmp_path)
    extracts = db.load()
    with db.cursor() as cursor:
        views = {r[0] for r in cursor.execute("SELECT view_name FROM duckdb_views() WHERE schema_name = $s",
                                              {"s": extracts.schema}).fetchall()}
    assert views == {"customers", "staff"}  # the CSV tables are copied, as Parquet needing conversions is
    assert extracts.table("customers").rows == len(HEALTHY["customers"])
    assert _rows(db, extracts, "customers") == _expected("customers")


def test_a_view_reads_files_whose_path_holds_quotes_and_dollars(tmp_path, open_db):
    root = tmp_path / "it's $f0_path"
    write_extracts(root, skip=["staff"])
    write_table(root, "staff", HEALTHY["staff"], "folder-parquet")
    db = open_db(root)
    extracts = db.load()
    assert extracts.table("staff").ok and _rows(db, extracts, "staff") == _expected("staff")
    with db.cursor() as cursor:
        assert cursor.execute("SELECT count(*) FROM duckdb_views() WHERE schema_name = $s AND view_name = 'staff'",
                              {"s": extracts.schema}).fetchone() == (1,)


def _view_sql(db, extracts, name):
    with db.cursor() as cursor:
        return cursor.execute("SELECT sql FROM duckdb_views() WHERE schema_name = $s AND view_name = $v",
                              {"s": extracts.schema, "v": name}).fetchall()[0][0]


def _two_snapshots(tmp_path):
    write_extracts(tmp_path, skip=["customers"])
    rows = [dict(r, snapshot_date=date(2026, 11, 15)) for r in HEALTHY["customers"]] + HEALTHY["customers"]
    write_table(tmp_path, "customers", rows, "hive-parquet")
    return rows


def test_hive_partitions_stored_alike_are_read_by_one_scan_with_the_same_rows(tmp_path, open_db):
    rows = _two_snapshots(tmp_path)
    db = open_db(tmp_path)
    extracts = db.load()
    view = _view_sql(db, extracts, "customers")
    assert view.count("read_parquet(") == 1 and "hive_partitioning = true" in view
    assert "file_row_number" not in view
    assert len(_rows(db, extracts, "customers")) == len(rows)
    assert db.query(extracts, "customer_snapshots") == [(date(2026, 11, 15), 2), (date(2026, 11, 22), 2)]


def test_a_folder_value_duckdb_could_read_otherwise_keeps_one_scan_per_file(tmp_path, open_db):
    """A %-escaped folder value is decoded by the load; one Hive scan is not trusted to read it alike."""
    _two_snapshots(tmp_path)
    folder = tmp_path / "customers" / "snapshot_date=2026-11-22"
    folder.rename(tmp_path / "customers" / "snapshot_date=2026%2D11%2D22")
    db = open_db(tmp_path)
    extracts = db.load()
    view = _view_sql(db, extracts, "customers")
    assert view.count("read_parquet(") == 2 and "hive_partitioning = true" not in view
    assert db.query(extracts, "customer_snapshots") == [(date(2026, 11, 15), 2), (date(2026, 11, 22), 2)]


def test_files_storing_a_column_in_different_types_keep_one_scan_per_file(tmp_path, open_db):
    import duckdb

    _two_snapshots(tmp_path)
    part = tmp_path / "customers" / "snapshot_date=2026-11-15" / "part-0.parquet"
    with duckdb.connect() as con:  # the same instants stored to the nanosecond in one file only
        con.execute(f"COPY (SELECT * REPLACE (CAST(updated_at AS TIMESTAMP_NS) AS updated_at) "
                    f"FROM read_parquet('{part}')) TO '{part}.new' (FORMAT parquet)")
    part.unlink()
    (part.parent / "part-0.parquet.new").rename(part)
    db = open_db(tmp_path)
    extracts = db.load()
    assert extracts.table("customers").ok
    assert _view_sql(db, extracts, "customers").count("read_parquet(") == 2
    assert len(_rows(db, extracts, "customers")) == 4


def test_nested_hive_folders_with_a_text_value_are_read_by_one_scan(tmp_path, open_db):
    """customers/snapshot_date=…/region=…/: two partition columns, one of them text, as DuckDB itself writes them."""
    import shutil

    import duckdb

    _two_snapshots(tmp_path)
    folder = tmp_path / "customers"
    with duckdb.connect() as con:
        con.execute(f"CREATE TABLE c AS SELECT * FROM read_parquet('{folder}/*/*.parquet', hive_partitioning = true)")
        expected = sorted(con.execute("SELECT snapshot_date, customer_id, region FROM c").fetchall())
        shutil.rmtree(folder)
        con.execute(f"COPY c TO '{folder}' (FORMAT parquet, PARTITION_BY (snapshot_date, region))")
    assert len({p.parent.name for p in folder.glob("*/*/*.parquet")}) > 1  # more than one region folder
    db = open_db(tmp_path)
    extracts = db.load()
    assert extracts.table("customers").ok, [str(e) for e in extracts.table("customers").errors]
    view = _view_sql(db, extracts, "customers")
    assert view.count("read_parquet(") == 1 and "hive_partitioning = true" in view
    with db.cursor(extracts) as cursor:
        got = sorted(cursor.execute("SELECT snapshot_date, customer_id, region FROM customers").fetchall())
    assert got == expected


@pytest.mark.parametrize("form", ["csv", "parquet"])
def test_a_file_that_cannot_be_opened_is_a_named_error_not_a_crash(tmp_path, open_db, monkeypatch, form):
    """chmod cannot stop root reading a file, so the refusal is simulated where the loader opens it."""
    import builtins

    import trust.extracts.layout as layout

    root = write_extracts(tmp_path / "x", form=form)
    locked = root / f"staff.{form}"

    def refusing(path, *args, **kwargs):
        if str(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(path))
        return builtins.open(path, *args, **kwargs)

    monkeypatch.setattr(layout, "open", refusing, raising=False)
    extracts = open_db(root).load()
    errors = [e for e in extracts.errors if e.table == "staff"]
    assert [(e.problem, e.file, e.found) for e in errors] == [
        ("the file cannot be opened", f"staff.{form}", "Permission denied")], errors
    assert not [e for e in extracts.errors if e.table != "staff"]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_file_whose_own_snapshot_date_disagrees_with_its_folder_is_a_named_error(tmp_path, open_db, fmt):
    """A file may hold the partition column too: agreeing, it loads; disagreeing, neither value is guessed."""
    from tests.builders import _write

    write_extracts(tmp_path)
    (tmp_path / "customers.csv").unlink()
    spec = table("customers")
    columns = [c.name for c in spec.columns if not c.optional]
    folder = tmp_path / "customers" / "snapshot_date=2026-11-22"
    _write(folder / f"part-0.{fmt}", spec, columns, HEALTHY["customers"], fmt)
    assert open_db(tmp_path).load().table("customers").ok
    moved = [dict(r, snapshot_date=date(2026, 11, 15)) for r in HEALTHY["customers"]]
    _write(folder / f"part-0.{fmt}", spec, columns, moved, fmt)
    errors = open_db(tmp_path).load().table("customers").errors
    assert [(e.column, e.problem, e.found) for e in errors] == [
        ("snapshot_date", "the file's values disagree with its Hive folder name", "'2026-11-15' (2 rows differ)")]
