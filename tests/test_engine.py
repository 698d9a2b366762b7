"""The engine end to end on the demo: planted faults, broken tables, the trend and the team grid."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.builders import write_extracts
from trust.checks.model import Status
from trust.checks.registry import CHECKS
from trust.demo.faults import FAULTS, HEALTHY
from trust.engine import by_team, evaluate, this_week, trend
from trust.extracts.contract import TABLE_NAMES
from trust.lookups import snapshots, teams
from trust.settings import Settings

P, W, F, N, E = Status.PASS, Status.WARN, Status.FAIL, Status.NOT_ASSESSED, Status.ERROR

# What the planted faults of the demo imply under CHECKS.md's default thresholds (the fault list says
# so for each check it plants a fault for); the healthy check passes, and without answers the
# self-assessed checks are not assessed.
DEMO_STATUS = {c.id: P if c.id in HEALTHY else N if c.self_assessed else None for c in CHECKS} | {
    f.check: Status(f.status) for f in FAULTS}


@pytest.fixture(scope="module")
def demo(demo_extracts):
    from trust.extracts.database import Database

    db = Database(demo_extracts, "1GB", 2)
    yield db, db.load()
    db.close()


def test_every_check_has_a_result_with_why_and_remediation(demo):
    db, extracts = demo
    evaluation = evaluate(db, extracts, Settings())
    assert [r.id for r in evaluation.results] == [c.id for c in CHECKS]
    assert len({c.id for c in CHECKS}) == len(CHECKS)
    for check in CHECKS:
        assert len(check.why) > 80 and len(check.remediation) > 80, check.id


def test_the_planted_demo_faults_show_as_checks_md_implies(demo):
    db, extracts = demo
    evaluation = evaluate(db, extracts, Settings())
    assert {r.id: r.status for r in evaluation.results} == DEMO_STATUS
    assert evaluation.readiness.stage == 0
    assert set(evaluation.readiness.blocking) == {"signal.preflight", "signal.field_quality", "signal.anomaly_review"}
    failing = {r.id: r for r in evaluation.results if r.status in (F, W)}
    for result in failing.values():
        if result.id != "culture.advocacy_cadence":
            assert result.evidence is not None and result.evidence.total > 0, result.id
    journeys = {j.journey_id: s for j, s in evaluation.journeys}
    assert journeys["JRN-CRM-03"] is F and journeys["JRN-GRW-02"] is F and journeys["JRN-GRW-01"] is W
    assert journeys["JRN-CRM-05"] is F and journeys["JRN-GRW-03"] is F
    assert evaluation.result("measurement.tolerances").owner


def test_the_trend_equals_evaluating_each_week_separately(demo):
    db, extracts = demo
    weekly = trend(db, extracts, Settings(), weeks=8)
    with_figures = trend(db, extracts, Settings(), weeks=8, figures=True)
    assert [e.as_of for e in weekly] == list(snapshots(db, extracts)[-8:])
    for shared, figured in zip(weekly, with_figures, strict=True):
        alone = evaluate(db, extracts, Settings(), shared.as_of)
        assert [(r.id, r.status, r.score, r.summary) for r in shared.results] == \
            [(r.id, r.status, r.score, r.summary) for r in alone.results], shared.as_of
        assert figured.signal_scores == alone.signal_scores and figured.uniqueness == alone.uniqueness
        assert figured.approval["rate"] == alone.approval["rate"]


def test_a_week_beside_the_one_before_it_lists_the_records_it_lists_alone(demo):
    """Evaluated with the week before (as the Overview does), a week's failing records are the
    ones it lists alone: an item judged alike on both dates is kept once but listed for each."""
    db, extracts = demo
    current, previous = this_week(db, extracts, Settings())
    for together in (current, previous):
        alone = evaluate(db, extracts, Settings(), together.as_of)
        assert [(r.id, r.status, r.score, r.summary) for r in together.results] == \
            [(r.id, r.status, r.score, r.summary) for r in alone.results], together.as_of
    alone = evaluate(db, extracts, Settings(), current.as_of)
    listed = [(r.id, r.evidence) for r in alone.results if r.evidence is not None]
    assert sum(e.total for _, e in listed) > 0
    assert [(r.id, r.evidence) for r in current.results if r.evidence is not None] == listed


def test_team_grid_equals_evaluating_each_team(demo):
    db, extracts = demo
    names = teams(db, extracts, Settings())
    assert names == ("brand", "crm", "growth")
    as_of = snapshots(db, extracts)[-1]
    grid = by_team(db, extracts, Settings(), as_of, names)
    for team in names:
        alone = evaluate(db, extracts, Settings(), as_of, team)
        assert [(r.status, r.score) for r in grid[team].results] == [(r.status, r.score) for r in alone.results]
    # The crisis breach is the brand team's, the edits after approval are crm's.
    assert grid["brand"].result("accountability.crisis_comms").status is F
    assert grid["crm"].result("accountability.crisis_comms").status is not F


def test_an_as_of_before_the_data_assesses_nothing_it_cannot_see(demo):
    db, extracts = demo
    early = evaluate(db, extracts, Settings(), date(2025, 1, 1))
    assert early.snapshot is None
    assert early.result("governance.approval_compliance").status is N
    assert early.result("measurement.pilot_criteria").status is N
    assert early.result("culture.advocacy_cadence").status is N


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_a_broken_table_errors_only_the_checks_that_need_it(tmp_path, open_db, table):
    expected = {c.id for c in CHECKS if table in c.tables}
    assert expected
    root = write_extracts(tmp_path / "x")
    (root / f"{table}.csv").write_text("nonsense\n1\n")
    db = open_db(root)
    evaluation = evaluate(db, db.load(), Settings())
    errored = {r.id for r in evaluation.results if r.status is E}
    assert errored == expected
    for r in evaluation.results:
        if r.status is E:
            assert table in r.summary and "missing" in r.summary
            assert r.score is None


def test_the_trail_explanation_agrees_with_the_sql_on_every_sampled_item(demo):
    from trust.facts.calendar import day_end
    from trust.lookups import item_trail
    from trust.views.trail import explain, has_approvals

    db, extracts = demo
    evaluation = evaluate(db, extracts, Settings(), evidence_limit=1000)
    breaches = {r["item_id"] for r in evaluation.result("governance.approval_compliance").evidence.as_dicts()}
    with db.cursor(extracts) as cursor:
        requiring = [r[0] for r in cursor.execute(
            "SELECT item_id FROM item_trails WHERE mapped AND approval_required AND published_at < $end "
            "ORDER BY hash(item_id) LIMIT 60", {"end": day_end(evaluation.as_of)}).fetchall()]
    assert breaches and requiring
    for item_id in sorted(breaches) + requiring:
        item, events = item_trail(db, extracts, item_id)
        steps = explain(item, events, day_end(evaluation.as_of))
        assert has_approvals(item, steps) is (item_id not in breaches), item_id


def test_every_records_owner_is_counted_whether_the_records_are_read_whole_or_counted_by_sql(demo, monkeypatch):
    """Owners of all the failing records, not only of those shown: read whole (one statement) and counted by
    the engine (records beyond WHOLE) agree, with the same rows shown, and agree with showing every row."""
    from trust.facts import collector

    db, extracts = demo

    def lists(limit: int) -> dict:
        evaluation = evaluate(db, extracts, Settings(), evidence_limit=limit)
        return {r.id: (r.evidence.rows, r.evidence.owners, r.evidence.total)
                for r in evaluation.results if r.evidence is not None and r.evidence.owners}

    whole = lists(2)
    monkeypatch.setattr(collector, "WHOLE", 0)
    counted = lists(2)
    assert whole == counted
    assert any(total > 2 for _, _, total in whole.values())
    shown = lists(10_000)
    assert {k: v[1] for k, v in whole.items()} == {k: v[1] for k, v in shown.items()}


def test_every_planted_fault_shows_where_it_should(demo):
    db, extracts = demo
    evaluation = evaluate(db, extracts, Settings(), evidence_limit=10_000)
    result = {r.id: r for r in evaluation.results}

    def listed(check_id: str, column: str = "item_id") -> set:
        return {row[column] for row in result[check_id].evidence.as_dicts()}

    quality = result["signal.field_quality"]
    assert quality.metrics["duplicate_share"] > 0.001 and quality.metrics["lowest_score"] > 90
    journeys = {j.journey_id: j for j, _ in evaluation.journeys}
    assert journeys["JRN-GRW-03"].rules["bad_region"] >= 3 and journeys["JRN-GRW-03"].blocking == \
        journeys["JRN-GRW-03"].rules["bad_region"]
    assert "push/sensitive" in result["governance.decision_rights"].summary
    breaches = listed("governance.approval_compliance")
    assert {"CI-P01", "CI-P02", "CI-P03", "CI-P12", "CI-P13"} <= breaches and "CI-P04" not in breaches
    crisis = listed("accountability.crisis_comms")
    assert "CI-P01" in crisis and "CI-P12" not in crisis  # 100 days ago: outside the 90-day window
    assert "CI-P11" in listed("accountability.escalation")  # no confidence recorded counts as low
    pilots = result["measurement.pilot_criteria"]
    assert "PIL-02" in pilots.summary and "PIL-07" in pilots.summary and "PIL-01" not in pilots.summary
    assert evaluation.proven_pilots == ("PIL-01", "PIL-04")  # PIL-04 awaits its decision
    issues = {row["issue"] for row in result["culture.advocacy_cadence"].evidence.as_dicts()}
    assert {"gap", "posts", "statistics", "unapproved"} <= issues
    assert "approval not recorded" in str(result["culture.advocacy_cadence"].evidence.rows)
    # Owners by name and team, never a bare employee ID.
    assert result["measurement.tolerances"].owner == "Mateo Rossi (crm)"
    assert result["accountability.commitment_owners"].owner == "Hannah Schmidt (crm, left)"
    for r in evaluation.results:
        assert not re.search(r"\bE\d{3}\b", r.owner or ""), (r.id, r.owner)


def test_with_audience_history_every_week_is_judged_on_its_own_audience(demo):
    db, extracts = demo
    weeks = trend(db, extracts, Settings(), weeks=8)
    statuses = [e.result("signal.preflight").status for e in weeks]
    assert N not in statuses  # the demo's audiences carry their export week
    failing = [{j.journey_id for j, s in e.journeys if s is F} for e in trend(db, extracts, Settings(), 8,
                                                                               figures=True)]
    assert failing[-1] == {"JRN-CRM-03", "JRN-CRM-05", "JRN-GRW-02", "JRN-GRW-03"}
    assert failing[-2] == {"JRN-CRM-05", "JRN-GRW-02", "JRN-GRW-03"}  # the language batch came later
    assert failing[0] == set() and statuses[0] is W  # before the planted faults: only the lifecycle warning


def test_two_lanes_collect_families_at_once_and_give_what_one_lane_gives(demo, monkeypatch):
    """On DuckDB two lanes (a cursor and thread each) take the families from one queue: while the content facts
    wait, the other lane goes on to the claims (one lane takes them after the content facts: the wait would time
    out). The evaluation equals the one a single lane gives, family after family."""
    import threading

    from trust.extracts.database import Database

    db, extracts = demo
    claims_ran, waited = threading.Event(), []
    execute = Database.execute

    def spied(self, cursor, extracts, name, params=None):
        if name == "claim_counts":
            claims_ran.set()
        if name == "content_metrics" and not waited:
            waited.append(claims_ran.wait(timeout=30))
        return execute(self, cursor, extracts, name, params)

    monkeypatch.setattr(Database, "execute", spied)
    beside = evaluate(db, extracts, Settings())
    assert waited == [True]
    monkeypatch.setattr(db, "lanes", 1)
    alone = evaluate(db, extracts, Settings())
    assert beside == alone


def test_a_split_family_is_collected_half_the_dates_on_each_lane_and_gives_what_one_lane_gives(demo, monkeypatch):
    """Over several dates, pre-flight's dates are shared by the two lanes (SPLIT): each half is collected on a lane of
    its own at once (the first half waits until the second has started: one lane would time out), and the trend
    equals the one a single lane gives."""
    import threading

    from trust import engine
    from trust.facts.calendar import Cell
    from trust.facts.collector import Collector
    from trust.lookups import default_as_of

    db, extracts = demo
    until = default_as_of(db, extracts)
    days = [*[s for s in snapshots(db, extracts) if s < until][-7:], until]  # the trend's 8 dates
    cells = tuple(Cell(d, None) for d in days)
    split = [part for unit, part in engine.units(engine.families(extracts), cells) if engine.PREFLIGHT in unit]
    assert split == [cells[:4], cells[4:]]
    build, started, waited = Collector.build, threading.Event(), []

    def spied(self, name, params=None):
        if name == "preflight_audience" and params["as_of"] == days[4:]:
            started.set()
        elif name == "preflight_audience" and not waited:
            waited.append(started.wait(timeout=30))
        return build(self, name, params)

    monkeypatch.setattr(Collector, "build", spied)
    beside = trend(db, extracts, Settings(), weeks=8, figures=True)
    assert waited == [True]
    monkeypatch.setattr(db, "lanes", 1)
    assert trend(db, extracts, Settings(), weeks=8, figures=True) == beside


def test_a_family_that_fails_on_its_lane_errors_only_its_own_checks(demo, monkeypatch):
    from trust.checks.registry import BY_ID
    from trust.facts.collector import Collector
    from trust.facts.content import CONTENT

    db, extracts = demo
    normal = evaluate(db, extracts, Settings())
    build = Collector.build

    def failing(self, name, params=None):
        if name == "content_settings":
            raise OSError("no space left on device")
        return build(self, name, params)

    monkeypatch.setattr(Collector, "build", failing)
    broken = evaluate(db, extracts, Settings())
    content = [r for r in broken.results if BY_ID[r.id].facts is CONTENT]
    assert content and all(r.status is E and "no space left on device" in r.summary for r in content)
    assert [r for r in broken.results if r not in content] == [r for r in normal.results
                                                             if BY_ID[r.id].facts is not CONTENT]


def test_families_that_build_the_same_evaluation_table_are_taken_by_one_lane(demo, monkeypatch):
    """A table an evaluation builds is a temporary table of one lane's cursor: two families that read the same one
    are taken together (TOGETHER), or a second lane would compute it again."""
    from trust import engine
    from trust.facts.calendar import Cell
    from trust.facts.collector import Collector
    from trust.facts.model import Request

    db, extracts = demo
    built: dict[str, set] = {}
    family_now: list = []
    build = Collector.build

    def spied(self, name, params=None):
        built.setdefault(name, set()).add(family_now[0])
        return build(self, name, params)

    monkeypatch.setattr(Collector, "build", spied)
    cell = Cell(snapshots(db, extracts)[-1], None)
    for family in engine.families(extracts, figures=True):
        family_now[:] = [family]
        with db.cursor(extracts) as cursor:
            family.collect(Collector(db, extracts, Settings(), cursor),
                           Request((cell,), frozenset({cell}), engine.records(family)))
    for name, by in built.items():
        assert len(by) == 1 or any(by <= set(g) for g in engine.TOGETHER), \
            f"{name} is built by {sorted(f.name for f in by)}, which lanes may take apart"
    assert len(built["preflight_audience"]) == 2
    assert [u for u, _ in engine.units(engine.families(extracts, figures=True), (cell,)) if len(u) > 1] == list(
        engine.TOGETHER)
