"""Approvals, audit trails and accountability computed by SQL from tiny extracts of literal rows."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from tests.builders import write_extracts
from trust.checks.model import Status
from trust.checks.registry import CHECKS
from trust.engine import evaluate
from trust.facts.content import CONTENT
from trust.settings import Settings

T0 = datetime(2026, 11, 10, 9, 0)
H = timedelta(hours=1)
D = date(2026, 11, 22)

RULES = [
    {"channel": "*", "context": "standard", "approval_required": False, "approver_roles": [], "label_required": False},
    {"channel": "email", "context": "standard", "approval_required": True, "approver_roles": ["marketing_lead"],
     "label_required": False},
    {"channel": "*", "context": "sensitive", "approval_required": True,
     "approver_roles": ["marketing_lead", "compliance"], "label_required": True},
    {"channel": "email", "context": "crisis", "approval_required": True, "approver_roles": ["legal", "compliance"],
     "label_required": True},
]


def item(item_id: str, channel="email", context="standard", team="crm", published: datetime | None = T0 + 5 * H,
         **extra) -> dict:
    return {"item_id": item_id, "team": team, "channel": channel, "context": context, "ai_generated": True,
            "model_confidence": 0.9, "makes_commitment": False, "owner": "E1", "ai_label_applied": True,
            "created_at": T0, "published_at": published, **extra}


def events(item_id: str, *steps: tuple[str, str, datetime]) -> list[dict]:
    return [{"event_id": f"{item_id}-{i}", "item_id": item_id, "event_type": kind, "actor": "E2",
             "actor_role": role, "occurred_at": at} for i, (kind, role, at) in enumerate(steps)]


def trail(item_id: str, *middle: tuple[str, str, datetime], published: datetime = T0 + 5 * H) -> list[dict]:
    return events(item_id, ("recommended", "system", T0), *middle, ("published", "system", published))


def run(tmp_path, open_db, items, audit, as_of=D, team=None, settings=None):
    root = write_extracts(tmp_path / "x", {"content_items": items, "audit_events": audit, "decision_rights": RULES})
    db = open_db(root)
    return evaluate(db, db.load(), settings or Settings(), as_of, team)


APPROVAL_CASES = [
    ("approved before publication", [("approved", "marketing_lead", T0 + 2 * H)], True, None, None),
    ("approved exactly at publication", [("approved", "marketing_lead", T0 + 5 * H)], True, None, None),
    ("approved after publication", [("approved", "marketing_lead", T0 + 6 * H)], False, "approved after publication",
     "approved only after publication by marketing_lead"),
    ("approved before the last edit", [("approved", "marketing_lead", T0 + 2 * H), ("edited", "marketer", T0 + 3 * H)],
     False, "edited after approval", "edited 2026-11-10 12:00, after the approval of 2026-11-10 11:00"),
    ("re-approved after the edit", [("approved", "marketing_lead", T0 + H), ("edited", "marketer", T0 + 2 * H),
                                    ("approved", "marketing_lead", T0 + 3 * H)], True, None, None),
    ("approved by the wrong role", [("approved", "brand", T0 + 2 * H)], False, "wrong role",
     "approved by brand; needed marketing_lead"),
    ("no approval", [], False, "missing", "no approval by marketing_lead"),
    ("rejected, not approved", [("rejected", "marketing_lead", T0 + 2 * H)], False, "missing",
     "no approval by marketing_lead"),
]


@pytest.mark.parametrize(("steps", "counts", "reason", "detail"), [c[1:] for c in APPROVAL_CASES],
                         ids=[c[0] for c in APPROVAL_CASES])
def test_which_approvals_count(tmp_path, open_db, steps, counts, reason, detail):
    """Each breach is listed with its reason, and the detail names the roles (item_roles.sql names them)."""
    evaluation = run(tmp_path, open_db, [item("I1")], trail("I1", *steps))
    result = evaluation.result("governance.approval_compliance")
    assert evaluation.approval["requiring_approval"] == 1
    assert result.status is (Status.PASS if counts else Status.FAIL)
    if reason:
        assert result.evidence.total == 1
        row = result.evidence.as_dicts()[0]
        assert (row["item_id"], row["reason"], row["detail"]) == ("I1", reason, detail)
        assert row["approver_roles"] == "marketing_lead"


def test_every_required_role_must_approve(tmp_path, open_db):
    items = [item("S1", context="sensitive"), item("S2", context="sensitive")]
    audit = (trail("S1", ("approved", "marketing_lead", T0 + H), ("approved", "compliance", T0 + 2 * H))
             + trail("S2", ("approved", "marketing_lead", T0 + H)))
    evaluation = run(tmp_path, open_db, items, audit)
    assert evaluation.approval["compliant"] == 1 and evaluation.approval["requiring_approval"] == 2
    breach = evaluation.result("governance.approval_compliance").evidence.as_dicts()[0]
    assert breach["item_id"] == "S2" and breach["detail"] == "no approval by compliance"
    assert breach["approver_roles"] == "compliance|marketing_lead"


@pytest.mark.parametrize(("roles", "compliant"), [
    (["marketing_lead"], 0),  # the crisis row's legal and compliance never approved
    (["marketing_lead", "legal"], 0),
    (["marketing_lead", "legal", "compliance"], 2),
    (["legal", "compliance"], 0),  # the standard row's marketing_lead never approved
])
def test_an_item_id_on_two_rows_of_different_rules_needs_every_role_of_both(tmp_path, open_db, roles, compliant):
    """An audit event names an item ID, not a row: where two rows share the ID under rules naming different
    roles, neither row is approved until every role either rule names approved in time (one approval role
    matching only one row's rule must not make the other row's missing roles go unseen)."""
    items = [item("D1"), item("D1", context="crisis")]
    audit = trail("D1", *[("approved", role, T0 + (i + 1) * H) for i, role in enumerate(roles)])
    evaluation = run(tmp_path, open_db, items, audit)
    assert evaluation.approval["requiring_approval"] == 2
    assert evaluation.approval["compliant"] == compliant


def test_exact_rule_wins_over_star_and_unmapped_items_are_reported(tmp_path, open_db):
    items = [item("E1"), item("P1", channel="push"), item("X1", channel="web", context="crisis"),
             item("X2", channel="web", context="crisis", published=None)]
    evaluation = run(tmp_path, open_db, items, trail("E1") + trail("P1") + trail("X1"))
    # email/standard requires approval (exact row); push/standard falls back to '*' (no approval).
    assert evaluation.approval["requiring_approval"] == 1
    rights = evaluation.result("governance.decision_rights")
    assert rights.status is Status.FAIL and rights.metrics["unmapped"] == 2
    assert [r["item_id"] for r in rights.evidence.as_dicts()] == ["X1", "X2"]


def test_rows_after_the_as_of_date_never_leak_in(tmp_path, open_db):
    later = datetime(2026, 11, 25, 9, 0)
    items = [item("I1"), item("I2", created_at=later, published=later + H)]
    audit = trail("I1", ("approved", "marketing_lead", T0 + H)) + trail("I2", published=later + H)
    # An edit after the as-of date cannot undo an approval as of that date.
    audit += events("I1", ("edited", "marketer", later))
    before = run(tmp_path, open_db, items, audit, as_of=D)
    assert before.approval["requiring_approval"] == 1 and before.approval["compliant"] == 1
    assert before.content.items == 1
    after = evaluate(before_db := open_db(tmp_path / "x"), before_db.load(), Settings(), date(2026, 11, 26))
    assert after.approval["requiring_approval"] == 2 and after.approval["compliant"] == 0
    assert {r["reason"] for r in after.result("governance.approval_compliance").evidence.as_dicts()} == {
        "edited after approval", "missing"}


def test_team_filter(tmp_path, open_db):
    items = [item("C1"), item("C2"), item("B1", team="brand")]
    audit = trail("C1", ("approved", "marketing_lead", T0 + H)) + trail("C2") + trail("B1")
    for team, requiring, compliant in ((None, 3, 1), ("crm", 2, 1), ("brand", 1, 0)):
        evaluation = run(tmp_path / (team or "all"), open_db, items, audit, team=team)
        assert (evaluation.approval["requiring_approval"], evaluation.approval["compliant"]) == (requiring, compliant)
        result = evaluation.result("governance.approval_compliance")
        assert result.scope == ("team" if team else "organisation")
        assert team is None or all(r["team"] == team for r in result.evidence.as_dicts())


@pytest.mark.parametrize(("compliant", "status"), [(49, Status.WARN), (48, Status.FAIL)])
def test_approval_rate_at_the_edge_through_sql(tmp_path, open_db, compliant, status):
    items = [item(f"I{i:02}") for i in range(50)]
    audit = []
    for i in range(50):
        approvals = [("approved", "marketing_lead", T0 + H)] if i < compliant else []
        audit += trail(f"I{i:02}", *approvals)
    result = run(tmp_path, open_db, items, audit).result("governance.approval_compliance")
    assert result.status is status and result.metrics["rate"] == compliant / 50


AUDIT_CASES = [
    ("complete", trail("I1", ("approved", "marketing_lead", T0 + H)), True),
    ("no recommendation", events("I1", ("approved", "marketing_lead", T0 + H), ("published", "system", T0 + 5 * H)),
     False),
    ("no published event", events("I1", ("recommended", "system", T0), ("approved", "marketing_lead", T0 + H)), False),
    ("approval before the recommendation", events("I1", ("approved", "marketing_lead", T0 - H),
                                                  ("recommended", "system", T0), ("published", "system", T0 + 5 * H)),
     False),
]


@pytest.mark.parametrize(("audit", "complete"), [c[1:] for c in AUDIT_CASES], ids=[c[0] for c in AUDIT_CASES])
def test_audit_trail_completeness(tmp_path, open_db, audit, complete):
    result = run(tmp_path, open_db, [item("I1")], audit).result("governance.audit_trail")
    assert result.metrics["complete"] == int(complete)
    assert result.status is (Status.PASS if complete else Status.FAIL)


def test_escalation_owners_crisis_and_labels(tmp_path, open_db):
    items = [
        item("L1", channel="push", model_confidence=0.5), item("L2", channel="push", model_confidence=0.59),
        item("L3", channel="push", model_confidence=0.6),
        item("C1", channel="push", makes_commitment=True, owner="E1"),
        item("C2", channel="push", makes_commitment=True, owner=None),
        item("C3", channel="push", makes_commitment=True, owner="Ana"),  # a name counts as well as an ID
        item("C4", channel="push", makes_commitment=True, owner=" ana "),  # case and spaces aside, as shown
        item("K1", context="crisis", created_at=T0, published=T0 + 3 * H),
        item("S1", context="sensitive", ai_label_applied=False),
        item("N1", channel="push", ai_generated=None),
    ]
    audit = (trail("L1", ("escalated", "marketing_lead", T0 + H)) + trail("L2") + trail("L3")
             + trail("C1") + trail("C2") + trail("C3") + trail("C4")
             + trail("K1", ("approved", "legal", T0 + H), ("approved", "compliance", T0 + 2 * H), published=T0 + 3 * H)
             + trail("S1", ("approved", "marketing_lead", T0 + H), ("approved", "compliance", T0 + H)) + trail("N1"))
    evaluation = run(tmp_path, open_db, items, audit)
    escalation = evaluation.result("accountability.escalation")
    assert escalation.metrics["total"] == 2 and escalation.metrics["ok"] == 1
    assert [r["item_id"] for r in escalation.evidence.as_dicts()] == ["L2"]
    owners = evaluation.result("accountability.commitment_owners")
    assert owners.metrics["total"] == 4 and [r["item_id"] for r in owners.evidence.as_dicts()] == ["C2"]
    crisis = evaluation.result("accountability.crisis_comms")
    assert crisis.status is Status.PASS and crisis.metrics["median_hours"] == 3.0
    transparency = evaluation.result("governance.transparency")
    assert transparency.status is Status.FAIL
    assert {r["item_id"]: r["gap"] for r in transparency.evidence.as_dicts()} == {
        "S1": "AI label missing", "N1": "provenance not recorded"}


def test_unknown_confidence_counts_as_low(tmp_path, open_db):
    items = [item("U1", channel="push", model_confidence=None), item("U2", channel="push", model_confidence=None),
             item("H1", channel="push", model_confidence=0.95)]
    audit = trail("U1", ("escalated", "marketing_lead", T0 + H)) + trail("U2") + trail("H1")
    escalation = run(tmp_path, open_db, items, audit).result("accountability.escalation")
    assert escalation.metrics["total"] == 2 and escalation.metrics["unknown_confidence"] == 2
    assert escalation.status is Status.FAIL and "(U2)" in escalation.summary
    assert [r["item_id"] for r in escalation.evidence.as_dicts()] == ["U2"]
    assert escalation.owner == "Ana (crm)"  # E1, by name and team


def test_unknown_provenance_is_held_to_the_ai_rules(tmp_path, open_db):
    """An item with no provenance recorded cannot leave the AI checks: a missing record never makes a pass."""
    items = [item("P1", channel="push", ai_generated=None, model_confidence=None),
             item("P2", context="sensitive", ai_generated=None, ai_label_applied=False),
             item("H1", channel="push", ai_generated=False, model_confidence=None),
             item("A1", channel="push", model_confidence=0.95)]
    audit = (events("P1", ("published", "system", T0 + 5 * H))
             + trail("P2", ("approved", "marketing_lead", T0 + H), ("approved", "compliance", T0 + H))
             + events("H1", ("published", "system", T0 + 5 * H)) + trail("A1"))
    evaluation = run(tmp_path, open_db, items, audit)
    escalation = evaluation.result("accountability.escalation")
    assert escalation.status is Status.FAIL and [r["item_id"] for r in escalation.evidence.as_dicts()] == ["P1"]
    trail_check = evaluation.result("governance.audit_trail")
    assert trail_check.metrics["ai_published"] == 3 and trail_check.metrics["complete"] == 2
    transparency = evaluation.result("governance.transparency")
    assert transparency.status is Status.FAIL and transparency.metrics["label_missing"] == 1
    assert "may be AI-generated" in transparency.summary and "(P2)" in transparency.summary


NO_ROLE_RULE = {"channel": "web", "context": "standard", "approval_required": True, "approver_roles": [],
                "label_required": False}
# A rule that requires approval and names no role needs one approval by a person (any role but system).
NO_ROLE = [
    ("approved by a marketer", [("approved", "marketer", T0 + H)], True, None),
    ("approved by the system only", [("approved", "system", T0 + H)], False,
     "approved only by system; a person must approve"),
    ("approved with no role recorded", [("approved", None, T0 + H)], False,
     "approved only by unknown; a person must approve"),
    ("approved by the system, then a person",
     [("approved", "system", T0 + H), ("approved", "brand", T0 + 2 * H)], True, None),
    ("a person, but after publication", [("approved", "legal", T0 + 6 * H)], False,
     "approved only after publication by *"),
]


@pytest.mark.parametrize(("steps", "counts", "detail"), [c[1:] for c in NO_ROLE], ids=[c[0] for c in NO_ROLE])
def test_a_rule_naming_no_role_needs_a_person(tmp_path, open_db, steps, counts, detail):
    root = write_extracts(tmp_path / "x", {"content_items": [item("W1", channel="web")],
                                           "audit_events": trail("W1", *steps),
                                           "decision_rights": [*RULES, NO_ROLE_RULE]})
    db = open_db(root)
    extracts = db.load()
    evaluation = evaluate(db, extracts, Settings())
    result = evaluation.result("governance.approval_compliance")
    assert evaluation.approval["requiring_approval"] == 1
    assert result.status is (Status.PASS if counts else Status.FAIL)
    from trust.facts.calendar import day_end
    from trust.lookups import item_trail
    from trust.views.trail import explain, has_approvals

    found, trail_events = item_trail(db, extracts, "W1")
    assert has_approvals(found, explain(found, trail_events, day_end(D))) is counts  # the drill-down agrees
    if not counts:
        row = result.evidence.as_dicts()[0]
        assert (row["detail"], row["approver_roles"]) == (detail, "*")
    assert found["approver_roles"] == ["*"]


END = datetime(2026, 11, 23)  # the end of D
CRISIS_WINDOW = [
    ("published at the first instant of the window", END - timedelta(days=90), Status.FAIL),
    ("published just before the window", END - timedelta(days=90, seconds=1), Status.NOT_ASSESSED),
    ("published on the as-of day", END - timedelta(seconds=1), Status.FAIL),
]


@pytest.mark.parametrize(("published", "status"), [c[1:] for c in CRISIS_WINDOW], ids=[c[0] for c in CRISIS_WINDOW])
def test_crisis_messages_are_judged_over_a_window(tmp_path, open_db, published, status):
    crisis = item("K1", context="crisis", created_at=published - H, published=published)
    audit = trail("K1", ("approved", "legal", published - H / 2), published=published)  # compliance never approved
    result = run(tmp_path, open_db, [crisis], audit).result("accountability.crisis_comms")
    assert result.status is status, result.summary
    assert run(tmp_path / "wide", open_db, [crisis], audit, settings=Settings(crisis_window_days=365)).result(
        "accountability.crisis_comms").status is Status.FAIL


def test_a_crisis_message_a_little_over_the_target_is_listed_as_it_is_counted(tmp_path, open_db):
    published = T0 + 4 * H + timedelta(seconds=14)  # 4.0039 hours: over the 4-hour target, 4.0 when shown
    crisis = item("K1", context="crisis", published=published)
    audit = trail("K1", ("approved", "legal", T0 + H), ("approved", "compliance", T0 + 2 * H), published=published)
    result = run(tmp_path, open_db, [crisis], audit).result("accountability.crisis_comms")
    assert result.status is Status.WARN and result.metrics["over_target"] == 1
    assert [r["item_id"] for r in result.evidence.as_dicts()] == ["K1"] and result.evidence.total == 1
    assert result.evidence.as_dicts()[0]["approver_roles"] == "compliance|legal"


def test_a_crisis_message_with_no_time_to_publication_warns_and_is_named(tmp_path, open_db):
    """Neither a recommended event nor a created_at: the median over every crisis message cannot be shown."""
    quick = item("K1", context="crisis", published=T0 + H)
    untimed = item("K2", context="crisis", created_at=None, published=T0 + 2 * H)
    audit = [*trail("K1", ("approved", "legal", T0), ("approved", "compliance", T0), published=T0 + H),
             *events("K2", ("approved", "legal", T0), ("approved", "compliance", T0),
                     ("published", "system", T0 + 2 * H))]
    result = run(tmp_path, open_db, [quick, untimed], audit).result("accountability.crisis_comms")
    assert result.status is Status.WARN and "1 of 2" in result.summary and "K2" in result.summary, result.summary
    assert result.metrics["untimed"] == 1 and result.metrics["median_hours"] == 1.0
    assert [r["item_id"] for r in result.evidence.as_dicts()] == ["K2"]


def test_an_unpublished_unmapped_item_is_named_by_the_warning(tmp_path, open_db):
    """An empty published_at means not published: the warning names the unmapped drafts it counts."""
    drafts = [item("D1", channel="web", context="crisis", published=None),
              item("D2", channel="web", context="crisis", published=None)]
    rights = run(tmp_path, open_db, [item("E1"), *drafts], trail("E1")).result("governance.decision_rights")
    assert rights.status is Status.WARN and "D1" in rights.summary and "D2" in rights.summary, rights.summary


CONTENT_CHECKS = {c.id for c in CHECKS if c.facts is CONTENT}
BROKEN_TABLE = [
    ("audit_events", {"governance.approval_compliance", "governance.audit_trail", "accountability.escalation",
                      "accountability.crisis_comms"}),
    ("staff", {"accountability.commitment_owners"}),
    ("decision_rights", {"governance.decision_rights", "governance.approval_compliance", "governance.audit_trail",
                         "governance.transparency", "accountability.crisis_comms"}),
]


@pytest.mark.parametrize(("broken", "errors"), BROKEN_TABLE, ids=[b[0] for b in BROKEN_TABLE])
def test_a_broken_table_errors_only_the_content_checks_that_read_it(tmp_path, open_db, broken, errors):
    """EXTRACTS.md: checks that do not depend on the broken table still run (the shared facts read an empty
    stand-in for it); those that do are errors naming it."""
    root = write_extracts(tmp_path / "x", {"content_items": [item("A1", channel="push")], "audit_events": trail("A1"),
                                          "decision_rights": RULES})
    (root / f"{broken}.csv").write_text("nothing_the_contract_names\nx\n")
    db = open_db(root)
    evaluation = evaluate(db, db.load(), Settings(), D)
    judged = {r.id: r for r in evaluation.results if r.id in CONTENT_CHECKS}
    assert {i for i, r in judged.items() if r.status is Status.ERROR} == errors
    assert all(broken in judged[i].summary for i in errors)
    assert all(r.status is not Status.ERROR for i, r in judged.items() if i not in errors)
    # The approval figures are governance.approval_compliance's: none beside its error.
    assert (evaluation.content is None) == ("governance.approval_compliance" in errors)


def test_an_item_with_a_rule_that_cannot_be_decided_counts_for_every_rule_it_breaks(tmp_path, open_db):
    """With no context, whether an item is a crisis message is unknown (NULL, not false): it is not counted as one,
    and every rule it does break still counts it (the counts fold each item's rules into one mask first)."""
    evaluation = run(tmp_path, open_db, [item("E1", channel="push"), item("N1", context=None)],
                     trail("E1") + trail("N1"))
    counts = evaluation.content
    assert (counts.items, counts.published, counts.unmapped, counts.unmapped_published, counts.ai_published) == (
        2, 2, 1, 1, 2)
    assert (counts.crisis, counts.crisis_flagged, counts.requiring) == (0, 0, 0)
    assert evaluation.result("governance.decision_rights").metrics["unmapped"] == 1
