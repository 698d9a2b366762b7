"""What every page run asks for again, the extracts' fingerprint and the settings, is computed again only when
what it is read from changed, and always when it did: a new export or a changed setting is never missed."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.builders import HEALTHY, write_extracts, write_table
from trust.extracts import sources
from trust.extracts.contract import TABLES
from trust.extracts.sources import fingerprint, resolve_root
from trust.ui import session


@pytest.fixture
def digests(monkeypatch):
    """Counts the full computations of the fingerprint."""
    calls = []
    full = sources._digest

    def counted(root, tables):
        calls.append(root)
        return full(root, tables)

    monkeypatch.setattr(sources, "_digest", counted)
    return calls


def _changes(root, change) -> None:
    before = fingerprint(root, TABLES)
    change()
    after = fingerprint(root, TABLES)
    assert after != before
    assert after == sources._digest(root, TABLES)  # what a full computation gives


def test_an_unchanged_folder_is_not_walked_again(tmp_path, digests):
    root = resolve_root(write_extracts(tmp_path / "x", form="hive-parquet"))
    first = fingerprint(root, TABLES)
    assert fingerprint(root, TABLES) == first
    assert len(digests) == 1


@pytest.mark.parametrize("change", ["touched", "rewritten", "added", "removed", "second form", "renamed folder"])
def test_every_change_of_the_data_changes_it(tmp_path, change):
    root = resolve_root(write_extracts(tmp_path / "x", form="hive-parquet"))
    part = next(p for p in (root / "customers").rglob("*.parquet"))
    actions = {
        "touched": lambda: os.utime(part, ns=(part.stat().st_atime_ns, part.stat().st_mtime_ns + 1_000_000_000)),
        "rewritten": lambda: write_table(root, "staff", HEALTHY["staff"][:1], "hive-parquet"),
        "added": lambda: shutil.copy(part, part.with_name("more.parquet")),
        "removed": lambda: part.unlink(),
        "second form": lambda: write_table(root, "staff", HEALTHY["staff"], "csv"),
        "renamed folder": lambda: part.parent.rename(part.parent.with_name("snapshot_date=2030-01-01")),
    }
    _changes(root, actions[change])


def test_a_folder_with_a_link_is_computed_in_full_each_time(tmp_path, digests):
    root = resolve_root(write_extracts(tmp_path / "x", form="csv", skip=["staff"]))
    (root / "kept").mkdir()
    write_table(root / "kept", "staff", HEALTHY["staff"])
    (root / "staff.csv").symlink_to(root / "kept" / "staff.csv")
    fingerprint(root, TABLES)
    fingerprint(root, TABLES)
    assert len(digests) == 2
    # The file the link leads to changes, and nothing in the tables' own entries does.
    _changes(root, lambda: write_table(root / "kept", "staff", HEALTHY["staff"][:1]))


def test_settings_are_read_again_when_the_environment_or_dotenv_changes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRUST_CACHE_TTL_SECONDS", raising=False)
    first = session.settings()
    assert session.settings() is first  # nothing changed: the same object, not read again
    monkeypatch.setenv("TRUST_CACHE_TTL_SECONDS", "61")
    assert session.settings().cache_ttl_seconds == 61
    monkeypatch.delenv("TRUST_CACHE_TTL_SECONDS")
    (tmp_path / ".env").write_text("TRUST_CACHE_TTL_SECONDS=62\n")
    assert session.settings().cache_ttl_seconds == 62
    (tmp_path / ".env").write_text("TRUST_CACHE_TTL_SECONDS=63\n")  # same size, at once: its bytes differ
    assert session.settings().cache_ttl_seconds == 63
