"""The hardened DuckDB connection for one extracts folder, its loaded tables and the SQL room."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb

from trust.extracts.contract import TABLES
from trust.extracts.errors import ExtractsUnavailable
from trust.extracts.keeping import kept_facts, variant
from trust.extracts.loading import Extracts, load_all
from trust.extracts.queries import EVALUATION, LOAD, VIEW, query, sql
from trust.extracts.sources import fingerprint, resolve_root
from trust.settings import Settings

# Spark functions that DuckDB lacks, defined as DuckDB macros so that queries/ may use them (the portable
# subset of trust.extracts.dialect; defined here so that the embedded path never loads the transpiler).
DUCKDB_SHIMS = (
    "CREATE MACRO add_months(d, n) AS CAST(d + to_months(n) AS DATE)",
)


class Database:
    """One DuckDB connection per extracts folder, locked down to reading that folder.

    The connection may read files only inside the extracts folder, cannot reach the
    network, install or load extensions, and its configuration is locked once set. Each
    load of the folder goes into a schema of its own, named after the files' fingerprint,
    so a reload never changes the tables under a query that is running.
    """

    engine = "duckdb"

    def __init__(self, root: Path, memory_limit: str = "2GB", threads: int = 2, facts: Path | None = None) -> None:
        self.root = resolve_root(root)
        self._kept = kept_facts(facts, self.root, self.fingerprint)
        # The variant of each evaluation table a cursor built that can be kept (see `build`).
        self._variants: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, dict[str, str]] = (
            weakref.WeakKeyDictionary())
        # What an evaluation declared on a cursor and is not made yet: each view or table with its parameters (see
        # `build`).
        self._declared: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, dict[str, dict]] = (
            weakref.WeakKeyDictionary())
        self._lock = threading.RLock()
        self._current: Extracts | None = None
        self._derived: set[tuple[str, str]] = set()
        self._making: dict[tuple[str, str], threading.Lock] = {}  # a lock per table kept per load
        self._threads, self._memory_limit = threads, memory_limit
        # An evaluation runs a statement on each of its lanes at once, each on a cursor and thread of its own (see
        # trust.engine), and DuckDB adds helper threads to a statement up to its `threads` setting, the calling
        # thread included: with as many helpers as the lanes leave of `threads`, the process never runs more
        # threads than that. Two lanes of one thread each, on two cores, used about a tenth less CPU than two lanes
        # of two threads (whose hash tables, built in parallel, are merged) for a whole check on the scale data.
        self.lanes = min(2, threads)
        self._remembered: dict[tuple[str, str], list[tuple]] = {}
        self._connection = duckdb.connect(":memory:", config={
            "autoload_known_extensions": False,
            "autoinstall_known_extensions": False,
            "memory_limit": memory_limit,
            "threads": threads - self.lanes + 1,
        })
        for shim in DUCKDB_SHIMS:
            self._connection.execute(shim)
        dirs = [f"{self.root}/"] + ([f"{self._kept.exports}/"] if self._kept is not None else [])
        self._connection.execute("SET allowed_directories = $dirs", {"dirs": dirs})
        self._connection.execute("SET enable_external_access = false")
        self._connection.execute("SET lock_configuration = true")

    @classmethod
    def for_settings(cls, settings: Settings) -> Database:
        return cls(settings.extracts_path, settings.memory_limit, settings.threads, settings.facts_cache)

    def describe(self) -> str:
        kept = f"; the facts of each export kept in {self._kept.folder}" if self._kept is not None else ""
        return f"DuckDB, embedded in this process ({self._threads} threads, at most {self._memory_limit}){kept}"

    def fingerprint(self) -> str:
        if not self.root.is_dir():
            raise ExtractsUnavailable(f"extracts folder {self.root} no longer exists")
        return fingerprint(self.root, TABLES)

    def load(self) -> Extracts:
        """The loaded extracts, re-read when any file changed since the last load."""
        current_fingerprint = self.fingerprint()
        with self._lock:
            if self._current is None or self._current.fingerprint != current_fingerprint:
                previous = self._current
                schema = f"x_{current_fingerprint}"
                with self._connection.cursor() as cursor:
                    cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
                    cursor.execute(f"CREATE SCHEMA {schema}")
                self._forget(schema)
                tables = load_all(self._connection, self.root, schema, threads=self._threads)
                self._current = Extracts(self.root, current_fingerprint, schema, tables)
                if previous is not None and previous.schema != schema:
                    with self._connection.cursor() as cursor:
                        cursor.execute(f"DROP SCHEMA IF EXISTS {previous.schema} CASCADE")
                    self._forget(previous.schema)
            return self._current

    def _forget(self, schema: str) -> None:
        """Drop what was kept or remembered for a load's schema (dropped, or about to be filled again)."""
        self._derived = {k for k in self._derived if k[0] != schema}
        self._making = {k: v for k, v in self._making.items() if k[0] != schema}
        self._remembered = {k: v for k, v in self._remembered.items() if k[0] != schema}

    def materialise(self, extracts: Extracts, name: str) -> None:
        """Keep the result of `queries/<name>.sql` as a table of this load, computed only once.

        Derived facts that many checks read (such as each content item's audit-trail summary)
        are worth computing once per load rather than once per check or per date.
        """
        statement = query(name)
        if statement.kept != LOAD:
            raise ValueError(f"queries/{name}.sql is not kept per load (its header says {statement.kept!r})")
        key = (extracts.schema, name)
        with self._lock:
            making = self._making.setdefault(key, threading.Lock())
        # One thread makes the table while another that needs it waits; the other tables are made meanwhile.
        with making:
            if key in self._derived:
                return
            self._prepare(extracts, name)  # the tables it needs first, each under its own lock (queries/ has no cycle)
            with self.cursor(extracts) as cursor:
                kept = self._kept if statement.across_runs else None
                if kept is None or not kept.restore(cursor, extracts, name):
                    cursor.execute(f"CREATE OR REPLACE TABLE {name} AS {statement.text}")
                    if kept is not None:
                        kept.keep(lambda: self.cursor(extracts), extracts, name)
            with self._lock:
                self._derived.add(key)

    def _prepare(self, extracts: Extracts, name: str) -> None:
        """Materialise the tables kept per load that `queries/<name>.sql` says (in its header) it needs."""
        for need in query(name).needs:
            if query(need).kept == LOAD:
                self.materialise(extracts, need)

    def _ready(self, cursor: duckdb.DuckDBPyConnection, extracts: Extracts, name: str) -> None:
        """Make what `queries/<name>.sql` reads, just before it is computed on the cursor: the tables kept per
        load, and the views and tables declared on the cursor (see `_create`). Rows read back from an earlier run
        need none of it: a run whose facts are all kept never computes the audit trails."""
        self._prepare(extracts, name)
        for need in query(name).needs:
            if query(need).kept in (VIEW, EVALUATION):
                self._create(cursor, extracts, need)

    def execute(self, cursor: duckdb.DuckDBPyConnection, extracts: Extracts, name: str,
                params: Mapping[str, object] | Sequence[object] | None = None) -> duckdb.DuckDBPyConnection:
        """Run `queries/<name>.sql` on a cursor of one load, after the per-load tables and declared views it reads
        (made only when it is computed, not when its rows are read back from an earlier run).

        A table kept per evaluation (a temporary table of the cursor) must have been built first with
        `build`; if it was not, the error names the query and the table.
        """
        statement = query(name)
        if self._kept is not None and statement.kept is None and statement.across_runs:
            with self._lock:
                variants = self._variants.setdefault(cursor, {})
            of = self._variant(variants, name, params or {})
            if of is not None:  # rows kept across runs: read back, or computed into a table and kept
                def compute(table: str) -> None:
                    self._ready(cursor, extracts, name)
                    cursor.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {statement.text}", params or {})
                return self._kept.rows(cursor, extracts, name, of, compute)
        self._ready(cursor, extracts, name)
        try:
            return cursor.execute(sql(name), params or {})
        except duckdb.CatalogException as exc:
            missing = [n for n in query(name).needs if f" {n} " in f" {exc} ".replace('"', " ")]
            if missing:
                raise RuntimeError(f"queries/{name}.sql needs the table {missing[0]}, which this evaluation has "
                                   f"not built: {exc}") from exc
            raise

    def run(self, cursor: duckdb.DuckDBPyConnection, extracts: Extracts, text: str,
            params: Mapping[str, object] | None = None) -> duckdb.DuckDBPyConnection:
        """Any statement on this evaluation's cursor (the engines' common way to wrap a statement of queries/)."""
        with self._lock:  # anything declared on the cursor may be read: all of it is made first
            declared = sorted(self._declared.get(cursor, ()))
        for name in declared:
            self._create(cursor, extracts, name)
        return cursor.execute(text, params or {})

    def _create(self, cursor: duckdb.DuckDBPyConnection, extracts: Extracts, name: str) -> None:
        """Make a view or table declared on the cursor and not made yet, after what it reads. A view reads its
        inputs when it is read, so theirs are made even when it was made before (its settings built anew)."""
        with self._lock:
            pending = self._declared.get(cursor, {})
            declared, params = name in pending, pending.get(name)
        if declared or query(name).kept == VIEW:
            self._ready(cursor, extracts, name)
        if declared:
            if query(name).kept == VIEW:
                cursor.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {sql(name)}")
            else:
                cursor.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql(name)}", params or {})
            with self._lock:
                pending.pop(name, None)

    def build(self, cursor: duckdb.DuckDBPyConnection, extracts: Extracts, name: str,
              params: Mapping[str, object] | None = None) -> None:
        """Keep `queries/<name>.sql` for this cursor's evaluation, with the evaluation's parameters. One kept across
        runs is read back from an earlier run on the same export (see `_variant`) or computed now and kept; any
        other is declared, to be made when a statement that reads it is computed (`_ready`), if one is: a
        temporary table, or (kept as a view) a temporary view that reads the evaluation's parameters from one."""
        if query(name).kept == VIEW:  # a view's rows are named by its inputs as they are when it is read
            with self._lock:
                self._declared.setdefault(cursor, {})[name] = {}
            return
        with self._lock:
            variants = self._variants.setdefault(cursor, {})
        variants.pop(name, None)  # built again now: an earlier variant no longer describes it
        of = self._variant(variants, name, params or {})
        kept = self._kept if of is not None and query(name).across_runs else None
        if kept is None:  # made by its first reader, if any: a run whose readers are all kept never makes it
            with self._lock:
                self._declared.setdefault(cursor, {})[name] = dict(params or {})
        elif not kept.restore(cursor, extracts, name, of):
            self._ready(cursor, extracts, name)
            cursor.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql(name)}", params or {})
            kept.keep_now(cursor, extracts, name, of)
        if of is not None:
            variants[name] = of

    def _variant(self, variants: dict[str, str], name: str,
                 params: Mapping[str, object] | Sequence[object]) -> str | None:
        """What names the rows of a statement on a cursor, when facts are kept: its parameters and the
        variants of the evaluation tables it reads (see `_inputs`). None when one of those has no variant
        (or nothing is kept)."""
        if self._kept is None:
            return None
        inputs = self._inputs(variants, name)
        return None if inputs is None else variant(name, params, inputs)

    def _inputs(self, variants: dict[str, str], name: str) -> dict[str, str] | None:
        """The variants of the evaluation tables a statement reads, directly or through the views it reads,
        as the cursor (whose `variants` these are) holds them now; None when one has none."""
        found: dict[str, str] = {}
        for need in query(name).needs:
            kind = query(need).kept
            inner = {} if kind == LOAD else self._inputs(variants, need) if kind == VIEW else (
                {need: variants[need]} if need in variants else None)
            if inner is None:
                return None
            found.update(inner)
        return found

    @contextmanager
    def cursor(self, extracts: Extracts | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of its own (a shared connection is not thread-safe), set to a load's schema."""
        with self._connection.cursor() as cursor:
            if extracts is not None:
                cursor.execute(f"USE {extracts.schema}")
            yield cursor

    def remembered(self, extracts: Extracts, name: str) -> list[tuple]:
        """Rows of `queries/<name>.sql`, a statement without parameters, computed once per load (a load never
        changes), such as the customer snapshots that every evaluation, page and command asks for."""
        key = (extracts.schema, name)
        with self._lock:
            if key not in self._remembered:
                self._remembered[key] = self.query(extracts, name)
            return list(self._remembered[key])

    def query(self, extracts: Extracts, name: str,
              params: Mapping[str, object] | Sequence[object] | None = None) -> list[tuple]:
        """Rows of the named query in `queries/`, over one load, with its parameters bound."""
        with self.cursor(extracts) as cursor:
            return self.execute(cursor, extracts, name, params).fetchall()

    def kept_written(self) -> None:
        """Until every fact being kept for later runs is written (or given up)."""
        if self._kept is not None:
            self._kept.wait()

    def close(self) -> None:
        """Close the connection, once every kept fact being written is written."""
        self.kept_written()
        self._connection.close()

