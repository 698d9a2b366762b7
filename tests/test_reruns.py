"""What keeps a warm rerun cheap and consistent: the Streamlit options, results kept per frame, and a page
never drawn from two exports."""

from __future__ import annotations

import shutil
import tomllib
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from trust.settings import Settings
from trust.ui import session
from trust.ui.kept import kept

ROOT = Path(__file__).parents[1]


def test_streamlit_runs_no_full_collection_and_watches_no_files_per_run():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["postScriptGC"] is False
    assert config["server"]["fileWatcherType"] == "none"


def test_a_load_of_other_files_than_the_runs_key_is_refused(demo_extracts, tmp_path):
    root = tmp_path / "extracts"
    shutil.copytree(demo_extracts, root)
    db = session._database(str(root.resolve()), "512MB", 2)
    config = Settings(extracts=root)
    key = session.Key(str(root.resolve()), "512MB", 2, db.fingerprint(), config.model_dump_json())
    assert session.opened(key)[1].fingerprint == key.fingerprint
    (root / "staff.csv").write_text((root / "staff.csv").read_text() + "\n")  # a new export lands
    with pytest.raises(session.ExtractsChanged, match="the extracts changed during this run"):
        session.opened(key)


class _Frame:
    def __init__(self, week: date) -> None:
        self.key = session.Key("/x", "1GB", 2, "f1", "{}", 3)
        self.week, self.team = week, "crm"


def test_a_kept_result_is_made_once_per_frame():
    made = []
    first, later = _Frame(date(2026, 11, 22)), _Frame(date(2026, 11, 15))

    def build(label: str):
        made.append(label)
        return object()

    one = kept(first, "test.kept", lambda: build("first"))
    assert kept(first, "test.kept", lambda: build("again")) is one
    assert kept(later, "test.kept", lambda: build("later")) is not one
    changed = _Frame(date(2026, 11, 22))
    changed.key = replace(first.key, revision=4)  # a saved answer: a new store revision
    kept(changed, "test.kept", lambda: build("saved"))
    assert made == ["first", "later", "saved"]
