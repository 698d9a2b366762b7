"""The shape of the codebase: layers import only the layers below them, modules stay small, and the SQL
room holds only used statements whose headers tell the truth."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import duckdb
import pytest

from trust.extracts.queries import EVALUATION, LOAD, QUERIES, VIEW, header, query, query_names

ROOT = Path(__file__).parents[1]
TRUST = ROOT / "trust"

# The layers of trust/, lowest first. A module may import its own part and the parts of lower ranks,
# never a part of its own rank or above (docs/README "Development" draws the same picture).
RANKS: tuple[tuple[str, ...], ...] = (
    ("engine_settings", "logs"),
    ("settings",),
    ("extracts",),
    ("spark",),
    ("databases", "facts", "demo"),
    ("checks",),
    ("scoring", "lookups", "state"),
    ("engine", "configuration"),
    ("views",),
    ("delivery",),
    ("cli", "docs", "ui"),
)
RANK = {part: n for n, parts in enumerate(RANKS) for part in parts}
# Pages go through the cached loaders of trust.ui, never straight to the engine, the store or the database.
PAGES_NEVER = ("trust.engine", "trust.lookups", "trust.state", "trust.extracts.database", "trust.facts.collector")


def _python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def _imports(path: Path) -> set[str]:
    """Every module a file imports, wherever the import sits (lazy imports included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            if node.module == "trust":  # from trust import engine, lookups
                names.update(f"trust.{a.name}" for a in node.names)
    return names


def _part(module: str) -> str | None:
    """The part of trust/ a dotted module belongs to ('trust.facts.content' -> 'facts')."""
    pieces = module.split(".")
    return pieces[1] if pieces[0] == "trust" and len(pieces) > 1 else None


def _module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def test_every_part_of_trust_has_a_rank():
    parts = {p.stem if p.is_file() else p.name for p in TRUST.iterdir()
             if p.name != "__pycache__" and (p.suffix == ".py" or p.is_dir())}
    assert parts - {"__init__"} == set(RANK)


def _upward(path: Path, module: str) -> list[str]:
    """The imports of a module that reach a part of trust/ at or above its own rank."""
    mine = _part(module)
    return sorted(name for name in _imports(path)
                  if _part(name) and _part(name) != mine and RANK[_part(name)] >= RANK[mine])


def test_no_module_imports_a_layer_at_or_above_its_own():
    upward = {p.relative_to(ROOT).as_posix(): _upward(p, _module(p)) for p in _python_files(TRUST)}
    assert {p: names for p, names in upward.items() if names} == {}


def test_the_import_rule_catches_an_upward_import(tmp_path):
    """The rule above can fail: a facts module importing the checks, lazily or not, is reported."""
    module = tmp_path / "bad.py"
    module.write_text("from trust.facts.model import Evidence\n\n\ndef f():\n"
                      "    from trust import engine\n    from trust.checks.model import Check\n")
    assert _upward(module, "trust.facts.bad") == ["trust.checks.model", "trust.engine"]


def test_only_trust_ui_imports_streamlit():
    offenders = [p.relative_to(ROOT).as_posix() for p in _python_files(TRUST)
                 if _part(_module(p)) != "ui" and any(n.split(".")[0] == "streamlit" for n in _imports(p))]
    assert offenders == []


def test_pages_read_through_the_cached_loaders():
    offenders = [f"{p.name} imports {n}" for p in [*_python_files(ROOT / "pages"), ROOT / "app.py"]
                 for n in _imports(p) if n.startswith(PAGES_NEVER)]
    assert offenders == []


def test_modules_stay_small():
    sizes = {p.relative_to(ROOT).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
             for p in _python_files(TRUST)}
    assert {p: n for p, n in sizes.items() if n > 300} == {}
    assert {p: n for p, n in sizes.items() if p.startswith("trust/ui/") and n > 250} == {}


def test_every_module_opens_with_a_one_sentence_docstring():
    for path in _python_files(TRUST) + _python_files(ROOT / "pages") + [ROOT / "app.py"]:
        if path.name == "__init__.py" and not path.read_text().strip():
            continue
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert docstring, f"{path.relative_to(ROOT)} has no module docstring"


def test_every_query_is_used_and_documented():
    code = "\n".join(p.read_text(encoding="utf-8") for p in _python_files(TRUST) + _python_files(ROOT / "pages"))
    sql = "\n".join(query(n).text for n in query_names())
    for name in query_names():
        used = re.search(rf"[\"']{name}[\"']", code) or re.search(rf"^--\s*Needs:.*\b{name}\b", sql, re.MULTILINE)
        assert used, f"queries/{name}.sql is never used"
        text = (QUERIES / f"{name}.sql").read_text(encoding="utf-8")
        assert text.startswith("--"), f"queries/{name}.sql has no header comment"
        assert "Parameters" in header(text), f"queries/{name}.sql header does not list its parameters"


def test_queries_hold_one_statement_each():
    parser = duckdb.connect()
    for path in QUERIES.glob("*.sql"):
        statements = parser.extract_statements(path.read_text(encoding="utf-8"))
        assert len(statements) == 1, f"{path.name} holds {len(statements)} statements"


def _body(name: str) -> str:
    """A statement without its comments."""
    return "\n".join(line.split("--")[0] for line in query(name).text.splitlines())


KEPT = [n for n in query_names() if query(n).kept]


@pytest.mark.parametrize("name", query_names())
def test_a_query_declares_exactly_the_kept_tables_it_reads(name):
    read = {kept for kept in KEPT if kept != name
            and re.search(rf"\b(FROM|JOIN)\s+{kept}\b", _body(name), re.IGNORECASE)}
    assert set(query(name).needs) == read, f"queries/{name}.sql reads {sorted(read)} but its header needs " \
                                           f"{sorted(query(name).needs)}"
    for need in query(name).needs:
        assert query(need).kept in (LOAD, EVALUATION, VIEW), f"queries/{name}.sql needs {need}, which is not kept"


def test_a_per_load_need_is_materialised_before_the_query_runs(demo_extracts, open_db):
    """No caller materialises item_trails: running a query that needs it must do so on its own."""
    db = open_db(demo_extracts)
    extracts = db.load()
    with db.cursor(extracts) as cursor:
        found = db.execute(cursor, extracts, "item_lookup", {"item": "CI-P01"}).fetchall()
    assert len(found) == 1


def test_a_missing_per_evaluation_table_is_named(demo_extracts, open_db):
    db = open_db(demo_extracts)
    extracts = db.load()
    with db.cursor(extracts) as cursor, pytest.raises(RuntimeError, match=r"crisis_items\.sql needs the table "
                                                                          r"content_failing"):
        db.execute(cursor, extracts, "crisis_items", {"end": None, "team": None, "all": True, "limit": 1})


def test_a_declared_view_reads_its_settings_as_they_are_when_it_is_read(demo_extracts, open_db):
    """content_flags is created by its first reader: built again with other dates, its settings are read anew
    (a table made from the first dates would count them)."""
    from datetime import date

    from trust.facts.calendar import day_end

    db = open_db(demo_extracts)
    extracts = db.load()
    rules = {"confidence": 0.7, "crisis_hours": 4.0, "crisis_days": 7}
    ends = [[day_end(date(2026, 10, 4))], [day_end(date(2026, 11, 8))]]

    def counts(cursor) -> list[str]:
        return sorted(map(repr, db.execute(cursor, extracts, "content_metrics").fetchall()))

    alone = []
    for dates in ends:
        with db.cursor(extracts) as cursor:
            db.build(cursor, extracts, "content_settings", {"ends": dates, **rules})
            db.build(cursor, extracts, "content_flags")
            alone.append(counts(cursor))
    assert alone[0] != alone[1]
    with db.cursor(extracts) as cursor:
        db.build(cursor, extracts, "content_flags")
        for dates, expected in zip(ends, alone, strict=True):
            db.build(cursor, extracts, "content_settings", {"ends": dates, **rules})
            assert counts(cursor) == expected


def test_pages_stay_thin():
    for path in (ROOT / "pages").glob("*.py"):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= 200, f"{path.name} has {lines} lines: move domain logic into trust/"


def test_no_module_is_called_utils_or_helpers():
    assert not [p for p in _python_files(TRUST) if p.stem in {"utils", "helpers", "misc", "common"}]
