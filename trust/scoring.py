"""Scoring: a score per layer, and the readiness stage of the playbook's 60-day sequence."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from trust.checks.model import LAYERS, Result, Status
from trust.checks.registry import CHECKS, check

NO_PROVEN_PILOT = "no proven pilot"


@dataclass(frozen=True)
class Stage:
    """One stage of the 60-day sequence; the checks it needs declare it (`Check.stages`)."""

    number: int
    name: str
    # Ready to scale needs a pilot that proved the case (the plan pilots before it scales).
    needs_proven_pilot: bool = False

    @property
    def checks(self) -> frozenset[str]:
        return _MEMBERS.get(self.number, frozenset())

    def holds(self, result: Result) -> bool:
        return result.id in self.checks


STAGES: tuple[Stage, ...] = (
    Stage(1, "Signal stable"),
    Stage(2, "Ready for a bounded pilot"),
    Stage(3, "Ready to scale", needs_proven_pilot=True),
)
_MEMBERS = {s.number: frozenset(c.id for c in CHECKS if s.number in c.stages) for s in STAGES}
# The check whose pilots prove the case for scaling: a missing proven pilot is listed against it.
PILOT_CHECK = check("measurement.pilot_criteria").id
STAGE_NAMES = {0: "Not yet stable", **{s.number: s.name for s in STAGES}}


@dataclass(frozen=True)
class LayerScore:
    """A layer's share of checks passing (a warn counts half), and the worst status it holds."""

    layer: str
    title: str
    score: float | None  # None: no check of the layer is assessed ("not evidenced")
    status: Status
    checks: int
    assessed: int
    not_assessed: int

    def as_dict(self) -> dict[str, object]:
        return {"layer": self.layer, "title": self.title, "score": self.score, "status": self.status.value,
                "assessed": self.assessed, "not_assessed": self.not_assessed}


@dataclass(frozen=True)
class Blocker:
    """A check standing between the stage reached and the next one, and why."""

    id: str
    reason: str


@dataclass(frozen=True)
class Readiness:
    stage: int
    name: str
    blockers: tuple[Blocker, ...]
    next_stage: str | None

    @property
    def blocking(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(b.id for b in self.blockers))

    def as_dict(self) -> dict[str, object]:
        return {"stage": self.stage, "name": self.name, "blocking": list(self.blocking),
                "blockers": [{"id": b.id, "reason": b.reason} for b in self.blockers], "next": self.next_stage}


def layer_scores(results: Iterable[Result], exclude: Iterable[str] = ()) -> tuple[LayerScore, ...]:
    """100 x (passing + half the warning) / assessed checks of each layer; an error counts as assessed
    and failing, a check not assessed is left out (and counted beside). `exclude` leaves checks out
    entirely (a week compared with one that could not judge them)."""
    left_out = set(exclude)
    results = [r for r in results if r.id not in left_out]
    scores = []
    for layer, title in LAYERS:
        mine = [r for r in results if r.layer == layer]
        assessed = [r for r in mine if r.status.assessed]
        points = sum(1.0 if r.status is Status.PASS else 0.5 if r.status is Status.WARN else 0.0 for r in assessed)
        score = round(100 * points / len(assessed), 1) if assessed else None
        status = max((r.status for r in assessed), key=lambda s: s.severity, default=Status.NOT_ASSESSED)
        scores.append(LayerScore(layer, title, score, status, len(mine), len(assessed), len(mine) - len(assessed)))
    return tuple(scores)


def readiness(results: Iterable[Result], proven_pilots: Iterable[str] = (), exclude: Iterable[str] = ()) -> Readiness:
    """The highest stage reached: none of its checks, nor an earlier stage's, fails or errors, at least
    one of its checks is assessed, and for Ready to scale a proven pilot exists."""
    left_out = set(exclude)
    results = [r for r in results if r.id not in left_out]
    proven = tuple(proven_pilots)
    reached = 0
    for stage in STAGES:
        mine = [r for r in results if stage.holds(r)]
        blockers = [Blocker(r.id, f"{r.status.value}: {r.summary}") for r in mine if r.status.blocks]
        if not blockers and not any(r.status.assessed for r in mine):
            blockers = [Blocker(r.id, f"not assessed, so the stage has nothing evidenced: {r.summary}") for r in mine]
        if stage.needs_proven_pilot and not proven:
            blockers.append(Blocker(PILOT_CHECK, NO_PROVEN_PILOT))
        if blockers:
            return Readiness(reached, STAGE_NAMES[reached], tuple(blockers), stage.name)
        reached = stage.number
    return Readiness(reached, STAGE_NAMES[reached], (), None)
