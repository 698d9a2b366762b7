"""The check registry carries every check's wiring: its family of facts, the tables and settings it reads,
the query that lists its failing records and the readiness stages that need it. The engine, the
collector, the scoring and the docs read it from there, so each declaration must hold."""

from __future__ import annotations

import dataclasses
import re

import pytest

from trust import engine
from trust.checks.model import LAYERS, Check
from trust.checks.registry import BY_ID, CHECKS
from trust.extracts.contract import TABLE_NAMES
from trust.extracts.queries import query, query_names
from trust.facts.content import CONTENT, COUNTS
from trust.facts.model import Family
from trust.scoring import STAGES
from trust.settings import Settings

IDS = [c.id for c in CHECKS]


def test_ids_are_unique_and_name_their_layer():
    assert len(set(IDS)) == len(CHECKS) == len(BY_ID)
    layers = [layer for layer, _ in LAYERS]
    for check in CHECKS:
        assert check.layer in layers and check.id.startswith(check.layer + "."), check.id
    assert [c.layer for c in CHECKS] == sorted((c.layer for c in CHECKS), key=layers.index)  # checklist order


@pytest.mark.parametrize("check", CHECKS, ids=IDS)
def test_every_declared_setting_exists_and_is_documented(check):
    for name in check.settings:
        assert name in Settings.model_fields, f"{check.id} reads an unknown setting {name!r}"
        assert Settings.model_fields[name].description, name


@pytest.mark.parametrize("check", CHECKS, ids=IDS)
def test_every_family_table_and_records_query_exists(check):
    assert isinstance(check.facts, Family) and callable(check.facts.collect)
    assert set(check.tables) <= set(TABLE_NAMES) and set(check.facts.tables) <= set(TABLE_NAMES)
    if check.records is not None:
        assert check.records.query in query_names(), check.id
        assert "$limit" in query(check.records.query).text, "a records query is cut to the rows shown"
    assert check.records in engine.records(check.facts) or check.records is None


@pytest.mark.parametrize("check", [c for c in CHECKS if c.facts is CONTENT], ids=lambda c: c.id)
def test_a_content_check_lists_the_items_of_one_counted_flag(check):
    """Its number of records is the count of the flag its query lists: both come from content_flags."""
    assert check.records is not None and check.records.flag, check.id
    assert re.search(rf"\bAS {check.records.flag}\b", query("content_flags").text), check.records.flag
    metrics = query("content_metrics").text  # each count is read off the mask of each item's rules
    counted = re.search(rf"FILTER \(WHERE rules & (\d+) <> 0\), 0\) AS BIGINT\) AS {check.records.flag}\b", metrics)
    assert counted and f"CASE WHEN {check.records.flag} THEN {counted[1]} ELSE 0 END" in metrics, check.records.flag
    # One date's rows, and the settled rows that stand for it (content_flags.sql says why).
    one_date = "WHERE (as_of_end = $end OR (settled AND as_of_end <= $end))"
    where = query(check.records.query).text.split(one_date)[1].split("ORDER BY")[0]
    assert re.search(rf"\b{check.records.flag}\b", where), f"{check.records.query}.sql does not list its flag"
    # It reads the rows that content_failing keeps of content_flags: one of the flags those rows are kept for
    # must hold for each row it lists, or the list would miss rows its count has.
    assert re.search(r"\bFROM content_failing\b", query(check.records.query).text), check.records.query
    kept = set(re.findall(r"\w+", query("content_failing").text.split("AND (")[-1])) - {"OR"}
    assert any(re.search(rf"\bAND {flag}\b", where) for flag in kept), \
        f"{check.records.query}.sql lists rows that content_failing may not keep"


def test_content_metrics_reads_each_count_off_its_own_rule_s_bit():
    """content_metrics folds each item's rules into one mask: each rule has a bit of its own, each count reads the
    bit of the rule it is named after, and each is a figure of ContentCounts or the total of a content check's list."""
    text = query("content_metrics").text
    bits = {name: int(bit) for name, bit in re.findall(r"CASE WHEN (\w+) THEN (\d+) ELSE 0 END", text)}
    listed = {c.records.flag for c in CHECKS if c.facts is CONTENT}  # each list's total is its flag's count
    assert set(bits) == (set(COUNTS) - {"items"}) | listed, "a count that is neither a figure nor a list's total"
    assert len(set(bits.values())) == len(bits) and all(b & (b - 1) == 0 for b in bits.values())
    counts = {name: int(bit) for bit, name in re.findall(r"rules & (\d+) <> 0\), 0\) AS BIGINT\) AS (\w+)", text)}
    assert counts == bits


def test_every_check_says_which_stages_need_it():
    """`stages` has no default: a check names its stages, or says none with an empty tuple."""
    field = next(f for f in dataclasses.fields(Check) if f.name == "stages")
    assert field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
    numbers = {s.number for s in STAGES}
    for check in CHECKS:
        assert set(check.stages) <= numbers, check.id
    for stage in STAGES:
        assert stage.checks, f"stage {stage.number} needs no check"
        assert stage.checks == {c.id for c in CHECKS if stage.number in c.stages}


def test_the_engine_collects_each_family_of_the_registry_once():
    assert len(engine.families(_All())) == len({c.facts for c in CHECKS})
    with_figures = engine.families(_All(), figures=True)
    assert len(with_figures) == len(set(with_figures)) and set(engine.FIGURES) <= set(with_figures)


class _All:
    """Extracts where every table loaded."""

    class _Table:
        ok, status, errors = True, "ok", ()

    def table(self, name):
        return self._Table()
