"""The command line's outputs: a readable table, the documented JSON object and JUnit XML."""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from decimal import Decimal
from xml.etree import ElementTree as ET

from trust.checks.model import Result, Status, shown_score
from trust.checks.registry import BY_ID
from trust.engine import Evaluation
from trust.extracts.errors import ContractError
from trust.facts.preflight import RULES
from trust.lookups import Gate
from trust.scoring import LayerScore
from trust.views.evidenced import credibility, credibility_line

STATUS_WORD = {Status.PASS: "PASS", Status.WARN: "WARN", Status.FAIL: "FAIL",
               Status.NOT_ASSESSED: "N/A", Status.ERROR: "ERROR"}


def plain(value):
    """JSON-safe values: ISO dates, plain numbers, no NaN or infinity."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def result_dict(result: Result, with_evidence: bool = True) -> dict:
    check = BY_ID[result.id]
    out = {
        "id": result.id, "layer": result.layer, "title": result.title, "status": result.status.value,
        "score": result.score, "score_of": result.score_of, "reason": result.reason, "summary": result.summary,
        "metrics": dict(result.metrics), "owner": result.owner, "scope": result.scope,
        "self_assessed": check.self_assessed, "why": check.why, "remediation": check.remediation,
    }
    if with_evidence:
        e = result.evidence
        out["evidence"] = None if e is None else {
            "kind": e.kind, "total": e.total, "columns": list(e.columns), "rows": [list(r) for r in e.rows],
            "owners": list(e.owners)}
    return out


def as_json(evaluation: Evaluation, errors: tuple[ContractError, ...] = ()) -> dict:
    """The machine-readable result documented in the README (and CHECKS.md)."""
    e = evaluation
    return plain({
        "as_of": e.as_of, "team": e.team, "snapshot": e.snapshot,
        "checks": [result_dict(r) for r in e.results],
        "readiness": e.readiness.as_dict(),
        "layers": [s.as_dict() for s in e.layers],
        "signal_score": shown_score(e.signal_score),  # rounded down, like signal_scores[].score
        "uniqueness": None if e.uniqueness is None else round(e.uniqueness, 6),
        "signal_scores": [s.as_dict() for s in e.signal_scores],
        "preflight": [{"journey_id": j.journey_id, "name": j.name, "team": j.team, "owner": j.owner,
                       "status": status.value, "audience": j.audience, "blocking": j.blocking,
                       "warnings": j.warned} for j, status in e.journeys],
        "anomalies": [{"field": a.field, "value": a.value, "snapshot_date": a.snapshot_date,
                       "share": round(a.share, 6), "baseline": round(a.baseline, 6), "kind": a.kind}
                      for a in e.anomalies],
        "approval": e.approval,
        "contract_errors": [err.as_dict() for err in errors],
    })


def dumps(payload: dict) -> str:
    return json.dumps(payload, indent=2, ensure_ascii=False)


def as_table(evaluation: Evaluation, errors: tuple[ContractError, ...] = ()) -> str:
    e = evaluation
    lines = [f"Trust checks as of {e.as_of.isoformat()} · "
             + (f"team {e.team}" if e.team else "all teams")
             + (f" · snapshot {e.snapshot.isoformat()}" if e.snapshot else " · no customer snapshot"), ""]
    width = max(len(r.id) for r in e.results)
    layers = {s.layer: s for s in e.layers}
    layer = None
    for r in e.results:
        if r.layer != layer:
            layer = r.layer
            lines.append(f"{layers[layer].title}: {layer_line(layers[layer])}")
        score = "    -" if r.score is None else f"{r.score:5.1f}"
        owner = f" [owner: {r.owner}]" if r.owner else ""
        scope = " (organisation-wide)" if e.team and r.scope != "team" else ""
        lines.append(f"  {STATUS_WORD[r.status]:<6} {r.id:<{width}} {score}  {r.summary}{scope}{owner}")
    lines += ["", f"Readiness: stage {e.readiness.stage}, {e.readiness.name}."]
    if e.readiness.next_stage:
        lines.append(f"Blocking '{e.readiness.next_stage}':")
        lines += [f"  {b.id}: {b.reason}" for b in e.readiness.blockers]
    lines.append(credibility_line(credibility(e)))
    if errors:
        lines += ["", f"{len(errors)} contract error(s); run `trust validate` for the list."]
    return "\n".join(lines)


def layer_line(layer: LayerScore) -> str:
    """A layer's score with its status beside it, and how many checks it rests on."""
    if layer.score is None:
        return f"not evidenced ({layer.not_assessed} of {layer.checks} checks not assessed)"
    rest = f", {layer.not_assessed} not assessed" if layer.not_assessed else ""
    return (f"{layer.score:.1f}, {STATUS_WORD[layer.status]} (share of {layer.assessed} assessed checks passing, "
            f"a warn counting half{rest})")


def as_junit(evaluation: Evaluation, fail_on: str = "fail") -> str:
    """JUnit XML: each check a test case, so CI systems show them one by one."""
    failing = {Status.FAIL} | ({Status.WARN} if fail_on == "warn" else set())
    suite = ET.Element("testsuite", name="trust", timestamp=f"{evaluation.as_of.isoformat()}T00:00:00",
                       tests=str(len(evaluation.results)))
    counts = {"failures": 0, "errors": 0, "skipped": 0}
    for r in evaluation.results:
        case = ET.SubElement(suite, "testcase", classname=f"trust.{r.layer}", name=r.id, time="0")
        owner = f"\nOwner: {r.owner}" if r.owner else ""
        detail = f"{r.summary}{owner}\nWhy: {BY_ID[r.id].why}\nRemediation: {BY_ID[r.id].remediation}"
        if r.status in failing:
            counts["failures"] += 1
            ET.SubElement(case, "failure", message=r.summary, type=r.status.value).text = detail
        elif r.status is Status.ERROR:
            counts["errors"] += 1
            ET.SubElement(case, "error", message=r.summary, type="error").text = detail
        elif r.status is Status.NOT_ASSESSED:
            counts["skipped"] += 1
            ET.SubElement(case, "skipped", message=r.summary)
        ET.SubElement(case, "system-out").text = (f"status={r.status.value} score={r.score}\n{r.summary}"
                                                  + (f"\nowner={r.owner}" if r.owner else ""))
    for key, value in counts.items():
        suite.set(key, str(value))
    suites = ET.Element("testsuites", name=f"trust as of {evaluation.as_of.isoformat()}")
    suites.append(suite)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True)


def gate_message(journey_id: str, gate: Gate, as_of) -> str:
    """Why a journey's pre-flight cannot be judged as of a date."""
    latest = gate.latest.isoformat() if gate.latest else "the latest snapshot"
    return (f"pre-flight of {journey_id} cannot be judged as of {as_of}: journey audiences carry no history "
            f"(journey_audience has no snapshot_date), so only today's audience is known, as of {latest}")


def preflight_table(journey_id: str, gate: Gate, as_of) -> str:
    if gate.reason:
        return f"Pre-flight: {STATUS_WORD[gate.status]} ({gate.reason}): {gate_message(journey_id, gate, as_of)}."
    journey, failures = gate.journey, gate.failures
    owner = f" · owner {journey.owner}" if journey.owner else ""
    lines = [f"Pre-flight of {journey.journey_id} ({journey.name or 'unnamed'}, {journey.channel}, "
             f"{journey.status}{owner}): {STATUS_WORD[gate.status]}",
             f"  audience {journey.audience:,} · blocking {journey.blocking:,} · warnings {journey.warned:,}"]
    if not journey.audience:
        lines.append("  no audience exported as of this date")
    for rule, n in journey.rules.items():
        if n:
            lines.append(f"  {n:>8,}  {RULES[rule]}")
    if failures is not None and failures.rows:
        lines += ["", "customer_id\tseverity\trules"]
        index = {c: i for i, c in enumerate(failures.columns)}
        lines += [f"{row[index['customer_id']]}\t{row[index['severity']]}\t{row[index['rules']]}"
                  for row in failures.rows]
    return "\n".join(lines)


def preflight_json(journey_id: str, gate: Gate, as_of) -> dict:
    if gate.reason:
        return plain({"journey_id": journey_id, "as_of": as_of, "status": gate.status.value, "reason": gate.reason,
                       "message": gate_message(journey_id, gate, as_of)})
    journey, failures = gate.journey, gate.failures
    return plain({
        "journey_id": journey.journey_id, "as_of": as_of, "name": journey.name, "team": journey.team,
        "owner": journey.owner, "channel": journey.channel, "journey_status": journey.status,
        "status": gate.status.value, "reason": None, "audience": journey.audience, "blocking": journey.blocking,
        "warnings": journey.warned, "rules": dict(journey.rules),
        "failures": [] if failures is None else failures.as_dicts(),
    })
