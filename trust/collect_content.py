"""Content facts: governance and accountability counts per cell from the per-load item facts."""

from __future__ import annotations

from dataclasses import fields

from trust.checks.model import Evidence
from trust.collect import Cell, Collector, day_end
from trust.db import sql
from trust.facts import ApprovalSlice, ContentCounts, ContentFacts, Rule

# The rules whose first items content_metrics.sql names (its `<rule>_ids` columns).
NAMED_RULES = ("unmapped_published", "unmapped_draft", "breach", "audit_gap", "provenance", "label", "unescalated",
               "unowned", "crisis_unapproved")
COUNTS = tuple(f.name for f in fields(ContentCounts) if f.name not in ("crisis_median_hours", "first"))


def content_facts(collector: Collector, cells: list[Cell], evidence_cells: set[Cell]) -> dict[Cell, ContentFacts]:
    settings, cursor = collector.settings, collector.cursor
    collector.db.materialise(collector.extracts, "item_facts")
    ends = sorted({day_end(c.as_of) for c in cells})
    rows = collector.rows("content_metrics", {
        "ends": ends, "confidence": settings.escalation_confidence, "crisis_hours": settings.crisis_max_median_hours,
        "crisis_days": settings.crisis_window_days})
    by_cell = {(r["as_of_end"], None if r["everyone"] else r["team"], r["everyone"]): r for r in rows}
    rules = tuple(Rule(r["channel"], r["context"], r["approval_required"], tuple(r["approver_roles"]),
                       r["label_required"]) for r in collector.rows("decision_rules"))
    facts = {}
    for cell in cells:
        end = day_end(cell.as_of)
        row = by_cell.get((end, cell.team, cell.team is None))
        counts = ContentCounts() if row is None else ContentCounts(
            **{n: row[n] for n in COUNTS}, crisis_median_hours=row["crisis_median_hours"],
            first={rule: tuple(row[f"{rule}_ids"] or ()) for rule in NAMED_RULES})
        found, breakdown = {}, ()
        if cell in evidence_cells:
            found = _evidence(collector, cell, counts)
            breakdown = tuple(ApprovalSlice(*r) for r in cursor.execute(
                sql("approval_breakdown"), {"end": end, "team": cell.team}).fetchall())
        facts[cell] = ContentFacts(cell.as_of, counts, found, breakdown, rules)
    return facts


def _evidence(collector: Collector, cell: Cell, c: ContentCounts) -> dict[str, Evidence]:
    base = {"end": day_end(cell.as_of), "team": cell.team}
    settings = collector.settings
    items = collector.evidence
    return {
        "governance.decision_rights": items("items", "unmapped_items", c.unmapped, base),
        "governance.approval_compliance": items("items", "approval_breaches", c.requiring - c.compliant, base),
        "governance.audit_trail": items("items", "audit_gaps", c.ai_published - c.audit_complete, base),
        "governance.transparency": items("items", "transparency_gaps", c.label_missing + c.provenance_missing, base),
        "accountability.escalation": items("items", "unescalated_items", c.low_confidence - c.escalated,
                                           {**base, "confidence": settings.escalation_confidence}),
        "accountability.commitment_owners": items("items", "unowned_commitments",
                                                  c.commitments - c.commitments_owned, base),
        "accountability.crisis_comms": items("items", "crisis_items", c.crisis_flagged, {
            **base, "crisis_hours": settings.crisis_max_median_hours, "crisis_days": settings.crisis_window_days,
            "all": False}),
    }
