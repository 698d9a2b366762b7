"""How the content checks name what they found: the first items a rule holds and the owners of all of them."""

from __future__ import annotations

from trust.checks.model import first_named, owners
from trust.facts.content import CONTENT, ContentCounts
from trust.facts.model import Evidence

# What each content check reads besides the items (a check is an error without one of its tables; the others
# still run): the rules, the audit trail where approvals, escalations or publication times count, and staff
# where an owner must be an active person.
RULED = (*CONTENT.tables, "decision_rights")
TRAILED = (*RULED, "audit_events")
ESCALATED = (*CONTENT.tables, "audit_events")
OWNED = (*CONTENT.tables, "staff")


def first(c: ContentCounts, rule: str, total: int) -> str:
    """' (CI-1, CI-2, CI-3 and 9 more)': the items a rule found, newest first, for a summary."""
    shown = c.first.get(rule, ())
    return f" ({first_named(shown, total)})" if shown else ""


def item_owners(found: Evidence | None) -> str | None:
    """The owners of the items a content check found (all of them, not only the rows shown)."""
    return owners(found.owners) if found is not None else None
