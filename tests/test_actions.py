"""Actions in the state store: who may create and change them, versions, the audit chain and tampering."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest

from trust.checks.registry import CHECKS
from trust.state import assessments as A
from trust.state.access import AccessDenied, Identity
from trust.state.actions import ActionInput, InvalidAction, StaleAction, actions, save_action
from trust.state.store import Store
from trust.views.export import actions_csv

BOSS = Identity("boss@example.com", "Bo", "leadership")
LEAD = Identity("lead@example.com", "Lee", "team_lead", ("crm",))
OTHER_LEAD = Identity("other@example.com", "Olu", "team_lead", ("brand",))
VIEWER = Identity("see@example.com", None, "viewer")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
CHECK = "governance.approval_compliance"


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "state.db", tmp_path / "keys" / "audit.key")
    yield s
    s.close()


def new(team: str | None = "crm", **changes) -> ActionInput:
    return ActionInput(**{"check_id": CHECK, "team": team, "owner": "E014", "due_date": date(2026, 11, 27),
                          "note": "Block publishing until every role has approved", **changes})


@pytest.mark.parametrize(("actor", "team", "allowed"), [
    (BOSS, "crm", True), (BOSS, None, True),
    (LEAD, "crm", True), (LEAD, "brand", False), (LEAD, None, False),
    (OTHER_LEAD, "crm", False), (VIEWER, "crm", False), (VIEWER, None, False),
])
def test_leadership_and_the_teams_lead_may_act_and_nobody_else(store, actor, team, allowed):
    if allowed:
        assert save_action(store, actor, new(team), NOW).version == 1
    else:
        with pytest.raises(AccessDenied, match="may not create or change actions"):
            save_action(store, actor, new(team), NOW)
        assert actions(store) == ()


def test_a_team_lead_cannot_move_another_teams_action_into_their_own(store):
    made = save_action(store, BOSS, new("brand"), NOW)
    with pytest.raises(AccessDenied):
        save_action(store, LEAD, new("crm", action_id=made.action_id, based_on=1), NOW)
    assert actions(store)[0].team == "brand"


def test_a_change_is_a_new_version_and_a_stale_save_is_refused_whole(store):
    made = save_action(store, LEAD, new(), NOW)
    done = save_action(store, LEAD, new(status="done", action_id=made.action_id, based_on=1), NOW)
    assert (done.version, done.status, done.created_by, done.changed_by) == (2, "done", LEAD.email, LEAD.email)
    assert save_action(store, BOSS, new(status="done", action_id=made.action_id, based_on=2), NOW) == done  # no-op
    with pytest.raises(StaleAction, match="changed meanwhile") as refused:
        save_action(store, BOSS, new(status="dropped", action_id=made.action_id, based_on=1), NOW)
    assert refused.value.newer == done
    assert [a.status for a in actions(store)] == ["done"]


@pytest.mark.parametrize(("changes", "message"), [
    ({"check_id": "nope"}, "not a check"), ({"owner": "  "}, "needs an owner"), ({"status": "later"}, "status"),
    ({"due_date": "soon"}, "due date"), ({"note": "x" * 2001}, "at most"),
])
def test_an_invalid_action_is_named(store, changes, message):
    with pytest.raises(InvalidAction, match=message):
        save_action(store, BOSS, new(**changes), NOW)


def test_actions_are_audited_and_the_chain_verifies(store):
    made = save_action(store, LEAD, new(), NOW)
    save_action(store, LEAD, new(status="done", action_id=made.action_id, based_on=1), NOW)
    A.save_answers(store, LEAD, "crm", [A.AnswerInput("culture.brand_voice", "yes")], NOW)
    assert A.verify(store).ok
    logged = [c for c in A.history(store) if c.action == "action"]
    assert [(c.subject, c.before and c.before["status"], c.after["status"]) for c in logged] == [
        ("action:1", "open", "done"), ("action:1", None, "open")]


def test_an_action_changed_outside_the_dashboard_is_detected(store):
    save_action(store, LEAD, new(), NOW)
    store.connection().execute("UPDATE actions SET due_date = '2027-01-31'")
    found = A.verify(store)
    assert not found.ok and "action:1" in str(found)


def test_the_actions_export_is_formula_safe(store):
    save_action(store, BOSS, new(note='=HYPERLINK("http://x")'), NOW)
    rows = list(csv.reader(io.StringIO(actions_csv(actions(store), {c.id: c.title for c in CHECKS},
                                                   date(2026, 11, 30), lambda o: o).decode("utf-8-sig"))))
    assert rows[1][rows[0].index("note")].startswith("'=")
    assert rows[1][rows[0].index("overdue")] == "yes"


def test_open_actions_are_flagged_overdue_or_fixed_as_of_the_day_in_view(store):
    from trust.checks.model import Status
    from trust.views.actions import FIXED, OVERDUE, action_lines, day_in_view

    save_action(store, BOSS, new("crm"), NOW)  # due 2026-11-27
    save_action(store, BOSS, new("brand", check_id="governance.audit_trail"), NOW)
    save_action(store, BOSS, new(None, check_id="signal.preflight", status="done"), NOW)
    titles = {c.id: c.title for c in CHECKS}
    statuses = {CHECK: Status.WARN, "governance.audit_trail": Status.PASS, "signal.preflight": Status.FAIL}

    def flags(day, team=None, closed=False):
        return [(line.action.check_id, line.flag) for line in action_lines(
            actions(store), titles, statuses, day, {"E014": "Maya Chen (crm)"}.get, team, closed)]

    assert flags(date(2026, 11, 27)) == [(CHECK, None), ("governance.audit_trail", FIXED)]  # due today: not late
    assert flags(date(2026, 11, 28)) == [(CHECK, OVERDUE), ("governance.audit_trail", FIXED)]
    assert flags(date(2026, 11, 28), team="crm") == [(CHECK, OVERDUE)]  # a team sees its own and the org's
    assert flags(date(2026, 11, 28), team="crm", closed=True)[-1] == ("signal.preflight", None)
    assert action_lines(actions(store), titles, statuses, date(2026, 11, 28), {"E014": "Maya Chen (crm)"}.get)[
        0].owner == "Maya Chen (crm)"
    latest, today = date(2026, 11, 22), date(2026, 11, 29)
    assert day_in_view(latest, latest, today) == today and day_in_view(date(2026, 11, 15), latest, today) == \
        date(2026, 11, 15)
