"""Scoring: a score per layer, and the readiness stage of the playbook's 60-day sequence."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from trust.checks.model import LAYERS, Result

STAGES: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (1, "Signal stable", ("signal.field_ownership", "signal.preflight", "signal.anomaly_review")),
    (2, "Ready for a bounded pilot", ("measurement.pilot_criteria", "measurement.tolerances",
                                      "governance.audit_trail")),
    (3, "Ready to scale", ("governance.decision_rights", "governance.approval_compliance",
                           "governance.audit_trail", "governance.transparency", "accountability.escalation",
                           "accountability.commitment_owners", "accountability.crisis_comms")),
)
STAGE_NAMES = {0: "Not yet stable", **{n: name for n, name, _ in STAGES}}


@dataclass(frozen=True)
class LayerScore:
    layer: str
    title: str
    score: float | None
    checks: int
    scored: int


@dataclass(frozen=True)
class Readiness:
    stage: int
    name: str
    blocking: tuple[str, ...]
    next_stage: str | None

    def as_dict(self) -> dict[str, object]:
        return {"stage": self.stage, "name": self.name, "blocking": list(self.blocking), "next": self.next_stage}


def layer_scores(results: Iterable[Result]) -> tuple[LayerScore, ...]:
    """The mean score of each layer's checks; checks not assessed or in error carry no score."""
    results = list(results)
    scores = []
    for layer, title in LAYERS:
        mine = [r for r in results if r.layer == layer]
        scored = [r.score for r in mine if r.score is not None]
        scores.append(LayerScore(layer, title, round(sum(scored) / len(scored), 1) if scored else None,
                                 len(mine), len(scored)))
    return tuple(scores)


def readiness(results: Iterable[Result]) -> Readiness:
    """The highest stage none of whose checks (nor an earlier stage's) fails or errors."""
    blocked = {r.id for r in results if r.status.blocks}
    reached = 0
    for number, _, ids in STAGES:
        if blocked.intersection(ids):
            break
        reached = number
    if reached == len(STAGES):
        return Readiness(reached, STAGE_NAMES[reached], (), None)
    _, name, ids = STAGES[reached]
    return Readiness(reached, STAGE_NAMES[reached], tuple(i for i in ids if i in blocked), name)
