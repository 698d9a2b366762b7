"""Layer 1, signal quality: fields mapped and owned, journeys pre-flighted, anomalies reviewed."""

from __future__ import annotations

from datetime import datetime, timedelta

from trust.checks.model import Check, Status, Verdict, blank, evidence, percent, plural, verb
from trust.facts import AnomalyFacts, PreflightFacts, SignalFacts
from trust.preflight import journey_status
from trust.settings import Settings


def owners(names) -> str | None:
    """Several owners as one line: the first two and how many more."""
    unique = list(dict.fromkeys(n for n in names if n))
    if not unique:
        return None
    return ", ".join(unique[:2]) + (f" (+{len(unique) - 2})" if len(unique) > 2 else "")


def field_ownership(facts: SignalFacts, settings: Settings) -> Verdict:
    high = [f for f in facts.registry if f.high_risk]
    if not high:
        return Verdict(Status.FAIL, "No customer field is marked high risk in the field registry.",
                       score=0, metrics={"high_risk_fields": 0})
    oldest = facts.as_of - timedelta(days=settings.field_review_max_days)
    rows, failing, warning = [], 0, 0
    for spec in high:
        fails = [p for p, bad in (("no owner", blank(spec.owner)), ("no authoritative source", blank(spec.source)),
                                  ("not a column of customers", spec.name not in facts.customer_columns)) if bad]
        reviewed = spec.last_reviewed is not None and oldest <= spec.last_reviewed <= facts.as_of
        warns = [] if reviewed else ["never reviewed" if spec.last_reviewed is None
                                     else f"last reviewed {spec.last_reviewed.isoformat()}"]
        failing += bool(fails)
        warning += bool(warns) and not fails
        if fails or warns:
            rows.append((spec.name, spec.owner, spec.source, spec.last_reviewed, "; ".join(fails + warns)))
    healthy = len(high) - len(rows)
    metrics = {"high_risk_fields": len(high), "healthy": healthy, "failing": failing, "review_overdue": warning}
    found = evidence("fields", ("field", "owner", "authoritative_source", "last_reviewed", "problem"), rows)
    score = 100 * healthy / len(high)
    if failing:
        return Verdict(Status.FAIL, f"{plural(failing, 'high-risk field')} of {len(high)} "
                       f"{verb(failing, 'lacks', 'lack')} an owner, a source or a column in customers.", score,
                       metrics, evidence=found)
    if warning:
        return Verdict(Status.WARN, f"{plural(warning, 'high-risk field')} not reviewed in the last "
                       f"{settings.field_review_max_days} days.", score, metrics, evidence=found)
    return Verdict(Status.PASS, f"All {len(high)} high-risk fields are owned, sourced and reviewed.",
                   score, metrics, evidence=found)


def preflight(facts: PreflightFacts, settings: Settings) -> Verdict:
    if not facts.journeys:
        return Verdict(Status.NOT_ASSESSED, "No scheduled or live journey to pre-flight.",
                       metrics={"journeys": 0})
    statuses = {j.journey_id: journey_status(j, settings) for j in facts.journeys}
    failed = [j for j in facts.journeys if statuses[j.journey_id] is Status.FAIL]
    warned = [j for j in facts.journeys if statuses[j.journey_id] is Status.WARN]
    metrics = {
        "journeys": len(facts.journeys), "failing": len(failed), "warning": len(warned),
        "blocked_members": sum(j.blocking for j in facts.journeys),
        "warned_members": sum(j.warned for j in facts.journeys),
        "audience": sum(j.audience for j in facts.journeys),
        "snapshot": facts.snapshot.isoformat() if facts.snapshot else None,
    }
    score = 100 * (len(facts.journeys) - len(failed)) / len(facts.journeys)
    if failed:
        names = ", ".join(j.journey_id for j in failed[:3]) + (" …" if len(failed) > 3 else "")
        return Verdict(Status.FAIL, f"{plural(len(failed), 'journey')} would message blocked customers "
                       f"({names}).", score, metrics, owners(j.owner for j in failed), facts.failures)
    if warned:
        return Verdict(Status.WARN, f"{plural(len(warned), 'journey')} with over "
                       f"{percent(settings.preflight_warning_share)} of the audience flagged.", score, metrics,
                       owners(j.owner for j in warned), facts.failures)
    return Verdict(Status.PASS, f"All {plural(len(facts.journeys), 'journey')} clear pre-flight.", score,
                   metrics, evidence=facts.failures)


def anomaly_review(facts: AnomalyFacts, settings: Settings) -> Verdict:
    recent = set(sorted(s for s in facts.snapshots if s <= facts.as_of)[-settings.anomaly_lookback_snapshots:])
    anomalies = [a for a in facts.anomalies if a.snapshot_date in recent]
    if not anomalies:
        return Verdict(Status.PASS, f"No anomaly in the last {plural(len(recent), 'snapshot')}.",
                       metrics={"anomalies": 0, "snapshots": len(recent)})
    if not facts.reviews_available:
        return Verdict(Status.NOT_ASSESSED, f"{plural(len(anomalies), 'anomaly', 'anomalies')} found, but no "
                       "review record is available (alert_reviews is not provided).",
                       metrics={"anomalies": len(anomalies)})
    reviews = {}
    cutoff = facts.cutoff or datetime.combine(facts.as_of + timedelta(days=1), datetime.min.time())
    for r in facts.reviews:
        if r.reviewed_at is None or r.reviewed_at < cutoff:
            reviews.setdefault((r.field, r.value or None, r.snapshot_date), r)
    rows, overdue, pending = [], 0, 0
    for a in anomalies:
        review = reviews.get((a.field, a.value, a.snapshot_date))
        age = (facts.as_of - a.snapshot_date).days
        if review is not None:
            state = f"reviewed by {review.reviewed_by or 'unknown'}"
        elif age > settings.anomaly_review_days:
            state, overdue = f"unreviewed for {age} days", overdue + 1
        else:
            state, pending = f"unreviewed ({age} days old)", pending + 1
        rows.append((a.field, a.value, a.snapshot_date, round(a.share, 4), round(a.baseline, 4), state))
    reviewed = len(anomalies) - overdue - pending
    metrics = {"anomalies": len(anomalies), "reviewed": reviewed, "overdue": overdue, "pending": pending}
    found = evidence("anomalies", ("field", "value", "snapshot_date", "share", "baseline", "state"),
                     sorted(rows, key=lambda r: (not r[5].startswith("unreviewed"), r[2])))
    score = 100 * reviewed / len(anomalies)
    if overdue:
        return Verdict(Status.FAIL, f"{plural(overdue, 'anomaly', 'anomalies')} unreviewed for more than "
                       f"{settings.anomaly_review_days} days.", score, metrics, evidence=found)
    if pending:
        return Verdict(Status.WARN, f"{plural(pending, 'recent anomaly', 'recent anomalies')} awaiting review.",
                       score, metrics, evidence=found)
    return Verdict(Status.PASS, f"All {plural(len(anomalies), 'anomaly', 'anomalies')} reviewed.", score,
                   metrics, evidence=found)


CHECKS = (
    Check(
        id="signal.field_ownership", layer="signal", title="Customer fields mapped and owned",
        question="Are the customer fields that carry risk tied to a system of record and a named owner?",
        why="Credibility is rarely lost to exotic failures; it goes through ordinary ones: a field filled "
            "from the wrong source, IDs that disagree between systems, an attribute nobody refreshes. A "
            "high-risk field without an owner and an authoritative source has nobody to notice when it drifts, "
            "and every journey that reads it inherits the error.",
        remediation="For each high-risk field (language, region, consent, lifecycle stage, status) name an "
                    "accountable owner and the system of record in the field registry, make sure the field "
                    "is exported as a column of customers, and have the owner review the mapping at least "
                    "yearly, recording the date in last_reviewed.",
        facts="signal", tables=("field_registry",), settings=("field_review_max_days",), team_scoped=False,
        evaluate=field_ownership,
    ),
    Check(
        id="signal.preflight", layer="signal", title="Pre-flight checks before go-live",
        question="Is every journey's audience checked against current customer data before it goes live?",
        why="A journey scales whatever its audience data gets wrong: a wrong language, a withdrawn consent "
            "or a closed account becomes thousands of messages in minutes. Checking the audience against "
            "the current snapshot before go-live catches it while it is still cheap to fix.",
        remediation="Open the failing journey's members: remove customers without consent for the channel, "
                    "with an inactive status or an unknown ID, correct or exclude those whose language is "
                    "wrong, then rebuild the audience from the current snapshot and run `trust preflight "
                    "--journey ID` again before go-live.",
        facts="preflight", tables=("journeys", "journey_audience", "customers", "field_registry"),
        settings=("preflight_blocking_tolerance", "preflight_warning_share"), evaluate=preflight,
    ),
    Check(
        id="signal.anomaly_review", layer="signal", title="Anomalies reviewed",
        question="Are sudden shifts in customer data looked into promptly?",
        why="A sudden shift in language preference, region mix or opt-outs is usually a broken feed or "
            "mapping rather than real behaviour. Left unreviewed, it reaches customers through every "
            "segment and journey built on the field.",
        remediation="Have the field's owner investigate each open anomaly, fix the source if it is a data "
                    "fault, and record the review (who, when, what was found) within a week of the "
                    "snapshot, in the dashboard or in the alert_reviews extract.",
        facts="anomalies", tables=("customers", "field_registry", "alert_reviews"),
        settings=("anomaly_min_shift", "anomaly_sigmas", "anomaly_baseline_snapshots", "anomaly_min_baseline",
                  "anomaly_row_count_shift", "anomaly_lookback_snapshots", "anomaly_review_days"),
        team_scoped=False, evaluate=anomaly_review,
    ),
)
