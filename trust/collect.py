"""Collecting facts: the SQL of queries/ run once per evaluation for every (as-of, team) cell."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta

import duckdb

from trust import anomalies as anomaly_rules
from trust.assessments import in_force
from trust.checks.model import Evidence, evidence
from trust.contract import table as contract_table
from trust.db import Database, sql
from trust.facts import (
    AdvocacyFacts,
    AnomalyFacts,
    ApprovalSlice,
    AssessmentFacts,
    ContentCounts,
    ContentFacts,
    FieldCounts,
    FieldSpec,
    Forecast,
    JourneyPreflight,
    MeasurementFacts,
    Method,
    Nudge,
    Participant,
    PeopleFacts,
    Person,
    Pilot,
    PreflightFacts,
    Review,
    Share,
    SignalFacts,
    State,
)
from trust.loader import Extracts
from trust.settings import Settings

CUSTOMER_COLUMNS = contract_table("customers").column_names
# Customer fields whose quality field_stats.sql measures.
MEASURED_FIELDS = ("language", "region", "consent_email", "consent_sms", "consent_push", "lifecycle_stage",
                   "customer_status", "source_system", "customer_id", "updated_at")


@dataclass(frozen=True)
class Cell:
    """One evaluation: as of a date, for a team (None = the whole organisation)."""

    as_of: date
    team: str | None = None


def day_end(day: date) -> datetime:
    """The exclusive end of a day: rows stamped before it fall on or before `day`."""
    return datetime.combine(day + timedelta(days=1), time.min)


def record_cutoff(as_of: date, latest_snapshot: date | None, read_at: datetime | None) -> datetime:
    """Until when recorded answers and reviews count as of a date.

    Extract rows count up to the end of the as-of day. Answers and reviews made in the
    dashboard are the present, so for the latest week (on or after the latest snapshot)
    everything recorded up to now counts; for earlier weeks, what was recorded by then.
    """
    end = day_end(as_of)
    if read_at is not None and (latest_snapshot is None or as_of >= latest_snapshot):
        return max(end, read_at)
    return end


def current_snapshot(snapshots: Iterable[date], as_of: date) -> date | None:
    """The latest snapshot on or before `as_of`."""
    return max((s for s in snapshots if s <= as_of), default=None)


class Collector:
    """Runs the fact queries of one evaluation on one cursor, each at most once."""

    def __init__(self, db: Database, extracts: Extracts, settings: Settings, cursor: duckdb.DuckDBPyConnection,
                 evidence_limit: int = 50) -> None:
        self.db, self.extracts, self.settings, self.cursor = db, extracts, settings, cursor
        self.evidence_limit = evidence_limit
        self._cache: dict[str, object] = {}

    def ok(self, name: str) -> bool:
        return self.extracts.table(name).ok

    def rows(self, name: str, params: dict | None = None) -> list[dict]:
        result = self.cursor.execute(sql(name), params or {})
        columns = [d[0] for d in result.description]
        return [dict(zip(columns, r, strict=True)) for r in result.fetchall()]

    def _once(self, key: str, build):
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    # Shared inputs -------------------------------------------------------------------------

    def snapshots(self) -> tuple[date, ...]:
        if not self.ok("customers"):
            return ()
        return self._once("snapshots", lambda: tuple(r["snapshot_date"] for r in self.rows("customer_snapshots")))

    def registry(self) -> tuple[FieldSpec, ...]:
        def build() -> tuple[FieldSpec, ...]:
            return tuple(FieldSpec(
                name=r["field_name"], risk=r["risk"], source=r["authoritative_source"], owner=r["owner"],
                population_method=r["population_method"], allowed=tuple(r["allowed_values"] or ()),
                staleness_days=r["max_staleness_days"], last_reviewed=r["last_reviewed"],
                description=r["description"]) for r in self.rows("field_registry"))
        return self._once("registry", build)

    def _field_rules(self) -> dict[str, FieldSpec]:
        rules: dict[str, FieldSpec] = {}
        for spec in self.registry():
            rules.setdefault(spec.name, spec)
        return rules

    def watched_fields(self) -> list[str]:
        """The high-risk customer fields whose value shares are watched for anomalies."""
        return [s.name for s in self._high_risk()]

    def value_counts(self) -> list[tuple]:
        """Every snapshot's value counts per field (kept per load)."""
        self.db.materialise(self.extracts, "value_shares")
        snapshots = self.snapshots()
        if not snapshots:
            return []
        return self.cursor.execute(sql("value_counts"), {"from": snapshots[0], "to": snapshots[-1]}).fetchall()

    def _high_risk(self) -> list[FieldSpec]:
        return [s for s in self._field_rules().values() if s.high_risk and s.name in CUSTOMER_COLUMNS]

    def _pairs(self, days: Iterable[date]) -> tuple[list[date], list[date]]:
        pairs = [(d, current_snapshot(self.snapshots(), d)) for d in sorted(set(days))]
        pairs = [(d, s) for d, s in pairs if s is not None]
        return [d for d, _ in pairs], [s for _, s in pairs]

    # Layer 1 ----------------------------------------------------------------------------------

    def signal(self, days: Iterable[date], with_stats: bool = True) -> dict[date, SignalFacts]:
        """The registry, and with `with_stats` each field's counts on the snapshot current at each date."""
        days = sorted(set(days))
        stats: dict[date, dict] = {}
        if with_stats and self.ok("customers"):
            rules = self._field_rules()
            as_of, snapshot = self._pairs(days)
            params: dict[str, object] = {"as_of": as_of, "snapshot": snapshot}
            for name in MEASURED_FIELDS:
                spec = rules.get(name)
                params[f"allowed_{name}"] = list(spec.allowed) if spec and spec.allowed else None
                params[f"stale_{name}"] = spec.staleness_days if spec else None
            stats = {r["as_of"]: r for r in self.rows("field_stats", params)} if as_of else {}
        registry = self.registry()
        facts = {}
        for day in days:
            row = stats.get(day)
            counts = {} if row is None else {
                f: FieldCounts(row[f"{f}_present"], row[f"{f}_valid"], row[f"{f}_fresh"]) for f in MEASURED_FIELDS}
            facts[day] = SignalFacts(day, registry, CUSTOMER_COLUMNS, row["snapshot_date"] if row else None,
                                     row["rows"] if row else 0, row["distinct_ids"] if row else 0, counts)
        return facts

    def preflight(self, cells: list[Cell], evidence_cells: set[Cell],
                  journey: str | None = None) -> dict[Cell, PreflightFacts]:
        rules = self._field_rules()
        language = rules.get("language")
        stale = [s.staleness_days for s in self._high_risk() if s.staleness_days is not None]
        as_of, snapshot = self._pairs(c.as_of for c in cells)
        snapshot_of = dict(zip(as_of, snapshot, strict=True))
        self.cursor.execute(f"CREATE OR REPLACE TEMP TABLE preflight_flags AS {sql('preflight_flags')}", {
            "as_of": as_of, "snapshot": snapshot, "team": None, "journey": journey,
            "allowed_language": list(language.allowed) if language and language.allowed else None,
            "stale_days": min(stale) if stale else None,
        })
        counts = {(r["as_of"], r["journey_id"]): r for r in self.rows("preflight_counts")}
        journeys = self.rows("journey_audiences", {"team": None, "journey": journey})
        facts = {}
        for cell in cells:
            snap = snapshot_of.get(cell.as_of)
            judged = []
            for j in journeys:
                if cell.team is not None and j["team"] != cell.team:
                    continue
                c = counts.get((cell.as_of, j["journey_id"]), {})
                if snap is None:  # no snapshot yet: every member is unknown
                    c = {"blocking": j["audience"], "not_in_snapshot": j["audience"]}
                judged.append(JourneyPreflight(
                    j["journey_id"], j["name"], j["team"], j["owner"], j["channel"], j["status"], j["audience"],
                    c.get("blocking", 0), c.get("warned", 0),
                    {k: c.get(k, 0) for k in ("not_in_snapshot", "no_consent", "not_active", "bad_language",
                                             "stale", "off_stage")}))
            found = None
            if cell in evidence_cells and snap is not None:
                total = sum(counts.get((cell.as_of, j.journey_id), {}).get("flagged", 0) for j in judged)
                found = self._evidence("customers", "preflight_failures", total, {
                    "as_of": cell.as_of, "team": cell.team, "journey": journey})
            facts[cell] = PreflightFacts(cell.as_of, snap, tuple(judged), found)
        return facts

    def anomalies(self, days: Iterable[date], state: State | None = None) -> dict[date, AnomalyFacts]:
        """Anomalies of the snapshots up to each date; reviews come from alert_reviews and the dashboard."""
        days = sorted(set(days))
        snapshots = self.snapshots()
        reviews = state.reviews if state is not None else ()
        # With a state store, reviews can be recorded in the dashboard, so the check can always judge.
        available = self.extracts.table("alert_reviews").status != "absent" or state is not None
        if self.ok("alert_reviews"):
            reviews += tuple(Review(r["field"], r["value"], r["snapshot_date"], r["reviewed_by"], r["reviewed_at"],
                                    r["note"]) for r in self.rows("alert_reviews"))
        found: tuple = ()
        currents = [s for s in (current_snapshot(snapshots, d) for d in days) if s is not None]
        if currents:
            settings = self.settings
            reach = settings.anomaly_lookback_snapshots + settings.anomaly_baseline_snapshots
            first = snapshots.index(min(currents))
            start = snapshots[max(0, first - reach)]
            self.db.materialise(self.extracts, "value_shares")
            counts = self.cursor.execute(sql("value_counts"), {"from": start, "to": max(currents)}).fetchall()
            found = anomaly_rules.detect(counts, self.watched_fields(), anomaly_rules.Rules.of(settings))
        read_at = state.read_at if state is not None else None
        latest = snapshots[-1] if snapshots else None
        return {d: AnomalyFacts(d, tuple(s for s in snapshots if s <= d),
                                tuple(a for a in found if a.snapshot_date <= d), reviews, available,
                                record_cutoff(d, latest, read_at)) for d in days}

    # Layers 2 and 3 ---------------------------------------------------------------------------

    def content(self, cells: list[Cell], evidence_cells: set[Cell]) -> dict[Cell, ContentFacts]:
        self.db.materialise(self.extracts, "item_facts")
        ends = sorted({day_end(c.as_of) for c in cells})
        rows = self.rows("content_metrics", {"ends": ends, "confidence": self.settings.escalation_confidence,
                                             "crisis_hours": self.settings.crisis_max_median_hours})
        names = [f.name for f in fields(ContentCounts) if f.name != "crisis_median_hours"]
        by_team = {(r["as_of_end"], r["team"]): r for r in rows}
        medians: dict = {}
        if any(c.team is None for c in cells):
            medians = dict(self.cursor.execute(sql("crisis_median"), {"ends": ends}).fetchall())
        facts = {}
        for cell in cells:
            end = day_end(cell.as_of)
            if cell.team is None:  # the organisation: every team's counts added up
                mine = [r for (e, _), r in by_team.items() if e == end]
                counts = ContentCounts(**{n: sum(r[n] for r in mine) for n in names},
                                       crisis_median_hours=medians.get(end))
            else:
                row = by_team.get((end, cell.team))
                counts = ContentCounts(**{n: row[n] for n in names},
                                       crisis_median_hours=row["crisis_median_hours"]) if row else ContentCounts()
            found, breakdown = {}, ()
            if cell in evidence_cells:
                found = self._content_evidence(cell, counts)
                breakdown = tuple(ApprovalSlice(*r) for r in self.cursor.execute(
                    sql("approval_breakdown"), {"end": end, "team": cell.team}).fetchall())
            facts[cell] = ContentFacts(cell.as_of, counts, found, breakdown)
        return facts

    def _content_evidence(self, cell: Cell, c: ContentCounts) -> dict[str, Evidence]:
        base = {"end": day_end(cell.as_of), "team": cell.team}
        confidence = {"confidence": self.settings.escalation_confidence}
        return {
            "governance.decision_rights": self._evidence("items", "unmapped_items", c.unmapped, base),
            "governance.approval_compliance": self._evidence("items", "approval_breaches",
                                                             c.requiring - c.compliant, base),
            "governance.audit_trail": self._evidence("items", "audit_gaps", c.ai_published - c.audit_complete, base),
            "governance.transparency": self._evidence("items", "transparency_gaps",
                                                      c.label_missing + c.provenance_missing, base),
            "accountability.escalation": self._evidence("items", "unescalated_items",
                                                        c.low_confidence - c.escalated, {**base, **confidence}),
            "accountability.commitment_owners": self._evidence("items", "unowned_commitments",
                                                               c.commitments - c.commitments_owned, base),
            "accountability.crisis_comms": self._evidence(
                "items", "crisis_items", c.crisis_flagged,
                {**base, "crisis_hours": self.settings.crisis_max_median_hours, "all": False}),
        }

    def _evidence(self, kind: str, query: str, total: int, params: dict) -> Evidence:
        result = self.cursor.execute(sql(query), {**params, "limit": self.evidence_limit})
        columns = tuple(d[0] for d in result.description)
        return evidence(kind, columns, result.fetchall(), total=total)

    # Layers 4 and 5 ---------------------------------------------------------------------------

    def measurement(self, cells: list[Cell]) -> dict[Cell, MeasurementFacts]:
        def load(query: str, kind, table: str):
            if not self.ok(table):
                return []
            return self._once(query, lambda: [kind(**r) for r in self.rows(query, {"team": None})])

        pilots, forecasts, methods = (load("pilots", Pilot, "pilots"), load("forecasts", Forecast, "forecasts"),
                                      load("measurement_methods", Method, "measurement_methods"))
        return {c: MeasurementFacts(c.as_of, *(tuple(r for r in rows if c.team is None or r.team == c.team)
                                               for rows in (pilots, forecasts, methods))) for c in cells}

    def people(self, cells: list[Cell]) -> dict[Cell, PeopleFacts]:
        staff = [Person(**{**r, "ai_safety_completed": tuple(r["ai_safety_completed"] or ())})
                 for r in self.rows("staff_training", {"team": None})]
        return {c: PeopleFacts(c.as_of, tuple(p for p in staff if c.team is None or p.team == c.team))
                for c in cells}

    def advocacy(self, days: Iterable[date]) -> dict[date, AdvocacyFacts]:
        nudges = tuple(Nudge(**r) for r in self.rows("advocacy_nudges"))
        participants = tuple(Participant(**r) for r in self.rows("advocacy_participants"))
        shares = tuple(Share(**r) for r in self.rows("advocacy_shares"))
        return {d: AdvocacyFacts(d, nudges, participants, shares) for d in set(days)}

    def assessment(self, cells: list[Cell], state: State | None = None) -> dict[Cell, AssessmentFacts]:
        """Each cell's self-assessment answers: those in force at the end of its date, for its team or all."""
        history = state.answers if state is not None else ()
        read_at = state.read_at if state is not None else None
        latest = self.snapshots()[-1] if self.snapshots() else None
        facts = {}
        for cell in cells:
            mine: dict[str, tuple] = defaultdict(tuple)
            cutoff = record_cutoff(cell.as_of, latest, read_at)
            for answer in in_force(history, cutoff, self.settings.assessment_max_age_days):
                if cell.team is None or answer.team == cell.team:
                    mine[answer.check_id] += (answer,)
            facts[cell] = AssessmentFacts(cell.as_of, cell.team, dict(mine))
        return facts

    def teams(self) -> tuple[str, ...]:
        """Every team named by the tables that loaded."""
        names: set[str] = set()
        for query, table in (("journey_audiences", "journeys"), ("pilots", "pilots"), ("forecasts", "forecasts"),
                             ("measurement_methods", "measurement_methods"), ("staff_training", "staff")):
            if self.ok(table) and (table != "journeys" or self.ok("journey_audience")):
                names.update(r["team"] for r in self._once(f"teams:{query}", lambda q=query: self.rows(
                    q, {"team": None, "journey": None} if q == "journey_audiences" else {"team": None})))
        if self.ok("content_items"):
            names.update(r[0] for r in self.cursor.execute(
                sql("content_teams")).fetchall())
        return tuple(sorted(n for n in names if n))
