"""Scale-out, measured: `trust check --format json` on DuckDB (embedded) and on Spark local[2], side by side,
on the scale data at 1M and 4M customers (x 12 weekly snapshots, with content items and audit events in
proportion). Each run is a fresh process; its peak memory is the largest sum of the resident sets of the process
and its descendants (Spark's JVM included), sampled from /proc every 0.1 s. The per-row costs it prints
feed docs/scale-out.md's projection.

Run `.venv/bin/python bench/engines.py [--sizes 1000000,4000000]` (the 4M set is written once, ~5 GB of RAM
to write, ~1 GB on disk). It prints figures and never fails on a time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data"


def data_set(customers: int) -> Path:
    sys.path.insert(0, str(ROOT))
    from trust.demo import DEMO_FORMAT, demo_format, write_demo

    folder = DATA / ("scale" if customers == 1_000_000 else f"scale{customers // 1_000_000}m")
    if demo_format(folder) != DEMO_FORMAT:
        print(f"Writing {customers:,} customers to {folder} (once)…", flush=True)
        write_demo(folder, customers=customers)
    return folder


def rows(folder: Path) -> int:
    import duckdb

    total = 0
    for path in sorted(folder.rglob("*.parquet")):
        total += duckdb.sql(f"SELECT count(*) FROM read_parquet('{path}')").fetchall()[0][0]
    return total


def tree_rss(pid: int) -> int:
    """Resident bytes of `pid` and every descendant."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))) * 1024
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def run(folder: Path, engine: str) -> dict:
    env = {**os.environ, "TRUST_ENGINE": engine, "TRUST_STATE": str(DATA / "bench-state.db"),
           "TRUST_AUDIT_KEY_FILE": str(DATA / "bench-audit.key")}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "trust.cli", "check", "--extracts", str(folder), "--format",
                                 "json"], stdout=out, stderr=err, text=True, env=env)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, tree_rss(proc.pid))
            time.sleep(0.1)
        seconds = time.perf_counter() - start
        peak /= 1024**3
        out.seek(0)
        err.seek(0)
        proc.stdout, proc.stderr = out.read(), err.read()
    statuses = {}
    if proc.stdout.strip():
        statuses = {r["id"]: r["status"] for r in json.loads(proc.stdout)["checks"]}
    return {"seconds": seconds, "peak_gb": peak, "exit": proc.returncode, "statuses": statuses,
            "error": proc.stderr.strip().splitlines()[-1] if proc.returncode not in (0, 1) else ""}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000,4000000")
    args = parser.parse_args()
    print(f"{'customers':>10} {'rows read':>12} {'engine':<8} {'wall s':>8} {'peak GB':>8} {'us/row':>8}  verdicts")
    for customers in (int(s) for s in args.sizes.split(",")):
        folder = data_set(customers)
        count = rows(folder)
        results = {engine: run(folder, engine) for engine in ("duckdb", "spark")}
        same = results["duckdb"]["statuses"] == results["spark"]["statuses"]
        for engine, r in results.items():
            per_row = r["seconds"] / count * 1e6
            note = "same as DuckDB" if same else "DIFFER" if engine == "spark" else ""
            print(f"{customers:>10,} {count:>12,} {engine:<8} {r['seconds']:8.1f} {r['peak_gb']:8.2f} "
                  f"{per_row:8.2f}  {note}{' ' + r['error'] if r['error'] else ''}", flush=True)


if __name__ == "__main__":
    main()
