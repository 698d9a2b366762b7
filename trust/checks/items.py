"""How the content checks name what they found: the first items a rule holds and the owners of all of them."""

from __future__ import annotations

from trust.checks.model import first_named, owners
from trust.facts.content import CONTENT, ContentCounts
from trust.facts.model import Evidence

# A content check is an error without these: the items, their trail, the rules and the people.
CONTENT_TABLES = CONTENT.tables


def first(c: ContentCounts, rule: str, total: int) -> str:
    """' (CI-1, CI-2, CI-3 and 9 more)': the items a rule found, newest first, for a summary."""
    shown = c.first.get(rule, ())
    return f" ({first_named(shown, total)})" if shown else ""


def item_owners(found: Evidence | None) -> str | None:
    """The owners of the items a content check found (all of them, not only the rows shown)."""
    return owners(found.owners) if found is not None else None
