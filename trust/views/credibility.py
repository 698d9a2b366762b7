"""The Credibility page's view-model: the claims register with its flags, the incident log, fake users."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from trust.checks.credibility import containment_hours, incident_problems
from trust.extracts.loading import ABSENT, LoadedTable
from trust.facts.calendar import day_end
from trust.facts.credibility import ClaimFacts, FakeFacts, Incident, IncidentFacts
from trust.facts.directory import Directory
from trust.settings import Settings

# The Approvals and audit page shows one item's trail; its item box is bound to this query parameter.
TRAIL_PAGE = "approvals"
TRAIL_PARAM = "approvals.item"
TRAIL_TEXT = re.escape(TRAIL_PARAM) + "=([^&]+)"  # shows the item ID of a trail address
# How a claim is flagged, worst first: the order of the register.
FLAGS = ("❌ fails", "⌛ expired", "⚠️ expires soon", "⚠️ warns", "")


@dataclass(frozen=True)
class ClaimLine:
    """One row of the claims register as of a date (or a published claim item with no row at all)."""

    item_id: str
    claim_id: str | None
    claim_type: str | None
    claim_text: str | None
    evidence_url: str | None
    evidence_kind: str | None
    evidence_date: date | None
    evidence_age: str | None
    expires_on: date | None
    reviewer: str | None
    reviewer_role: str | None
    approved_at: datetime | None
    published_at: datetime | None
    team: str | None
    owner: str | None
    flag: str
    problem: str

    @property
    def flagged(self) -> bool:
        return self.flag != ""

    @property
    def why(self) -> str:
        """What is wrong with the claim, in a few words."""
        if self.flag not in FLAGS[1:3]:
            return self.problem
        dated = f"{'expired' if self.flag == FLAGS[1] else 'expires'} on {self.expires_on.isoformat()}"
        return f"{self.problem} ({dated})" if self.problem else f"evidence {dated}"


def trail_address(item_id: str, params: Mapping[str, str]) -> str:
    """The address of an item's audit trail, relative to the page (so it holds under a base path)."""
    return f"{TRAIL_PAGE}?{urlencode({TRAIL_PARAM: item_id, **params})}"


def evidence_age(produced: date | None, as_of: date) -> str | None:
    """How old evidence is on a date: in days under two months, else in whole months."""
    if produced is None:
        return None
    if produced > as_of:
        return "dated later"
    days = (as_of - produced).days
    if days < 60:
        return f"{days} day{'s' if days != 1 else ''}"
    months = (as_of.year - produced.year) * 12 + as_of.month - produced.month - (as_of.day < produced.day)
    return f"{months} month{'s' if months != 1 else ''}"


def _flag(expires_on: date | None, as_of: date, warn_days: int, failing: bool | None) -> str:
    if failing:
        return FLAGS[0]
    if expires_on is not None and expires_on <= as_of:
        return FLAGS[1]
    if expires_on is not None and expires_on <= as_of + timedelta(days=warn_days):
        return FLAGS[2]
    return FLAGS[3] if failing is False else FLAGS[4]


def claim_lines(register: Sequence[Mapping] | None, facts: ClaimFacts | None, people: Directory, as_of: date,
                warn_days: int) -> tuple[ClaimLine, ...]:
    """Every claim of the register, with the check's problems as of the date; a published claim item with no
    row is a line of its own. Failing claims come first, then expired, then those expiring soon."""
    judged = {(p.item_id, p.claim_id): p for p in (facts.problems if facts else ())}
    lines = []
    for r in register or ():
        found = judged.pop((r["item_id"], r["claim_id"]), None)
        lines.append(ClaimLine(
            r["item_id"], r["claim_id"], r["claim_type"], r["claim_text"], r["evidence_url"], r["evidence_kind"],
            r["evidence_date"], evidence_age(r["evidence_date"], as_of), r["expires_on"],
            people.display(r["reviewed_by"]), r["reviewer_role"], r["approved_at"], r["published_at"], r["team"],
            people.display(r["owner"]), _flag(r["expires_on"], as_of, warn_days, found and found.failing),
            found.problem if found else ""))
    for p in judged.values():  # no register row, or a row the register query did not return
        lines.append(ClaimLine(p.item_id, p.claim_id, p.claim_type, p.claim_text, p.evidence_url, p.evidence_kind,
                               p.evidence_date, evidence_age(p.evidence_date, as_of), p.expires_on, p.reviewed_by,
                               p.reviewer_role, p.approved_at, p.published_at, p.team, p.owner,
                               _flag(p.expires_on, as_of, warn_days, p.failing), p.problem))
    return tuple(sorted(lines, key=lambda c: (FLAGS.index(c.flag), c.expires_on or date.max, c.item_id,
                                              c.claim_id or "")))


def claim_table(lines: Sequence[ClaimLine], params: Mapping[str, str]) -> list[dict]:
    """The register as table rows; the item leads to its audit trail."""
    return [{"Flag": c.flag, "Item": trail_address(c.item_id, params), "Claim": c.claim_id, "Type": c.claim_type,
             "Text": c.claim_text, "Evidence": c.evidence_url, "Evidence kind": c.evidence_kind,
             "Evidence date": c.evidence_date, "Evidence age": c.evidence_age, "Expires": c.expires_on,
             "Reviewer": c.reviewer, "Role": c.reviewer_role, "Approved": c.approved_at,
             "Published": c.published_at, "Owner": c.owner, "Problem": c.problem} for c in lines]


def missing(table: LoadedTable, what: str) -> str:
    """Why a register cannot be shown: not exported, or exported but broken (with its first error)."""
    if table.status == ABSENT:
        return f"No {what} ({table.name}) was exported, so there is nothing to show here."
    first = table.errors[0] if table.errors else "it did not load"
    return f"The {what} ({table.name}) did not load: {first}"


def claims_gaps(register: LoadedTable, content: LoadedTable) -> list[str]:
    """What is missing for the claims to be judged: the register, the makes_claim column, or both."""
    gaps = []
    if not content.has("makes_claim"):
        gaps.append("content_items has no makes_claim column, so the items that make a claim cannot be told "
                    "apart and no claim is judged.")
    if not register.ok:
        gaps.append(missing(register, "claims register") + (
            " Every published item that makes a claim therefore lacks evidence." if content.has("makes_claim")
            else ""))
    return gaps


@dataclass(frozen=True)
class IncidentLine:
    incident: Incident
    state: str  # "open", "contained" (still open) or "resolved", as of the end of the date
    hours: float | None  # detection to containment (to the end of the date if not contained); None: no detection
    contained: bool
    failing: bool
    problems: str

    @property
    def open(self) -> bool:
        return self.state != "resolved"


def incident_lines(facts: IncidentFacts, settings: Settings) -> tuple[IncidentLine, ...]:
    """The incidents the check judges on the date, open ones first, each with what fails or warns."""
    end = day_end(facts.as_of)
    lines = []
    for i in facts.incidents:
        fails, warns = incident_problems(i, end, settings)
        hours, contained = containment_hours(i, end)
        resolved = i.resolved_at is not None and i.resolved_at < end
        state = "resolved" if resolved else ("contained" if contained else "open")
        lines.append(IncidentLine(i, state, hours, contained, bool(fails), "; ".join(fails + warns)))
    return tuple(sorted(lines, key=lambda x: (not x.open, not x.failing, x.incident.detected_at or end)))


def incident_table(lines: Sequence[IncidentLine], end: datetime) -> list[dict]:
    return [{"Incident": x.incident.incident_id, "Kind": x.incident.kind, "Channel": x.incident.channel,
             "Severity": x.incident.severity, "State": x.state, "Detected": x.incident.detected_at,
             "Contained": x.incident.contained_at, "Hours to contain": None if x.hours is None else round(x.hours, 1),
             "Days open": (end - x.incident.detected_at).days if x.open and x.incident.detected_at else None,
             "Owner": x.incident.owner or "❌ none", "Problems": x.problems or "none"} for x in lines]


def fake_week_table(facts: FakeFacts) -> list[dict]:
    """New customers per snapshot, newest first, with the share flagged and the number never screened."""
    return [{"Snapshot": w.snapshot_date, "Previous": w.previous, "New customers": w.new_customers,
             "Flagged": w.flagged, "Share flagged": w.share, "Never screened": w.unscreened}
            for w in reversed(facts.weeks)]


def fake_journey_table(facts: FakeFacts) -> list[dict]:
    return [{"Journey": j.journey_id, "Name": j.name, "Team": j.team, "Owner": j.owner, "Status": j.status,
             "Suspected fakes": j.suspects} for j in facts.journeys]
