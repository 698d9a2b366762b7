"""How reliably the weekly pack's chart is drawn while every core is busy (kaleido's start-up race).

Run `.venv/bin/python bench/chart_race.py [renders] [busy processes]` (defaults: 60 renders, one busy process
per core; needs Debian's chromium). It draws the pack's chart `renders` times through
trust.views.static_chart, each in a new kaleido browser as `trust report` does, while that many processes spin
on the CPU, and prints how many renders failed, how many had to wait for kaleido's page to run its script
(the race: kaleido took the new-tab page's load event for its own page's) and the longest wait. A
reliability figure, not a timed test: it prints and never fails.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import plotly.graph_objects as go  # noqa: E402

from trust.views import static_chart  # noqa: E402


def spin() -> None:
    while True:
        pass


def main() -> None:
    renders = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    busy = int(sys.argv[2]) if len(sys.argv) > 2 else os.cpu_count() or 1
    asked: list[int] = [0]
    answer = static_chart._script_state

    async def counted(tab):
        asked[0] += 1
        return await answer(tab)

    static_chart._script_state = counted  # counts the looks at kaleido's page; draws as trust report does
    spinners = [multiprocessing.Process(target=spin, daemon=True) for _ in range(busy)]
    for process in spinners:
        process.start()
    figure = go.Figure(go.Bar(x=[1, 2], y=[3, 4])).update_layout(width=720, height=260)
    failures, waits = [], []
    try:
        for n in range(renders):
            before, start = asked[0], time.perf_counter()
            try:
                if not static_chart.svg(figure).lstrip().startswith(b"<svg"):
                    failures.append(f"render {n}: not an SVG")
            except Exception as exc:  # every failure is a figure to report, not a reason to stop
                failures.append(f"render {n}: {type(exc).__name__}: {str(exc)[:120]}")
            if asked[0] - before > 1:
                waits.append(time.perf_counter() - start)
    finally:
        for process in spinners:
            process.terminate()
    print(f"{renders} renders with {busy} busy processes on {os.cpu_count()} cores: {len(failures)} failed; "
          f"{len(waits)} waited for kaleido's page"
          + (f", the longest render that waited took {max(waits):.2f} s" if waits else ""))
    for failure in failures:
        print(f"  {failure}")


if __name__ == "__main__":
    main()
