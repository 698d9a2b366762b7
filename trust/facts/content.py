"""Content facts: governance and accountability counts per cell, read from the rule flags of content_flags."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import TYPE_CHECKING

from trust.facts.calendar import Cell, day_end
from trust.facts.model import Evidence, Family, Request

if TYPE_CHECKING:
    from trust.facts.collector import Collector


@dataclass(frozen=True)
class ContentCounts:
    """Counts of content items as of a date, for the organisation or a team."""

    items: int = 0
    unmapped: int = 0
    unmapped_published: int = 0
    published: int = 0
    requiring: int = 0
    compliant: int = 0
    ai_published: int = 0
    audit_complete: int = 0
    provenance_missing: int = 0
    label_needed: int = 0
    label_missing: int = 0
    low_confidence: int = 0
    escalated: int = 0
    unknown_confidence: int = 0
    commitments: int = 0
    commitments_owned: int = 0
    crisis: int = 0
    crisis_approved: int = 0
    crisis_slow: int = 0
    crisis_untimed: int = 0  # neither a recommended event nor a creation time: its speed is unknown
    crisis_flagged: int = 0
    crisis_median_hours: float | None = None
    # The first items (newest first) each rule finds, so summaries can name them.
    first: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class ApprovalSlice:
    """Approval compliance for one week of publication, team, channel or context."""

    dimension: str
    value: str | None
    requiring: int
    compliant: int

    @property
    def rate(self) -> float | None:
        return self.compliant / self.requiring if self.requiring else None


@dataclass(frozen=True)
class Rule:
    """One row of decision_rights: whether a channel and context may go out without a person."""

    channel: str
    context: str
    approval_required: bool | None = None
    approver_roles: tuple[str, ...] = ()
    label_required: bool | None = None


@dataclass(frozen=True)
class ContentFacts:
    as_of: date
    counts: ContentCounts
    evidence: Mapping[str, Evidence] = field(default_factory=dict)
    breakdown: tuple[ApprovalSlice, ...] = ()
    rules: tuple[Rule, ...] = ()


# The rules whose first items content_metrics.sql names (its `<rule>_ids` columns).
NAMED_RULES = ("unmapped_published", "unmapped_draft", "breach", "audit_gap", "provenance_missing", "label_missing",
               "unescalated", "unowned", "crisis_unapproved", "crisis_untimed")
COUNTS = tuple(f.name for f in fields(ContentCounts) if f.name not in ("crisis_median_hours", "first"))


def build_flags(collector: Collector, days: list[date], listed: Iterable[date] = ()) -> None:
    """Declare content_flags (one row per as-of date and item, a boolean per rule) for this evaluation:
    its dates and settings, then the view that reads them; with `listed` dates, also keep the rows that the
    lists of items of those dates read (content_failing) and the roles of their items (item_roles)."""
    settings = collector.settings
    collector.build("content_settings", {
        "ends": [day_end(d) for d in sorted(set(days))], "confidence": settings.escalation_confidence,
        "crisis_hours": settings.crisis_max_median_hours, "crisis_days": settings.crisis_window_days})
    collector.build("content_flags")
    listed = sorted(set(listed))
    if listed:
        collector.build("content_failing", {"ends": [day_end(d) for d in listed]})
        collector.build("item_roles")


def collect(collector: Collector, request: Request) -> dict[Cell, ContentFacts]:
    """Every cell's counts; for the cells whose records are listed, each records query and the
    approval breakdown. A records query's total is the count of the flag it lists."""
    build_flags(collector, request.days, listed=[c.as_of for c in request.evidence_cells] if request.records else ())
    by_cell = {(r["as_of_end"], None if r["everyone"] else r["team"], r["everyone"]): r
               for r in collector.rows("content_metrics")}
    rules = tuple(Rule(r["channel"], r["context"], r["approval_required"], tuple(r["approver_roles"]),
                       r["label_required"]) for r in collector.rows("decision_rules"))
    facts = {}
    for cell in request.cells:
        end = day_end(cell.as_of)
        row = by_cell.get((end, cell.team, cell.team is None))
        counts = ContentCounts() if row is None else ContentCounts(
            **{n: row[n] for n in COUNTS}, crisis_median_hours=row["crisis_median_hours"],
            first={rule: tuple(row[f"{rule}_ids"] or ()) for rule in NAMED_RULES})
        found: dict[str, Evidence] = {}
        breakdown: tuple[ApprovalSlice, ...] = ()
        if cell in request.evidence_cells:
            params = {"end": end, "team": cell.team}
            found = {r.query: collector.evidence(r.kind, r.query, flagged(row, r.flag), {**params, **dict(r.params)},
                                                 owners=True)  # every content item has an owner column
                     for r in request.records}
            breakdown = tuple(ApprovalSlice(r["dimension"], r["value"], r["requiring"], r["compliant"])
                              for r in collector.rows("approval_breakdown", params))
        facts[cell] = ContentFacts(cell.as_of, counts, found, breakdown, rules)
    return facts


def flagged(row: Mapping | None, flag: str | None) -> int:
    """How many items of a cell a rule of content_flags holds (its count in content_metrics)."""
    if row is None or flag is None:
        return 0
    if flag not in row:
        raise KeyError(f"content_metrics.sql has no count for the flag {flag!r} a records query lists")
    return row[flag]


# Collected whenever the items loaded: a broken trail, rule set or staff list is read as an empty stand-in, and only
# the checks that read it (their own `tables`) are errors.
CONTENT = Family("content", tables=("content_items",), grain="cell", collect=collect)
