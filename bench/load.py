"""Load and soak of the app at the protocol level: many websocket sessions rerunning the Overview.

Each session speaks Streamlit's own protocol (the `websockets` package and Streamlit's protobuf messages):
it opens the app, then reruns the Overview after a think time, and times each rerun from the request to the
server's "script finished". Errors are failed connections, runs that end badly and exceptions on the page.
The client runs on the same two cores as the server, so every figure includes its cost too.

    .venv/bin/python bench/load.py                 # the three load scenarios of issue 13 (about 12 minutes)
    .venv/bin/python bench/load.py --soak          # 10 sessions for 30 minutes, a new export half-way
    .venv/bin/python bench/load.py --sessions 5 --duration 20 --processes 2   # one scenario

Loopback only, bounded in sessions and time. It prints figures and never fails on a time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import websockets  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from tests.appserver import app_server, proxy  # noqa: E402

DEMO = ROOT / "bench" / "data" / "demo"
LATEST = re.compile(r"Latest snapshot (\d{4}-\d{2}-\d{2})")
TARGETS = {"think_p95_s": 2.0, "busy_p95_s": 6.0, "rss_growth": 0.10}


@dataclass
class Tally:
    """What the sessions saw: rerun times, errors, and each page's dates (for the soak's consistency check)."""

    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Per export (named by the latest snapshot the sidebar shows), the headline figures each page showed.
    figures: dict[str, set[tuple]] = field(default_factory=dict)
    landed: float | None = None  # when the soak's new export finished landing
    stale: int = 0  # runs started after it that still showed the old export


async def _run(ws, page_hash: str, tally: Tally) -> str:
    """One run of the page: request it, read every message until the script finishes; returns the page hash."""
    started = time.monotonic()
    request = BackMsg()
    request.rerun_script.query_string = ""
    request.rerun_script.page_script_hash = page_hash
    await ws.send(request.SerializeToString())
    latest, metrics = None, []
    while True:
        message = ForwardMsg()
        message.ParseFromString(await ws.recv())
        kind = message.WhichOneof("type")
        if kind == "navigation":
            page_hash = message.navigation.page_script_hash or page_hash
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element
            which = element.WhichOneof("type")
            if which == "exception":
                tally.errors.append(f"exception on the page: {element.exception.message[:200]}")
            elif which == "markdown" and LATEST.search(element.markdown.body):
                latest = LATEST.search(element.markdown.body).group(1)
            elif which == "metric":
                metrics.append((element.metric.label, element.metric.body, element.metric.delta))
        elif kind == "script_finished":
            if message.script_finished not in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_EARLY_FOR_RERUN):
                tally.errors.append(f"run ended with status {message.script_finished}")
            if message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY and latest:
                # One export and one week give one set of figures: a second set under the same export is a
                # page that mixed the exports' results.
                tally.figures.setdefault(latest, set()).add(tuple(metrics))
                if tally.landed is not None and started > tally.landed and latest == min(tally.figures):
                    tally.stale += 1
            return page_hash


async def session(url: str, think: tuple[float, float], until: float, tally: Tally, seed: int) -> None:
    rng = random.Random(seed)
    try:
        async with websockets.connect(url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"],
                                      max_size=2**26, open_timeout=60, ping_interval=None) as ws:
            page_hash = await _run(ws, "", Tally())  # the session's first page, not timed
            while time.monotonic() < until:
                await asyncio.sleep(rng.uniform(*think))
                started = time.perf_counter()
                page_hash = await _run(ws, page_hash, tally)
                tally.times.append(time.perf_counter() - started)
    except Exception as exc:  # a refused or dropped connection is an error of the run, not of the client
        tally.errors.append(f"{type(exc).__name__}: {exc}"[:200])


def _cpu_seconds(pids: list[int]) -> float:
    """User and system CPU the processes have used so far."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


async def _page_costs(url: str, pids: list[int], runs: int) -> dict[str, tuple[float, float]]:
    """Each page's server CPU and wall time for one warm rerun, in one session (means over `runs` reruns)."""
    costs = {}
    async with websockets.connect(url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=2**26, open_timeout=60, ping_interval=None) as ws:
        pages = await _pages(ws)
        for name, page_hash in pages.items():
            for _ in range(3):  # warm: the page's first runs fill its caches
                await _run(ws, page_hash, Tally())
            cpu, started = _cpu_seconds(pids), time.perf_counter()
            for _ in range(runs):
                await _run(ws, page_hash, Tally())
            costs[name] = ((_cpu_seconds(pids) - cpu) / runs, (time.perf_counter() - started) / runs)
    return costs


async def _pages(ws) -> dict[str, str]:
    """The app's pages (address to script hash), from the navigation the first run sends."""
    request = BackMsg()
    request.rerun_script.query_string = ""
    await ws.send(request.SerializeToString())
    pages = {}
    while True:
        message = ForwardMsg()
        message.ParseFromString(await ws.recv())
        if message.WhichOneof("type") == "navigation":
            pages.update({p.url_pathname or "overview": p.page_script_hash for p in message.navigation.app_pages
                          if not p.is_hidden})
        if message.WhichOneof("type") == "script_finished":
            return pages


def page_costs(url: str, runs: int = 15) -> dict[str, tuple[float, float]]:
    """Server CPU seconds and wall seconds of a warm rerun of each page of the app served at `url`."""
    return asyncio.run(_page_costs(url, _server_pids(int(url.rsplit(":", 1)[1])), runs))


class Sampler:
    """The server processes' resident memory and open files, every few seconds."""

    def __init__(self, pids: list[int]) -> None:
        self.pids, self.rows = pids, []

    def sample(self) -> None:
        rss = fds = 0
        for pid in self.pids:
            status = Path(f"/proc/{pid}/status").read_text()
            rss += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))) * 1024
            fds += len(os.listdir(f"/proc/{pid}/fd"))
        self.rows.append((time.monotonic(), rss, fds))

    async def run(self, until: float, every: float = 5.0) -> None:
        while time.monotonic() < until:
            self.sample()
            await asyncio.sleep(every)


def _server_pids(port: int) -> list[int]:
    """The Streamlit processes listening on `port` (found by their command line)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                command = (proc / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"streamlit" in b" ".join(command) and str(port).encode() in command:
                found.append(int(proc.name))
    return found


async def _load(url: str, sessions: int, think: tuple[float, float], seconds: float, sampler: Sampler,
                during=None, tally: Tally | None = None) -> Tally:
    tally = tally or Tally()
    until = time.monotonic() + seconds
    tasks = [session(url, think, until, tally, seed) for seed in range(sessions)]
    extra = [sampler.run(until)] + ([during()] if during else [])
    await asyncio.gather(*tasks, *extra)
    return tally


def scenario(extracts: Path, sessions: int, think: tuple[float, float], seconds: float, processes: int,
             during=None, tally: Tally | None = None) -> tuple[Tally, Sampler]:
    folder = Path(tempfile.mkdtemp(prefix="trust-load-"))
    shared = {"TRUST_STATE": str(folder / "state.db"), "TRUST_AUDIT_KEY_FILE": str(folder / "audit.key")}
    try:
        with ExitStack() as stack:
            urls = []
            for n in range(processes):
                (folder / str(n)).mkdir()
                urls.append(stack.enter_context(app_server(extracts, folder / str(n) / "streamlit.log", env=shared)))
            pids = [pid for u in urls for pid in _server_pids(int(u.rsplit(":", 1)[1]))]
            url = urls[0] if processes == 1 else stack.enter_context(
                proxy([u.removeprefix("http://") for u in urls], folder / "caddy.log"))
            asyncio.run(_load(url, 1, (0, 0), 1, Sampler(pids)))  # warm the caches once: the first Overview
            sampler = Sampler(pids)
            return asyncio.run(_load(url, sessions, think, seconds, sampler, during, tally)), sampler
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def report(name: str, tally: Tally, seconds: float) -> dict:
    times = sorted(tally.times)

    def p(q: float) -> float:
        return times[min(len(times) - 1, int(q * len(times)))] if times else float("nan")

    figures = {"scenario": name, "reruns": len(times), "per_s": len(times) / seconds, "p50_s": p(0.50),
               "p95_s": p(0.95), "max_s": times[-1] if times else float("nan"), "errors": len(tally.errors)}
    print(f"{name:<46} {len(times):>6} {figures['per_s']:>6.1f} {figures['p50_s']:>7.2f} {figures['p95_s']:>7.2f} "
          f"{figures['max_s']:>7.2f} {len(tally.errors):>6}", flush=True)
    for error in sorted(set(tally.errors))[:5]:
        print(f"    error: {error}")
    return figures


HEADER = f"{'scenario':<46} {'reruns':>6} {'per s':>6} {'p50 s':>7} {'p95 s':>7} {'max s':>7} {'errors':>6}"


def load(args) -> None:
    print("Load on the demo (the client shares the machine's 2 cores with the server):")
    print(HEADER)
    think = tuple(float(x) for x in args.think.split(","))
    runs = ([(args.sessions, think, args.duration, args.processes)] if args.sessions else
            [(50, (3.0, 8.0), 300, 1), (50, (3.0, 8.0), 300, 2), (30, (0.0, 0.0), 120, 1)])
    for sessions, pause, seconds, processes in runs:
        name = (f"{sessions} sessions, think {pause[0]:g}-{pause[1]:g} s, {seconds:g} s, "
                f"{processes} process{'es' if processes > 1 else ''}")
        if processes > 1 and shutil.which("caddy") is None:  # several processes sit behind deploy/'s Caddy
            print(f"{name:<46} not run: Caddy is not installed (apt-get install caddy)", flush=True)
            continue
        tally, _ = scenario(DEMO, sessions, pause, seconds, processes)
        report(name, tally, seconds)
    print(f"targets: p95 <= {TARGETS['think_p95_s']} s with think time, <= {TARGETS['busy_p95_s']} s without; "
          "0 errors")


def soak(args) -> None:
    """10 sessions with think time for `duration` seconds; half-way, a new export lands in the extracts."""
    from trust.demo import write_demo

    extracts = Path(tempfile.mkdtemp(prefix="trust-soak-")) / "extracts"
    shutil.copytree(DEMO, extracts)
    seconds = args.duration or 1800.0

    tally = Tally()

    async def new_export() -> None:
        await asyncio.sleep(seconds / 2)
        demo = json.loads((extracts / ".trust-demo").read_text())
        await asyncio.to_thread(write_demo, extracts, demo["customers"], demo["seed"], _next_week(extracts))
        tally.landed = time.monotonic()

    tally, sampler = scenario(extracts, 10, (3.0, 8.0), seconds, 1, new_export, tally)
    shutil.rmtree(extracts.parent, ignore_errors=True)
    print("Soak on the demo, 10 sessions with 3-8 s think time (the client shares the 2 cores):")
    print(HEADER)
    report(f"soak, {seconds / 60:g} min", tally, seconds)
    warm = [r for r in sampler.rows if r[0] >= sampler.rows[0][0] + min(300, seconds / 6)]
    start_rss, end_rss = warm[0][1], warm[-1][1]
    fds = [r[2] for r in warm]
    growth = (end_rss - start_rss) / start_rss
    peak = max(r[1] for r in sampler.rows) / 2**20
    print(f"server RSS after warm-up {start_rss / 2**20:.0f} MB -> {end_rss / 2**20:.0f} MB at the end "
          f"({growth:+.1%}; target < {TARGETS['rss_growth']:.0%}), peak {peak:.0f} MB (DuckDB's share of it is "
          "bounded by TRUST_MEMORY_LIMIT, 2GB)")
    print(f"open files after warm-up: {min(fds)} to {max(fds)} (first {fds[0]}, last {fds[-1]})")
    shown = {latest: len(sets) for latest, sets in sorted(tally.figures.items())}
    print(f"exports the sessions saw (by latest snapshot): {', '.join(shown) or 'none'}; sets of headline figures "
          f"per export: {', '.join(map(str, shown.values()))} (1 each: no page mixed two exports); runs after "
          f"the new export landed that still showed the old one: {tally.stale}")


def _next_week(extracts: Path):
    from datetime import date, timedelta

    latest = json.loads((extracts / ".trust-demo").read_text())["latest"]
    return date.fromisoformat(latest) + timedelta(days=7)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--soak", action="store_true", help="the soak instead of the load scenarios")
    parser.add_argument("--sessions", type=int, help="one scenario with this many sessions")
    parser.add_argument("--think", default="3,8", help="think time between reruns, min,max seconds")
    parser.add_argument("--duration", type=float, help="seconds (default: 300 per load scenario, 1800 soak)")
    parser.add_argument("--processes", type=int, default=1, help="app processes (2 or more: behind Caddy)")
    args = parser.parse_args()
    if args.sessions is not None and args.duration is None:
        args.duration = 60.0
    if not (DEMO / ".trust-demo").exists():
        from trust.demo import write_demo

        write_demo(DEMO)
    soak(args) if args.soak else load(args)


if __name__ == "__main__":
    main()
