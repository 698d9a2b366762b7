"""`trust check` and `trust preflight`: formats, the documented JSON shape and exit codes."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree as ET

import pytest

from tests.builders import HEALTHY, write_extracts
from trust.checks.registry import CHECKS
from trust.cli import main


@pytest.fixture
def demo(demo_extracts) -> str:
    return str(demo_extracts)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


NUMBER = (int, float)
OPTIONAL_NUMBER = (int, float, type(None))
OPTIONAL_TEXT = (str, type(None))

# The documented shape of `trust check --format json` (README, "Machine-readable output").
SHAPE = {
    "as_of": str, "team": OPTIONAL_TEXT, "snapshot": OPTIONAL_TEXT,
    "checks": [{"id": str, "layer": str, "title": str, "status": str, "score": OPTIONAL_NUMBER,
                "score_of": OPTIONAL_TEXT, "reason": OPTIONAL_TEXT, "summary": str, "metrics": dict,
                "owner": OPTIONAL_TEXT, "scope": str, "self_assessed": bool, "why": str, "remediation": str,
                "evidence": (dict, type(None))}],
    "readiness": {"stage": int, "name": str, "blocking": list, "blockers": [{"id": str, "reason": str}],
                  "next": OPTIONAL_TEXT},
    "layers": [{"layer": str, "title": str, "score": OPTIONAL_NUMBER, "status": str, "assessed": int,
                "not_assessed": int}],
    "signal_score": OPTIONAL_NUMBER, "uniqueness": OPTIONAL_NUMBER,
    "signal_scores": [{"field": str, "completeness": NUMBER, "validity": NUMBER, "freshness": NUMBER,
                       "score": NUMBER, "owner": OPTIONAL_TEXT}],
    "preflight": [{"journey_id": str, "name": OPTIONAL_TEXT, "team": OPTIONAL_TEXT, "owner": OPTIONAL_TEXT,
                   "status": str, "audience": int, "blocking": int, "warnings": int}],
    "anomalies": [{"field": str, "value": OPTIONAL_TEXT, "snapshot_date": str, "share": NUMBER, "baseline": NUMBER,
                   "kind": str}],
    "approval": {"rate": OPTIONAL_NUMBER, "requiring_approval": (int, type(None)), "compliant": (int, type(None)),
                 "by": (dict, type(None))},
    "contract_errors": list,
    "changes": {"day": str, "compared_with": OPTIONAL_TEXT, "stage": {"now": int, "before": (int, type(None))},
                "new_failures": list, "regressions": list, "fixed": list, "improved": list,
                "no_longer_assessed": list, "not_compared": list,
                "new_anomalies": [{"field": str, "value": OPTIONAL_TEXT, "snapshot_date": str, "kind": str}],
                "going_live": [{"journey_id": str, "name": OPTIONAL_TEXT, "team": OPTIONAL_TEXT,
                                "owner": OPTIONAL_TEXT, "go_live_at": str, "status": str}],
                "answers_expiring": list, "overclaims": list, "overdue_actions": list},
}


def conforms(value, shape, path="$"):
    if isinstance(shape, dict):
        assert isinstance(value, dict), path
        assert set(value) == set(shape), f"{path}: keys {sorted(value)} != {sorted(shape)}"
        for key, sub in shape.items():
            conforms(value[key], sub, f"{path}.{key}")
    elif isinstance(shape, list):
        assert isinstance(value, list), path
        for i, item in enumerate(value):
            conforms(item, shape[0], f"{path}[{i}]")
    else:
        assert isinstance(value, shape), f"{path}: {value!r} is not {shape}"


def test_json_output_matches_its_documented_shape(demo, capsys):
    code, out, _ = run(capsys, "check", "--extracts", demo, "--format", "json")
    assert code == 1
    payload = json.loads(out)
    conforms(payload, SHAPE)
    assert len(payload["checks"]) == len(CHECKS)
    statuses = {"pass", "warn", "fail", "not_assessed", "error"}
    for check in payload["checks"]:
        assert check["status"] in statuses
        assert check["score"] is None or 0 <= check["score"] <= 100
        if check["evidence"]:
            assert set(check["evidence"]) == {"kind", "total", "columns", "rows", "owners"}
    owners = [c["owner"] for c in payload["checks"] if c["owner"]] + [j["owner"] for j in payload["preflight"]]
    assert owners and not [o for o in owners if re.fullmatch(r"E\d{3}", o)]  # people by name, never a bare ID
    blockers = payload["readiness"]["blockers"]
    assert blockers and all(b["reason"] for b in blockers)
    assert [b["id"] for b in blockers] == payload["readiness"]["blocking"]
    rates = [payload["approval"]["rate"]] + [s[k] for s in payload["signal_scores"]
                                              for k in ("completeness", "validity", "freshness")]
    assert all(0 <= r <= 1 for r in rates if r is not None)
    assert 0 <= payload["readiness"]["stage"] <= 3


def test_exit_codes_and_fail_on(tmp_path, capsys):
    healthy = write_extracts(tmp_path / "ok")
    code, out, _ = run(capsys, "check", "--extracts", str(healthy))
    statuses = {line.split()[0] for line in out.splitlines() if line.startswith("  ")}
    assert "FAIL" not in statuses and "ERROR" not in statuses
    assert code == 0
    warn_root = write_extracts(tmp_path / "warn", {"training": [], "staff": HEALTHY["staff"]}, skip=["training"])
    (warn_root / "training.csv").write_text(
        "employee_id,course_id,category,completed_on\nE1,AIS,ai_safety,2026-09-01\nE2,X,other,2026-09-01\n")
    code, out, _ = run(capsys, "check", "--extracts", str(warn_root))
    assert "WARN   culture.upskilling" in out and code == 0
    assert run(capsys, "check", "--extracts", str(warn_root), "--fail-on", "warn")[0] == 1


def test_a_broken_table_still_prints_json_and_exits_1(tmp_path, capsys):
    root = write_extracts(tmp_path / "x")
    (root / "pilots.csv").write_text("pilot_id\nP1\n")
    code, out, _err = run(capsys, "check", "--extracts", str(root), "--format", "json")
    assert code == 1
    payload = json.loads(out)
    pilot = next(c for c in payload["checks"] if c["id"] == "measurement.pilot_criteria")
    assert pilot["status"] == "error" and "pilots" in pilot["summary"]
    assert {e["table"] for e in payload["contract_errors"]} == {"pilots"}
    others = [c for c in payload["checks"] if c["id"] != "measurement.pilot_criteria"]
    assert all(c["status"] != "error" for c in others)


@pytest.mark.parametrize("argv", [
    ["check", "--format", "xml"], ["check", "--as-of", "22/11/2026"], ["check", "--fail-on", "never"],
    ["preflight"], ["check", "--team"],
])
def test_usage_errors_are_one_line_and_exit_2(argv, capsys, tmp_path):
    code, out, err = run(capsys, *argv, "--extracts", str(write_extracts(tmp_path))) if argv[-1] != "--team" \
        else run(capsys, *argv)
    assert code == 2 and len(err.strip().splitlines()) == 1 and out == ""


def test_unknown_team_and_missing_folder_exit_2(demo, tmp_path, capsys):
    code, _, err = run(capsys, "check", "--extracts", demo, "--team", "finance")
    assert code == 2 and "unknown team 'finance'" in err and "crm" in err
    code, _, err = run(capsys, "check", "--extracts", str(tmp_path / "none"))
    assert code == 2 and err.strip().startswith(f"trust: TRUST_EXTRACTS: {tmp_path / 'none'} does not exist. Fix:")


def test_junit_lists_each_check_as_a_test_case(demo, capsys):
    code, out, _ = run(capsys, "check", "--extracts", demo, "--format", "junit")
    suite = ET.fromstring(out).find("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == len(CHECKS) and code == 1
    failures = {c.get("name") for c in cases if c.find("failure") is not None}
    skipped = {c.get("name") for c in cases if c.find("skipped") is not None}
    assert "accountability.crisis_comms" in failures and "culture.brand_voice" in skipped
    assert int(suite.get("failures")) == len(failures)
    tolerance = next(c for c in cases if c.get("name") == "measurement.tolerances")
    assert "Owner: Mateo Rossi (crm)" in tolerance.find("failure").text  # by name and team, not E014
    assert "owner=Mateo Rossi (crm)" in tolerance.find("system-out").text
    code, out, _ = run(capsys, "check", "--extracts", demo, "--format", "junit", "--fail-on", "warn")
    warned = {c.get("name") for c in ET.fromstring(out).iter("testcase") if c.find("failure") is not None}
    assert "governance.approval_compliance" in warned and warned > failures


def test_team_and_as_of_change_the_result(demo, capsys):
    _, out, _ = run(capsys, "check", "--extracts", demo, "--format", "json", "--team", "brand")
    brand = json.loads(out)
    assert brand["team"] == "brand" and all(j["team"] == "brand" for j in brand["preflight"])
    _, out, _ = run(capsys, "check", "--extracts", demo, "--format", "json", "--as-of", "2026-10-04")
    assert json.loads(out)["as_of"] == "2026-10-04" and json.loads(out)["snapshot"] == "2026-10-04"


def test_preflight_gate(demo, capsys):
    code, out, _ = run(capsys, "preflight", "--extracts", demo, "--journey", "JRN-GRW-02")
    assert code == 1 and "FAIL" in out and "not in the current snapshot" in out
    code, out, _ = run(capsys, "preflight", "--extracts", demo, "--journey", "JRN-GRW-01", "--format", "json")
    payload = json.loads(out)
    assert code == 0 and payload["status"] == "warn" and payload["failures"]
    assert all(f["severity"] == "warning" for f in payload["failures"])
    code, out, _ = run(capsys, "preflight", "--extracts", demo, "--journey", "JRN-CRM-01")
    assert code == 0 and "PASS" in out
    code, _, err = run(capsys, "preflight", "--extracts", demo, "--journey", "JRN-NOPE")
    assert code == 2 and "no journey 'JRN-NOPE'" in err
