"""TRUST_ENGINE chooses the engine: the embedded path never imports Spark, and a bad engine setting is a named
error, not a trace."""

from __future__ import annotations

import os
import subprocess
import sys

from trust.cli import main


def test_the_embedded_engine_never_imports_spark_nor_the_transpiler(demo_extracts, tmp_path):
    script = ("import sys, contextlib, io\n"
              "from trust import cli\n"
              "with contextlib.redirect_stdout(io.StringIO()):\n"
              f"    code = cli.main(['check', '--extracts', {str(demo_extracts)!r}, '--format', 'json'])\n"
              "assert code in (0, 1), code\n"
              "print(sorted(m for m in sys.modules if m.startswith(('pyspark', 'py4j', 'trust.spark', 'sqlglot'))))\n")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                         env={"TRUST_STATE": str(tmp_path / "state.db"), "TRUST_AUDIT_KEY_FILE":
                              str(tmp_path / "audit.key"), "PATH": "/usr/bin:/bin",
                              **{k: v for k, v in os.environ.items() if k == "PYTHONPATH"}})
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip().splitlines()[-1] == "[]"


def test_an_unknown_engine_is_a_named_setting_error(env, demo_extracts, capsys):
    env(engine="postgres")
    assert main(["check", "--extracts", str(demo_extracts)]) == 2
    err = capsys.readouterr().err
    assert "TRUST_ENGINE" in err or "engine" in err
    assert "Traceback" not in err


def test_the_data_sources_page_names_the_engine(demo_extracts):
    from trust.extracts.database import Database
    from trust.extracts.inventory import take_inventory

    db = Database(demo_extracts)
    try:
        inventory = take_inventory(db, db.load())
    finally:
        db.close()
    assert inventory.engine.startswith("DuckDB, embedded in this process")
