"""Governance and accountability checks judged from literal counts, at both sides of each threshold."""

from __future__ import annotations

from datetime import date

import pytest

from trust.checks.accountability import commitment_owners, crisis_comms, escalation
from trust.checks.governance import approval_compliance, audit_trail, decision_rights, transparency
from trust.checks.model import Status
from trust.facts.content import ContentCounts, ContentFacts, Rule
from trust.settings import Settings

D = date(2026, 11, 22)
S = Settings()
P, W, F, N = Status.PASS, Status.WARN, Status.FAIL, Status.NOT_ASSESSED

CASES = [
    # (check, counts, expected status, expected score)
    (decision_rights, {}, N, None),
    (decision_rights, {"items": 10}, P, 100.0),
    (decision_rights, {"items": 10, "unmapped": 1}, W, 90.0),
    (decision_rights, {"items": 10, "unmapped": 1, "unmapped_published": 1}, F, 90.0),
    (approval_compliance, {}, N, None),
    (approval_compliance, {"requiring": 50, "compliant": 50}, P, 100.0),
    (approval_compliance, {"requiring": 50, "compliant": 49}, W, 98.0),  # exactly 0.98
    (approval_compliance, {"requiring": 5000, "compliant": 4899}, F, 97.9),  # just below 0.98
    (approval_compliance, {"requiring": 100000, "compliant": 99999}, W, 99.9),  # never rounds up to pass
    (audit_trail, {}, N, None),
    (audit_trail, {"ai_published": 100, "audit_complete": 99}, P, 99.0),
    (audit_trail, {"ai_published": 1000, "audit_complete": 989}, W, 98.9),
    (audit_trail, {"ai_published": 100, "audit_complete": 95}, W, 95.0),
    (audit_trail, {"ai_published": 1000, "audit_complete": 949}, F, 94.9),
    (transparency, {}, N, None),
    (transparency, {"items": 10, "label_needed": 4}, P, 100.0),
    (transparency, {"items": 10, "provenance_missing": 1}, W, 90.0),
    (transparency, {"items": 10, "label_needed": 4, "label_missing": 1}, F, 75.0),
    (escalation, {}, N, None),
    (escalation, {"low_confidence": 20, "escalated": 20}, P, 100.0),
    (escalation, {"low_confidence": 20, "escalated": 19}, W, 95.0),  # exactly 0.95
    (escalation, {"low_confidence": 1000, "escalated": 949}, F, 94.9),
    (commitment_owners, {}, N, None),
    (commitment_owners, {"commitments": 40, "commitments_owned": 40}, P, 100.0),
    (commitment_owners, {"commitments": 40, "commitments_owned": 38}, W, 95.0),
    (commitment_owners, {"commitments": 40, "commitments_owned": 37}, F, 92.5),
    (crisis_comms, {}, N, None),
    (crisis_comms, {"crisis": 4, "crisis_approved": 4, "crisis_median_hours": 4.0}, P, 100.0),
    (crisis_comms, {"crisis": 4, "crisis_approved": 4, "crisis_median_hours": 4.01}, W, 100.0),
    (crisis_comms, {"crisis": 4, "crisis_approved": 3, "crisis_median_hours": 1.0}, F, 75.0),
    # A message with no time to publication: the median over all of them cannot be shown within target.
    (crisis_comms, {"crisis": 4, "crisis_approved": 4, "crisis_median_hours": 1.0, "crisis_untimed": 1}, W, 100.0),
    (crisis_comms, {"crisis": 1, "crisis_approved": 1, "crisis_untimed": 1}, W, 100.0),
]


@pytest.mark.parametrize(("check", "counts", "status", "score"), CASES,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)])
def test_content_check(check, counts, status, score):
    verdict = check(ContentFacts(D, ContentCounts(**counts)), S)
    assert verdict.status is status, verdict.summary
    assert verdict.scored() == score
    assert verdict.summary


def test_thresholds_are_settings():
    counts = ContentFacts(D, ContentCounts(requiring=100, compliant=97))
    assert approval_compliance(counts, S).status is F
    assert approval_compliance(counts, Settings(approval_warn_rate=0.95)).status is W
    crisis = ContentFacts(D, ContentCounts(crisis=2, crisis_approved=2, crisis_median_hours=5.0))
    assert crisis_comms(crisis, S).status is W
    assert crisis_comms(crisis, Settings(crisis_max_median_hours=6)).status is P


def rule(channel="*", context="standard", approval=True, roles=("marketing_lead",)) -> Rule:
    return Rule(channel, context, approval, roles, False)


DECISION_RIGHTS = [
    ("no item, rules all sound", {}, [rule(), rule(context="crisis", roles=("legal",))], P),
    ("no item and no rule", {}, [], N),
    ("a crisis rule without approval", {"items": 10}, [rule(context="crisis", approval=False)], F),
    ("a sensitive rule without approval", {"items": 10}, [rule(context="sensitive", approval=False)], F),
    ("a sensitive rule that does not say", {"items": 10}, [rule(context="sensitive", approval=None)], F),
    ("a rule judged with no item at all", {}, [rule(context="crisis", approval=False)], F),
    ("a standard rule may be automatic", {"items": 10}, [rule(approval=False, roles=())], P),
    ("unpublished unmapped item, sound rules", {"items": 10, "unmapped": 1}, [rule()], W),
]


@pytest.mark.parametrize(("counts", "rules", "status"), [c[1:] for c in DECISION_RIGHTS],
                         ids=[c[0] for c in DECISION_RIGHTS])
def test_decision_rights_judge_the_rules_for_sensitive_contexts(counts, rules, status):
    verdict = decision_rights(ContentFacts(D, ContentCounts(**counts), rules=tuple(rules)), S)
    assert verdict.status is status, verdict.summary
    if status is F and rules and rules[0].approval_required is not True:
        assert f"*/{rules[0].context}" in verdict.summary
        listed = verdict.evidence.as_dicts()[0]  # the failing rule is among the records
        assert (listed["channel"], listed["context"], listed["item_id"]) == ("*", rules[0].context, None)


def test_a_failing_rule_never_sits_beside_a_perfect_score():
    """Every item mapped, but one of the two crisis/sensitive rules lets messages out unapproved: the score is
    the lower share, that of the rules, and says so."""
    rules = (rule(context="crisis", roles=("legal",)), rule(context="sensitive", approval=False), rule())
    verdict = decision_rights(ContentFacts(D, ContentCounts(items=10), rules=rules), S)
    assert verdict.status is F and verdict.scored() == 50.0
    assert verdict.score_of == "of 2 rules for crisis and sensitive contexts requiring a person's approval"
    mapped = decision_rights(ContentFacts(D, ContentCounts(items=10, unmapped=8), rules=rules[:1]), S)
    assert mapped.scored() == 20.0 and mapped.score_of == "of 10 items mapped to a rule"


def test_forbidden_contexts_are_a_setting():
    facts = ContentFacts(D, ContentCounts(items=1), rules=(rule(context="sensitive", approval=False),))
    assert decision_rights(facts, S).status is F
    assert decision_rights(facts, Settings(autonomy_forbidden_contexts=("crisis",))).status is P


def test_content_summaries_name_the_first_items_then_count_the_rest():
    counts = ContentCounts(requiring=100, compliant=95, first={"breach": ("CI-9", "CI-8", "CI-7")})
    verdict = approval_compliance(ContentFacts(D, counts), S)
    assert "(CI-9, CI-8, CI-7 and 2 more)" in verdict.summary
    few = ContentCounts(requiring=100, compliant=98, first={"breach": ("CI-9", "CI-8")})
    assert "(CI-9 and CI-8)" in approval_compliance(ContentFacts(D, few), S).summary


def test_a_score_says_what_it_is_a_rate_of():
    verdict = approval_compliance(ContentFacts(D, ContentCounts(requiring=50, compliant=49)), S)
    assert verdict.score_of == "of 50 published items needing approval that had it"
