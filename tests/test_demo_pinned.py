"""The demo's verdicts are pinned: `trust check --format json` must match the recorded output exactly,
so any drift in a status, score, figure, summary or record shows up as a failing test. A change
meant to move a verdict re-records them with `make golden` (and the diff is reviewed)."""

from __future__ import annotations

import json

import pytest

from tests.record_golden import GOLDEN, VARIANTS, check_json


@pytest.mark.parametrize(("golden", "args"), VARIANTS, ids=[v[0] for v in VARIANTS])
def test_the_demo_verdicts_match_the_recorded_ones(demo_extracts, golden, args):
    assert json.loads(check_json(demo_extracts, args)) == json.loads((GOLDEN / golden).read_text(encoding="utf-8"))
