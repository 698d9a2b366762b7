"""Facts kept per export: derived tables of queries/ written once to Parquet and read back by later runs.

A weekly export is read many times: by the nightly `trust check`, by every gate at a journey's go-live,
by each new app server. Two kinds of derived table come out the same every time for the same export:
- those kept per load whose header also says `-- Kept across runs:` (the customers' presence and field
  values), which take no parameter;
- the costly tables and rows of an evaluation that say so (`-- Kept across runs:`, such as each
  journey's audience, the members pre-flight stops and the governance counts of each date), for the
  same parameters (dates, settings) and the same evaluation tables they read; each such file is a
  variant named after all of those.
The first run keeps them and later runs read them back instead of computing them again.

An entry is named after everything its rows depend on:
- the extracts folder's fingerprint (every file's path, size and modification time, as for reloading),
  and each file's inode and change time;
- what the load made of each table (its status, rows, columns and errors), so a file that could not be
  read once, and can now, names another entry;
- the SQL of queries/, the loading code of trust/extracts/ and DuckDB's version.
Any change to one of them names another entry, so a kept fact is never read for data or code it did not
come from. The entries of a folder's other exports are removed when a new one is written, and an entry
keeps its most recently used variants only. A file is written under a temporary name and renamed, so a
reader never sees half of one, and it is kept only when its read-back types equal the table's own and
the files did not change under the load. A kept file that cannot be read is removed and its facts
computed again, and no failure to read, write or tidy fails a run: keeping only ever saves time, it
never decides a result.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import duckdb

from trust.extracts.loading import Extracts
from trust.extracts.queries import query, query_names

FORMAT = "1"  # bumped when the layout of an entry changes
VARIANTS = 12  # the variants an entry keeps of each statement (a week's dashboards and gates ask for a few date spans)
_log = logging.getLogger(__name__)
Cursors = Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]]


def code_digest() -> str:
    """A digest of what turns files into kept facts: the SQL of queries/ as this process runs it, the loading
    code and DuckDB's version; taken once, when this module is imported (see `_CODE`)."""
    return _CODE


def _code() -> str:
    digest = hashlib.sha256(f"{FORMAT}\0{duckdb.__version__}\n".encode())
    for name in query_names():  # query() keeps each text it read: the texts hashed are the texts run
        digest.update(f"queries/{name}.sql\0{query(name).text}".encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(f"extracts/{path.name}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_CODE = _code()


def export_digest(extracts: Extracts) -> str:
    """A digest of one load: the folder's fingerprint, what the load made of each table, and each file's
    inode and change time (a file copied back with its old size and time is still another file)."""
    tables = [(t.name, t.status, t.rows, t.files, t.columns, [str(e) for e in t.errors],
               _identity(extracts.root, t.files)) for t in extracts.tables.values()]
    return hashlib.sha256(json.dumps([extracts.fingerprint, tables], default=str).encode()).hexdigest()[:16]


def _identity(root: Path, files: tuple[str, ...]) -> list[tuple[int, int] | None]:
    found: list[tuple[int, int] | None] = []
    for relative in files:
        try:
            st = (root / relative).stat()
            found.append((st.st_ino, st.st_ctime_ns))
        except OSError:  # gone since the load: this digest names no kept file
            found.append(None)
    return found


def variant(name: str, params: Mapping[str, object] | Sequence[object], needs: Mapping[str, str]) -> str:
    """The name of one evaluation table's rows: its parameters and the variants of the tables it reads."""
    bound = dict(params) if isinstance(params, Mapping) else list(params)
    text = json.dumps([name, bound, dict(needs)], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def kept_facts(folder: Path | None, root: Path, current: Callable[[], str]) -> KeptFacts | None:
    """The kept facts of the extracts folder `root` in `folder`, created if need be; None (keep nothing) when
    unset or when it cannot be used, which is said once in the log."""
    if folder is None:
        return None
    path = folder.expanduser().resolve()
    if any(c in str(path) for c in "*?[]{}"):  # DuckDB reads a Parquet path as a pattern
        _log.warning("TRUST_FACTS_CACHE=%s: a folder whose name holds one of * ? [ ] { } cannot be read back; "
                     "facts will not be kept", folder)
        return None
    try:
        return KeptFacts(path, root, current)
    except OSError as exc:
        _log.warning("TRUST_FACTS_CACHE=%s: the folder cannot be created (%s); facts will not be kept", folder,
                     exc.strerror or exc)
        return None


class KeptFacts:
    """The kept facts of one extracts folder, in `folder`/<folder digest>/<export and code digest>/.

    `current` gives the folder's fingerprint now: a fact computed from files that changed after their load
    (a view reads Parquet in place when queried) is not kept, and such a run prunes nothing.
    """

    def __init__(self, folder: Path, root: Path, current: Callable[[], str]) -> None:
        self.folder = folder
        # The only folder the database may write: this extracts folder's entries, never the folder above.
        self.exports = folder / hashlib.sha256(str(root).encode()).hexdigest()[:16]
        self.exports.mkdir(parents=True, exist_ok=True)
        self._current = current
        self._lock = threading.Lock()
        self._writers: list[threading.Thread] = []

    def _path(self, extracts: Extracts, name: str, of: str | None) -> Path:
        entry = self.exports / f"{export_digest(extracts)}-{code_digest()}"
        return entry / (f"{name}.parquet" if of is None else f"{name}-{of}.parquet")

    def restore(self, cursor: duckdb.DuckDBPyConnection, extracts: Extracts, name: str, of: str | None = None,
                table: str | None = None) -> bool:
        """Create table `name` (or `table`) from its kept file (a temporary table for variant `of` of an
        evaluation's table or rows); False when there is none or it cannot be read. Never raises."""
        path = self._path(extracts, name, of)
        if not path.is_file():
            return False
        try:
            kind = "TABLE" if of is None else "TEMP TABLE"
            cursor.execute(f"CREATE OR REPLACE {kind} {table or name} AS FROM read_parquet($path)",
                           {"path": str(path)})
        except duckdb.Error as exc:
            _log.warning("kept facts %s could not be read (%s); computing them again", path, exc)
            if not isinstance(exc, duckdb.OutOfMemoryException):  # the file, not the moment, is at fault
                _quietly(path.unlink, missing_ok=True)
            return False
        if of is not None:
            _quietly(os.utime, path)  # used now: the last of the entry's variants to go
        return True

    def keep(self, cursors: Cursors, extracts: Extracts, name: str) -> None:
        """Write a table kept per load for later runs, in the background (a thread the process waits for
        before it exits, and `wait` joins): the run that computed it goes on meanwhile."""
        writer = threading.Thread(target=self._write, args=(cursors, extracts, name, None, name),
                                  name=f"keep {name}")
        with self._lock:
            self._writers = [w for w in self._writers if w.is_alive()] + [writer]
        writer.start()

    def keep_now(self, cursor: duckdb.DuckDBPyConnection, extracts: Extracts, name: str, of: str) -> None:
        """Write variant `of` of an evaluation's temporary table, on its own cursor (only it sees the table)."""
        self._write(lambda: nullcontext(cursor), extracts, name, of, name)

    def rows(self, cursor: duckdb.DuckDBPyConnection, extracts: Extracts, name: str, of: str,
             compute: Callable[[str], object]) -> duckdb.DuckDBPyConnection:
        """The rows of statement `name` (variant `of`), in the order it gave them: read back into a temporary
        table of the cursor, or computed into it by `compute(table)` and kept."""
        table = f"rows_of_{name}"
        if not self.restore(cursor, extracts, name, of, table):
            compute(table)
            self._write(lambda: nullcontext(cursor), extracts, name, of, table)
        return cursor.execute(f"FROM {table}")

    def wait(self) -> None:
        """Until every fact being written is written (or given up)."""
        with self._lock:
            writers = list(self._writers)
        for writer in writers:
            writer.join()

    def _write(self, cursors: Cursors, extracts: Extracts, name: str, of: str | None, table: str) -> None:
        """Write table `table` as the kept file of queries/<name>.sql (variant `of`). Never raises: a failure
        is logged and costs only time (the next run computes it again)."""
        path = self._path(extracts, name, of)
        temporary = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, made = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=path.parent)
            os.close(handle)
            temporary = Path(made)
            quoted = made.replace("'", "''")  # COPY takes no parameter for its file
            with cursors() as cursor:
                cursor.execute(f"COPY {table} TO '{quoted}' (FORMAT parquet)")
                written = cursor.execute("DESCRIBE FROM read_parquet($path)", {"path": made}).fetchall()
                computed = cursor.execute(f"DESCRIBE {table}").fetchall()
            if written != computed:
                changed = [f"{c[0]} {c[1]} read back as {w[1]}" for c, w in zip(computed, written, strict=False)
                           if c[:2] != w[:2]]
                _log.warning("queries/%s.sql: not kept, Parquet does not keep its types (%s)", name,
                             "; ".join(changed) or "its columns differ")
                return
            if self._current() != extracts.fingerprint:
                _log.info("queries/%s.sql: not kept, the extracts changed since they were loaded", name)
                return
            os.replace(temporary, path)
            temporary = None
        except (OSError, duckdb.Error) as exc:
            _log.warning("facts of queries/%s.sql not kept in %s (%s)", name, path.parent, exc)
            return
        finally:
            if temporary is not None:
                _quietly(temporary.unlink, missing_ok=True)
        _quietly(self._prune, path.parent)

    def _prune(self, entry: Path) -> None:
        """Remove the folder's other exports, each statement's least recently used variants beyond `VARIANTS`, and
        temporary files that a stopped run left an hour ago or more."""
        for other in [p for p in self.exports.iterdir() if p != entry]:
            shutil.rmtree(other, ignore_errors=True)
        for name in {p.name.split("-")[0] for p in entry.glob("*-*.parquet")}:
            variants = sorted(entry.glob(f"{name}-*.parquet"), key=_used, reverse=True)
            for old in variants[VARIANTS:]:
                old.unlink(missing_ok=True)
        for left in entry.glob(".*.tmp"):
            if _used(left) < time.time() - 3600:
                left.unlink(missing_ok=True)


def _used(path: Path) -> float:
    """When a kept file was last written or read back (0 when it is gone)."""
    try:
        return path.stat().st_mtime
    except OSError:  # removed meanwhile by another run
        return 0.0


def _quietly(action: Callable[..., object], *args: object, **kwargs: object) -> None:
    """Tidying that may fail (a read-only or shared folder, a file another run removed) and must not: the
    facts are already in this run's tables."""
    try:
        action(*args, **kwargs)
    except OSError as exc:
        _log.debug("kept facts: %s", exc)
