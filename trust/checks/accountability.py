"""Layer 3, human accountability: escalation, named owners for commitments, crisis messages approved."""

from __future__ import annotations

from trust.checks.items import ESCALATED, OWNED, TRAILED, first, item_owners
from trust.checks.model import Check, Status, Verdict, percent, plural, verb
from trust.facts.content import CONTENT, ContentCounts, ContentFacts
from trust.facts.model import Records
from trust.settings import Settings

UNESCALATED = Records("unescalated_items", "items", flag="unescalated")
UNOWNED = Records("unowned_commitments", "items", flag="unowned")
CRISIS = Records("crisis_items", "items", flag="crisis_flagged", params=(("all", False),))


def _share_verdict(facts: ContentFacts, records: Records, done: int, total: int, warn_at: float,
                   what: str, missing: tuple[str, str], ok: str) -> Verdict:
    """pass when all `total` are `done`, warn at or above `warn_at`, else fail; the gaps are named."""
    rate = done / total
    status = Status.PASS if done == total else Status.WARN if rate >= warn_at else Status.FAIL
    metrics = {"rate": round(rate, 6), "total": total, "ok": done, "gaps": total - done}
    gaps = total - done
    summary = f"All {plural(total, what)} {ok}." if done == total else \
        f"{percent(rate)} of {what}s {ok}; {plural(gaps, what)} {verb(gaps, *missing)}" + first(
            facts.counts, records.flag, gaps) + "."
    found = facts.evidence.get(records.query)
    return Verdict(status, summary, 100 * rate, metrics, item_owners(found) if gaps else None, found,
                   f"of {plural(total, what)} that {ok}")


def escalation(facts: ContentFacts, settings: Settings) -> Verdict:
    c = facts.counts
    if not c.low_confidence:
        return Verdict(Status.NOT_ASSESSED, f"No published AI item had a confidence below "
                       f"{settings.escalation_confidence} or none recorded.", metrics={"total": 0})
    verdict = _share_verdict(facts, UNESCALATED, c.escalated, c.low_confidence,
                             settings.escalation_warn_rate, "low-confidence item",
                             ("went out without a person's review",) * 2,
                             "were escalated to a person before publication")
    metrics = {**verdict.metrics, "unknown_confidence": c.unknown_confidence}
    return Verdict(verdict.status, verdict.summary, verdict.score, metrics, verdict.owner, verdict.evidence,
                   verdict.score_of)


def commitment_owners(facts: ContentFacts, settings: Settings) -> Verdict:
    c = facts.counts
    if not c.commitments:
        return Verdict(Status.NOT_ASSESSED, "No published item makes a commitment.", metrics={"total": 0})
    return _share_verdict(facts, UNOWNED, c.commitments_owned,
                          c.commitments, settings.commitment_owner_warn_rate, "commitment",
                          ("has no active owner", "have no active owner"), "have a named, active owner")


def crisis_comms(facts: ContentFacts, settings: Settings) -> Verdict:
    c = facts.counts
    window = f"in the {settings.crisis_window_days} days up to {facts.as_of.isoformat()}"
    if not c.crisis:
        return Verdict(Status.NOT_ASSESSED, f"No crisis message published {window}.", metrics={"crisis": 0})
    hours = c.crisis_median_hours
    unapproved = c.crisis - c.crisis_approved
    metrics = {"crisis": c.crisis, "approved": c.crisis_approved, "without_approvals": unapproved,
               "over_target": c.crisis_slow, "untimed": c.crisis_untimed,
               "median_hours": None if hours is None else round(hours, 2),
               "target_hours": settings.crisis_max_median_hours, "window_days": settings.crisis_window_days}
    found = facts.evidence.get(CRISIS.query)
    score, basis = 100 * c.crisis_approved / c.crisis, f"of {plural(c.crisis, 'crisis message')} {window} approved"
    if unapproved:
        return Verdict(Status.FAIL, f"{plural(unapproved, 'crisis message')} published {window} without the "
                       "approvals its rule requires" + first(c, "crisis_unapproved", unapproved) + ".", score,
                       metrics, item_owners(found), found, basis)
    if hours is not None and hours > settings.crisis_max_median_hours:
        return Verdict(Status.WARN, f"Crisis messages published {window} took a median {hours:.1f} h from "
                       f"recommendation to publication (target {settings.crisis_max_median_hours:g} h)"
                       + _untimed(c) + ".", score, metrics, item_owners(found), found, basis)
    if c.crisis_untimed:
        # The median over every message cannot be known: nothing shows the untimed ones were quick.
        known = "" if hours is None else f" (the others' median is {hours:.1f} h)"
        return Verdict(Status.WARN, f"The median time to publication of the crisis messages published {window} "
                       f"cannot be shown to be within {settings.crisis_max_median_hours:g} h: "
                       f"{c.crisis_untimed:,} of {c.crisis:,} have neither a recommended event nor a creation time"
                       + first(c, "crisis_untimed", c.crisis_untimed) + known + ".", score, metrics,
                       item_owners(found), found, basis)
    speed = "" if hours is None else f", median {hours:.1f} h to publication"
    return Verdict(Status.PASS, f"All {plural(c.crisis, 'crisis message')} {window} approved{speed}.", score,
                   metrics, evidence=found, score_of=basis)


def _untimed(c: ContentCounts) -> str:
    """'; 2 more have no time to publication': the crisis messages the median could not count."""
    if not c.crisis_untimed:
        return ""
    return f"; {c.crisis_untimed:,} more have neither a recommended event nor a creation time" + first(
        c, "crisis_untimed", c.crisis_untimed)


CHECKS = (
    Check(
        id="accountability.escalation", layer="accountability", title="Escalation on low confidence",
        question="Do AI outputs the model itself is unsure of reach a person before customers see them?",
        why="AI can be confident and wrong, and sometimes it says it is unsure. When the model's own "
            "confidence is low, a person with the context must look before the customer does; that is "
            "where checking the machine stops being a habit and becomes a step in the process.",
        remediation="Route AI outputs below the confidence threshold, and those with no confidence "
                    "recorded, to a named reviewer automatically (an escalated event), and block publication "
                    "until the review is done; review the items listed here with their owners.",
        facts=CONTENT, tables=ESCALATED, stages=(3,), settings=("escalation_confidence", "escalation_warn_rate"),
        records=UNESCALATED, evaluate=escalation,
    ),
    Check(
        id="accountability.commitment_owners", layer="accountability", title="Commitments have named owners",
        question="Does every promise made to a customer have a named owner who still works here?",
        why="A model can word a promise, but only a person can answer for keeping it. A commitment made to a customer "
            "needs a person who owns the outcome; an owner who has left the company is no owner.",
        remediation="Assign an active member of staff as owner of each listed item, and make the owner a "
                    "required field for content that makes a commitment; reassign items when people leave.",
        facts=CONTENT, tables=OWNED, stages=(3,), settings=("commitment_owner_warn_rate",),
        records=UNOWNED, evaluate=commitment_owners,
    ),
    Check(
        id="accountability.crisis_comms", layer="accountability", title="Crisis communication with approvals",
        question="Do crisis messages go out quickly without skipping the approvals they require?",
        why="In a crisis, brand, communications, legal and compliance all have a say, and the pressure to skip "
            "one is highest. AI should make the response faster without bypassing anyone: every crisis "
            "message approved, and quickly.",
        remediation="Rehearse the crisis workflow end to end with legal and compliance on call, make their "
                    "approvals a hard gate in every channel, and shorten the path (pre-approved templates, "
                    "parallel review) if the median time to publish is over target.",
        facts=CONTENT, tables=TRAILED, stages=(3,), settings=("crisis_max_median_hours", "crisis_window_days"),
        records=CRISIS, evaluate=crisis_comms,
    ),
)
