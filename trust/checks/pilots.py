"""What a pilot's results say: which criteria it met, and whether it is a proven case for scaling."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from trust.facts.measurement import Pilot

HIGHER, LOWER = "higher", "lower"


def meets(result: float | None, target: float | None, direction: str) -> bool:
    """On the good side of the target or equal to it; a missing result or target meets nothing."""
    if result is None or target is None:
        return False
    return result >= target if direction == HIGHER else result <= target


@dataclass(frozen=True)
class Outcome:
    """How a pilot's results compare with its criteria, with the direction each is judged in."""

    primary: bool
    supporting: bool
    risk: bool
    primary_direction: str
    supporting_direction: str
    risk_direction: str


def outcome(p: Pilot) -> Outcome:
    """Primary and supporting results must meet their targets, the risk result stay within its limit.

    By default more is better for the two outcomes and less for the risk metric (an error
    rate); the `*_direction` columns say otherwise, e.g. approval compliance as a risk metric.
    """
    primary = p.primary_direction or HIGHER
    supporting = p.supporting_direction or HIGHER
    risk = p.risk_direction or LOWER
    return Outcome(meets(p.primary_result, p.primary_target, primary),
                   meets(p.supporting_result, p.supporting_target, supporting),
                   meets(p.risk_result, p.risk_limit, risk), primary, supporting, risk)


def decision(p: Pilot) -> str | None:
    return p.decision.strip().lower() if p.decision and p.decision.strip() else None


def scaled_unproven(p: Pilot) -> list[str]:
    """Why a pilot decided `scale` should not have been: the criteria it missed (empty: none)."""
    if decision(p) != "scale":
        return []
    result = outcome(p)
    missed = []
    if not result.primary:
        missed.append("has no primary result" if p.primary_result is None
                      else f"missed its primary target ({p.primary_metric or 'primary'} {p.primary_result:g} "
                           f"against {_target(p.primary_target)}, {result.primary_direction} is better)")
    if not result.risk:
        missed.append("has no risk result" if p.risk_result is None
                      else f"went outside its risk limit ({p.risk_metric or 'risk'} {p.risk_result:g} "
                           f"against {_target(p.risk_limit)}, {result.risk_direction} is better)")
    return missed


def _target(value: float | None) -> str:
    return "no target" if value is None else f"{value:g}"


def proven(p: Pilot, as_of: date) -> bool:
    """Ended by `as_of`, met its primary target, stayed within its risk limit, and decided `scale`
    or not yet decided (`stop` and `extend` say the case is not made)."""
    result = outcome(p)
    return (p.end_date is not None and p.end_date <= as_of and (p.start_date is None or p.start_date <= as_of)
            and result.primary and result.risk and decision(p) in (None, "scale"))


def proven_pilots(pilots: Iterable[Pilot], as_of: date) -> tuple[str, ...]:
    return tuple(p.pilot_id for p in pilots if proven(p, as_of))
