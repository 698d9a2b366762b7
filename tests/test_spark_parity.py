"""The Spark engine gives the DuckDB engine's verdicts: every status, score, figure (to 1e-9), evidence row
and order of `trust check --format json`, on the demo with its planted faults, on Parquet shapes Spark reads
its own way, from a catalog database and through a Spark Connect server; bad input is a named error."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.spark_support import check_json, connect_server, differences, require_spark
from trust.extracts.contract import TABLES
from trust.extracts.dialect import transpile
from trust.extracts.queries import query_names, sql

pytestmark = pytest.mark.spark


def test_every_query_transpiles_to_spark_without_duckdb_only_functions():
    duckdb_only = ("LIST_", "TO_DAYS", "TO_MONTHS", "REGEXP_FULL_MATCH", "STRUCT_EXTRACT", "ISFINITE", "EPOCH",
                   "GENERATE_SUBSCRIPTS", "LATERAL VIEW")
    for name in query_names():
        params = {p: None for p in _placeholders(sql(name))}
        text = transpile(sql(name), params).upper()
        assert not [f for f in duckdb_only if f in text], f"queries/{name}.sql keeps a DuckDB-only function"


def _placeholders(text: str) -> set[str]:
    from sqlglot import exp, parse_one

    return {p.name for p in parse_one(text, read="duckdb").find_all(exp.Placeholder)}


@pytest.fixture(scope="module")
def spark():
    require_spark()


@pytest.fixture(scope="module")
def shapes(demo_extracts, tmp_path_factory, spark) -> Path:
    """The demo with the Parquet shapes exporters write and Spark reads its own way: nanosecond timestamps with
    and without a zone, a zoned one, a decimal and Parquet's NULL type for an optional column."""
    root = tmp_path_factory.mktemp("spark-shapes") / "extracts, 50% = shapes"  # a path Spark writes as a URI
    shutil.copytree(demo_extracts, root)
    items = pq.read_table(root / "content_items.parquet")
    items = items.set_column(items.schema.get_field_index("created_at"), "created_at",
                             items["created_at"].cast(pa.timestamp("ns")))
    items = items.set_column(items.schema.get_field_index("published_at"), "published_at",
                             items["published_at"].cast(pa.timestamp("us", tz="UTC")))
    items = items.set_column(items.schema.get_field_index("model_confidence"), "model_confidence",
                             items["model_confidence"].cast(pa.decimal128(6, 4)))
    pq.write_table(items, root / "content_items.parquet")
    events = pq.read_table(root / "audit_events.parquet")
    events = events.set_column(events.schema.get_field_index("note"), "note", pa.nulls(len(events), pa.null()))
    events = events.set_column(events.schema.get_field_index("occurred_at"), "occurred_at",
                               events["occurred_at"].cast(pa.timestamp("ns", tz="UTC")))  # the warehouses' usual
    pq.write_table(events, root / "audit_events.parquet")
    return root


def _same(expected: str, found: str) -> None:
    problems = differences(json.loads(expected), json.loads(found))
    assert not problems, f"{len(problems)} differences, first: " + "; ".join(problems[:8])


# The whole demo as of its latest week, then one team as of an earlier week (both parameters in one run: each
# Spark run of the demo costs half a minute of the CI's two cores).
@pytest.mark.parametrize("args", [(), ("--team", "crm", "--as-of", "2026-11-08")])
def test_local_spark_gives_the_duckdb_verdicts_on_the_demo(demo_extracts, spark, env, args):
    embedded = check_json(demo_extracts, *args)
    env(engine="spark")
    _same(embedded, check_json(demo_extracts, *args))


def test_local_spark_reads_every_parquet_shape_as_duckdb_does(shapes, env):
    embedded = check_json(shapes)
    env(engine="spark")
    _same(embedded, check_json(shapes))


def test_catalog_tables_give_the_same_verdicts(demo_extracts, env, tmp_path):
    """A Databricks user's case: the extracts are tables of a catalog database, named as in the contract."""
    from trust.spark.session import open_session

    session = open_session(None)
    session.sql("CREATE DATABASE IF NOT EXISTS trust_parity")
    for table in TABLES:
        files = [demo_extracts / f"{table.name}.parquet", demo_extracts / f"{table.name}.csv",
                 demo_extracts / table.name]
        found = next((f for f in files if f.exists()), None)
        if found is None:
            continue
        frame = (session.read.parquet(str(found)) if found.suffix == ".parquet" or found.is_dir()
                 else _csv_as_typed(session, found, table))
        frame.write.mode("overwrite").saveAsTable(f"trust_parity.{table.name}")
    embedded = check_json(demo_extracts)
    env(engine="spark", spark_database="trust_parity")
    _same(embedded, check_json(None))


def _csv_as_typed(session, path: Path, table):
    """A CSV extract as a warehouse would hold it: every contract column in its own type."""
    import duckdb

    typed = duckdb.sql(f"SELECT * FROM read_csv('{path}', header = true)").to_arrow_table()
    return session.createDataFrame(typed)


def test_spark_connect_gives_the_duckdb_verdicts(demo_extracts, spark, tmp_path):
    embedded = check_json(demo_extracts)
    with connect_server(tmp_path) as url:
        env = {"TRUST_ENGINE": "spark", "TRUST_SPARK_REMOTE": url, "TRUST_STATE": str(tmp_path / "state.db"),
               "TRUST_AUDIT_KEY_FILE": str(tmp_path / "audit.key"), "PATH": _path(), **_inherited()}
        run = subprocess.run([sys.executable, "-m", "trust.cli", "check", "--extracts", str(demo_extracts),
                              "--format", "json"], env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode in (0, 1), run.stderr[-2000:]
    _same(embedded, run.stdout)


def _path() -> str:
    import os

    return os.environ.get("PATH", "")


def _inherited() -> dict[str, str]:
    """The variables a child `trust` process keeps: where Python finds this checkout's code."""
    import os

    return {k: os.environ[k] for k in ("PYTHONPATH",) if k in os.environ}


def test_an_unreachable_spark_connect_url_is_a_named_error(tmp_path, demo_extracts):
    from tests.spark_support import free_port

    url = f"sc://127.0.0.1:{free_port()}"
    run = subprocess.run([sys.executable, "-m", "trust.cli", "check", "--extracts", str(demo_extracts)],
                         env={"TRUST_ENGINE": "spark", "TRUST_SPARK_REMOTE": url, "PATH": _path(), **_inherited(),
                              "TRUST_STATE": str(tmp_path / "state.db")},
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert "TRUST_SPARK_REMOTE" in run.stderr and url in run.stderr
    assert "Traceback" not in run.stderr


def test_a_server_that_is_not_spark_connect_is_named_in_words(tmp_path, demo_extracts, spark):
    """A port that answers, but not as Spark Connect (here a web server): the reason is gRPC's own words, not
    the name of its error class, and no warning or trace comes with it."""
    import http.server
    import threading

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"sc://127.0.0.1:{server.server_address[1]}"
        run = subprocess.run([sys.executable, "-m", "trust.cli", "validate", "--extracts", str(demo_extracts)],
                             env={"TRUST_ENGINE": "spark", "TRUST_SPARK_REMOTE": url, "PATH": _path(),
                                  **_inherited(), "TRUST_STATE": str(tmp_path / "state.db")},
                             capture_output=True, text=True, timeout=180)
    finally:
        server.shutdown()
    assert run.returncode == 2
    assert f"TRUST_SPARK_REMOTE={url} cannot be reached: failed to connect" in run.stderr
    assert not any(word in run.stderr for word in ("_InactiveRpcError", "Traceback", "Warning"))


def test_the_app_names_an_unreachable_spark_connect_url_and_its_fix(demo_extracts, spark, app, env):
    from tests.spark_support import free_port

    url = f"sc://127.0.0.1:{free_port()}"
    env(engine="spark", spark_remote=url)
    at = app(demo_extracts)
    assert not at.exception
    assert any("TRUST\\_SPARK\\_REMOTE" in e.value and "cannot be reached" in e.value for e in at.error)


def test_a_catalog_database_that_does_not_exist_is_named_once(tmp_path, spark):
    run = subprocess.run([sys.executable, "-m", "trust.cli", "validate"],
                         env={"TRUST_ENGINE": "spark", "TRUST_SPARK_DATABASE": "trust_nowhere", "PATH": _path(),
                              **_inherited(), "TRUST_STATE": str(tmp_path / "state.db")},
                         capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert run.returncode == 2
    assert "TRUST_SPARK_DATABASE=trust_nowhere: no such database" in run.stderr
    assert "Traceback" not in run.stderr


def test_the_app_reads_through_spark_and_the_data_sources_page_names_it(demo_extracts, spark, app, env):
    env(engine="spark")
    at = app(demo_extracts, "pages/data-sources.py")
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "Engine: Spark, a local Spark session" in captions
    assert not at.error  # every table loaded through Spark, none broken
