"""The hardened DuckDB connection for one extracts folder, its loaded tables and the SQL room."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import duckdb

from trust.contract import TABLES
from trust.errors import ExtractsUnavailable
from trust.loader import Extracts, load_all
from trust.settings import Settings
from trust.sources import fingerprint, resolve_root

_QUERY_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


QUERIES = Path(__file__).resolve().parents[1] / "queries"


@cache
def sql(name: str) -> str:
    """The statement in `queries/<name>.sql`; names are checked so they can never be paths."""
    if not _QUERY_NAME.match(name):
        raise ValueError(f"{name!r} is not a query name")
    try:
        return (QUERIES / f"{name}.sql").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"there is no query {name!r} in {QUERIES}") from None


def query_names() -> list[str]:
    return sorted(p.stem for p in QUERIES.glob("*.sql"))


class Database:
    """One DuckDB connection per extracts folder, locked down to reading that folder.

    The connection may read files only inside the extracts folder, cannot reach the
    network, install or load extensions, and its configuration is locked once set. Each
    load of the folder goes into a schema of its own, named after the files' fingerprint,
    so a reload never changes the tables under a query that is running.
    """

    def __init__(self, root: Path, memory_limit: str = "2GB", threads: int = 2) -> None:
        self.root = resolve_root(root)
        self._lock = threading.Lock()
        self._current: Extracts | None = None
        self._derived: set[tuple[str, str]] = set()
        self._connection = duckdb.connect(":memory:", config={
            "autoload_known_extensions": False,
            "autoinstall_known_extensions": False,
            "memory_limit": memory_limit,
            "threads": threads,
        })
        self._connection.execute("SET allowed_directories = $dirs", {"dirs": [f"{self.root}/"]})
        self._connection.execute("SET enable_external_access = false")
        self._connection.execute("SET lock_configuration = true")

    @classmethod
    def for_settings(cls, settings: Settings) -> Database:
        return cls(settings.extracts_path, settings.memory_limit, settings.threads)

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
                tables = load_all(self._connection, self.root, schema)
                self._current = Extracts(self.root, current_fingerprint, schema, tables)
                if previous is not None and previous.schema != schema:
                    with self._connection.cursor() as cursor:
                        cursor.execute(f"DROP SCHEMA IF EXISTS {previous.schema} CASCADE")
            return self._current

    def materialise(self, extracts: Extracts, name: str) -> None:
        """Keep the result of `queries/<name>.sql` as a table of this load, computed only once.

        Derived facts that many checks read (such as each content item's audit-trail summary)
        are worth computing once per load rather than once per check or per date.
        """
        key = (extracts.schema, name)
        with self._lock:
            if key in self._derived:
                return
            with self.cursor(extracts) as cursor:
                cursor.execute(f"CREATE OR REPLACE TABLE {name} AS {sql(name)}")
            self._derived.add(key)

    @contextmanager
    def cursor(self, extracts: Extracts | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of its own (a shared connection is not thread-safe), set to a load's schema."""
        with self._connection.cursor() as cursor:
            if extracts is not None:
                cursor.execute(f"USE {extracts.schema}")
            yield cursor

    def query(self, extracts: Extracts, name: str,
              params: Mapping[str, object] | Sequence[object] | None = None) -> list[tuple]:
        """Rows of the named query in `queries/`, over one load, with its parameters bound."""
        with self.cursor(extracts) as cursor:
            return cursor.execute(sql(name), params or {}).fetchall()

    def close(self) -> None:
        self._connection.close()
