"""The shape of the codebase: data flows one way and the SQL room holds only used statements."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import duckdb

from trust.db import QUERIES, query_names

ROOT = Path(__file__).parents[1]
TRUST = ROOT / "trust"


def _python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_only_trust_ui_imports_streamlit():
    offenders = [p.relative_to(ROOT).as_posix() for p in _python_files(TRUST)
                 if p.name != "ui.py" and any(n.split(".")[0] == "streamlit" for n in _imports(p))]
    assert offenders == []


def test_every_module_opens_with_a_one_sentence_docstring():
    for path in _python_files(TRUST) + _python_files(ROOT / "pages") + [ROOT / "app.py"]:
        if path.name == "__init__.py" and not path.read_text().strip():
            continue
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert docstring, f"{path.relative_to(ROOT)} has no module docstring"


def test_every_query_is_used_and_documented():
    code = "\n".join(p.read_text(encoding="utf-8") for p in _python_files(TRUST) + _python_files(ROOT / "pages"))
    for name in query_names():
        assert re.search(rf"[\"']{name}[\"']", code), f"queries/{name}.sql is never used"
        text = (QUERIES / f"{name}.sql").read_text(encoding="utf-8")
        assert text.startswith("--"), f"queries/{name}.sql has no header comment"
        assert "Parameters" in text.split("\n\n")[0] or "Parameters" in text[:600], \
            f"queries/{name}.sql header does not list its parameters"


def test_queries_hold_one_statement_each():
    parser = duckdb.connect()
    for path in QUERIES.glob("*.sql"):
        statements = parser.extract_statements(path.read_text(encoding="utf-8"))
        assert len(statements) == 1, f"{path.name} holds {len(statements)} statements"


def test_pages_stay_thin():
    for path in (ROOT / "pages").glob("*.py"):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= 200, f"{path.name} has {lines} lines: move domain logic into trust/"


def test_no_module_is_called_utils_or_helpers():
    assert not [p for p in _python_files(TRUST) if p.stem in {"utils", "helpers", "misc", "common"}]
