"""The Spark engine behind the same interface as the DuckDB one: load, materialise, build, execute, cursor.

Each load's tables are temporary views named `<load>_<table>` (the load is named after the fingerprint, so
a reload never changes the tables under a running query); each evaluation's own tables are named after
its cursor. Statements of queries/ are transpiled by sqlglot with those names and their parameters.
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trust.extracts.contract import TABLES
from trust.extracts.dialect import transpile
from trust.extracts.errors import ExtractsUnavailable
from trust.extracts.loading import Extracts
from trust.extracts.queries import LOAD, VIEW, query, sql
from trust.extracts.sources import fingerprint, resolve_root
from trust.spark.loading import Source, load_all
from trust.spark.session import drop, keep, open_session, shown


@dataclass
class Result:
    """Rows of one statement, read as a DuckDB result is: `description` and `fetchall`."""

    description: list[tuple[str]]
    rows: list[tuple]

    def fetchall(self) -> list[tuple]:
        return self.rows

    def fetchone(self) -> tuple | None:
        return self.rows[0] if self.rows else None


@dataclass
class Cursor:
    """One evaluation's room on Spark: the names of the tables it built, dropped when it closes."""

    prefix: str
    names: dict[str, str] = field(default_factory=dict)
    extracts: Extracts | None = None


class SparkDatabase:
    """The checks' statements on Spark, over extract files Spark reads or the tables of a catalog database."""

    engine = "spark"
    lanes = 1  # one statement at a time: a Spark session spreads each one over its executors already

    def __init__(self, root: Path | None = None, database: str | None = None, remote: str | None = None,
                 threads: int = 2, memory: str = "2g") -> None:
        self.root = resolve_root(root) if root is not None else Path(f"spark-catalog:{database}")
        self.source = Source(self.root if database is None else None, database)
        self.remote, self.threads, self.memory = remote, threads, memory
        self._session: Any = None
        self._lock = threading.RLock()
        self._current: Extracts | None = None
        self._derived: set[tuple[str, str]] = set()
        self._remembered: dict[tuple[str, str], list[tuple]] = {}
        self._cursors = itertools.count(1)

    @property
    def session(self) -> Any:
        with self._lock:
            if self._session is None:
                self._session = open_session(self.remote, self.threads, self.memory)
            return self._session

    def describe(self) -> str:
        where = (f"Spark Connect at {shown(self.remote)}" if self.remote
                 else f"a local Spark session (local[{self.threads}])")
        source = "the tables of its catalog database" if self.source.database else "the extract files"
        return f"Spark, {where}, reading {source}"

    def fingerprint(self) -> str:
        if self.source.database is None:
            if not self.root.is_dir():
                raise ExtractsUnavailable(f"extracts folder {self.root} no longer exists")
            return fingerprint(self.root, TABLES)
        # A catalog's tables: their names and schemas (a new export of the same shape needs a restart or
        # a new table version to be seen; see the README).
        if not self.session.catalog.databaseExists(self.source.database):
            raise ExtractsUnavailable(f"TRUST_SPARK_DATABASE={self.source.database}: no such database in the "
                                      "catalog Spark reads")
        digest = hashlib.sha256(self.source.database.encode())
        for table in TABLES:
            if self.session.catalog.tableExists(f"{self.source.database}.{table.name}"):
                schema = self.session.table(f"{self.source.database}.{table.name}").schema
                digest.update(f"{table.name}:{schema.simpleString()}\n".encode())
        return digest.hexdigest()[:16]

    def load(self) -> Extracts:
        current = self.fingerprint()
        with self._lock:
            if self._current is None or self._current.fingerprint != current:
                previous = self._current
                prefix = f"x_{current}"
                tables = load_all(self.session, self.source, prefix)
                self._current = Extracts(self.root, current, prefix, tables)
                if previous is not None and previous.schema != prefix:
                    self._forget(previous.schema)
            return self._current

    def _forget(self, schema: str) -> None:
        """Drop a replaced load's views (its tables, their staging and what was kept per load), so that the
        rows Spark keeps for them are released."""
        for view in self.session.catalog.listTables():
            if view.isTemporary and view.name.startswith(f"{schema}_"):
                drop(self.session, view.name)
        self._derived = {k for k in self._derived if k[0] != schema}
        self._remembered = {k: v for k, v in self._remembered.items() if k[0] != schema}

    def _names(self, extracts: Extracts, cursor: Cursor | None = None) -> dict[str, str]:
        names = {t.name: f"{extracts.schema}_{t.name}" for t in TABLES}
        names.update({name: f"{schema}_{name}" for schema, name in self._derived if schema == extracts.schema})
        if cursor is not None:
            names.update(cursor.names)
        return names

    def materialise(self, extracts: Extracts, name: str) -> None:
        statement = query(name)
        if statement.kept != LOAD:
            raise ValueError(f"queries/{name}.sql is not kept per load (its header says {statement.kept!r})")
        with self._lock:
            if (extracts.schema, name) in self._derived:
                return
            self._prepare(extracts, name)
            target = f"{extracts.schema}_{name}"
            names = self._names(extracts)
            keep(self.session, target, transpile(statement.text, {}, names))
            self._derived.add((extracts.schema, name))

    def remembered(self, extracts: Extracts, name: str) -> list[tuple]:
        """Rows of a statement without parameters, computed once per load (see Database.remembered)."""
        key = (extracts.schema, name)
        with self._lock:
            if key not in self._remembered:
                self._remembered[key] = self.query(extracts, name)
            return list(self._remembered[key])

    def _prepare(self, extracts: Extracts, name: str) -> None:
        for need in query(name).needs:
            if query(need).kept == LOAD:
                self.materialise(extracts, need)

    def execute(self, cursor: Cursor, extracts: Extracts, name: str,
                params: Mapping[str, object] | None = None) -> Result:
        self._prepare(extracts, name)
        return self.run(cursor, extracts, sql(name), params)

    def run(self, cursor: Cursor, extracts: Extracts, text: str, params: Mapping[str, object] | None = None) -> Result:
        """Any statement in DuckDB's dialect, on this evaluation's tables."""
        frame = self.session.sql(transpile(text, params or {}, self._names(extracts, cursor)))
        rows = frame.collect()
        return Result([(c,) for c in frame.columns], [tuple(r) for r in rows])

    def build(self, cursor: Cursor, extracts: Extracts, name: str, params: Mapping[str, object] | None = None) -> None:
        self._prepare(extracts, name)
        target = f"{cursor.prefix}_{name}"
        text = transpile(sql(name), params or {}, self._names(extracts, cursor))
        if query(name).kept == VIEW:
            self.session.sql(f"CREATE OR REPLACE TEMP VIEW {target} AS {text}")
        else:
            keep(self.session, target, text)
        cursor.names[name] = target

    @contextmanager
    def cursor(self, extracts: Extracts | None = None) -> Iterator[Cursor]:
        cursor = Cursor(f"e{next(self._cursors)}", extracts=extracts)
        try:
            yield cursor
        finally:
            for target in reversed(list(cursor.names.values())):
                drop(self.session, target)

    def query(self, extracts: Extracts, name: str, params: Mapping[str, object] | None = None) -> list[tuple]:
        with self.cursor(extracts) as cursor:
            return self.execute(cursor, extracts, name, params).fetchall()

    def close(self) -> None:
        if self._session is not None:
            self._session.stop()
            self._session = None
