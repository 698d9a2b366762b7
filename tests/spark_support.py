"""Running the Spark engine in tests: skipped where Java or pyspark is missing, except on CI
(TRUST_REQUIRE_SPARK=1), where that is a failure; a Spark Connect server started and stopped by the test;
and comparing two `trust check --format json` outputs figure by figure."""

from __future__ import annotations

import contextlib
import io
import math
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


def require_spark() -> None:
    """Skip (or, on CI, fail) when the Spark engine cannot run here."""
    problem = None
    if shutil.which("java") is None:
        problem = "Java is not installed (Debian: default-jre-headless)"
    else:
        try:
            import pyspark  # noqa: F401
        except ImportError:
            problem = "pyspark is not installed (pip install -e '.[spark]')"
    if problem and os.environ.get("TRUST_REQUIRE_SPARK") == "1":
        pytest.fail(f"the Spark parity suite must run on CI: {problem}")
    if problem:
        pytest.skip(problem)


def check_json(extracts: Path | None, *args: str) -> str:
    """`trust check --format json` run in this process with the TRUST_* environment in force."""
    from trust import cli

    out = io.StringIO()
    command = ["check", "--format", "json", *args] + (["--extracts", str(extracts)] if extracts else [])
    with contextlib.redirect_stdout(out):
        code = cli.main(command)
    assert code in (0, 1), f"trust check exited {code}"
    return out.getvalue()


def differences(a: object, b: object, path: str = "$") -> list[str]:
    """Where two JSON documents differ: any status, text, order or count; figures to 1e-9."""
    if isinstance(a, dict) and isinstance(b, dict):
        found = [f"{path}.{k}: only on one side" for k in sorted(set(a) ^ set(b))]
        for key in sorted(set(a) & set(b)):
            found += differences(a[key], b[key], f"{path}.{key}")
        return found
    if isinstance(a, list) and isinstance(b, list):
        found = [f"{path}: {len(a)} items against {len(b)}"] if len(a) != len(b) else []
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            found += differences(x, y, f"{path}[{i}]")
        return found
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (a, b))
    if numbers and (isinstance(a, float) or isinstance(b, float)) and math.isclose(a, b, rel_tol=1e-9,
                                                                                    abs_tol=1e-9):
        return []
    if a != b or (type(a) is not type(b) and not {type(a), type(b)} <= {int, float}):
        return [f"{path}: {a!r:.120} against {b!r:.120}"]
    return []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def connect_server(workdir: Path) -> Iterator[str]:
    """A Spark Connect server on a free local port, from the scripts pyspark ships; its URL."""
    import pyspark

    home = Path(pyspark.__file__).parent
    port = free_port()
    env = {**os.environ, "SPARK_HOME": str(home), "SPARK_LOG_DIR": str(workdir / "logs"),
           "SPARK_PID_DIR": str(workdir / "pids"), "SPARK_IDENT_STRING": f"trust{port}"}
    start = [str(home / "sbin" / "start-connect-server.sh"), "--master", "local[2]",
             "--conf", f"spark.connect.grpc.binding.port={port}",
             "--conf", "spark.connect.grpc.binding.address=127.0.0.1",
             "--conf", f"spark.sql.warehouse.dir={workdir / 'warehouse'}",
             "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.memory=1g"]
    subprocess.run(start, env=env, check=True, capture_output=True, timeout=120)
    try:
        deadline = time.monotonic() + 120
        while True:  # wait for the port, then for a first answer
            try:
                socket.create_connection(("127.0.0.1", port), timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    logs = "\n".join(p.read_text(errors="replace")[-2000:] for p in (workdir / "logs").glob("*"))
                    raise RuntimeError(f"the Spark Connect server did not open port {port}:\n{logs}") from None
                time.sleep(0.5)
        yield f"sc://127.0.0.1:{port}"
    finally:
        subprocess.run([str(home / "sbin" / "stop-connect-server.sh")], env=env, capture_output=True, timeout=120)
