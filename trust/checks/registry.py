"""The check registry: every check of the catalogue, in checklist order, in one explicit tuple."""

from __future__ import annotations

from trust.checks import accountability, credibility, culture, governance, measurement, signal
from trust.checks.model import Check

CHECKS: tuple[Check, ...] = (
    *signal.CHECKS,
    *governance.CHECKS,
    *accountability.CHECKS,
    *credibility.CHECKS,
    *measurement.CHECKS,
    *culture.CHECKS,
)

BY_ID: dict[str, Check] = {c.id: c for c in CHECKS}


def check(check_id: str) -> Check:
    try:
        return BY_ID[check_id]
    except KeyError:
        raise KeyError(f"there is no check {check_id!r}; known checks: {', '.join(BY_ID)}") from None
