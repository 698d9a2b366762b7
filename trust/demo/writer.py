"""Writing the demo folder: contract-typed Parquet and CSV files, swapped in whole at the end."""

from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
import uuid
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from trust.extracts.contract import ColumnType, table

MARKER = ".trust-demo"
PARQUET_TABLES = ("journey_audience", "content_items", "audit_events", "claims")
# DuckDB's own row-group size: large enough to compress well, small enough to read in parallel.
ROW_GROUP = 122_880

_ARROW = {
    ColumnType.TEXT: pa.string(), ColumnType.INTEGER: pa.int64(),
    ColumnType.DOUBLE: pa.float64(), ColumnType.BOOLEAN: pa.bool_(),
    ColumnType.DATE: pa.date32(), ColumnType.TIMESTAMP: pa.timestamp("us"),
}


def file_name(name: str) -> str:
    """Where the demo puts a table: Parquet for the big ones, a folder for customers, else CSV."""
    if name == "customers":
        return "customers"
    return f"{name}.parquet" if name in PARQUET_TABLES else f"{name}.csv"


def schema(name: str, without: tuple[str, ...] = ()) -> pa.Schema:
    return pa.schema([(c.name, _ARROW[c.type]) for c in table(name).columns
                      if c.name not in without])


class Staging:
    """A hidden folder next to `out` that replaces it only once everything is written."""

    def __init__(self, out: Path, demo_entries: frozenset[str]) -> None:
        self.out, self.entries = out, demo_entries
        check_target(out, demo_entries)
        out.parent.mkdir(parents=True, exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix=f".{out.name}.writing-", dir=out.parent))
        # mkdtemp makes a private folder; the demo should get the same mode as any new folder.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.root, 0o777 & ~umask)

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            return
        try:
            self._swap()
        except BaseException:
            shutil.rmtree(self.root, ignore_errors=True)
            raise

    def _swap(self) -> None:
        # Checked again: the folder may have changed while the demo was being generated.
        check_target(self.out, self.entries)
        old = None
        if os.path.lexists(self.out):
            old = self.out.parent / f".{self.out.name}.replaced-{uuid.uuid4().hex[:8]}"
            os.rename(self.out, old)
        try:
            os.rename(self.root, self.out)
        except BaseException:
            if old is not None:
                os.rename(old, self.out)  # put the previous demo back rather than lose it
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def write_parquet(self, name: str, data: pa.Table, relative: str | None = None,
                      without: tuple[str, ...] = ()) -> int:
        target = self.root / (relative or file_name(name))
        expected = schema(name, without)
        if data.column_names != expected.names:
            raise RuntimeError(f"demo table {name} has columns {data.column_names}, "
                                 f"the contract expects {expected.names}")
        target.parent.mkdir(parents=True, exist_ok=True)
        # One writer thread and sorted input: the same arguments give the same bytes.
        pq.write_table(data.cast(expected), target, compression="zstd",
                       row_group_size=ROW_GROUP)
        return data.num_rows

    def write_csv(self, name: str, rows: list[dict]) -> int:
        columns = table(name).columns
        names = [c.name for c in columns]
        for row in rows:
            if list(row) != names:
                raise RuntimeError(f"demo table {name} row has columns {list(row)}, "
                                     f"the contract expects {names}")
        with open(self.root / file_name(name), "w", encoding="utf-8", newline="") as f:
            out = csv.writer(f, lineterminator="\n")
            out.writerow(names)
            for row in rows:
                out.writerow(_cell(row[c.name], c.type) for c in columns)
        return len(rows)

    def write_marker(self, settings: dict) -> None:
        text = json.dumps({"generator": "trust.demo", **settings}, sort_keys=True, indent=2)
        (self.root / MARKER).write_text(text + "\n", encoding="utf-8")


def check_target(out: Path, demo_entries: frozenset[str]) -> None:
    """Refuse to replace anything but nothing, an empty folder or a previous demo."""
    if not os.path.lexists(out):
        return
    if not out.is_dir() or out.is_symlink():
        raise ValueError(f"cannot write the demo extracts to {out}: it exists and is not a "
                         "folder; choose a new or empty folder")
    names = {p.name for p in out.iterdir()}
    if not names:
        return
    if MARKER not in names:
        raise ValueError(f"refusing to write the demo extracts into {out}: the folder is not "
                         f"empty and is not a previous demo (no {MARKER} file); choose a new "
                         "or empty folder")
    foreign = sorted(names - demo_entries - {MARKER})
    if foreign:
        raise ValueError(f"refusing to replace the previous demo in {out}: it also holds "
                         f"{', '.join(foreign[:5])}{'…' if len(foreign) > 5 else ''}, which "
                         "the demo did not write; move them out first")


def _cell(value: object, kind: ColumnType) -> str:
    """A value as the contract writes it in CSV; None is an empty cell."""
    if value is None:
        return ""
    if kind is ColumnType.BOOLEAN:
        return "true" if value else "false"
    if kind is ColumnType.LIST:
        return "|".join(value)
    if kind is ColumnType.TIMESTAMP:
        assert isinstance(value, datetime)
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if kind is ColumnType.DATE:
        assert isinstance(value, date) and not isinstance(value, datetime)
        return value.isoformat()
    if kind is ColumnType.DOUBLE:
        return repr(float(value))
    if kind is ColumnType.INTEGER:
        return str(int(value))
    return str(value)
