"""Durability and concurrency of the state store: killed writers, threads and processes lose nothing."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from trust.state import assessments as A
from trust.state.access import Identity

ROOT = Path(__file__).parents[1]
BOSS = Identity("boss@example.com", "Bo", "leadership")


def writer(state: Path, key: Path, check: str, count: int = -1, team: str = "crm") -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.state_writer", str(state), str(key), team, check,
                             str(count)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def acks(output: str) -> list[int]:
    return [int(line.split()[2]) for line in output.splitlines() if line.strip()]


def versions_in_log(store: A.Store, team: str, check: str) -> list[int]:
    return [c.after["version"] for c in reversed(A.history(store, team, check)) if c.action == "answer"]


def test_every_acknowledged_save_survives_a_writer_killed_again_and_again(tmp_path):
    state, key = tmp_path / "state.db", tmp_path / "audit.key"
    A.Store(state, key).close()  # create the store and key once, as the app would
    acknowledged: list[int] = []
    rng = random.Random(7)
    kills = 0
    for _ in range(25):
        process = writer(state, key, "culture.brand_voice")
        # Wait for the writer's first acknowledged save (however slow its start), then kill it at a random
        # moment of the saves that follow: mid-transaction, mid-commit or between two saves.
        first = process.stdout.readline()
        assert first, "the writer stopped before its first save: " + process.stderr.read()[-2000:]
        time.sleep(rng.uniform(0, 0.3))
        process.send_signal(signal.SIGKILL)
        out, _ = process.communicate()
        kills += process.returncode == -signal.SIGKILL
        acknowledged += acks(first + out)
    assert kills >= 20 and len(acknowledged) > 25
    store = A.Store(state, key)
    verification = A.verify(store)
    assert verification.ok, str(verification)
    logged = versions_in_log(store, "crm", "culture.brand_voice")
    assert set(acknowledged) <= set(logged), "an acknowledged save was lost"
    assert logged == list(range(1, len(logged) + 1))  # versions contiguous: nothing lost, nothing doubled
    current = A.current_answers(store, "crm")[0]
    assert current.version == logged[-1] >= max(acknowledged)


def test_concurrent_saves_from_threads_lose_no_update(tmp_path):
    store = A.Store(tmp_path / "state.db", tmp_path / "audit.key")
    checks = ["culture.brand_voice", "culture.workload_redesign", "culture.upskilling"]
    successes = {c: 0 for c in checks}
    refused = 0
    lock = threading.Lock()

    def work(check: str) -> None:
        nonlocal refused
        for i in range(12):
            while True:
                current = {a.check_id: a for a in A.current_answers(store, "crm")}.get(check)
                try:
                    A.save_answers(store, BOSS, "crm", [A.AnswerInput(
                        check, A.ANSWERS[i % 4], f"thread {threading.get_ident()} save {i}",
                        based_on=current.version if current else 0)])
                except A.StaleAnswer:
                    with lock:
                        refused += 1
                    continue
                with lock:
                    successes[check] += 1
                break

    threads = [threading.Thread(target=work, args=(c,)) for c in checks for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    current = {a.check_id: a.version for a in A.current_answers(store, "crm")}
    assert current == successes == dict.fromkeys(checks, 24)
    assert store.revision() == 72
    assert A.verify(store).ok


def test_two_processes_saving_the_same_answer_lose_nothing(tmp_path):
    state, key = tmp_path / "state.db", tmp_path / "audit.key"
    A.Store(state, key).close()
    first, second = writer(state, key, "culture.brand_voice", 20), writer(state, key, "culture.brand_voice", 20)
    outputs = [p.communicate(timeout=120) for p in (first, second)]
    assert first.returncode == second.returncode == 0, [o[1][-500:] for o in outputs]
    acked = acks(outputs[0][0]) + acks(outputs[1][0])
    assert sorted(acked) == list(range(1, 41))  # each version acknowledged to exactly one writer
    store = A.Store(state, key)
    assert A.current_answers(store, "crm")[0].version == 40
    assert A.verify(store).ok
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
