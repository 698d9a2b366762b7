"""What a week has not evidenced, and the line credibility gets outside the readiness stages.

A layer with no assessed check has no score; the leadership review must see it named, with the
registers that would evidence it, rather than a gap in a row of scores. Credibility gates no
readiness stage (CHECKS.md), so it is shown on a line of its own beside the stage.
"""

from __future__ import annotations

from dataclasses import dataclass

from trust.checks.model import Result
from trust.engine import Evaluation
from trust.facts.model import MISSING_REGISTER
from trust.scoring import LayerScore

CREDIBILITY = "credibility"


@dataclass(frozen=True)
class Unevidenced:
    """A layer none of whose checks is assessed, with each check's reason (a missing register named)."""

    layer: LayerScore
    checks: tuple[Result, ...]

    @property
    def missing_registers(self) -> bool:
        return any(r.reason == MISSING_REGISTER for r in self.checks)


def not_evidenced(evaluation: Evaluation) -> tuple[Unevidenced, ...]:
    """The layers of the week with no assessed check, in checklist order."""
    return tuple(Unevidenced(layer, tuple(r for r in evaluation.results if r.layer == layer.layer))
                 for layer in evaluation.layers if layer.score is None)


def credibility(evaluation: Evaluation) -> LayerScore:
    """The credibility layer's score and worst status for the week."""
    return next(s for s in evaluation.layers if s.layer == CREDIBILITY)


def credibility_line(layer: LayerScore) -> str:
    """Credibility in words beside its status: its score and how much is evidenced, and that no stage needs it."""
    if layer.score is None:
        return (f"Credibility, which gates no readiness stage: not yet evidenced (none of its {layer.checks} checks "
                "assessed).")
    return (f"Credibility, which gates no readiness stage: score {layer.score:.1f}, {layer.assessed} of "
            f"{layer.checks} checks assessed.")
