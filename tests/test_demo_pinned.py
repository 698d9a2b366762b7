"""The demo's verdicts are pinned: `trust check --format json` must match the recorded output exactly,
so any drift in a status, score, figure, summary or record shows up as a failing test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trust import cli

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize(("args", "golden"), [
    ((), "demo-check.json"),
    (("--team", "crm"), "demo-check-crm.json"),
    (("--as-of", "2026-11-08"), "demo-check-2026-11-08.json"),
])
def test_the_demo_verdicts_match_the_recorded_ones(demo_extracts, capsys, args, golden):
    code = cli.main(["check", "--extracts", str(demo_extracts), "--format", "json", *args])
    out = capsys.readouterr().out
    assert code == 1  # the demo plants failures
    assert json.loads(out) == json.loads((GOLDEN / golden).read_text(encoding="utf-8"))
