"""Facts kept per export: a later run reads them back with the very same verdicts, and never for other data."""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import pytest

from trust.engine import evaluate, trend
from trust.extracts import keeping
from trust.extracts.database import Database
from trust.extracts.queries import LOAD, query, query_names
from trust.lookups import preflight_journey
from trust.settings import Settings
from trust.views import report

PER_LOAD = [n for n in query_names() if query(n).kept == LOAD]
KEPT_LOAD = [n for n in PER_LOAD if query(n).across_runs]  # not the audit trails: see queries/item_trails.sql
ACROSS = [n for n in query_names() if query(n).across_runs and query(n).kept != LOAD]


def verdicts(root: Path, facts: Path | None) -> dict:
    """`trust check --format json`'s payload for the extracts in `root`, keeping facts in `facts`."""
    db = Database(root, "512MB", 2, facts)
    try:
        extracts = db.load()
        return report.as_json(evaluate(db, extracts, Settings()), extracts.errors)
    finally:
        db.close()  # waits for the facts being written


def kept_files(facts: Path) -> list[Path]:
    return sorted(facts.glob("*/*/*.parquet"))


@pytest.fixture
def demo_copy(demo_extracts, tmp_path) -> Path:
    root = tmp_path / "extracts"
    shutil.copytree(demo_extracts, root)
    return root


@pytest.fixture
def restored(monkeypatch) -> list[tuple[str, bool]]:
    """Each restore attempt, by query name, and whether the kept file was read."""
    seen: list[tuple[str, bool]] = []
    original = keeping.KeptFacts.restore

    def spy(self, cursor, extracts, name, *rest):
        done = original(self, cursor, extracts, name, *rest)
        seen.append((name, done))
        return done

    monkeypatch.setattr(keeping.KeptFacts, "restore", spy)
    return seen


def test_a_later_run_reads_the_kept_facts_and_gives_the_same_json(demo_copy, tmp_path, restored):
    facts = tmp_path / "facts"
    computed = verdicts(demo_copy, None)
    first = verdicts(demo_copy, facts)
    assert [p.name for p in kept_files(facts) if "-" not in p.name] == sorted(f"{n}.parquet" for n in KEPT_LOAD)
    assert "item_trails" not in KEPT_LOAD and "item_trails" in PER_LOAD
    assert all(not done for _, done in restored)
    restored.clear()
    second = verdicts(demo_copy, facts)
    assert {n for n, _ in restored} == {*KEPT_LOAD, *ACROSS}
    assert all(done for _, done in restored)
    assert first == computed and second == computed


def test_a_run_whose_facts_are_all_kept_never_computes_the_audit_trails(demo_copy, tmp_path):
    """Every statement that reads content_flags is kept, so a later run creates neither the view nor the
    audit trails under it (the costliest table of a new export, and not kept itself)."""
    facts = tmp_path / "facts"
    verdicts(demo_copy, facts)
    db = Database(demo_copy, "512MB", 2, facts)
    try:
        extracts = db.load()
        assert report.as_json(evaluate(db, extracts, Settings()), extracts.errors) == verdicts(demo_copy, None)
        assert (extracts.schema, "item_trails") not in db._derived
    finally:
        db.close()
    db = Database(demo_copy, "512MB", 2, None)  # nothing kept: the same evaluation computes them
    try:
        extracts = db.load()
        evaluate(db, extracts, Settings())
        assert (extracts.schema, "item_trails") in db._derived
    finally:
        db.close()


def test_a_run_whose_facts_are_all_kept_never_makes_the_audiences(demo_copy, tmp_path, monkeypatch):
    """Each journey's audience is made by its first reader; the members pre-flight stops and the counts are kept,
    so a later run never makes it (millions of rows at scale), where the first run did."""
    made: list[str] = []
    create = Database._create

    def spied(self, cursor, extracts, name):
        with self._lock:
            if name in self._declared.get(cursor, {}):
                made.append(name)
        return create(self, cursor, extracts, name)

    monkeypatch.setattr(Database, "_create", spied)
    facts = tmp_path / "facts"
    first = verdicts(demo_copy, facts)
    assert "preflight_audience" in made
    made.clear()
    assert verdicts(demo_copy, facts) == first
    assert "preflight_audience" not in made and "content_flags" not in made


def test_kept_tables_have_the_computed_rows_and_types(demo_copy, tmp_path):
    facts = tmp_path / "facts"
    for kept in (None, facts, facts):  # computed, computed and written, read back
        db = Database(demo_copy, "512MB", 2, kept)
        extracts = db.load()
        tables = {}
        for name in PER_LOAD:
            db.materialise(extracts, name)
            with db.cursor(extracts) as cursor:
                tables[name] = (cursor.execute(f"DESCRIBE {name}").fetchall(),
                                sorted(cursor.execute(f"FROM {name}").fetchall(), key=repr))
        db.close()
        if kept is None:
            expected = tables
        assert tables == expected
    assert kept_files(facts)


def test_a_changed_export_is_judged_on_its_own_rows_and_the_old_facts_go(demo_copy, tmp_path, restored):
    facts = tmp_path / "facts"
    before = verdicts(demo_copy, facts)
    old = {p.parent for p in kept_files(facts)}
    events = demo_copy / "audit_events.parquet"
    con = duckdb.connect()
    con.execute(f"COPY (FROM read_parquet('{events}') WHERE event_type <> 'approved') "
                f"TO '{events}.new' (FORMAT parquet)")
    con.close()
    os.replace(f"{events}.new", events)
    restored.clear()
    after = verdicts(demo_copy, facts)
    assert not any(done for _, done in restored)
    assert after == verdicts(demo_copy, None)
    status = {r["id"]: r["status"] for r in after["checks"]}
    assert status != {r["id"]: r["status"] for r in before["checks"]}
    assert status["governance.approval_compliance"] == "fail"
    assert {p.parent for p in kept_files(facts)}.isdisjoint(old)
    assert len({p.parent for p in kept_files(facts)}) == 1


def test_other_code_names_another_entry(demo_copy, tmp_path, monkeypatch):
    facts = tmp_path / "facts"
    verdicts(demo_copy, facts)
    first = {p.parent.name for p in kept_files(facts)}
    changed = query("item_trails").text + "\n-- changed\n"
    real = keeping.query
    monkeypatch.setattr(keeping, "query", lambda n: replace(real(n), text=changed) if n == "item_trails" else real(n))
    code = keeping._code()
    assert code != keeping.code_digest()
    monkeypatch.setattr(keeping, "_CODE", code)
    assert verdicts(demo_copy, facts) == verdicts(demo_copy, None)
    entries = {p.parent.name for p in kept_files(facts)}
    assert len(entries) == 1 and entries.isdisjoint(first)  # the old code's entry was removed
    assert next(iter(entries)).endswith(code)


def test_a_damaged_kept_file_is_computed_again(demo_copy, tmp_path, caplog):
    facts = tmp_path / "facts"
    computed = verdicts(demo_copy, facts)
    presence = next(p for p in kept_files(facts) if p.name == "customer_presence.parquet")
    presence.write_bytes(presence.read_bytes()[: presence.stat().st_size // 2])
    with caplog.at_level(logging.WARNING, logger="trust.extracts.keeping"):
        assert verdicts(demo_copy, facts) == computed
    assert "could not be read" in caplog.text and str(presence) in caplog.text
    assert duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{presence}')").fetchone()[0] > 0


def test_a_folder_that_cannot_be_made_keeps_nothing_and_says_so(demo_copy, tmp_path, caplog):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    with caplog.at_level(logging.WARNING, logger="trust.extracts.keeping"):
        assert verdicts(demo_copy, blocked / "facts") == verdicts(demo_copy, None)
    assert f"TRUST_FACTS_CACHE={blocked / 'facts'}" in caplog.text and "will not be kept" in caplog.text


def test_a_table_whose_types_parquet_would_change_is_not_kept(demo_copy, tmp_path, caplog):
    facts = tmp_path / "facts"
    db = Database(demo_copy, "512MB", 2, facts)
    extracts = db.load()
    with db.cursor(extracts) as cursor:
        cursor.execute("CREATE TABLE wide AS SELECT CAST(1 AS HUGEINT) AS n")
    with caplog.at_level(logging.WARNING, logger="trust.extracts.keeping"):
        db._kept.keep(lambda: db.cursor(extracts), extracts, "wide")
        db._kept.wait()
    db.close()
    assert "queries/wide.sql: not kept, Parquet does not keep its types (n HUGEINT read back as DOUBLE)" in caplog.text
    assert not list(facts.rglob("*wide*"))


def test_a_read_only_or_shared_folder_costs_time_never_a_verdict(demo_copy, tmp_path, monkeypatch):
    """Reading back must not fail where the kept files cannot be touched or removed (another user's, a
    read-only mount): the facts are read, the bookkeeping is skipped."""
    facts = tmp_path / "facts"
    computed = verdicts(demo_copy, facts)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(keeping.os, "utime", refuse)
    monkeypatch.setattr(keeping.os, "replace", refuse)
    monkeypatch.setattr(Path, "unlink", refuse)
    assert verdicts(demo_copy, facts) == computed
    monkeypatch.setattr(keeping.tempfile, "mkstemp", refuse)
    assert verdicts(demo_copy, tmp_path / "other") == computed


def test_the_folder_deleted_mid_run_costs_time_never_a_verdict(demo_copy, tmp_path, monkeypatch):
    facts = tmp_path / "facts"
    computed = verdicts(demo_copy, None)
    replace = os.replace

    def then_delete(source, target):
        replace(source, target)
        shutil.rmtree(facts, ignore_errors=True)

    monkeypatch.setattr(keeping.os, "replace", then_delete)
    assert verdicts(demo_copy, facts) == computed


def test_a_folder_whose_name_is_a_pattern_keeps_nothing_and_says_so(demo_copy, tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="trust.extracts.keeping"):
        assert verdicts(demo_copy, tmp_path / "facts[1]") == verdicts(demo_copy, None)
    assert "cannot be read back; facts will not be kept" in caplog.text
    assert not (tmp_path / "facts[1]").exists()


def test_facts_of_files_changed_after_their_load_are_not_kept(demo_copy, tmp_path):
    """A table read in place is read when queried: a file rewritten after the load may be in the facts, so
    they are not kept under the load's name."""
    facts = tmp_path / "facts"
    db = Database(demo_copy, "512MB", 2, facts)
    extracts = db.load()
    events = demo_copy / "audit_events.parquet"
    os.utime(events, ns=(events.stat().st_atime_ns, events.stat().st_mtime_ns + 10**9))
    evaluate(db, extracts, Settings())
    db.close()
    assert kept_files(facts) == []


def test_a_file_put_back_with_its_old_size_and_time_is_another_file(demo_copy, open_db):
    extracts = open_db(demo_copy).load()
    before = keeping.export_digest(extracts)
    staff = demo_copy / "staff.csv"
    stat = staff.stat()
    shutil.copy2(staff, demo_copy / "copy.tmp")
    os.replace(demo_copy / "copy.tmp", staff)
    os.utime(staff, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert open_db(demo_copy).fingerprint() == extracts.fingerprint
    assert keeping.export_digest(extracts) != before


def test_a_view_is_named_by_its_inputs_as_they_are_when_it_is_read(demo_copy, tmp_path):
    db = Database(demo_copy, "512MB", 2, tmp_path / "facts")
    assert db._inputs({"content_settings": "A"}, "content_flags") == {"content_settings": "A"}
    assert db._inputs({"content_settings": "B"}, "content_metrics") == {"content_settings": "B"}
    assert db._inputs({}, "content_metrics") is None
    assert db._variant({"content_settings": "A"}, "content_metrics", {}) != db._variant(
        {"content_settings": "B"}, "content_metrics", {})
    db.close()


@pytest.mark.parametrize(("value", "expected"), [("", None), ("  ", None), ("/tmp/kept", Path("/tmp/kept"))])
def test_the_setting_is_a_folder_or_off(env, value, expected):
    env(facts_cache=value)
    assert Settings().facts_cache == expected


def test_the_data_sources_line_names_the_folder(demo_copy, tmp_path):
    db = Database(demo_copy, "512MB", 2, tmp_path / "facts")
    assert db.describe().endswith(f"the facts of each export kept in {(tmp_path / 'facts').resolve()}")
    db.close()
    plain = Database(demo_copy, "512MB", 2)
    assert "kept" not in plain.describe()
    plain.close()


def _trend_json(root: Path, facts: Path | None) -> list[dict]:
    db = Database(root, "512MB", 2, facts)
    try:
        extracts = db.load()
        return [report.as_json(e) for e in trend(db, extracts, Settings(), weeks=8)]
    finally:
        db.close()


def _gate(root: Path, facts: Path | None, journey: str):
    db = Database(root, "512MB", 2, facts)
    try:
        return preflight_journey(db, db.load(), Settings(), journey)
    finally:
        db.close()


def test_an_evaluation_table_is_kept_per_dates_and_read_back_alike(demo_copy, tmp_path, restored):
    facts = tmp_path / "facts"
    computed = _trend_json(demo_copy, None)
    assert _trend_json(demo_copy, facts) == computed
    variants = [p.name.split("-")[0] for p in kept_files(facts) if "-" in p.name]
    # The trend's own statements (it shows no records, so the evidence queries do not run).
    assert set(variants) == {"claim_counts", "claim_problems", "content_metrics", "field_stats",
                             "preflight_counts", "preflight_flags"}
    assert set(variants) <= set(ACROSS)
    restored.clear()
    assert _trend_json(demo_copy, facts) == computed
    assert {n for n, _ in restored} == set(variants + KEPT_LOAD) and all(done for _, done in restored)
    assert len(restored) == len(variants) + len(KEPT_LOAD)  # each variant read once


def test_one_journeys_gate_never_reads_the_whole_audiences_flags(demo_copy, tmp_path):
    """The flags' variant names the audience it was computed from: the organisation's audience as of a
    date and one journey's audience as of the same date are two variants of both tables."""
    facts = tmp_path / "facts"
    verdicts(demo_copy, facts)
    for journey in ("JRN-GRW-02", "JRN-GRW-01", "JRN-CRM-01"):
        assert _gate(demo_copy, facts, journey) == _gate(demo_copy, None, journey)
        assert _gate(demo_copy, facts, journey) == _gate(demo_copy, None, journey)  # read back
    flags = [p for p in kept_files(facts) if p.name.startswith("preflight_flags-")]
    assert len(flags) == 4  # this week and last week's, then one per journey


def test_an_entry_keeps_its_most_recently_used_variants(demo_copy, tmp_path, monkeypatch):
    """The cap holds per statement: three journeys' gates leave the last two variants of each of their two."""
    monkeypatch.setattr(keeping, "VARIANTS", 2)
    facts = tmp_path / "facts"
    for journey in ("JRN-GRW-02", "JRN-GRW-01", "JRN-CRM-01"):
        _gate(demo_copy, facts, journey)
    kept = [p.name.split("-")[0] for p in kept_files(facts) if "-" in p.name]
    assert sorted(kept) == ["preflight_counts"] * 2 + ["preflight_flags"] * 2


def test_an_audience_that_fails_where_it_is_made_leaves_its_reader_unkept(demo_copy, tmp_path):
    """A declared table is made by its first reader: an audience whose dates do not cast fails there, and that
    reader gets no variant and no kept file, so nothing is kept under a name that does not describe it."""
    facts = tmp_path / "facts"
    db = Database(demo_copy, "512MB", 2, facts)
    extracts = db.load()
    with db.cursor(extracts) as cursor:
        db.build(cursor, extracts, "preflight_audience", {"as_of": "not a date", "latest": None,
                                                          "team": None, "journey": None})
        with pytest.raises(duckdb.Error):
            db.build(cursor, extracts, "preflight_flags", {"as_of": [date(2026, 11, 8)],
                                                           "snapshot": [date(2026, 11, 8)],
                                                           "allowed_language": None, "stale_days": None})
        assert "preflight_flags" not in db._variants[cursor]
    db.close()
    assert not [p for p in kept_files(facts) if p.name.startswith("preflight_flags")]


def test_a_table_the_load_could_not_read_names_another_entry(demo_copy, open_db):
    """Same files, other outcome (a file unreadable at the first load, readable at the next, with its
    size and time unchanged): the kept facts of the first are never read for the second."""
    extracts = open_db(demo_copy).load()
    broken = dict(extracts.tables)
    broken["staff"] = replace(broken["staff"], status="error", rows=None)
    assert keeping.export_digest(replace(extracts, tables=broken)) != keeping.export_digest(extracts)
    assert keeping.export_digest(replace(extracts)) == keeping.export_digest(extracts)


@pytest.mark.parametrize("name", [n for n in query_names() if query(n).across_runs])
def test_what_is_kept_across_runs_reads_no_clock_and_no_dice(name):
    """A kept table must come out the same on every run: nothing in it may read the time or draw at random."""
    body = query(name).text.lower()
    for call in ("now()", "current_date", "current_timestamp", "get_current", "random(", "uuid("):
        assert call not in body, f"queries/{name}.sql calls {call}"
