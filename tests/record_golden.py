"""Re-record the pinned `trust check --format json` of the demo (`make golden`), after a change that is
meant to move a verdict: review the diff of tests/golden/ before committing it."""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"
# Each pinned output: its file and the arguments of `trust check` besides the extracts.
VARIANTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("demo-check.json", ()),
    ("demo-check-crm.json", ("--team", "crm")),
    ("demo-check-2026-11-08.json", ("--as-of", "2026-11-08")),
)
DEMO_CUSTOMERS = 1000  # the size of the test session's demo (tests/conftest.py)


def check_json(extracts: Path, args: tuple[str, ...]) -> str:
    """The output of `trust check --format json` on `extracts`, with an empty state store."""
    from trust import cli

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli.main(["check", "--extracts", str(extracts), "--format", "json", *args])
    return out.getvalue()


def main() -> None:
    from trust.demo import write_demo

    with tempfile.TemporaryDirectory() as folder:
        os.environ["TRUST_STATE"] = str(Path(folder) / "state.db")
        os.environ["TRUST_AUDIT_KEY_FILE"] = str(Path(folder) / "audit.key")
        extracts = Path(folder) / "extracts"
        write_demo(extracts, customers=DEMO_CUSTOMERS)
        for name, args in VARIANTS:
            (GOLDEN / name).write_text(check_json(extracts, args), encoding="utf-8")
            print(f"recorded tests/golden/{name}")


if __name__ == "__main__":
    main()
