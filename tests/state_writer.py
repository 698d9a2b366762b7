"""A writer process for the durability tests: saves answers in a loop and prints each acknowledged one."""

from __future__ import annotations

import sys
from pathlib import Path

from trust.state import assessments as A
from trust.state.access import Identity

WRITER = Identity("writer@example.com", "Writer", "leadership")


def main(state: str, key: str, team: str, check_id: str, count: int) -> None:
    store = A.Store(Path(state), Path(key))
    done = 0
    while count < 0 or done < count:
        current = {a.check_id: a for a in A.current_answers(store, team)}.get(check_id)
        version = current.version if current else 0
        answer = A.ANSWERS[(version + done) % 3]
        try:
            saved = A.save_answers(store, WRITER, team, [A.AnswerInput(check_id, answer, f"save {done}",
                                                                       based_on=version)])
        except A.StaleAnswer:
            continue  # another writer got there first: read again and retry
        if saved:
            # Acknowledged: the transaction is committed (and durable) before this line is printed.
            print(f"{team} {check_id} {saved[0].version}", flush=True)
            done += 1


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
