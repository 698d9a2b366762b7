"""Measurement facts: pilots with their success criteria, forecasts against actuals, and measurement methods."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from trust.facts.calendar import Cell
from trust.facts.model import Family, Request

if TYPE_CHECKING:
    from trust.facts.collector import Collector


@dataclass(frozen=True)
class Pilot:
    pilot_id: str
    name: str | None = None
    workflow: str | None = None
    team: str | None = None
    owner: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    primary_metric: str | None = None
    primary_target: float | None = None
    primary_result: float | None = None
    supporting_metric: str | None = None
    supporting_target: float | None = None
    supporting_result: float | None = None
    risk_metric: str | None = None
    risk_limit: float | None = None
    risk_result: float | None = None
    decision: str | None = None
    # Which way is good for each metric; None = the default (higher, higher, lower).
    primary_direction: str | None = None
    supporting_direction: str | None = None
    risk_direction: str | None = None


@dataclass(frozen=True)
class Forecast:
    model_id: str
    model_name: str | None = None
    team: str | None = None
    owner: str | None = None
    period_start: date | None = None
    predicted: float | None = None
    actual: float | None = None
    tolerance: float | None = None


@dataclass(frozen=True)
class Method:
    metric: str
    kind: str | None = None
    team: str | None = None
    owner: str | None = None
    baseline_value: float | None = None
    baseline_date: date | None = None
    method: str | None = None
    documentation_url: str | None = None
    run_count: int | None = None
    last_run: date | None = None


@dataclass(frozen=True)
class MeasurementFacts:
    as_of: date
    pilots: tuple[Pilot, ...] = ()
    forecasts: tuple[Forecast, ...] = ()
    methods: tuple[Method, ...] = ()


def collect(collector: Collector, request: Request) -> dict[Cell, MeasurementFacts]:
    """Each cell's pilots, forecasts and methods (read once per load, then filtered by team)."""
    people = collector.directory()

    def load(query: str, kind, table: str):
        if not collector.ok(table):
            return []
        return collector.once(query, lambda: [kind(**{**r, "owner": people.display(r["owner"])})
                                              for r in collector.rows(query, {"team": None})])

    pilots, forecasts, methods = (load("pilots", Pilot, "pilots"), load("forecasts", Forecast, "forecasts"),
                                  load("measurement_methods", Method, "measurement_methods"))
    return {c: MeasurementFacts(c.as_of, *(tuple(r for r in rows if c.team is None or r.team == c.team)
                                           for rows in (pilots, forecasts, methods))) for c in request.cells}


MEASUREMENT = Family("measurement", tables=(), grain="cell", collect=collect)
