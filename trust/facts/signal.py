"""Signal facts: the field registry and, on the snapshot current at each date, every measured field's counts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from trust.extracts.contract import table as contract_table
from trust.facts.model import Family, Request

if TYPE_CHECKING:
    from trust.facts.collector import Collector

CUSTOMER_COLUMNS = contract_table("customers").column_names


@dataclass(frozen=True)
class FieldSpec:
    """One row of the field registry: how a customer field is mapped and who owns it."""

    name: str
    risk: str | None = "high"
    source: str | None = None
    owner: str | None = None
    population_method: str | None = None
    allowed: tuple[str, ...] = ()
    staleness_days: int | None = None
    last_reviewed: date | None = None
    description: str | None = None

    @property
    def high_risk(self) -> bool:
        return (self.risk or "").strip().lower() == "high"


@dataclass(frozen=True)
class FieldCounts:
    present: int
    valid: int
    fresh: int


@dataclass(frozen=True)
class SignalFacts:
    """Field counts on the snapshot current at `as_of`, with the registry that judges them."""

    as_of: date
    registry: tuple[FieldSpec, ...]
    customer_columns: tuple[str, ...]
    snapshot: date | None = None
    rows: int = 0
    distinct_ids: int = 0
    counts: Mapping[str, FieldCounts] = field(default_factory=dict)
    # The duplicated customer IDs (the first ones, with their copies) and how many there are;
    # collected only where evidence is asked for.
    duplicated: tuple[tuple[str, int], ...] = ()
    duplicated_ids: int = 0


def collect(collector: Collector, request: Request) -> dict[date, SignalFacts]:
    """The registry and each field's counts on the snapshot current at each date; for the dates
    whose failing records are listed, the duplicated customer IDs too."""
    days = request.days
    stats: dict[date, dict[str, dict]] = {}
    if collector.ok("customers"):
        as_of, snapshot = collector.pairs(days)
        dated = [(d, s) for d, s in zip(as_of, snapshot, strict=True) if s is not None]
        rules = list(collector.field_rules().values())
        params = {"as_of": [d for d, _ in dated], "snapshot": [s for _, s in dated],
                  "fields": [r.name for r in rules], "allowed": [list(r.allowed) or None for r in rules],
                  "stale": [r.staleness_days for r in rules]}
        for row in collector.rows("field_stats", params) if dated else ():
            stats.setdefault(row["as_of"], {})[row["field"]] = row
    registry = collector.registry()
    # The columns the customers extract holds: an optional one absent from every file is no column of it.
    customers = collector.extracts.table("customers")
    columns = tuple(c for c in CUSTOMER_COLUMNS if customers.has(c)) if customers.ok else CUSTOMER_COLUMNS
    wanted = {c.as_of for c in request.evidence_cells}
    facts = {}
    for day in days:
        fields = stats.get(day, {})
        first = next(iter(fields.values()), None)
        counts = {name: FieldCounts(r["present"], r["valid"], r["fresh"]) for name, r in fields.items()}
        found = SignalFacts(day, registry, columns, first["snapshot_date"] if first else None,
                            first["rows"] if first else 0, first["distinct_ids"] if first else 0, counts)
        if day in wanted and first is not None and first["rows"] > first["distinct_ids"]:
            duplicated = collector.rows("duplicate_ids", {"snapshot": first["snapshot_date"],
                                                          "limit": collector.evidence_limit})
            found = replace(found, duplicated=tuple((r["customer_id"], r["copies"]) for r in duplicated),
                            duplicated_ids=duplicated[0]["duplicated_ids"] if duplicated else 0)
        facts[day] = found
    return facts


SIGNAL = Family("signal", tables=("field_registry",), grain="date", collect=collect)
