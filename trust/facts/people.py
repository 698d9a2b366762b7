"""People facts: the staff table with each person's AI-safety courses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from trust.facts.calendar import Cell
from trust.facts.model import Family, Request

if TYPE_CHECKING:
    from trust.facts.collector import Collector


@dataclass(frozen=True)
class Person:
    """One row of staff, with the dates of the AI-safety courses the person completed."""

    employee_id: str
    name: str | None = None
    team: str | None = None
    role: str | None = None
    uses_ai: bool | None = None
    active: bool | None = None
    ai_safety_completed: tuple[date, ...] = ()

    @property
    def label(self) -> str:
        """The name (else the ID) with the team, and whether the person has left."""
        details = [d for d in (self.team, "left" if self.active is False else None) if d]
        return (self.name or self.employee_id) + (f" ({', '.join(details)})" if details else "")


@dataclass(frozen=True)
class PeopleFacts:
    as_of: date
    staff: tuple[Person, ...]


def collect(collector: Collector, request: Request) -> dict[Cell, PeopleFacts]:
    """Each cell's staff: everyone, or the members of its team."""
    staff = collector.staff()
    return {c: PeopleFacts(c.as_of, tuple(p for p in staff if c.team is None or p.team == c.team))
            for c in request.cells}


PEOPLE = Family("people", tables=("staff", "training"), grain="cell", collect=collect)
