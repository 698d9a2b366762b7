"""Each way an extract can break the contract gives a named error, and never a number."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.builders import HEALTHY, write_csv, write_extracts, write_table
from trust.checks.model import Status
from trust.checks.registry import BY_ID
from trust.engine import evaluate
from trust.extracts.contract import UnknownTable, table
from trust.extracts.queries import sql
from trust.settings import Settings


def _lines(path: Path, lines: list[str]) -> None:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


FORECAST_HEADER = "model_id,model_name,team,owner,period_start,predicted,actual,tolerance"


@dataclass
class Case:
    id: str
    table: str
    corrupt: Callable[[Path], None]
    problem: str
    column: str | None = None
    file: str | None = None
    row: int | None = None
    found: str | None = None


def _forecasts(*rows: str) -> Callable[[Path], None]:
    return lambda root: _lines(root / "forecasts.csv", [FORECAST_HEADER, *rows])


GOOD = "M1,Revenue,crm,Ben,2026-10-01,100,95,0.15"


JOURNEY_HEADER = "journey_id,name,team,owner,channel,language,lifecycle_stages,status,go_live_at"


def _go_live(*stamps: str) -> Callable[[Path], None]:
    return lambda root: _lines(root / "journeys.csv", [JOURNEY_HEADER] + [
        f"J{i},W,crm,Ana,email,en,,live,{stamp}" for i, stamp in enumerate(stamps, 1)])


def _truncated_parquet(root: Path) -> None:
    path = root / "staff.parquet"
    (root / "staff.csv").unlink()
    write_table(root, "staff", HEALTHY["staff"], "parquet")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _parquet_missing_column(root: Path) -> None:
    (root / "staff.csv").unlink()
    write_table(root, "staff", HEALTHY["staff"], "parquet",
                columns=[c for c in table("staff").column_names if c != "role"])


def _parquet_blob(root: Path) -> None:
    (root / "training.csv").unlink()
    pq.write_table(pa.table({
        "employee_id": pa.array([b"E1"], pa.binary()), "course_id": ["C"], "category": ["ai_safety"],
        "completed_on": pa.array([None], pa.date32())}), root / "training.parquet")


def _parquet_bad_text_date(root: Path) -> None:
    (root / "training.csv").unlink()
    pq.write_table(pa.table({"employee_id": ["E1", "E2"], "course_id": ["C", "C"],
                             "category": ["ai_safety", "x"], "completed_on": ["2026-09-01", "n/a"]}),
                   root / "training.parquet")


def _parquet_nan(root: Path) -> None:
    (root / "forecasts.csv").unlink()
    rows = [dict(HEALTHY["forecasts"][0]), dict(HEALTHY["forecasts"][0], predicted=float("nan"))]
    write_table(root, "forecasts", rows, "parquet")


def _parquet_duplicate_column(root: Path) -> None:
    (root / "training.csv").unlink()
    pq.write_table(pa.Table.from_arrays(
        [pa.array(["E1"]), pa.array(["C"]), pa.array(["ai_safety"]), pa.array(["x"]),
         pa.array([None], pa.date32())],
        names=["employee_id", "course_id", "category", "category", "completed_on"]),
        root / "training.parquet")


def _hive_bad_partition(root: Path) -> None:
    (root / "customers.csv").unlink()
    columns = [c for c in table("customers").column_names if c != "snapshot_date"]
    write_csv(root / "customers" / "snapshot_date=last-week" / "part-0.csv", columns, HEALTHY["customers"])


def _outside_link_in_folder(root: Path) -> None:
    (root / "staff.csv").unlink()
    outside = root.parent / f"{root.name}-outside"
    write_table(outside, "staff", HEALTHY["staff"], "csv")
    (root / "staff").mkdir()
    os.symlink(outside / "staff.csv", root / "staff" / "part-0.csv")


def _outside_link_table(root: Path) -> None:
    (root / "staff.csv").unlink()
    os.symlink("/etc/passwd", root / "staff.csv")


def _two_forms(root: Path) -> None:
    write_table(root, "staff", HEALTHY["staff"], "parquet")


def _unknown_file(root: Path) -> None:
    (root / "staff.csv").unlink()
    write_table(root, "staff", HEALTHY["staff"], "folder-csv")
    (root / "staff" / "notes.json").write_text("{}")


def _not_utf8(root: Path) -> None:
    path = root / "staff.csv"
    path.write_bytes(path.read_bytes() + b"E9,Jos\xe9,crm,marketer,true,true\n")


def _crlf_ragged(root: Path) -> None:
    (root / "staff.csv").write_bytes(
        b"employee_id,name,team,role,uses_ai,active\r\nE1,Ana,crm,marketer,true,true\r\nE2,Ben\r\n")


CASES = [
    Case("missing table", "pilots", lambda r: (r / "pilots.csv").unlink(), "required table is missing",
         found="none of them"),
    Case("missing column", "staff", lambda r: _lines(r / "staff.csv", [
        "employee_id,name,team,uses_ai,active", "E1,Ana,crm,true,true"]),
        "required column is missing", column="role", file="staff.csv", row=1),
    Case("column name differs in case", "staff", lambda r: _lines(r / "staff.csv", [
        "employee_id,name,team,Role,uses_ai,active", "E1,Ana,crm,marketer,true,true"]),
        "required column is missing", column="role", file="staff.csv", found="'Role'"),
    Case("missing column in parquet", "staff", _parquet_missing_column, "required column is missing",
         column="role", file="staff.parquet"),
    Case("number with one n/a", "forecasts", _forecasts(GOOD, GOOD, "M1,Revenue,crm,Ben,2026-11-01,n/a,90,"),
         "cannot be read", column="predicted", file="forecasts.csv", row=4, found="'n/a'"),
    Case("nan is not a number", "forecasts", _forecasts("M1,Revenue,crm,Ben,2026-11-01,100,nan,"),
         "cannot be read", column="actual", row=2, found="'nan'"),
    Case("boolean spelled t", "staff", lambda r: _lines(r / "staff.csv", [
        "employee_id,name,team,role,uses_ai,active", "E1,Ana,crm,marketer,t,true"]),
        "cannot be read", column="uses_ai", row=2, found="'t'"),
    Case("integer with a fraction", "advocacy_nudges", lambda r: _lines(r / "advocacy_nudges.csv", [
        "nudge_id,sent_on,recommended_posts,includes_stats", "N1,2026-11-16,3.5,true"]),
        "cannot be read", column="recommended_posts", row=2, found="'3.5'"),
    Case("impossible date", "training", lambda r: _lines(r / "training.csv", [
        "employee_id,course_id,category,completed_on", "E1,C,ai_safety,2026-02-30"]),
        "cannot be read", column="completed_on", row=2),
    Case("timestamp in words", "journeys", lambda r: _lines(r / "journeys.csv", [
        "journey_id,name,team,owner,channel,language,lifecycle_stages,status,go_live_at",
        "J1,W,crm,Ana,email,en,,live,yesterday"]), "cannot be read", column="go_live_at", row=2),
    Case("zone offset over 14 hours", "journeys", _go_live("2026-11-10T12:00:00Z", "2026-11-10T12:00:00+25:00"),
         "cannot be read", column="go_live_at", row=3, found="'2026-11-10T12:00:00+25:00'"),
    Case("zone offset of 99 minutes", "journeys", _go_live("2026-11-10T12:00:00+02:99"), "cannot be read",
         column="go_live_at", row=2, found="'2026-11-10T12:00:00+02:99'"),
    Case("zone offset just past 14 hours", "journeys", _go_live("2026-11-10 12:00:00-1401"), "cannot be read",
         column="go_live_at", row=2, found="'2026-11-10 12:00:00-1401'"),
    Case("only spaces in a not-null value", "staff", lambda r: _lines(r / "staff.csv", [
        "employee_id,name,team,role,uses_ai,active", "E1,Ana,crm,marketer,true,true", "   ,Cy,crm,marketer,true,true"]),
        "missing where the contract requires one", column="employee_id", row=3, found="an empty value"),
    Case("empty not-null value", "customers", lambda r: _lines(r / "customers.csv", [
        ",".join(c.name for c in table("customers").columns if not c.optional),
        "2026-11-22,,en,NA,true,true,true,active,active,2026-11-01,crm"]),
        "missing where the contract requires one", column="customer_id", row=2, found="empty"),
    Case("row with too many fields", "forecasts", _forecasts(GOOD, GOOD + ",extra"),
         "more fields than the header", file="forecasts.csv", row=3),
    Case("row with too few fields", "forecasts", _forecasts(GOOD, "M1,Revenue,crm"),
         "fewer fields than the header", file="forecasts.csv", row=3, found="3 fields"),
    Case("ragged row with CRLF endings", "staff", _crlf_ragged, "fewer fields than the header", row=3),
    Case("unterminated quote", "forecasts", _forecasts(GOOD, 'M2,"Revenue,crm,Ben,2026-10-01,1,1,0.1'),
         "quoted value is never closed", file="forecasts.csv", row=3),
    Case("truncated csv", "forecasts", lambda r: (r / "forecasts.csv").write_text(
        FORECAST_HEADER + "\n" + GOOD + "\nM1,Reven"), "fewer fields than the header", row=3),
    Case("empty file", "forecasts", lambda r: (r / "forecasts.csv").write_bytes(b""), "file is empty",
         file="forecasts.csv", found="0 bytes"),
    Case("header-only file", "forecasts", _forecasts(), "no data rows", file="forecasts.csv"),
    Case("blank header", "forecasts", lambda r: (r / "forecasts.csv").write_text("\n" + GOOD + "\n"),
         "header row is blank", row=1),
    Case("duplicated header", "staff", lambda r: _lines(r / "staff.csv", [
        "employee_id,name,team,role,uses_ai,active,team", "E1,Ana,crm,marketer,true,true,crm"]),
        "more than once", column="team", file="staff.csv", row=1),
    Case("duplicated parquet column", "training", _parquet_duplicate_column, "more than once",
         column="category"),
    Case("truncated parquet", "staff", _truncated_parquet, "cannot be read as Parquet", file="staff.parquet"),
    Case("parquet binary column", "training", _parquet_blob, "stored type", column="employee_id"),
    Case("parquet text date", "training", _parquet_bad_text_date, "cannot be read", column="completed_on",
         file="training.parquet", row=2, found="'n/a'"),
    Case("parquet NaN", "forecasts", _parquet_nan, "cannot be read", column="predicted", row=2),
    Case("bad hive partition value", "customers", _hive_bad_partition, "cannot be read",
         column="snapshot_date", found="'last-week'"),
    Case("not utf-8", "staff", _not_utf8, "not UTF-8", file="staff.csv", row=4),
    Case("outside symlink in folder", "staff", _outside_link_in_folder, "outside the extracts folder",
         file="staff/part-0.csv"),
    Case("outside symlink as table", "staff", _outside_link_table, "outside the extracts folder",
         file="staff.csv", found="/etc/passwd"),
    Case("two forms of one table", "staff", _two_forms, "more than one form", found="staff.parquet and staff.csv"),
    Case("unsupported file in folder", "staff", _unknown_file, "unsupported format", file="staff/notes.json"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_a_named_error_and_never_a_number(tmp_path, open_db, case):
    root = write_extracts(tmp_path / "extracts")
    case.corrupt(root)
    db = open_db(root)
    extracts = db.load()
    broken = extracts.table(case.table)
    assert broken.status == "broken"
    error = next((e for e in broken.errors if case.problem in e.problem), None)
    assert error is not None, [str(e) for e in broken.errors]
    assert error.table == case.table
    for attribute in ("column", "file", "row"):
        if getattr(case, attribute) is not None:
            assert getattr(error, attribute) == getattr(case, attribute), str(error)
    if case.found:
        assert case.found in error.found, str(error)
    assert error.expected and error.found
    assert case.table in str(error)
    # Never a number: not one of the broken table's rows can be read (the shared facts read it as an empty
    # stand-in), and every check that reads it is an error naming it.
    with db.cursor(extracts) as cursor:
        assert cursor.execute(f"SELECT count(*) FROM {case.table}").fetchone()[0] == 0
    evaluation = evaluate(db, extracts, Settings())
    reading = [r for r in evaluation.results if case.table in BY_ID[r.id].tables]
    assert reading and all(r.status is Status.ERROR and case.table in r.summary for r in reading)
    # A broken table does not stop the others from loading.
    others = [t for t in extracts.tables.values() if t.name != case.table and t.name != "alert_reviews"]
    assert all(t.ok for t in others), [(t.name, [str(e) for e in t.errors]) for t in others if not t.ok]


def test_zone_offsets_up_to_14_hours_are_converted_to_utc(tmp_path, open_db):
    root = write_extracts(tmp_path)
    stamps = {"2026-11-10T12:00:00Z": "12:00", "2026-11-10 12:00:00": "12:00", "2026-11-10T12:00:00+0200": "10:00",
              "2026-11-10T12:00:00+02:00": "10:00", "2026-11-10T12:00:00+02": "10:00",
              "2026-11-10T12:00:00-03:30": "15:30", "2026-11-10T12:00:00+14:00": "2026-11-09 22:00",
              "2026-11-10T12:00:00-1400": "2026-11-11 02:00", "2026-11-10T12:00:00+13:59": "2026-11-09 22:01"}
    _go_live(*stamps)(root)
    db = open_db(root)
    extracts = db.load()
    assert extracts.table("journeys").ok, [str(e) for e in extracts.table("journeys").errors]
    with db.cursor(extracts) as cursor:
        found = [str(r[0]) for r in cursor.execute("SELECT go_live_at FROM journeys ORDER BY journey_id").fetchall()]
    expected = [w if " " in w else f"2026-11-10 {w}" for w in stamps.values()]
    assert found == [f"{w}:00" for w in expected]


def test_only_spaces_in_a_column_that_may_be_empty_is_no_value_only_where_spaces_are_aside(tmp_path, open_db):
    """A coded column is read spaces aside, so '   ' is empty there (as in a number or date column); free text
    that may be empty keeps what the file holds."""
    root = write_extracts(tmp_path)
    _lines(root / "journeys.csv", [JOURNEY_HEADER, "J1,W,crm,Ana,email,en,,,2026-11-10",
                                   "J2,   ,crm,Ana,email,en,,   ,   "])
    db = open_db(root)
    extracts = db.load()
    assert extracts.table("journeys").ok, [str(e) for e in extracts.table("journeys").errors]
    with db.cursor(extracts) as cursor:
        rows = cursor.execute("SELECT name, status, go_live_at FROM journeys ORDER BY journey_id").fetchall()
    assert rows[1] == ("   ", None, None)


def test_errors_list_every_problem_not_just_the_first(tmp_path, open_db):
    root = write_extracts(tmp_path)
    _lines(root / "forecasts.csv", [FORECAST_HEADER, "M1,R,crm,Ben,2026-10-01,x,y,z", GOOD + ",more"])
    errors = open_db(root).load().table("forecasts").errors
    assert {e.column for e in errors if "cannot be read" in e.problem} >= set()
    assert any("more fields" in e.problem for e in errors)


def test_a_path_traversal_table_name_is_refused():
    for name in ("../../etc/passwd", "/etc/passwd", "customers/../staff", "Customers"):
        with pytest.raises(UnknownTable, match="not a table of the extract contract"):
            table(name)
    with pytest.raises(ValueError, match="not a query name"):
        sql("../trust/settings")
