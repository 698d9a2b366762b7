"""Collecting facts: one evaluation's cursor, the statements of queries/ run on it at most once each, and the
inputs every family shares (snapshots, staff, the field registry, teams)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

import duckdb

from trust.extracts.database import Database
from trust.extracts.loading import Extracts
from trust.extracts.queries import sql
from trust.facts.anomalies import CONSENT_FIELDS, FAKE_FIELD
from trust.facts.calendar import current_snapshot
from trust.facts.directory import Directory
from trust.facts.model import Evidence, evidence
from trust.facts.people import Person
from trust.facts.signal import CUSTOMER_COLUMNS, FieldSpec
from trust.settings import Settings

ALL_ROWS = 2**31 - 1  # a LIMIT that keeps every row (the largest Spark accepts)
WHOLE = 100_000  # at most the records a list reads whole to count their owners; the engine counts more


class Collector:
    """Runs the fact queries of one evaluation on one cursor, each at most once."""

    def __init__(self, db: Database, extracts: Extracts, settings: Settings, cursor: duckdb.DuckDBPyConnection,
                 evidence_limit: int = 50) -> None:
        self.db, self.extracts, self.settings, self.cursor = db, extracts, settings, cursor
        self.evidence_limit = evidence_limit
        self._cache: dict[str, object] = {}

    def ok(self, name: str) -> bool:
        return self.extracts.table(name).ok

    def execute(self, name: str, params: dict | None = None) -> duckdb.DuckDBPyConnection:
        """Run `queries/<name>.sql` on this evaluation's cursor, after the tables its header needs."""
        return self.db.execute(self.cursor, self.extracts, name, params)

    def build(self, name: str, params: dict | None = None) -> None:
        """Keep `queries/<name>.sql` as a temporary table of this evaluation (once for the same parameters,
        so two families that need the same table share it)."""
        self.once(f"built:{name}:{sorted((params or {}).items())!r}",
                  lambda: self.db.build(self.cursor, self.extracts, name, params))

    def rows(self, name: str, params: dict | None = None) -> list[dict]:
        result = self.execute(name, params)
        columns = [d[0] for d in result.description]
        return [dict(zip(columns, r, strict=True)) for r in result.fetchall()]

    def once(self, key: str, build):
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def evidence(self, kind: str, query: str, total: int, params: dict, owners: bool = False) -> Evidence:
        """The first rows of a records query, owners shown by name, and the owners of all its `total` rows.

        A statement whose rows name their owner (`owners`), with more records than are shown but at most
        WHOLE, runs once without its limit: the owners are counted from every record, and the first rows are
        those shown (its order is total). Otherwise the engine counts the owners of all of them (a grouping of
        the statement without its limit), so no list hands this process more than WHOLE records."""
        limit = self.evidence_limit
        whole = owners and limit < total <= WHOLE
        result = self.execute(query, {**params, "limit": ALL_ROWS if whole else limit})
        columns = tuple(d[0] for d in result.description)
        every = result.fetchall()
        rows = every[:limit]
        found_owners: tuple[str, ...] = ()
        if "owner" in columns:
            at = columns.index("owner")
            people = self.directory()
            # Every failing record's owner, not only those of the rows shown: most records first.
            if len(every) < total:
                counted = self.db.run(self.cursor, self.extracts,
                                      f"SELECT owner, count(*) AS n FROM ({sql(query)}) AS failing GROUP BY owner",
                                      {**params, "limit": ALL_ROWS}).fetchall()
            else:
                counted = list(Counter(r[at] for r in every).items())
            found_owners = tuple(people.display(o) for o, _ in sorted(counted, key=lambda c: (-c[1], c[0] or ""))
                                 if o)
            rows = [(*r[:at], people.display(r[at]), *r[at + 1:]) for r in rows]
        return evidence(kind, columns, rows, total=total, owners=found_owners)

    # Shared inputs -------------------------------------------------------------------------

    def snapshots(self) -> tuple[date, ...]:
        if not self.ok("customers"):
            return ()
        return self.once("snapshots", lambda: tuple(r[0] for r in self.db.remembered(self.extracts,
                                                                                     "customer_snapshots")))

    def latest(self) -> date | None:
        snapshots = self.snapshots()
        return snapshots[-1] if snapshots else None

    def pairs(self, days: Iterable[date]) -> tuple[list[date], list[date | None]]:
        """Each date with the snapshot current at it (None before the first)."""
        days = sorted(set(days))
        return days, [current_snapshot(self.snapshots(), d) for d in days]

    def staff(self) -> tuple[Person, ...]:
        """Every member of staff with their AI-safety courses (empty when staff or training did not load)."""
        if not (self.ok("staff") and self.ok("training")):
            return ()
        return self.once("staff", lambda: tuple(
            Person(**{**r, "ai_safety_completed": tuple(r["ai_safety_completed"] or ())})
            for r in self.rows("staff_training", {"team": None})))

    def people(self) -> tuple[Person, ...]:
        """Every member of staff, without their courses (empty when staff did not load): a broken training
        table must not stop owners being shown as people."""
        if not self.ok("staff"):
            return ()
        return self.once("people", lambda: tuple(Person(**r) for r in self.rows("staff_directory", {"team": None})))

    def directory(self) -> Directory:
        """Staff by ID and name, so owners show as people."""
        return self.once("directory", lambda: Directory(self.people()))

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
        """The fields whose value shares are watched for anomalies: the high-risk customer fields, every consent
        field (its opt-out share, whatever its risk in the registry), and the suspected-fake flag wherever the
        customers extract carries it (CHECKS.md, layers 1 and 4)."""
        fields = [s.name for s in self.high_risk()]
        fields += [f for f in CONSENT_FIELDS if f not in fields]
        if self.extracts.table("customers").has(FAKE_FIELD) and FAKE_FIELD not in fields:
            fields.append(FAKE_FIELD)
        return fields

    def reaching_teams(self) -> tuple[str, ...]:
        """The teams that reach customers: those named by content items and journeys."""
        names: set[str] = set()
        if self.ok("content_items"):
            names.update(r["team"] for r in self.rows("content_teams"))
        if self.ok("journeys"):
            names.update(r["team"] for r in self.rows("journey_teams"))
        return tuple(sorted(n for n in names if n and n.strip()))

    def teams(self) -> tuple[str, ...]:
        """Every team named by the tables that loaded."""
        names: set[str] = set(self.reaching_teams())
        for query, table in (("pilots", "pilots"), ("forecasts", "forecasts"),
                             ("measurement_methods", "measurement_methods"), ("staff_directory", "staff")):
            if self.ok(table):
                names.update(r["team"] for r in self.once(f"teams:{query}", lambda q=query: self.rows(
                    q, {"team": None})))
        return tuple(sorted(n for n in names if n and n.strip()))
