"""Benchmark of the checks engine on the scale data set: wall time, peak memory and a lower bound.

Run `make bench` (or `.venv/bin/python bench/checks.py`). It writes the scale data set
(1M customers x 12 weekly snapshots, ~1M content items, ~4M audit events) to
bench/data/scale the first time, then measures, each in a fresh process so that peak
memory is the process's own:

- load: reading and validating every table into DuckDB (the strict contract pass);
- one date: the whole catalogue as of the latest snapshot, the first evaluation after load
  (it includes the per-load derived facts such as each item's audit-trail summary);
- trend: the same catalogue as of each of the last 8 weekly snapshots, first after load;
- warm: both again in a process that has already evaluated once (what the app sees);
- cli: `trust check --format json` end to end, as an orchestrator would run it;
- lower bound: DuckDB scanning the same columns of the same files once, nothing else.

It prints figures and never fails on a time.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data" / "scale"
CUSTOMERS = 1_000_000
TARGETS = {"one_date_s": 10.0, "lower_bound_ratio": 3.0, "peak_gb": 3.0, "trend_ratio": 2.5}

# The columns the checks read, per table file pattern.
SCANNED = {
    "customers/*/*.parquet": ["customer_id", "language", "region", "consent_email", "consent_sms", "consent_push",
                              "lifecycle_stage", "customer_status", "updated_at", "source_system"],
    "content_items.parquet": ["item_id", "team", "channel", "context", "ai_generated", "model_confidence",
                              "makes_commitment", "owner", "ai_label_applied", "created_at", "published_at"],
    "audit_events.parquet": ["item_id", "event_type", "actor_role", "occurred_at"],
    "journey_audience.parquet": ["journey_id", "customer_id", "snapshot_date"],
}


def peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def child(mode: str) -> dict:
    """Runs in a fresh process; prints one JSON line of figures."""
    sys.path.insert(0, str(ROOT))
    from trust.engine import evaluate, trend
    from trust.extracts.database import Database
    from trust.settings import Settings

    settings = Settings(extracts=DATA)
    started = time.perf_counter()
    db = Database(settings.extracts_path, settings.memory_limit, settings.threads)
    extracts = db.load()
    figures = {"load_s": time.perf_counter() - started, "errors": len(extracts.errors)}
    if mode == "warm":
        evaluate(db, extracts, settings)
    start = time.perf_counter()
    if mode in ("one", "warm"):
        evaluation = evaluate(db, extracts, settings)
        figures["one_date_s"] = time.perf_counter() - start
        figures["statuses"] = {r.id: r.status.value for r in evaluation.results}
    if mode in ("trend", "warm"):
        start = time.perf_counter()
        weeks = trend(db, extracts, settings, weeks=8)
        figures["trend_s"] = time.perf_counter() - start
        figures["weeks"] = len(weeks)
    figures["peak_gb"] = peak_gb()
    return figures


def lower_bound() -> dict:
    import duckdb

    from trust.settings import Settings

    settings = Settings()
    con = duckdb.connect(config={"threads": settings.threads, "memory_limit": settings.memory_limit})
    start = time.perf_counter()
    rows = 0
    for pattern, columns in SCANNED.items():
        hashed = ", ".join(f"sum(hash({c}))" for c in columns)
        result = con.execute(f"SELECT count(*), {hashed} FROM read_parquet($p)", {"p": str(DATA / pattern)})
        rows += result.fetchone()[0]
    return {"lower_bound_s": time.perf_counter() - start, "rows": rows, "peak_gb": peak_gb()}


def run_child(mode: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_cli() -> dict:
    trust = Path(sys.executable).parent / "trust"
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", str(trust), "check", "--extracts", str(DATA), "--format",
                           "json"], capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    peak = int(proc.stderr.strip().splitlines()[-1]) / 1024 / 1024 if Path("/usr/bin/time").exists() else None
    return {"cli_s": seconds, "exit": proc.returncode, "peak_gb": peak}


def ensure_data() -> None:
    sys.path.insert(0, str(ROOT))
    from trust.demo import DEMO_FORMAT, demo_format, write_demo

    if demo_format(DATA) == DEMO_FORMAT:
        return

    print(f"Writing the scale data set to {DATA} (once)…", flush=True)
    summary = write_demo(DATA, customers=CUSTOMERS)
    print(f"  {sum(summary.rows.values()):,} rows in {summary.seconds:.1f} s", flush=True)


def main() -> None:
    ensure_data()
    lower = json.loads(subprocess.run([sys.executable, __file__, "--child", "lower"], capture_output=True,
                                      text=True, check=True).stdout.strip().splitlines()[-1])
    one, weekly, warm = run_child("one"), run_child("trend"), run_child("warm")
    cli = run_cli() if Path("/usr/bin/time").exists() else {"cli_s": None, "exit": None, "peak_gb": None}
    lb = lower["lower_bound_s"]
    print(f"\nScale data: {DATA} ({lower['rows']:,} rows in the scanned tables)\n")
    rows = [
        ("lower bound: DuckDB scans the same columns once", lb, None, lower["peak_gb"]),
        ("load and validate every table", one["load_s"], None, None),
        ("one date, first evaluation after load", one["one_date_s"], one["one_date_s"] / lb, one["peak_gb"]),
        ("one date including load", one["load_s"] + one["one_date_s"], (one["load_s"] + one["one_date_s"]) / lb,
         None),
        ("8-week trend, first evaluation after load", weekly["trend_s"], weekly["trend_s"] / lb, weekly["peak_gb"]),
        ("one date, warm (app)", warm["one_date_s"], warm["one_date_s"] / lb, warm["peak_gb"]),
        ("8-week trend, warm (app)", warm["trend_s"], warm["trend_s"] / lb, None),
        ("trust check --format json, end to end", cli["cli_s"], (cli["cli_s"] or 0) / lb, cli["peak_gb"]),
    ]
    print(f"{'measure':<48} {'wall s':>8} {'x lower':>8} {'peak GB':>8}")
    for name, seconds, ratio, peak in rows:
        cells = [f"{seconds:8.2f}" if seconds is not None else f"{'-':>8}",
                 f"{ratio:8.2f}" if ratio is not None else f"{'-':>8}",
                 f"{peak:8.2f}" if peak is not None else f"{'-':>8}"]
        print(f"{name:<48} {' '.join(cells)}")
    print(f"\ntrend / one date: first after load {weekly['trend_s'] / one['one_date_s']:.2f}x, "
          f"warm {warm['trend_s'] / warm['one_date_s']:.2f}x (target <= {TARGETS['trend_ratio']}x)")
    print(f"targets: one date <= {TARGETS['one_date_s']} s, <= {TARGETS['lower_bound_ratio']}x the lower bound, "
          f"peak <= {TARGETS['peak_gb']} GB; contract errors in the scale data: {one['errors']}; "
          f"trust check exit code {cli['exit']}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(lower_bound() if sys.argv[2] == "lower" else child(sys.argv[2])))
    else:
        main()
