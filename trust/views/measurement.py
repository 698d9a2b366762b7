"""Predictive models and pilots as the Measurement page shows them: variance per period, pilot spans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from trust.checks.measurement import variance
from trust.checks.pilots import Outcome, decision, outcome, proven
from trust.facts.measurement import MeasurementFacts, Pilot
from trust.settings import Settings


@dataclass(frozen=True)
class VariancePoint:
    model_id: str
    model_name: str | None
    team: str | None
    owner: str | None
    period_start: date
    predicted: float
    actual: float
    variance: float
    tolerance: float
    tolerance_set: bool

    @property
    def breach(self) -> bool:
        return self.variance > self.tolerance


def variance_points(facts: MeasurementFacts, settings: Settings) -> tuple[VariancePoint, ...]:
    """Each closed period of each model as of the date, with the tolerance that applies to it."""
    points = []
    for f in facts.forecasts:
        if f.period_start is None or f.period_start > facts.as_of or f.actual is None or f.predicted is None:
            continue
        tolerance = f.tolerance if f.tolerance is not None else settings.default_tolerance
        points.append(VariancePoint(f.model_id, f.model_name, f.team, f.owner, f.period_start, f.predicted,
                                    f.actual, variance(f), tolerance, f.tolerance is not None))
    return tuple(sorted(points, key=lambda p: (p.model_id, p.period_start)))


@dataclass(frozen=True)
class PilotSpan:
    pilot: Pilot
    days: int | None
    state: str  # "planned", "running", "ended", "decided"
    outcome: Outcome
    proven: bool  # a case for scaling (ended, met its target, within its risk limit, not stopped)

    def criterion(self, which: str) -> str:
        """One criterion as a line: metric, result against target, which way is good, met or not."""
        p, o = self.pilot, self.outcome
        metric, result, target = (getattr(p, f"{which}_metric"), getattr(p, f"{which}_result"),
                                  getattr(p, "risk_limit" if which == "risk" else f"{which}_target"))
        direction, met = getattr(o, f"{which}_direction"), getattr(o, which)
        verdict = "✅ met" if met else ("— no result yet" if result is None else "❌ missed")
        return f"{metric or '—'}: {_num(result)} vs {_num(target)} ({direction} is better) {verdict}"


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def pilot_spans(facts: MeasurementFacts) -> tuple[PilotSpan, ...]:
    spans = []
    for p in facts.pilots:
        days = (p.end_date - p.start_date).days + 1 if p.start_date and p.end_date else None
        if p.start_date is not None and p.start_date > facts.as_of:  # no start date: judged as started
            state = "planned"
        elif decision(p):
            state = "decided"
        elif p.end_date is None or p.end_date > facts.as_of:  # ending on the day itself, it has ended by its end
            state = "running"
        else:
            state = "ended"
        spans.append(PilotSpan(p, days, state, outcome(p), proven(p, facts.as_of)))
    return tuple(sorted(spans, key=lambda s: (s.pilot.start_date or date.max, s.pilot.pilot_id)))
