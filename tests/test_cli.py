"""The `trust` command line: exit codes, one-line usage errors and named contract errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import write_extracts
from trust.cli import main


def test_validate_passes_on_healthy_extracts(tmp_path, capsys):
    assert main(["validate", "--extracts", str(write_extracts(tmp_path))]) == 0
    out = capsys.readouterr().out
    assert "No contract errors." in out
    assert "customers" in out and "absent  alert_reviews" in out


def test_validate_names_table_column_file_and_line_and_exits_1(tmp_path, capsys):
    root = write_extracts(tmp_path)
    (root / "forecasts.csv").write_text(
        "model_id,model_name,team,owner,period_start,predicted,actual,tolerance\n"
        "M1,R,crm,Ben,2026-10-01,100,n/a,0.15\n")
    (root / "pilots.csv").unlink()
    assert main(["validate", "--extracts", str(root)]) == 1
    out = capsys.readouterr().out
    assert "forecasts.actual (forecasts.csv, line 2)" in out and "'n/a'" in out
    assert "pilots: a required table is missing" in out
    assert "2 contract errors in 2 tables." in out


def test_a_missing_extracts_folder_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["validate", "--extracts", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"trust: TRUST_EXTRACTS: {tmp_path / 'nowhere'} does not exist. Fix: point TRUST_EXTRACTS at the "
                   "folder the weekly export writes (or unset it for the demo data)")


@pytest.mark.parametrize("argv", [["validate", "--bogus"], ["nonsense"], [], ["demo", "--customers", "-5"],
                                  ["demo", "--customers", "many"]])
def test_bad_usage_is_one_line_and_exit_2(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("trust") and len(err.splitlines()) == 1


def test_an_invalid_setting_is_one_line_and_exit_2(tmp_path, env, capsys):
    env(threads="lots")
    assert main(["validate", "--extracts", str(write_extracts(tmp_path))]) == 2
    assert "TRUST_THREADS" in capsys.readouterr().err


def test_the_console_script_is_installed(tmp_path):
    script = Path(sys.executable).parent / "trust"
    result = subprocess.run([str(script), "validate", "--extracts", str(tmp_path / "x")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2 and "does not exist" in result.stderr


def test_demo_can_end_on_another_date(tmp_path, capsys):
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out), "--customers", "300", "--latest", "2026-12-06"]) == 0
    assert (out / "customers" / "snapshot_date=2026-12-06").is_dir()
    assert main(["validate", "--extracts", str(out)]) == 0
    assert main(["demo", "--out", str(tmp_path / "x"), "--latest", "soon"]) == 2


def test_what_the_engine_logs_reaches_a_gate_as_one_line_never_a_traceback():
    """A failure the engine logs and carries on from (a family of facts, a table Spark could not read) is one
    line on stderr in a command's output."""
    script = ("import logging\nfrom trust.logs import one_line_logging\none_line_logging()\n"
              "try:\n    raise ValueError('the routine EPOCH_US does not exist\\n  at line 3')\n"
              "except ValueError:\n    logging.getLogger('trust.spark.loading').exception('loading staff failed')\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).parents[1])
    assert done.stderr == "trust: loading staff failed: the routine EPOCH_US does not exist\n"
