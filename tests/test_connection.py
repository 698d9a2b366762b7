"""The DuckDB connection can read the extracts folder and nothing else."""

from __future__ import annotations

import os

import duckdb
import pytest

from tests.builders import HEALTHY, write_extracts, write_table
from trust.extracts.database import Database
from trust.extracts.errors import ExtractsUnavailable

REFUSED = [
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/etc/passwd')",
    "SELECT * FROM read_csv('{root}/../../../etc/passwd')",
    "COPY (SELECT 1) TO '/tmp/trust-should-not-exist.csv'",
    "ATTACH '/tmp/trust-should-not-exist.db'",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SELECT * FROM read_csv('https://example.com/data.csv')",
    "SET enable_external_access = true",
    "SET allowed_directories = ['/']",
    "SET memory_limit = '100GB'",
]


@pytest.mark.parametrize("statement", REFUSED)
def test_the_connection_refuses_to_leave_the_extracts_folder(tmp_path, open_db, statement):
    root = write_extracts(tmp_path / "extracts")
    db = open_db(root)
    with db.cursor() as cursor, pytest.raises(duckdb.Error):
        cursor.execute(statement.format(root=root)).fetchall()
    assert not os.path.exists("/tmp/trust-should-not-exist.csv")


def test_an_outside_symlink_is_refused_by_duckdb_too(tmp_path, open_db):
    root = write_extracts(tmp_path / "extracts")
    os.symlink("/etc/passwd", root / "passwd.csv")
    db = open_db(root)
    with db.cursor() as cursor, pytest.raises(duckdb.Error):
        cursor.execute("SELECT * FROM read_csv($p)", {"p": str(root / "passwd.csv")}).fetchall()


def test_a_symlinked_folder_inside_the_extracts_folder_is_followed(tmp_path, open_db):
    root = write_extracts(tmp_path / "extracts", skip=["staff"])
    write_table(root / "archive", "staff", HEALTHY["staff"], "folder-csv")
    os.symlink(root / "archive" / "staff", root / "staff")
    extracts = open_db(root).load()
    assert extracts.table("staff").ok and extracts.table("staff").rows == 2


def test_reading_inside_the_folder_works_with_bound_parameters(tmp_path, open_db):
    root = write_extracts(tmp_path / "extracts")
    db = open_db(root)
    with db.cursor() as cursor:
        rows = cursor.execute("SELECT count(*) FROM read_csv($p)", {"p": str(root / "staff.csv")}).fetchone()
    assert rows == (2,)


def test_a_missing_or_non_folder_location_is_refused(tmp_path):
    with pytest.raises(ExtractsUnavailable, match="does not exist"):
        Database(tmp_path / "nowhere")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ExtractsUnavailable, match="not a folder"):
        Database(tmp_path / "file")


def test_each_load_lives_in_its_own_schema_and_the_old_one_is_dropped(tmp_path, open_db):
    root = write_extracts(tmp_path / "extracts")
    db = open_db(root)
    first = db.load()
    write_table(root, "staff", HEALTHY["staff"][:1])
    second = db.load()
    assert first.schema != second.schema
    with db.cursor() as cursor:
        schemas = {r[0] for r in cursor.execute("SELECT schema_name FROM duckdb_schemas()").fetchall()}
    assert second.schema in schemas and first.schema not in schemas


def test_what_a_load_remembers_is_forgotten_with_it(tmp_path, open_db):
    from datetime import date

    root = write_extracts(tmp_path / "extracts")
    db = open_db(root)
    first = db.load()
    before = db.remembered(first, "customer_snapshots")
    rows = [dict(r, snapshot_date=date(2026, 11, 29)) for r in HEALTHY["customers"]]
    write_table(root, "customers", HEALTHY["customers"] + rows)
    second = db.load()
    assert db.remembered(second, "customer_snapshots") == [*before, (date(2026, 11, 29), len(rows))]
    db.remembered(second, "customer_snapshots").clear()  # a copy: the kept rows stay as they are
    assert len(db.remembered(second, "customer_snapshots")) == len(before) + 1
