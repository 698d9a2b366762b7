"""Pre-flight facts: each journey's audience as of each date, checked against the snapshot current then."""

from __future__ import annotations

from trust.checks.model import NO_HISTORY
from trust.collect import Cell, Collector
from trust.db import sql
from trust.facts import JourneyPreflight, PreflightFacts
from trust.preflight import RULES


def judgeable(collector: Collector, day) -> bool:
    """Whether pre-flight can be judged as of `day`: always with dated audience exports; without
    them only today's audience is known, so only as of the latest snapshot."""
    latest = collector.latest()
    return audiences_dated(collector) or latest is None or day >= latest


def audiences_dated(collector: Collector) -> bool:
    return collector.once("audience_history", lambda: bool(collector.rows("audience_history")[0]["dated"]))


def preflight_facts(collector: Collector, cells: list[Cell], evidence_cells: set[Cell],
                    journey: str | None = None) -> dict[Cell, PreflightFacts]:
    """Every cell's journeys with their audience and blocked and warned members.

    The audience as of a date is each journey's latest export on or before it (EXTRACTS.md,
    journey_audience.snapshot_date). A date that cannot be judged gets facts saying why.
    """
    cursor = collector.cursor
    rules = collector.field_rules()
    language = rules.get("language")
    stale = [s.staleness_days for s in collector.high_risk() if s.staleness_days is not None]
    latest = collector.latest()
    days, snapshots = collector.pairs(c.as_of for c in cells if judgeable(collector, c.as_of))
    snapshot_of = dict(zip(days, snapshots, strict=True))
    counts: dict = {}
    if days:
        cursor.execute(f"CREATE OR REPLACE TEMP TABLE preflight_audience AS {sql('preflight_audience')}", {
            "as_of": days, "latest": latest, "team": None, "journey": journey})
        cursor.execute(f"CREATE OR REPLACE TEMP TABLE preflight_flags AS {sql('preflight_flags')}", {
            "as_of": days, "snapshot": snapshots,
            "allowed_language": list(language.allowed) if language and language.allowed else None,
            "stale_days": min(stale) if stale else None,
        })
        counts = {(r["as_of"], r["journey_id"]): r for r in collector.rows("preflight_counts")}
    people = collector.directory()
    journeys = collector.rows("journeys_in_scope", {"team": None, "journey": journey})
    facts = {}
    for cell in cells:
        if cell.as_of not in snapshot_of:
            facts[cell] = PreflightFacts(cell.as_of, None, (), reason=NO_HISTORY, latest=latest)
            continue
        judged = []
        for j in journeys:
            if cell.team is not None and j["team"] != cell.team:
                continue
            c = counts.get((cell.as_of, j["journey_id"]), {})
            judged.append(JourneyPreflight(
                j["journey_id"], j["name"], j["team"], people.display(j["owner"]), j["channel"], j["status"],
                c.get("audience", 0), c.get("blocking", 0), c.get("warned", 0), {k: c.get(k, 0) for k in RULES}))
        found = None
        if cell in evidence_cells:
            total = sum(counts.get((cell.as_of, j.journey_id), {}).get("flagged", 0) for j in judged)
            found = collector.evidence("customers", "preflight_failures", total, {
                "as_of": cell.as_of, "team": cell.team, "journey": journey})
        facts[cell] = PreflightFacts(cell.as_of, snapshot_of[cell.as_of], tuple(judged), found, latest=latest)
    return facts
