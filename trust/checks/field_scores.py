"""Signal-quality scores: completeness, validity and freshness of each high-risk customer field."""

from __future__ import annotations

from dataclasses import dataclass

from trust.checks.model import shown_score
from trust.facts.signal import SignalFacts


@dataclass(frozen=True)
class FieldScore:
    field: str
    completeness: float
    validity: float
    freshness: float
    score: float
    owner: str | None = None

    @property
    def shown(self) -> float:
        """The score to one decimal, rounded down like check scores: 89.96 reads 89.9, never 90.0."""
        return shown_score(self.score)

    def as_dict(self) -> dict[str, object]:
        return {"field": self.field, "completeness": round(self.completeness, 4),
                "validity": round(self.validity, 4), "freshness": round(self.freshness, 4),
                "score": self.shown, "owner": self.owner}


def field_scores(facts: SignalFacts) -> tuple[FieldScore, ...]:
    """A score per high-risk registry field that is a column of customers, on the current snapshot."""
    if facts.snapshot is None or facts.rows == 0:
        return ()
    scores = []
    seen: set[str] = set()
    for spec in facts.registry:
        if not spec.high_risk or spec.name not in facts.counts or spec.name in seen:
            continue
        seen.add(spec.name)
        counts = facts.counts[spec.name]
        completeness = counts.present / facts.rows
        # No value at all: nothing can be invalid, completeness already says what is wrong.
        validity = counts.valid / counts.present if counts.present else 1.0
        freshness = counts.fresh / facts.rows
        score = 100 * (completeness + validity + freshness) / 3
        scores.append(FieldScore(spec.name, completeness, validity, freshness, score, spec.owner))
    return tuple(scores)


def overall(scores: tuple[FieldScore, ...]) -> float | None:
    """The signal-quality score: the mean of the field scores."""
    return sum(s.score for s in scores) / len(scores) if scores else None


def uniqueness(facts: SignalFacts) -> float | None:
    """Distinct customer IDs over rows in the current snapshot (1.0 = no duplicates)."""
    return facts.distinct_ids / facts.rows if facts.rows else None
