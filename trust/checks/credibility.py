"""Layer 4, credibility: claims backed by evidence, a fast response to impersonation, fake users kept out.

Credibility gates no readiness stage (the 60-day plan does not name it). Its registers are
optional, and a missing register leaves its check not assessed, named in the summary.
"""

from __future__ import annotations

from datetime import timedelta

from trust.checks.model import Check, Status, Verdict, named, owners, percent, plural, verb
from trust.facts.calendar import day_end
from trust.facts.credibility import CLAIMS, FAKES, INCIDENTS, ClaimFacts, FakeFacts, Incident, IncidentFacts
from trust.facts.model import MISSING_REGISTER, evidence
from trust.settings import Settings

_CLAIM_RULES = {
    "no_claim": "with no row in the claims register", "no_evidence": "without evidence",
    "not_approved": "without an approval that counts", "expired_at_publication": "published on expired evidence",
    "old_evidence": "backed by evidence older than the limit", "expired_since": "whose evidence expired since",
    "expiring": "whose evidence expires soon",
}
_CLAIM_COLUMNS = ("item_id", "claim_id", "claim_type", "claim_text", "evidence_url", "evidence_kind",
                  "evidence_date", "expires_on", "reviewed_by", "reviewer_role", "approved_at", "published_at",
                  "owner", "problem")


def claims_substantiated(facts: ClaimFacts, settings: Settings) -> Verdict:
    day = facts.as_of.isoformat()
    if not facts.column:
        missing = "" if facts.register else " The claims register (claims) was not exported either."
        return Verdict(Status.NOT_ASSESSED, "Not evidenced: content_items has no makes_claim column, so the items "
                       f"that make a claim cannot be told apart.{missing}", metrics={"items": 0},
                       reason=MISSING_REGISTER)
    if not facts.items:
        return Verdict(Status.NOT_ASSESSED, f"No published item makes a claim as of {day}.", metrics={"items": 0})
    metrics = {"items": facts.items, "failing": facts.failing, "warning": facts.warning,
               "register": facts.register, **facts.rules}
    found = evidence("claims", _CLAIM_COLUMNS, [tuple(getattr(r, c) for c in _CLAIM_COLUMNS) for r in facts.problems],
                     total=facts.failing + facts.warning)
    rows = [r for r in facts.problems if r.failing] or list(facts.problems)
    who = owners(r.owner for r in rows)
    items = named(r.item_id for r in rows)
    if facts.failing:
        parts = [f"{plural(facts.rules[k], 'item')} {_CLAIM_RULES[k]}" for k in ("no_claim", "no_evidence",
                 "not_approved", "expired_at_publication") if facts.rules.get(k)]
        lacking = "" if facts.register else " (no claims register was exported)"
        return Verdict(Status.FAIL, f"{facts.failing:,} of {plural(facts.items, 'published claim item')} cannot be "
                       f"backed{lacking}: {'; '.join(parts)} ({items}).", metrics=metrics, owner=who,
                       evidence=found)
    if facts.warning:
        parts = [f"{plural(facts.rules[k], 'item')} {_CLAIM_RULES[k]}" for k in ("old_evidence", "expired_since",
                 "expiring") if facts.rules.get(k)]
        return Verdict(Status.WARN, f"{facts.warning:,} of {plural(facts.items, 'published claim item')} need their "
                       f"evidence renewed: {'; '.join(parts)} ({items}).", metrics=metrics, owner=who,
                       evidence=found)
    return Verdict(Status.PASS, f"All {plural(facts.items, 'published claim item')} are backed by current evidence "
                   "approved before publication.", metrics=metrics, evidence=found)


def containment_hours(incident: Incident, end) -> tuple[float | None, bool]:
    """Hours from detection to containment (or, not contained by `end`, to `end`), and whether it was contained.
    The hours are None when the detection time is missing: nothing can be measured from it."""
    contained = incident.contained_at is not None and incident.contained_at < end
    if incident.detected_at is None:
        return None, contained
    stop = incident.contained_at if contained else end
    return max(0.0, (stop - incident.detected_at).total_seconds() / 3600), contained


def incident_problems(incident: Incident, end, settings: Settings) -> tuple[list[str], list[str]]:
    """What fails and what warns about one incident's response as of `end`. An incident of unknown severity is
    held to the high-severity target: nobody has shown it is less serious. Without a detection time, no
    containment target and no open-days limit can be shown to be met."""
    hours, contained = containment_hours(incident, end)
    severity = (incident.severity or "high").lower()
    named_severity = f"{'high' if incident.severity else 'unknown'}-severity"
    late = "contained after" if contained else "not contained after"
    fails, warns = [], []
    if severity == "high" and hours is None:
        fails.append(f"{named_severity}, no detection time: containment within "
                     f"{settings.incident_contain_hours:g} h cannot be shown")
    elif severity == "high" and hours > settings.incident_contain_hours:
        fails.append(f"{named_severity}, {late} {hours:.0f} h (target {settings.incident_contain_hours:g} h)")
    if not (incident.owner or "").strip():
        fails.append("no owner")
    if severity == "medium" and hours is None:
        warns.append(f"medium-severity, no detection time: containment within {settings.incident_warn_hours:g} h "
                     "cannot be shown")
    elif severity == "medium" and hours > settings.incident_warn_hours:
        warns.append(f"medium-severity, {late} {hours:.0f} h (limit {settings.incident_warn_hours:g} h)")
    is_open = incident.resolved_at is None or incident.resolved_at >= end
    if is_open and incident.detected_at is None:
        warns.append("open since an unknown time (no detection time)")
    elif is_open and end - incident.detected_at > timedelta(days=settings.incident_open_warn_days):
        warns.append(f"open for {(end - incident.detected_at).days} days")
    return fails, warns


def impersonation_response(facts: IncidentFacts, settings: Settings) -> Verdict:
    if not facts.register:
        return Verdict(Status.NOT_ASSESSED, "Not evidenced: no brand_incidents register was exported, so the "
                       "response to impersonation, fake accounts and deepfakes cannot be judged.",
                       metrics={"incidents": 0}, reason=MISSING_REGISTER)
    end = day_end(facts.as_of)
    window = f"in the {settings.incident_window_days} days up to {facts.as_of.isoformat()}"
    rows, failing, warning = [], [], []
    for i in facts.incidents:
        fails, warns = incident_problems(i, end, settings)
        hours, contained = containment_hours(i, end)
        if fails:
            failing.append(i)
        elif warns:
            warning.append(i)
        if fails or warns:
            rows.append((i.incident_id, i.kind, i.channel, i.severity, i.detected_at, i.contained_at, i.resolved_at,
                         None if hours is None else round(hours, 1), contained, i.owner, "; ".join(fails + warns)))
    metrics = {"incidents": len(facts.incidents), "failing": len(failing), "warning": len(warning),
               "contain_hours": settings.incident_contain_hours}
    found = evidence("incidents", ("incident_id", "kind", "channel", "severity", "detected_at", "contained_at",
                                   "resolved_at", "hours_to_containment", "contained", "owner", "problem"), rows)
    worst = {i.incident_id for i in (failing or warning)}
    described = named(f"{r[0]}: {r[-1]}" for r in rows if r[0] in worst)
    if failing:
        return Verdict(Status.FAIL, f"{plural(len(failing), 'incident')} detected {window} or still open "
                       f"{verb(len(failing), 'misses', 'miss')} the response standard: {described}.", metrics=metrics,
                       owner=owners(i.owner for i in failing), evidence=found)
    if warning:
        return Verdict(Status.WARN, f"{plural(len(warning), 'incident')} slow to contain or long open: {described}.",
                       metrics=metrics, owner=owners(i.owner for i in warning), evidence=found)
    if not facts.incidents:
        return Verdict(Status.PASS, f"No brand incident detected {window}, and none open.", metrics=metrics,
                       evidence=found)
    return Verdict(Status.PASS, f"All {plural(len(facts.incidents), 'incident')} {window} or still open have an "
                   f"owner and were contained in time.", metrics=metrics, evidence=found)


def _sentence(parts: list[str]) -> str:
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def fake_accounts(facts: FakeFacts, settings: Settings) -> Verdict:
    if not facts.column:
        return Verdict(Status.NOT_ASSESSED, "Not evidenced: customers has no suspected_fake column, so fake users "
                       "and bots among customers cannot be counted.", metrics={"new_customers": 0},
                       reason=MISSING_REGISTER)
    week = facts.week
    held = sum(j.suspects for j in facts.journeys)
    metrics = {"new_customers": week.new_customers if week else 0, "flagged": week.flagged if week else 0,
               "flagged_share": round(week.share, 6) if week and week.share is not None else None,
               "unscreened": week.unscreened if week else 0, "snapshot": week.snapshot_date if week else None,
               "journeys_with_suspects": len(facts.journeys), "suspects_in_audiences": held}
    rows = [("journey audience", j.journey_id + (f" {j.name}" if j.name else ""), j.team, j.owner, j.status, None,
             j.suspects, None) for j in facts.journeys]
    rows += [("new customers", f"week of {w.snapshot_date.isoformat()}", None, None, None, w.new_customers,
              w.flagged, round(w.share, 6) if w.share is not None else None) for w in reversed(facts.weeks[-8:])]
    found = evidence("suspected_fakes", ("scope", "name", "team", "owner", "status", "customers", "suspected_fakes",
                                         "share"), rows)
    fails, warns = [], []
    if held:
        fails.append(f"{plural(held, 'suspected fake')} in the audience of "
                     + named(j.journey_id for j in facts.journeys))
    judged = week is not None and week.new_customers > 0
    if judged:
        share, unscreened = week.share or 0.0, week.unscreened / week.new_customers
        which = f"{percent(share)} of the {week.new_customers:,} new customers in the {week.snapshot_date} snapshot"
        if share > settings.fake_new_share_fail:
            fails.append(f"{which} are flagged as suspected fakes (over {settings.fake_new_share_fail:.0%})")
        elif share > settings.fake_new_share_warn:
            warns.append(f"{which} are flagged as suspected fakes (over {settings.fake_new_share_warn:.0%})")
        if unscreened > settings.fake_unscreened_warn_share:
            warns.append(f"{percent(unscreened)} of new customers were never screened")
    owner = owners(j.owner for j in facts.journeys)
    if fails:
        return Verdict(Status.FAIL, _sentence(fails) + ".", metrics=metrics, owner=owner, evidence=found)
    audiences = "no journey audience holds a suspected fake" if facts.audiences_judged else \
        "journey audiences cannot be judged for this week"
    if not judged:
        return Verdict(Status.NOT_ASSESSED, f"No new customer to judge (no earlier snapshot, or none joined); "
                       f"{audiences}.", metrics=metrics, evidence=found)
    if warns:
        return Verdict(Status.WARN, _sentence(warns) + f"; {audiences}.", metrics=metrics,
                       evidence=found)
    return Verdict(Status.PASS, f"{percent(week.share or 0.0)} of the {week.new_customers:,} new customers are "
                   f"flagged as suspected fakes; {audiences}.", metrics=metrics, evidence=found)


CHECKS = (
    Check(
        id="credibility.claims_substantiated", layer="credibility", title="Claims backed by evidence",
        question="Can the brand back every statistic, comparison and result its content asserts?",
        why="AI writes confident claims quickly. A figure or a 'best' the brand cannot back is a regulatory risk "
            "and, once challenged in public, costs more trust than the content ever earned; evidence and an "
            "approval must exist before the claim goes out.",
        remediation="Record each claim in the claims register with the study or data behind it, have legal or "
                    "compliance approve it before publication, withdraw or re-approve the items listed, and "
                    "renew evidence before it expires.",
        facts=CLAIMS, tables=("content_items", "claims"), stages=(),
        settings=("claim_reviewer_roles", "claim_evidence_max_months", "claim_expiry_warn_days"),
        evaluate=claims_substantiated,
    ),
    Check(
        id="credibility.impersonation_response", layer="credibility", title="Impersonation answered fast",
        question="When someone impersonates the brand or fakes its voice, is it contained within a day by a named "
                 "owner?",
        why="Impersonation, lookalike domains and deepfakes spread faster than corrections. Each hour a fake "
            "stays up teaches customers that the brand's voice cannot be told from a forgery; a named owner and "
            "a fast, rehearsed response limit the damage.",
        remediation="Name an owner for every incident, agree take-down and public-response paths with the "
                    "platforms in advance, contain high-severity incidents within the target, and close or "
                    "escalate incidents left open.",
        facts=INCIDENTS, tables=("brand_incidents",), stages=(), team_scoped=False,
        settings=("incident_window_days", "incident_contain_hours", "incident_warn_hours", "incident_open_warn_days"),
        evaluate=impersonation_response,
    ),
    Check(
        id="credibility.fake_accounts", layer="credibility", title="Fake users kept out",
        question="Are suspected fake users and bots kept out of sign-ups and journey audiences?",
        why="Fake sign-ups distort segments, inflate results and, once messaged, make the brand part of the "
            "fraud. A rising flagged share among new customers is the earliest sign that sign-up defences "
            "are failing.",
        remediation="Remove suspected fakes from the audiences listed before they go live, screen every new "
                    "customer at sign-up, and tighten the sign-up defences (verification, rate limits) when the "
                    "flagged share rises.",
        facts=FAKES, tables=("customers", "journeys", "journey_audience"), stages=(), team_scoped=False,
        settings=("fake_new_share_fail", "fake_new_share_warn", "fake_unscreened_warn_share"),
        evaluate=fake_accounts,
    ),
)
