"""Properties of the approval rate over generated audit trails: a rate, and monotone in good items."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta
from pathlib import Path
from tempfile import mkdtemp

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.builders import write_extracts
from trust.engine import evaluate
from trust.extracts.database import Database
from trust.settings import Settings

T0 = datetime(2026, 11, 10, 12, 0)
RULES = [
    {"channel": "email", "context": "standard", "approval_required": True, "approver_roles": ["marketing_lead"],
     "label_required": False},
    {"channel": "*", "context": "standard", "approval_required": False, "approver_roles": [], "label_required": False},
]

steps = st.lists(st.tuples(st.sampled_from(["approved", "edited", "rejected"]),
                           st.sampled_from(["marketing_lead", "brand", "marketer"]),
                           st.integers(min_value=-4, max_value=3)), max_size=4)
items = st.lists(st.tuples(st.sampled_from(["email", "push"]), st.booleans(), steps), min_size=0, max_size=12)


def _tables(spec):
    rows, audit = [], []
    for i, (channel, published, trail) in enumerate(spec):
        item_id = f"I{i}"
        rows.append({"item_id": item_id, "team": "crm", "channel": channel, "context": "standard",
                     "ai_generated": True, "model_confidence": 0.9, "makes_commitment": False, "owner": "E1",
                     "ai_label_applied": True, "created_at": T0 - timedelta(hours=6),
                     "published_at": T0 if published else None})
        for j, (kind, role, offset) in enumerate(trail):
            audit.append({"event_id": f"{item_id}-{j}", "item_id": item_id, "event_type": kind, "actor": "E2",
                          "actor_role": role, "occurred_at": T0 + timedelta(hours=offset)})
    return rows, audit


def _approval(spec) -> dict:
    rows, audit = _tables(spec)
    root = Path(mkdtemp(prefix="trust-prop-"))
    try:
        if not rows:  # the contract wants rows; an unrelated unpublished item stands in for "none"
            rows = [{"item_id": "Z", "team": "crm", "channel": "push", "context": "standard", "created_at": T0}]
        if not audit:
            audit = [{"event_id": "Z-0", "item_id": "Z", "event_type": "recommended", "actor": "m",
                      "actor_role": "system", "occurred_at": T0}]
        write_extracts(root, {"content_items": rows, "audit_events": audit, "decision_rights": RULES})
        db = Database(root, "256MB", 1)
        try:
            return evaluate(db, db.load(), Settings(), date(2026, 11, 22)).approval
        finally:
            db.close()
    finally:
        shutil.rmtree(root)


COMPLIANT = ("email", True, [("approved", "marketing_lead", -1)])


@settings(max_examples=20, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(items)
def test_the_rate_is_a_fraction_and_a_compliant_item_never_lowers_it(spec):
    before = _approval(spec)
    after = _approval([*spec, COMPLIANT])
    for approval in (before, after):
        assert approval["rate"] is None or 0 <= approval["rate"] <= 1
        assert 0 <= approval["compliant"] <= approval["requiring_approval"]
    assert after["requiring_approval"] == before["requiring_approval"] + 1
    assert after["compliant"] == before["compliant"] + 1
    assert before["rate"] is None or after["rate"] >= before["rate"]
