"""Collecting facts: the SQL of queries/ run once per evaluation for every (as-of, team) cell."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

import duckdb

from trust import anomalies as anomaly_rules
from trust.assessments import in_force
from trust.checks.model import Evidence, evidence
from trust.contract import table as contract_table
from trust.db import Database, sql
from trust.directory import Directory
from trust.facts import (
    AdvocacyFacts,
    AnomalyFacts,
    AssessmentFacts,
    ContentFacts,
    FieldCounts,
    FieldSpec,
    Forecast,
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
ALL_ROWS = 2**62  # a LIMIT that keeps every row


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

    def once(self, key: str, build):
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def evidence(self, kind: str, query: str, total: int, params: dict) -> Evidence:
        """The first rows of a violation query, owners shown by name, and the owners of all its rows."""
        result = self.cursor.execute(sql(query), {**params, "limit": self.evidence_limit})
        columns = tuple(d[0] for d in result.description)
        rows = result.fetchall()
        found_owners: tuple[str, ...] = ()
        if "owner" in columns:
            at = columns.index("owner")
            people = self.directory()
            # Every failing record's owner, not only those of the rows shown: most records first.
            if len(rows) < total:
                counted = self.cursor.execute(
                    f"SELECT owner, count(*) AS n FROM ({sql(query)}) GROUP BY owner",
                    {**params, "limit": ALL_ROWS}).fetchall()
            else:
                counted = list(Counter(r[at] for r in rows).items())
            found_owners = tuple(people.display(o) for o, _ in sorted(counted, key=lambda c: (-c[1], c[0] or ""))
                                 if o)
            rows = [(*r[:at], people.display(r[at]), *r[at + 1:]) for r in rows]
        return evidence(kind, columns, rows, total=total, owners=found_owners)

    # Shared inputs -------------------------------------------------------------------------

    def snapshots(self) -> tuple[date, ...]:
        if not self.ok("customers"):
            return ()
        return self.once("snapshots", lambda: tuple(r["snapshot_date"] for r in self.rows("customer_snapshots")))

    def latest(self) -> date | None:
        snapshots = self.snapshots()
        return snapshots[-1] if snapshots else None

    def staff(self) -> tuple[Person, ...]:
        """Every member of staff with their AI-safety courses (empty when staff did not load)."""
        if not self.ok("staff"):
            return ()
        return self.once("staff", lambda: tuple(
            Person(**{**r, "ai_safety_completed": tuple(r["ai_safety_completed"] or ())})
            for r in self.rows("staff_training", {"team": None})))

    def directory(self) -> Directory:
        """Staff by ID and name, so owners show as people."""
        return self.once("directory", lambda: Directory(self.staff()))

    def registry(self) -> tuple[FieldSpec, ...]:
        def build() -> tuple[FieldSpec, ...]:
            people = self.directory()
            return tuple(FieldSpec(
                name=r["field_name"], risk=r["risk"], source=r["authoritative_source"],
                owner=people.display(r["owner"]), population_method=r["population_method"],
                allowed=tuple(r["allowed_values"] or ()), staleness_days=r["max_staleness_days"],
                last_reviewed=r["last_reviewed"], description=r["description"]) for r in self.rows("field_registry"))
        return self.once("registry", build)

    def field_rules(self) -> dict[str, FieldSpec]:
        rules: dict[str, FieldSpec] = {}
        for spec in self.registry():
            rules.setdefault(spec.name, spec)
        return rules

    def high_risk(self) -> list[FieldSpec]:
        return [s for s in self.field_rules().values() if s.high_risk and s.name in CUSTOMER_COLUMNS]

    def watched_fields(self) -> list[str]:
        """The high-risk customer fields whose value shares are watched for anomalies."""
        return [s.name for s in self.high_risk()]

    def value_counts(self) -> list[tuple]:
        """Every snapshot's value counts per field (kept per load)."""
        self.db.materialise(self.extracts, "value_shares")
        snapshots = self.snapshots()
        if not snapshots:
            return []
        return self.cursor.execute(sql("value_counts"), {"from": snapshots[0], "to": snapshots[-1]}).fetchall()

    def pairs(self, days: Iterable[date]) -> tuple[list[date], list[date | None]]:
        """Each date with the snapshot current at it (None before the first)."""
        days = sorted(set(days))
        return days, [current_snapshot(self.snapshots(), d) for d in days]

    # Layer 1 ----------------------------------------------------------------------------------

    def signal(self, days: Iterable[date], evidence_days: Iterable[date] = ()) -> dict[date, SignalFacts]:
        """The registry and each field's counts on the snapshot current at each date; for the
        `evidence_days`, the duplicated customer IDs too."""
        days = sorted(set(days))
        stats: dict[date, dict] = {}
        if self.ok("customers"):
            rules = self.field_rules()
            as_of, snapshot = self.pairs(days)
            dated = [(d, s) for d, s in zip(as_of, snapshot, strict=True) if s is not None]
            params: dict[str, object] = {"as_of": [d for d, _ in dated], "snapshot": [s for _, s in dated]}
            for name in MEASURED_FIELDS:
                spec = rules.get(name)
                params[f"allowed_{name}"] = list(spec.allowed) if spec and spec.allowed else None
                params[f"stale_{name}"] = spec.staleness_days if spec else None
            stats = {r["as_of"]: r for r in self.rows("field_stats", params)} if dated else {}
        registry = self.registry()
        wanted = set(evidence_days)
        facts = {}
        for day in days:
            row = stats.get(day)
            counts = {} if row is None else {
                f: FieldCounts(row[f"{f}_present"], row[f"{f}_valid"], row[f"{f}_fresh"]) for f in MEASURED_FIELDS}
            found = SignalFacts(day, registry, CUSTOMER_COLUMNS, row["snapshot_date"] if row else None,
                                row["rows"] if row else 0, row["distinct_ids"] if row else 0, counts)
            if day in wanted and row is not None and row["rows"] > row["distinct_ids"]:
                duplicated = self.cursor.execute(sql("duplicate_ids"), {
                    "snapshot": row["snapshot_date"], "limit": self.evidence_limit}).fetchall()
                found = replace(found, duplicated=tuple((c, n) for c, n, _ in duplicated),
                                duplicated_ids=duplicated[0][2] if duplicated else 0)
            facts[day] = found
        return facts

    def preflight(self, cells: list[Cell], evidence_cells: set[Cell],
                  journey: str | None = None) -> dict[Cell, PreflightFacts]:
        from trust.collect_preflight import preflight_facts

        return preflight_facts(self, cells, evidence_cells, journey)

    def anomalies(self, days: Iterable[date], state: State | None = None) -> dict[date, AnomalyFacts]:
        """Anomalies of the snapshots up to each date; reviews come from alert_reviews and the dashboard."""
        days = sorted(set(days))
        snapshots = self.snapshots()
        reviews = state.reviews if state is not None else ()
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
        latest = self.latest()
        owners = {spec.name: spec.owner for spec in self.high_risk()}
        owners[anomaly_rules.ROW_COUNT] = self.field_rules().get("customer_id", FieldSpec("")).owner
        return {d: AnomalyFacts(d, tuple(s for s in snapshots if s <= d),
                                tuple(a for a in found if a.snapshot_date <= d), reviews,
                                record_cutoff(d, latest, read_at), owners, latest) for d in days}

    # Layers 2 and 3 ---------------------------------------------------------------------------

    def content(self, cells: list[Cell], evidence_cells: set[Cell]) -> dict[Cell, ContentFacts]:
        from trust.collect_content import content_facts

        return content_facts(self, cells, evidence_cells)

    # Layers 4 and 5 ---------------------------------------------------------------------------

    def measurement(self, cells: list[Cell]) -> dict[Cell, MeasurementFacts]:
        people = self.directory()

        def load(query: str, kind, table: str):
            if not self.ok(table):
                return []
            return self.once(query, lambda: [kind(**{**r, "owner": people.display(r["owner"])})
                                             for r in self.rows(query, {"team": None})])

        pilots, forecasts, methods = (load("pilots", Pilot, "pilots"), load("forecasts", Forecast, "forecasts"),
                                      load("measurement_methods", Method, "measurement_methods"))
        return {c: MeasurementFacts(c.as_of, *(tuple(r for r in rows if c.team is None or r.team == c.team)
                                               for rows in (pilots, forecasts, methods))) for c in cells}

    def people(self, cells: list[Cell]) -> dict[Cell, PeopleFacts]:
        staff = self.staff()
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
        latest = self.latest()
        teams = self.reaching_teams()
        facts = {}
        for cell in cells:
            mine: dict[str, tuple] = defaultdict(tuple)
            cutoff = record_cutoff(cell.as_of, latest, read_at)
            for answer in in_force(history, cutoff, self.settings.assessment_max_age_days):
                if cell.team is None or answer.team == cell.team:
                    mine[answer.check_id] += (answer,)
            facts[cell] = AssessmentFacts(cell.as_of, cell.team, dict(mine), teams, cutoff)
        return facts

    def reaching_teams(self) -> tuple[str, ...]:
        """The teams that reach customers: those named by content items and journeys."""
        names: set[str] = set()
        if self.ok("content_items"):
            names.update(r[0] for r in self.cursor.execute(sql("content_teams")).fetchall())
        if self.ok("journeys"):
            names.update(r[0] for r in self.cursor.execute(sql("journey_teams")).fetchall())
        return tuple(sorted(n for n in names if n and n.strip()))

    def teams(self) -> tuple[str, ...]:
        """Every team named by the tables that loaded."""
        names: set[str] = set(self.reaching_teams())
        for query, table in (("pilots", "pilots"), ("forecasts", "forecasts"),
                             ("measurement_methods", "measurement_methods"), ("staff_training", "staff")):
            if self.ok(table):
                names.update(r["team"] for r in self.once(f"teams:{query}", lambda q=query: self.rows(
                    q, {"team": None})))
        return tuple(sorted(n for n in names if n and n.strip()))

