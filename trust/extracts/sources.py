"""Find the files that make up each table of an extracts folder, in every form the contract allows."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from trust.extracts.contract import Table
from trust.extracts.errors import ContractError, ExtractsUnavailable

FORMATS = {".parquet": "parquet", ".csv": "csv"}


@dataclass(frozen=True)
class SourceFile:
    """One file of a table: where it is, its format and the Hive partition values on its path."""

    path: Path
    relative: str
    format: str
    partitions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class TableSource:
    """The files found for one table, and what about its layout breaks the contract."""

    table: str
    files: tuple[SourceFile, ...]
    errors: tuple[ContractError, ...]

    @property
    def present(self) -> bool:
        return bool(self.files) or bool(self.errors)


def resolve_root(root: Path) -> Path:
    """The extracts folder, resolved; a location that is not a readable folder is refused."""
    try:
        resolved = Path(root).expanduser().resolve(strict=True)
    except (FileNotFoundError, RuntimeError):
        raise ExtractsUnavailable(f"extracts folder {root} does not exist") from None
    except OSError as exc:
        raise ExtractsUnavailable(f"extracts folder {root} cannot be read: {exc.strerror}") from None
    if not resolved.is_dir():
        raise ExtractsUnavailable(f"extracts location {root} is not a folder")
    if not os.access(resolved, os.R_OK | os.X_OK):
        raise ExtractsUnavailable(f"extracts folder {root} cannot be read (permission denied)")
    return resolved


def locate(root: Path, table: Table) -> TableSource:
    """The files of `table` under the resolved `root`: `<name>.parquet`, `<name>.csv` or `<name>/`."""
    forms = [root / f"{table.name}.parquet", root / f"{table.name}.csv", root / table.name]
    present = [p for p in forms if os.path.lexists(p)]
    if not present:
        return TableSource(table.name, (), ())
    if len(present) > 1:
        found = " and ".join(p.name + ("/" if p.is_dir() else "") for p in present)
        return TableSource(table.name, (), (ContractError(
            table.name, "the table is given in more than one form", "exactly one of "
            f"{table.name}.parquet, {table.name}.csv or {table.name}/", found),))
    entry = present[0]
    outside = _outside(root, entry, table.name)
    if outside:
        return TableSource(table.name, (), (outside,))
    if entry.is_dir():
        return _walk_folder(root, entry, table)
    return TableSource(table.name, (_source_file(root, entry, ()),), ())


def _walk_folder(root: Path, folder: Path, table: Table) -> TableSource:
    files: list[SourceFile] = []
    errors: list[ContractError] = []
    seen: set[Path] = set()

    def visit(directory: Path, partitions: tuple[tuple[str, str], ...]) -> None:
        real = directory.resolve()
        if real in seen:  # a symlink loop, or two links to one folder
            return
        seen.add(real)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            errors.append(ContractError(table.name, "a folder cannot be read", "a readable folder",
                                        exc.strerror or str(exc), file=_rel(root, directory)))
            return
        for entry in entries:
            path = Path(entry.path)
            if entry.name.startswith((".", "_")):
                continue  # hidden files and writer markers such as _SUCCESS
            problem = _outside(root, path, table.name)
            if problem:
                errors.append(problem)
                continue
            if path.is_dir():
                key, sep, value = entry.name.partition("=")
                visit(path, (*partitions, (key, unquote(value))) if sep and key else partitions)
            elif path.suffix.lower() in FORMATS:
                files.append(_source_file(root, path, partitions))
            else:
                errors.append(ContractError(
                    table.name, "a file of an unsupported format is in the table's folder",
                    "only .parquet or .csv files", entry.name, file=_rel(root, path)))

    visit(folder, ())
    if not files and not errors:
        errors.append(ContractError(table.name, "the table's folder holds no data file",
                                    "one or more .parquet or .csv files", "an empty folder",
                                    file=_rel(root, folder) + "/"))
    return TableSource(table.name, tuple(files), tuple(errors))


def _source_file(root: Path, path: Path, partitions: tuple[tuple[str, str], ...]) -> SourceFile:
    return SourceFile(path.resolve(), _rel(root, path), FORMATS[path.suffix.lower()], partitions)


def _outside(root: Path, path: Path, table: str) -> ContractError | None:
    """A symlink that leads outside the extracts folder is refused: it could expose any file."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return ContractError(table, "a link points nowhere", "a file or folder",
                             "a broken symbolic link", file=_rel(root, path))
    if real != root and root not in real.parents:
        return ContractError(table, "a link leads outside the extracts folder",
                             f"files inside {root}", f"a link to {real}", file=_rel(root, path))
    return None


def _rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


# The last fingerprint of each extracts folder, with the layout it was computed on (see `fingerprint`).
_KNOWN: dict[tuple[Path, tuple[Table, ...]], tuple[tuple, str]] = {}


def fingerprint(root: Path, tables: tuple[Table, ...]) -> str:
    """A digest of every table file's path, size and modification time: changes when data does.

    Every page run asks for it (a new export must be seen on the next run), so it is computed in full only
    when the folder's layout changed since the last time: every entry of the tables' forms and folders with
    its inode, size, times and mode, read without following a link. The layout is read before the digest,
    so a change between the two makes the next run compute it again. A folder with a link in it, or one
    that cannot be read, is computed in full every time."""
    layout = _layout(root, tables)
    known = _KNOWN.get((root, tables))
    if layout is not None and known is not None and known[0] == layout:
        return known[1]
    found = _digest(root, tables)
    if layout is not None:
        _KNOWN[(root, tables)] = (layout, found)
    return found


def _layout(root: Path, tables: tuple[Table, ...]) -> tuple | None:
    names = {n for t in tables for n in (f"{t.name}.parquet", f"{t.name}.csv", t.name)}
    entries: list[tuple] = []
    try:
        folders = [e for e in _entries(root, entries) if e.name in names and e.is_dir(follow_symlinks=False)]
        while folders:
            folders.extend(e for e in _entries(Path(folders.pop().path), entries) if e.is_dir(follow_symlinks=False))
    except (OSError, _Linked):
        return None
    return tuple(sorted(entries))


class _Linked(Exception):
    """A link in the folder: where it leads can change without the folder changing."""


def _entries(folder: Path, into: list[tuple]) -> list[os.DirEntry]:
    with os.scandir(folder) as listing:
        found = list(listing)
    for entry in found:
        if entry.is_symlink():
            raise _Linked(entry.path)
        s = entry.stat(follow_symlinks=False)
        into.append((entry.path, s.st_ino, s.st_size, s.st_mtime_ns, s.st_ctime_ns, s.st_mode))
    return found


def _digest(root: Path, tables: tuple[Table, ...]) -> str:
    digest = hashlib.sha256(str(root).encode())
    for table in tables:
        source = locate(root, table)
        for f in source.files:
            st = f.path.stat()
            digest.update(f"{f.relative}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        for e in source.errors:
            digest.update(str(e).encode())
    return digest.hexdigest()[:16]
