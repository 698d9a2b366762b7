"""Layer 2, governance: decision rights, approvals you can show, audit trails and transparency."""

from __future__ import annotations

from trust.checks.items import RULED, TRAILED, first, item_owners
from trust.checks.model import Check, Status, Verdict, named, percent, plural, rate_status, verb
from trust.facts.content import CONTENT, ContentFacts
from trust.facts.model import Evidence, Records
from trust.settings import Settings

UNMAPPED = Records("unmapped_items", "items", flag="unmapped")
BREACHES = Records("approval_breaches", "items", flag="breach")
AUDIT_GAPS = Records("audit_gaps", "items", flag="audit_gap")
TRANSPARENCY_GAPS = Records("transparency_gaps", "items", flag="transparency_gap")


def decision_rights(facts: ContentFacts, settings: Settings) -> Verdict:
    c = facts.counts
    forbidden = set(settings.autonomy_forbidden_contexts)
    autonomous = [r for r in facts.rules if (r.context or "").lower() in forbidden and r.approval_required is not True]
    if not c.items and not facts.rules:
        return Verdict(Status.NOT_ASSESSED, "No content item and no decision-rights rule to judge.",
                       metrics={"items": 0, "rules": 0})
    metrics = {"items": c.items, "unmapped": c.unmapped, "unmapped_published": c.unmapped_published,
               "rules": len(facts.rules), "autonomous_sensitive_rules": len(autonomous)}
    # Two shares, and the score is the lower one (a failing rule must not sit beside 100 for the items).
    guarded = [r for r in facts.rules if (r.context or "").lower() in forbidden]
    shares = [(rate, basis) for rate, basis in (
        ((c.items - c.unmapped) / c.items if c.items else None, f"of {plural(c.items, 'item')} mapped to a rule"),
        ((len(guarded) - len(autonomous)) / len(guarded) if guarded else None,
         f"of {plural(len(guarded), 'rule')} for {named(sorted(forbidden))} contexts requiring a person's approval"),
    ) if rate is not None]
    lowest, basis = min(shares, key=lambda share: share[0]) if shares else (None, None)
    score = 100 * lowest if lowest is not None else None
    found = _with_rules(facts.evidence.get(UNMAPPED.query), autonomous)
    problems = []
    if autonomous:
        problems.append(f"{plural(len(autonomous), 'rule')} let {named(sorted({r.context for r in autonomous}))} "
                        "content go out without a person's approval: "
                        + named(f"{r.channel}/{r.context}" for r in autonomous))
    if c.unmapped_published:
        problems.append(f"{plural(c.unmapped_published, 'published item')} had no rule saying whether a person must "
                        "approve it" + first(c, "unmapped_published", c.unmapped_published))
    if problems:  # a rule has no owner column: only unmapped published items name owners
        who = item_owners(found) if c.unmapped_published else None
        return Verdict(Status.FAIL, "; ".join(problems) + ".", score, metrics, who, found, basis)
    if c.unmapped:
        return Verdict(Status.WARN, f"{plural(c.unmapped, 'unpublished item')} "
                       f"{verb(c.unmapped, 'matches', 'match')} no decision-rights rule"
                       + first(c, "unmapped_draft", c.unmapped) + ".", score, metrics, item_owners(found), found,
                       basis)
    what = f"All {plural(c.items, 'item')} map to a decision-rights rule" if c.items else "No content item yet"
    return Verdict(Status.PASS, what + f", and every {named(sorted(forbidden))} rule requires a person's approval.",
                   score, metrics, evidence=found, score_of=basis)


def _with_rules(found: Evidence | None, autonomous: list) -> Evidence | None:
    """The unmapped items, after the rules that let a sensitive context go out without a person."""
    if not autonomous:
        return found
    columns = found.columns if found else ("item_id", "team", "owner", "channel", "context", "published_at", "state")
    rules = [tuple({"channel": r.channel, "context": r.context,
                    "state": "rule: goes out without a person's approval"}.get(c) for c in columns)
             for r in autonomous]
    return Evidence(found.kind if found else "items", columns, tuple(rules) + (found.rows if found else ()),
                    len(rules) + (found.total if found else 0), found.owners if found else ())


def approval_compliance(facts: ContentFacts, settings: Settings) -> Verdict:
    c = facts.counts
    if not c.requiring:
        return Verdict(Status.NOT_ASSESSED, "No published item required approval.",
                       metrics={"requiring_approval": 0, "compliant": 0, "rate": None})
    rate = c.compliant / c.requiring
    breaches = c.requiring - c.compliant
    metrics = {"rate": round(rate, 6), "requiring_approval": c.requiring, "compliant": c.compliant,
               "breaches": breaches}
    status = Status.PASS if c.compliant == c.requiring else (
        Status.WARN if rate >= settings.approval_warn_rate else Status.FAIL)
    found = facts.evidence.get(BREACHES.query)
    if status is Status.PASS:
        summary = f"All {plural(c.requiring, 'item')} that needed approval had it before publication."
    else:
        summary = (f"{percent(rate)} approval compliance: {plural(breaches, 'item')} published without "
                   f"{verb(breaches, 'its', 'their')} approvals" + first(c, "breach", breaches) + ".")
    return Verdict(status, summary, 100 * rate, metrics, item_owners(found) if breaches else None, found,
                   f"of {plural(c.requiring, 'published item')} needing approval that had it")


def audit_trail(facts: ContentFacts, settings: Settings) -> Verdict:
    c = facts.counts
    if not c.ai_published:
        return Verdict(Status.NOT_ASSESSED, "No AI-generated item has been published.",
                       metrics={"ai_published": 0, "complete": 0, "rate": None})
    rate = c.audit_complete / c.ai_published
    gaps = c.ai_published - c.audit_complete
    metrics = {"rate": round(rate, 6), "ai_published": c.ai_published, "complete": c.audit_complete,
               "incomplete": gaps}
    status = rate_status(rate, settings.audit_pass_rate, settings.audit_warn_rate)
    summary = (f"{percent(rate)} of published AI items can be reconstructed from recommendation to publication"
               + ("." if not gaps else f"; {plural(gaps, 'trail')} incomplete" + first(c, "audit_gap", gaps) + "."))
    found = facts.evidence.get(AUDIT_GAPS.query)
    return Verdict(status, summary, 100 * rate, metrics, item_owners(found) if gaps else None, found,
                   f"of {plural(c.ai_published, 'published AI item')} with a complete trail")


def transparency(facts: ContentFacts, settings: Settings) -> Verdict:
    c = facts.counts
    if not c.items:
        return Verdict(Status.NOT_ASSESSED, "No content item to judge.", metrics={"items": 0})
    label_rate = (c.label_needed - c.label_missing) / c.label_needed if c.label_needed else 1.0
    provenance_rate = (c.items - c.provenance_missing) / c.items
    metrics = {"label_needed": c.label_needed, "label_missing": c.label_missing,
               "provenance_missing": c.provenance_missing, "items": c.items}
    found = facts.evidence.get(TRANSPARENCY_GAPS.query)
    labels = label_rate <= provenance_rate
    score = 100 * min(label_rate, provenance_rate)
    # An item with no provenance recorded is held to the AI rules (nothing shows a person wrote it).
    basis = (f"of {plural(c.label_needed, 'published item')} needing the AI-use label (AI-generated or of unknown "
             "provenance) that carry it" if labels
             else f"of {plural(c.items, 'item')} with recorded provenance")
    provenance = (f"{plural(c.provenance_missing, 'item')} without recorded provenance (AI or human)"
                  + first(c, "provenance_missing", c.provenance_missing))
    if c.label_missing:
        summary = (f"{plural(c.label_missing, 'published item')} that {verb(c.label_missing, 'is', 'are')} or may be "
                   f"AI-generated {verb(c.label_missing, 'lacks', 'lack')} the AI-use label the rule requires"
                   + first(c, "label_missing", c.label_missing))
        summary += f"; {provenance}." if c.provenance_missing else "."
        return Verdict(Status.FAIL, summary, score, metrics, item_owners(found), found, basis)
    if c.provenance_missing:
        return Verdict(Status.WARN, provenance + ".", score, metrics, item_owners(found), found, basis)
    return Verdict(Status.PASS, "Provenance is recorded on every item and required AI labels are shown.", score,
                   metrics, evidence=found, score_of=basis)


CHECKS = (
    Check(
        id="governance.decision_rights", layer="governance", title="Decision rights defined",
        question="Is it settled, per channel and context, what may go out automatically and what needs a person?",
        why="Governance shows in daily decisions rather than in a policy file: for every channel and context "
            "someone has decided whether output may go out automatically or needs a person's approval. An item no rule "
            "covers was published on nobody's decision.",
        remediation="Add a decision_rights row for the item's channel and context (or a '*' row for the "
                    "context) stating whether approval is required, by which roles, and whether the AI label "
                    "is needed. Set approval_required to true on every rule for a sensitive or crisis "
                    "context: those messages must never go out without a person.",
        facts=CONTENT, tables=RULED, stages=(3,), settings=("autonomy_forbidden_contexts",),
        records=UNMAPPED, evaluate=decision_rights,
    ),
    Check(
        id="governance.approval_compliance", layer="governance", title="Approvals before publication",
        question="Does content that needs a person's sign-off get it, on its final text, before it goes out?",
        why="An approval only protects the organisation if it covers the text that went out: given by the "
            "right role, after the last edit and before publication. At scale one skipped approval in a "
            "regulated or crisis context is the story a regulator or journalist will tell.",
        remediation="Open the breaches: for each, find why the workflow let it through (missing step, wrong "
                    "approver, edit after sign-off, approval recorded late), fix the workflow so publishing "
                    "is blocked until every required role has approved the final text, and re-review the "
                    "published items with their owners.",
        facts=CONTENT, tables=TRAILED, stages=(3,), settings=("approval_warn_rate",), records=BREACHES,
        evaluate=approval_compliance,
    ),
    Check(
        id="governance.audit_trail", layer="governance", title="Audit trail complete",
        question="Can each AI-produced item be traced from recommendation through edits and approvals to publication?",
        why="When a customer complains or a regulator asks, the organisation must be able to show what the "
            "AI recommended, what a person changed, who approved it and when it went out, in that order. "
            "A gap in the trail turns a defensible decision into an unprovable one.",
        remediation="Make the content tools log a recommended event for every AI output, every edit and "
                    "approval, and a published event, with actor and time; backfill what can be evidenced "
                    "for the incomplete items listed here.",
        facts=CONTENT, tables=TRAILED, stages=(2, 3), settings=("audit_pass_rate", "audit_warn_rate"),
        records=AUDIT_GAPS, evaluate=audit_trail,
    ),
    Check(
        id="governance.transparency", layer="governance", title="Transparency practices",
        question="Is it recorded how each item was made, and is AI use disclosed where the rules ask for it?",
        why="Audiences can react badly to undisclosed AI content, and even where nothing is labelled "
            "externally the organisation needs to know how each piece was produced. Unknown provenance "
            "means no rule can be applied to it.",
        remediation="Record ai_generated for every item at creation, and make publishing tools apply the "
                    "AI-use label automatically where the decision-rights rule asks for it; document the "
                    "reasoning for contexts that are not labelled.",
        facts=CONTENT, tables=RULED, stages=(3,), records=TRANSPARENCY_GAPS, evaluate=transparency,
    ),
)
