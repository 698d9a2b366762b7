"""Facts kept per export: derived tables of queries/ written once to Parquet and read back by later runs.

A weekly export is read many times: by the nightly `trust check`, by every gate at a journey's go-live,
by each new app server. Two kinds of derived table come out the same every time for the same export:
- those kept per load (`-- Kept: per load`: each content item's audit trail, the customers' presence
  and field values), which take no parameter;
- the costly tables and rows of an evaluation that say so (`-- Kept across runs:`, such as each
  journey's audience, the members pre-flight stops and the governance counts of each date), for the
  same parameters (dates, settings) and the same evaluation tables they read; each such file is a
  variant named after all of those.
The first run keeps them and later runs read them back instead of computing them again.

An entry is named after everything its rows depend on:
- the extracts folder's fingerprint (every file's path, size and modification time, as for reloading);
- what the load made of each table (its status, rows, columns and errors), so a file that could not be
  read once, and can now, names another entry;
- the SQL of queries/, the loading code of trust/extracts/ and DuckDB's version.
Any change to one of them names another entry, so a kept fact is never read for data or code it did not
come from. The entries of a folder's other exports are removed when a new one is written, and an entry
keeps its most recently used variants only. A file is written under a temporary name and renamed, so a
reader never sees half of one, and it is kept only when its read-back types equal the table's own. A
kept file that cannot be read is removed and its facts computed again: keeping only ever saves time, it
never decides a result.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import threading
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from functools import cache
from pathlib import Path

import duckdb

from trust.extracts.loading import Extracts
from trust.extracts.queries import QUERIES

FORMAT = "1"  # bumped when the layout of an entry changes
VARIANTS = 12  # the variants an entry keeps (a week's dashboards and gates ask for a few date spans)
_log = logging.getLogger(__name__)
Cursors = Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]]


@cache
def code_digest() -> str:
    """A digest of what turns files into kept facts: queries/, the loading code and DuckDB's version."""
    digest = hashlib.sha256(f"{FORMAT}\0{duckdb.__version__}\n".encode())
    for path in [*sorted(QUERIES.glob("*.sql")), *sorted(Path(__file__).parent.glob("*.py"))]:
        digest.update(f"{path.parent.name}/{path.name}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def export_digest(extracts: Extracts) -> str:
    """A digest of one load: the folder's fingerprint and what the load made of each table."""
    tables = [(t.name, t.status, t.rows, t.files, t.columns, [str(e) for e in t.errors])
              for t in extracts.tables.values()]
    return hashlib.sha256(json.dumps([extracts.fingerprint, tables], default=str).encode()).hexdigest()[:16]


def variant(name: str, params: Mapping[str, object], needs: Mapping[str, str]) -> str:
    """The name of one evaluation table's rows: its parameters and the variants of the tables it reads."""
    text = json.dumps([name, dict(params), dict(needs)], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def prepared(folder: Path | None) -> Path | None:
    """The absolute folder where facts are kept, created if need be; None (keep nothing) when unset or
    when it cannot be created, which is said once in the log."""
    if folder is None:
        return None
    path = folder.expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _log.warning("TRUST_FACTS_CACHE=%s: the folder cannot be created (%s); facts will not be kept", folder,
                     exc.strerror or exc)
        return None
    return path


class KeptFacts:
    """The kept facts of one extracts folder, in `folder`/<folder digest>/<export and code digest>/."""

    def __init__(self, folder: Path, root: Path) -> None:
        self.folder = folder
        self._exports = folder / hashlib.sha256(str(root).encode()).hexdigest()[:16]
        self._lock = threading.Lock()
        self._writers: list[threading.Thread] = []

    def _path(self, extracts: Extracts, name: str, of: str | None) -> Path:
        entry = self._exports / f"{export_digest(extracts)}-{code_digest()}"
        return entry / (f"{name}.parquet" if of is None else f"{name}-{of}.parquet")

    def restore(self, cursor: duckdb.DuckDBPyConnection, extracts: Extracts, name: str, of: str | None = None,
                table: str | None = None) -> bool:
        """Create table `name` (or `table`) from its kept file (a temporary table for variant `of` of an
        evaluation's table or rows); False when there is none or it cannot be read."""
        path = self._path(extracts, name, of)
        if not path.is_file():
            return False
        try:
            kind = "TABLE" if of is None else "TEMP TABLE"
            cursor.execute(f"CREATE OR REPLACE {kind} {table or name} AS FROM read_parquet($path)",
                           {"path": str(path)})
        except duckdb.Error as exc:
            _log.warning("kept facts %s could not be read (%s); computing them again", path, exc)
            path.unlink(missing_ok=True)
            return False
        if of is not None:
            os.utime(path)  # used now: the last of the entry's variants to go
        return True

    def keep(self, cursors: Cursors, extracts: Extracts, name: str) -> None:
        """Write a table kept per load for later runs, in the background (a thread the process waits for
        before it exits, and `wait` joins): the run that computed it goes on meanwhile."""
        writer = threading.Thread(target=self._write, args=(cursors, self._path(extracts, name, None), name),
                                  name=f"keep {name}")
        with self._lock:
            self._writers = [w for w in self._writers if w.is_alive()] + [writer]
        writer.start()

    def keep_now(self, cursor: duckdb.DuckDBPyConnection, extracts: Extracts, name: str, of: str) -> None:
        """Write variant `of` of an evaluation's temporary table, on its own cursor (only it sees the table)."""
        self._write(lambda: nullcontext(cursor), self._path(extracts, name, of), name)

    def rows(self, cursor: duckdb.DuckDBPyConnection, extracts: Extracts, name: str, of: str,
             compute: Callable[[str], object]) -> duckdb.DuckDBPyConnection:
        """The rows of statement `name` (variant `of`), in the order it gave them: read back into a temporary
        table of the cursor, or computed into it by `compute(table)` and kept."""
        table = f"rows_of_{name}"
        if not self.restore(cursor, extracts, name, of, table):
            compute(table)
            self._write(lambda: nullcontext(cursor), self._path(extracts, name, of), name, table)
        return cursor.execute(f"FROM {table}")

    def wait(self) -> None:
        """Until every fact being written is written (or given up)."""
        with self._lock:
            writers = list(self._writers)
        for writer in writers:
            writer.join()

    def _write(self, cursors: Cursors, path: Path, name: str, table: str | None = None) -> None:
        """Write table `table` (by default `name`) as the kept file of queries/<name>.sql; a failure is logged
        and costs only time (the next run computes it again)."""
        table = table or name
        entry = path.parent
        temporary = entry / f".{path.name}.{os.getpid()}.{threading.get_ident()}"
        try:
            entry.mkdir(parents=True, exist_ok=True)
            quoted = str(temporary).replace("'", "''")  # COPY takes no parameter for its file
            with cursors() as cursor:
                cursor.execute(f"COPY {table} TO '{quoted}' (FORMAT parquet)")
                written = cursor.execute("DESCRIBE FROM read_parquet($path)", {"path": str(temporary)}).fetchall()
                if written != cursor.execute(f"DESCRIBE {table}").fetchall():
                    _log.warning("queries/%s.sql: its types do not survive Parquet; not kept", name)
                    temporary.unlink(missing_ok=True)
                    return
            os.replace(temporary, path)
        except (OSError, duckdb.Error) as exc:
            _log.warning("facts of queries/%s.sql not kept in %s (%s)", name, entry, exc)
            temporary.unlink(missing_ok=True)
            return
        for other in [p for p in self._exports.iterdir() if p != entry]:  # the folder's older exports
            shutil.rmtree(other, ignore_errors=True)
        variants = sorted((p for p in entry.glob("*-*.parquet")), key=_used, reverse=True)
        for old in variants[VARIANTS:]:
            old.unlink(missing_ok=True)


def _used(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed meanwhile by another run
        return 0.0
