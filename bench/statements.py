"""Where one run's time goes: each statement of queries/ that a `trust check` (or a warm 8-week trend) ran on
the scale data set, with its wall time and CPU, costliest first.

Run `.venv/bin/python bench/statements.py` (or `--trend`). It runs `trust check --format json` in this process
on an export no run has seen (an empty TRUST_FACTS_CACHE), as bench/checks.py's "new export" run does; with
`--trend`, one evaluation and then the 8-week trend in a process that has evaluated once (what the app sees).
Each statement's time is its own: a statement that first makes a table it reads (item_trails before
content_flags) is charged for its own SQL only, and one that waits for a table another lane is making counts
the wait in its wall time, not in its CPU. CPU is the calling thread's: with two cores, each of the
engine's two lanes runs its statement on its own thread (DuckDB gets one thread per lane, see
trust.extracts.database), so it is the statement's CPU; with more cores DuckDB adds helper threads whose CPU
is not counted, and the wall time is the figure to read. It prints figures and never fails on a time.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.checks import DATA, ensure_data  # noqa: E402
from trust.extracts import database  # noqa: E402

# The methods of the engine's database through which every statement of queries/ runs (each runs SQL of its
# own, and may first call another to make what it reads).
TIMED = ("materialise", "_create", "build", "execute", "run")


class Ledger:
    """Each statement's wall time and CPU, without the time of the statements it made first."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.local = threading.local()
        self.spent: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])  # calls, wall, CPU

    def wrap(self, method):
        ledger = self

        def timed(db, *args, **kwargs):
            name = next((a for a in args if isinstance(a, str)), "?")
            label = "(other SQL)" if method.__name__ == "run" else name
            stack = ledger.local.__dict__.setdefault("stack", [])
            stack.append([0.0, 0.0])  # the wall time and CPU of the statements this one makes first
            wall, cpu = time.perf_counter(), time.thread_time()
            try:
                return method(db, *args, **kwargs)
            finally:
                wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
                inner_wall, inner_cpu = stack.pop()
                if stack:
                    stack[-1][0] += wall
                    stack[-1][1] += cpu
                with ledger.lock:
                    entry = ledger.spent[label]
                    entry[0] += 1
                    entry[1] += wall - inner_wall
                    entry[2] += cpu - inner_cpu
        return timed


def measure(trend: bool) -> tuple[Ledger, float, float]:
    ledger = Ledger()
    for name in TIMED:
        setattr(database.Database, name, ledger.wrap(getattr(database.Database, name)))
    facts = Path(tempfile.mkdtemp(prefix="trust-bench-statements-"))
    os.environ["TRUST_FACTS_CACHE"] = str(facts)
    wall, cpu = time.perf_counter(), time.process_time()
    if trend:
        from trust.engine import evaluate
        from trust.engine import trend as weekly
        from trust.settings import Settings

        settings = Settings(extracts=DATA)
        db = database.Database(settings.extracts_path, settings.memory_limit, settings.threads)
        extracts = db.load()
        evaluate(db, extracts, settings)
        ledger.spent.clear()
        wall, cpu = time.perf_counter(), time.process_time()
        weekly(db, extracts, settings, weeks=8)
    else:
        from trust import cli

        with contextlib.redirect_stdout(io.StringIO()):
            cli.main(["check", "--extracts", str(DATA), "--format", "json"])
    return ledger, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trend", action="store_true", help="a warm 8-week trend instead of a trust check")
    args = parser.parse_args()
    ensure_data()
    ledger, wall, cpu = measure(args.trend)
    what = "warm 8-week trend" if args.trend else "trust check --format json on a new export (in this process)"
    print(f"\n{what}: {wall:.2f} s wall, {cpu:.2f} s CPU in all (every thread of the process)")
    # A statement is computed once per evaluation (or per load) and its later calls find it made: `calls` counts
    # them all, the time is the computing.
    print(f"{'statement':<28} {'calls':>5} {'wall s':>8} {'CPU s':>8} {'CPU %':>6}")
    rows = sorted(ledger.spent.items(), key=lambda kv: -kv[1][2])
    for name, (calls, seconds, used) in rows:
        if used >= 0.005 or seconds >= 0.01:
            print(f"{name:<28} {calls:>5} {seconds:8.2f} {used:8.2f} {100 * used / cpu:6.1f}")
    counted = sum(v[2] for v in ledger.spent.values())
    print(f"{'(the statements together)':<28} {'':>5} {'':>8} {counted:8.2f} {100 * counted / cpu:6.1f}")
    print("The rest of the CPU is Python: judging, output, and (for trust check) the imports and the load.")


if __name__ == "__main__":
    main()
