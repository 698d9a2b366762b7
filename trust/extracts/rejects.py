"""Where a CSV file breaks: the rows DuckDB's strict reader set aside, and the line of a bad value."""

from __future__ import annotations

import csv
import io

from trust.extracts.contract import Table
from trust.extracts.errors import ContractError
from trust.extracts.layout import FileLayout


def csv_line(layout: FileLayout, source: str, value: str | None) -> int | None:
    """The physical line of the first record holding `value` (None: blank) in CSV column `source`."""
    if not source.startswith("c"):  # a Hive partition value, not a cell of the file
        return None
    position = int(source[1:])
    with open(layout.file.path, newline="", encoding="utf-8-sig", errors="replace") as fh:
        reader = csv.reader(fh)
        next(reader, None)
        for record in reader:
            if len(record) > position and (
                record[position] == value if value is not None else not record[position].strip()
            ):
                return reader.line_num
    return None


def has_rejects(cursor, layout: FileLayout) -> bool:
    return layout.file.format == "csv" and bool(cursor.execute(
        "SELECT count(*) FROM reject_errors JOIN reject_scans USING (scan_id, file_id) "
        "WHERE reject_scans.file_path = $p", {"p": str(layout.file.path)}).fetchone()[0])


_REJECTS = {
    "TOO MANY COLUMNS": ("a row has more fields than the header", "as many fields as the header"),
    "MISSING COLUMNS": ("a row has fewer fields than the header (ragged or truncated)",
                        "as many fields as the header"),
    "UNQUOTED VALUE": ("a quoted value is never closed", "a closing quote before the end of the value"),
    "INVALID ENCODING": ("the file is not UTF-8 text", "UTF-8 text"),
    "INVALID UNICODE": ("the file is not UTF-8 text", "UTF-8 text"),
    "LINE SIZE OVER MAXIMUM": ("a line is too long to be a record", "lines under 2 MB"),
}


def structural_errors(cursor, table: Table, layouts: list[FileLayout], limit: int) -> list[ContractError]:
    """Rows DuckDB's strict CSV reader set aside: ragged rows, open quotes, bad encoding."""
    by_path = {str(lay.file.path): lay for lay in layouts if lay.file.format == "csv"}
    if not by_path:
        return []
    rejected = cursor.execute(
        "SELECT s.file_path, e.line, e.column_name, e.error_type, e.csv_line, e.error_message "
        "FROM reject_errors e JOIN reject_scans s USING (scan_id, file_id) "
        "ORDER BY s.file_path, e.line LIMIT $n", {"n": limit}
    ).fetchall()
    errors = []
    seen: set[tuple[str, int]] = set()
    for path, line, column, kind, text, _message in rejected:
        layout = by_path.get(path)
        if layout is None or (path, line) in seen:
            continue  # DuckDB lists a short row once per missing field: one error per line
        seen.add((path, line))
        if kind in {"TOO MANY COLUMNS", "MISSING COLUMNS"}:
            column = None
        problem, expected = _REJECTS.get(str(kind), ("a row cannot be read", "a well-formed CSV row"))
        header_name = layout.header.get(column or "")
        found = f"{clip(str(text).rstrip())!r}"
        if kind in {"TOO MANY COLUMNS", "MISSING COLUMNS"}:
            found += f" ({_field_count(str(text))} fields, the header has {len(layout.header)})"
        errors.append(ContractError(
            table.name, problem, expected, found,
            column=header_name if header_name in table.column_names else None,
            file=layout.file.relative, row=int(line) if line is not None else None))
    return errors


def _field_count(line: str) -> int:
    try:
        return len(next(csv.reader(io.StringIO(line.rstrip("\r\n"), newline="")), []))
    except csv.Error:
        return line.count(",") + 1


def clip(value: object, width: int = 80) -> str:
    text = str(value)
    return text if len(text) <= width else text[: width - 1] + "…"
