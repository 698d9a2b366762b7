"""Layer 1, signal quality: fields mapped and owned, journeys pre-flighted, anomalies reviewed."""

from __future__ import annotations

from datetime import datetime, timedelta

from trust.checks.field_scores import field_scores
from trust.checks.journeys import journey_status
from trust.checks.model import Check, Status, Verdict, blank, named, owners, percent, plural, verb
from trust.facts.anomalies import ANOMALIES, Anomaly, AnomalyFacts, Review
from trust.facts.model import NO_HISTORY, Records, evidence
from trust.facts.preflight import PREFLIGHT, PreflightFacts
from trust.facts.signal import SIGNAL, SignalFacts
from trust.settings import Settings


def field_ownership(facts: SignalFacts, settings: Settings) -> Verdict:
    high = [f for f in facts.registry if f.high_risk]
    if not high:
        return Verdict(Status.FAIL, "No customer field is marked high risk in the field registry.",
                       metrics={"high_risk_fields": 0})
    # "The last N days" are the N days up to the as-of date, counting it (CHECKS.md, common rules).
    oldest = facts.as_of - timedelta(days=settings.field_review_max_days)
    rows, failing, warning = [], [], []
    for spec in high:
        fails = [p for p, bad in (("no owner", blank(spec.owner)), ("no authoritative source", blank(spec.source)),
                                  ("not a column of customers", spec.name not in facts.customer_columns)) if bad]
        reviewed = spec.last_reviewed is not None and oldest < spec.last_reviewed <= facts.as_of
        warns = [] if reviewed else ["never reviewed" if spec.last_reviewed is None
                                     else f"last reviewed {spec.last_reviewed.isoformat()}"]
        if fails:
            failing.append((spec, fails))
        elif warns:
            warning.append((spec, warns))
        if fails or warns:
            rows.append((spec.name, spec.owner, spec.source, spec.last_reviewed, "; ".join(fails + warns)))
    healthy = len(high) - len(rows)
    metrics = {"high_risk_fields": len(high), "healthy": healthy, "failing": len(failing),
               "review_overdue": len(warning)}
    found = evidence("fields", ("field", "owner", "authoritative_source", "last_reviewed", "problem"), rows)
    score, basis = 100 * healthy / len(high), f"of {plural(len(high), 'high-risk field')} owned, sourced and reviewed"
    if failing:
        return Verdict(Status.FAIL, f"{plural(len(failing), 'high-risk field')} of {len(high)} "
                       f"{verb(len(failing), 'lacks', 'lack')} an owner, a source or a column in customers: "
                       + named(f"{spec.name} ({', '.join(why)})" for spec, why in failing) + ".", score,
                       metrics, owners(spec.owner for spec, _ in failing), found, basis)
    if warning:
        return Verdict(Status.WARN, f"{plural(len(warning), 'high-risk field')} not reviewed in the last "
                       f"{settings.field_review_max_days} days: " + named(spec.name for spec, _ in warning) + ".",
                       score, metrics, owners(spec.owner for spec, _ in warning), found, basis)
    return Verdict(Status.PASS, f"All {len(high)} high-risk fields are owned, sourced and reviewed.",
                   score, metrics, evidence=found, score_of=basis)


FAILING_MEMBERS = Records("preflight_failures", "customers")


def preflight(facts: PreflightFacts, settings: Settings) -> Verdict:
    if facts.reason == NO_HISTORY:
        latest = facts.latest.isoformat() if facts.latest else "the latest snapshot"
        return Verdict(Status.NOT_ASSESSED, "Journey audiences carry no history (no snapshot_date in "
                       f"journey_audience), so pre-flight can be judged only as of {latest}.",
                       metrics={"journeys": 0, "reason": NO_HISTORY}, reason=NO_HISTORY)
    if not facts.journeys:
        return Verdict(Status.NOT_ASSESSED, "No scheduled or live journey to pre-flight.",
                       metrics={"journeys": 0})
    found = facts.evidence.get(FAILING_MEMBERS.query)
    statuses = {j.journey_id: journey_status(j, settings) for j in facts.journeys}
    failed = [j for j in facts.journeys if statuses[j.journey_id] is Status.FAIL]
    warned = [j for j in facts.journeys if statuses[j.journey_id] is Status.WARN]
    empty = [j for j in warned if not j.audience]
    metrics = {
        "journeys": len(facts.journeys), "failing": len(failed), "warning": len(warned),
        "without_audience": len(empty),
        "blocked_members": sum(j.blocking for j in facts.journeys),
        "warned_members": sum(j.warned for j in facts.journeys),
        "audience": sum(j.audience for j in facts.journeys),
        "snapshot": facts.snapshot.isoformat() if facts.snapshot else None,
    }
    # Journeys that pass: one that warns (too many flagged members, or no audience) is not clear either.
    score = 100 * (len(facts.journeys) - len(failed) - len(warned)) / len(facts.journeys)
    basis = f"of {plural(len(facts.journeys), 'scheduled or live journey')} clearing pre-flight"
    if failed:
        return Verdict(Status.FAIL, f"{plural(len(failed), 'journey')} would message blocked customers: "
                       + named(f"{j.journey_id} ({j.blocking:,} of {j.audience:,})" for j in failed) + ".",
                       score, metrics, owners(j.owner for j in failed), found, basis)
    if warned:
        parts = []
        if len(warned) > len(empty):
            flagged = [j for j in warned if j.audience]
            parts.append(f"{plural(len(flagged), 'journey')} with over {percent(settings.preflight_warning_share)} "
                         f"of the audience flagged: " + named(j.journey_id for j in flagged))
        if empty:
            parts.append(f"{plural(len(empty), 'journey')} with no audience: " + named(j.journey_id for j in empty))
        return Verdict(Status.WARN, "; ".join(parts) + ".", score, metrics, owners(j.owner for j in warned),
                       found, basis)
    return Verdict(Status.PASS, f"All {plural(len(facts.journeys), 'journey')} clear pre-flight.", score,
                   metrics, evidence=found, score_of=basis)


FIELD_COLUMNS = ("field", "owner", "completeness", "validity", "freshness", "score", "customer_id", "copies",
                 "problem")


def field_quality(facts: SignalFacts, settings: Settings) -> Verdict:
    """The signal-quality scores of the high-risk fields, and duplicate customer IDs."""
    if facts.snapshot is None or not facts.rows:
        return Verdict(Status.NOT_ASSESSED, "No customer snapshot on or before this date to measure.",
                       metrics={"fields": 0})
    scores = field_scores(facts)

    def below(value: float, threshold: float) -> bool:  # unrounded, but blind to float noise
        return value < threshold - 1e-9

    failing = [s for s in scores if below(s.score, settings.field_score_warn)]
    warning = [s for s in scores if s not in failing and below(s.score, settings.field_score_pass)]
    duplicates = facts.rows - facts.distinct_ids
    share = duplicates / facts.rows
    lowest = min(scores, key=lambda s: s.score, default=None)
    metrics = {"fields": len(scores), "lowest_field": lowest.field if lowest else None,
               "lowest_score": round(lowest.score, 2) if lowest else None, "rows": facts.rows,
               "distinct_ids": facts.distinct_ids, "duplicate_rows": duplicates, "duplicate_share": round(share, 6),
               "snapshot": facts.snapshot.isoformat()}
    rows = [(s.field, s.owner, round(s.completeness, 4), round(s.validity, 4), round(s.freshness, 4),
             round(s.score, 2), None, None,
             f"below {settings.field_score_warn:g}" if s in failing
             else f"below {settings.field_score_pass:g}" if s in warning else "") for s in scores]
    rows += [(None, None, None, None, None, None, customer_id, copies, f"appears {copies} times")
             for customer_id, copies in facts.duplicated]
    found = evidence("fields and duplicated IDs", FIELD_COLUMNS, rows, total=len(scores) + facts.duplicated_ids)
    id_owner = next((spec.owner for spec in facts.registry if spec.name == "customer_id"), None)
    copies = (f"{plural(duplicates, 'duplicate customer ID row')} ({percent(share, 2)} of {facts.rows:,} rows"
              f" in the {facts.snapshot.isoformat()} snapshot")
    score = lowest.score if lowest else None
    basis = f"lowest field score ({lowest.field})" if lowest else None
    too_many = share > settings.duplicate_fail_share
    if failing or too_many:
        parts = [f"{plural(len(failing), 'high-risk field')} below {settings.field_score_warn:g}: "
                 + named(f"{s.field} {s.shown:.1f}" for s in failing)] if failing else []
        parts += [copies + f", over {percent(settings.duplicate_fail_share, 2)})"] if too_many else []
        who = [s.owner for s in failing] + ([id_owner] if too_many else [])
        return Verdict(Status.FAIL, "; ".join(parts) + ".", score, metrics, owners(who), found, basis)
    if warning or duplicates:
        parts = [f"{plural(len(warning), 'high-risk field')} below {settings.field_score_pass:g}: "
                 + named(f"{s.field} {s.shown:.1f}" for s in warning)] if warning else []
        parts += [copies + ")"] if duplicates else []
        who = [s.owner for s in warning] + ([id_owner] if duplicates else [])
        return Verdict(Status.WARN, "; ".join(parts) + ".", score, metrics, owners(who), found, basis)
    what = (f"all {plural(len(scores), 'high-risk field')} score {settings.field_score_pass:g} or more"
            if scores else "no high-risk field is a column of customers")
    return Verdict(Status.PASS, f"{what[0].upper()}{what[1:]}, and every customer ID is unique.", score, metrics,
                   evidence=found, score_of=basis)


def describe_anomaly(a: Anomaly) -> str:
    """Which anomaly: field, value, snapshot, and its share (or row count) against its baseline."""
    when = a.snapshot_date.isoformat()
    if a.kind == "row_count":
        return f"row count on {when} ({a.share:,.0f} against a {a.baseline:,.0f} baseline)"
    value = "(empty)" if a.value is None else a.value
    what = {"opt_out": "opt-out share", "fake_share": "flagged share"}.get(a.kind, "share")
    return f"{a.field} = {value} on {when} ({what} {a.share:.1%} against a {a.baseline:.1%} baseline)"


def _counts(review: Review, facts: AnomalyFacts) -> bool:
    """Whether a review counts as of the date: an extract row by the end of the day, a dashboard review
    by the cutoff (now, for the latest week), an undated one only as of the latest snapshot."""
    if review.reviewed_at is None:
        return facts.latest is None or facts.as_of >= facts.latest
    end = datetime.combine(facts.as_of + timedelta(days=1), datetime.min.time())
    if review.source == "dashboard":
        return review.reviewed_at < (facts.cutoff or end)
    return review.reviewed_at < end


def anomaly_review(facts: AnomalyFacts, settings: Settings) -> Verdict:
    """Reviews come from alert_reviews and the dashboard; with neither, every anomaly is unreviewed."""
    known = sorted(s for s in facts.snapshots if s <= facts.as_of)
    recent = set(known[-settings.anomaly_lookback_snapshots:])
    # Only a snapshot with enough earlier ones for a baseline can show an anomaly: "none found" in
    # the others means nothing was looked at, so with no such snapshot there is nothing to judge.
    judged = [s for i, s in enumerate(known) if s in recent and i >= settings.anomaly_min_baseline]
    anomalies = [a for a in facts.anomalies if a.snapshot_date in recent]
    if not anomalies:
        metrics = {"anomalies": 0, "snapshots": len(recent), "judged_snapshots": len(judged)}
        if not judged:
            return Verdict(Status.NOT_ASSESSED, "Nothing to judge yet: no customer snapshot up to this date has the "
                           f"{plural(settings.anomaly_min_baseline, 'earlier snapshot')} an anomaly is measured "
                           f"against ({plural(len(known), 'snapshot')} so far).", metrics=metrics)
        unjudged = len(recent) - len(judged)
        summary = (f"No anomaly in the last {plural(len(recent), 'snapshot')}." if not unjudged else
                   f"No anomaly in the {plural(len(judged), 'snapshot')} judged of the last {len(recent)} (the "
                   f"earliest {unjudged} had too short a history to be judged).")
        return Verdict(Status.PASS, summary, metrics=metrics)
    reviews = {}
    for r in facts.reviews:
        if _counts(r, facts):
            reviews.setdefault((r.field, r.value or None, r.snapshot_date), r)
    rows, overdue, pending = [], [], []
    for a in anomalies:
        review = reviews.get((a.field, a.value, a.snapshot_date))
        age = (facts.as_of - a.snapshot_date).days
        if review is not None:
            state = f"reviewed by {review.reviewed_by or 'unknown'}"
        elif age > settings.anomaly_review_days:
            state = f"unreviewed for {age} days"
            overdue.append(a)
        else:
            state = f"unreviewed ({age} days old)"
            pending.append(a)
        rows.append((a.field, a.value, a.snapshot_date, round(a.share, 4), round(a.baseline, 4),
                     facts.owners.get(a.field), state))
    reviewed = len(anomalies) - len(overdue) - len(pending)
    metrics = {"anomalies": len(anomalies), "reviewed": reviewed, "overdue": len(overdue), "pending": len(pending)}
    found = evidence("anomalies", ("field", "value", "snapshot_date", "share", "baseline", "owner", "state"),
                     sorted(rows, key=lambda r: (not r[6].startswith("unreviewed"), r[2])))
    score, basis = 100 * reviewed / len(anomalies), f"of {plural(len(anomalies), 'anomaly', 'anomalies')} reviewed"
    if overdue:
        return Verdict(Status.FAIL, f"{plural(len(overdue), 'anomaly', 'anomalies')} unreviewed for more than "
                       f"{plural(settings.anomaly_review_days, 'day')}: " + named(map(describe_anomaly, overdue))
                       + ".", score, metrics, owners(facts.owners.get(a.field) for a in overdue), found, basis)
    if pending:
        return Verdict(Status.WARN, f"{plural(len(pending), 'recent anomaly', 'recent anomalies')} awaiting review: "
                       + named(map(describe_anomaly, pending)) + ".", score, metrics,
                       owners(facts.owners.get(a.field) for a in pending), found, basis)
    return Verdict(Status.PASS, f"All {plural(len(anomalies), 'anomaly', 'anomalies')} reviewed.", score,
                   metrics, evidence=found, score_of=basis)


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
        facts=SIGNAL, tables=("field_registry",), stages=(1,), settings=("field_review_max_days",), team_scoped=False,
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
        facts=PREFLIGHT, tables=PREFLIGHT.tables, stages=(1,), records=FAILING_MEMBERS,
        settings=("preflight_blocking_tolerance", "preflight_warning_share"), evaluate=preflight,
    ),
    Check(
        id="signal.field_quality", layer="signal", title="Customer fields complete, valid and fresh",
        question="Are the high-risk customer fields filled, valid and fresh, and is every customer ID unique?",
        why="Personalisation and journeys are only as right as the fields they read. A field that is often "
            "empty, holds values outside its allowed list or has not been refreshed in time makes every "
            "segment built on it wrong, and a customer ID that appears twice means two versions of one person: "
            "one of them is messaged on stale or contradictory data.",
        remediation="Open the fields below the threshold with their owner: fill the gaps at the source, map "
                    "the invalid values to allowed ones (or add them to allowed_values if they are right), and "
                    "restore the sync that keeps the stale records fresh. For duplicate IDs, merge the records "
                    "in the system of record and fix the join or export that produced the second row.",
        facts=SIGNAL, tables=("field_registry", "customers"), stages=(1,),
        settings=("field_score_pass", "field_score_warn", "duplicate_fail_share"), team_scoped=False,
        evaluate=field_quality,
    ),
    Check(
        id="signal.anomaly_review", layer="signal", title="Anomalies reviewed",
        question="Are sudden shifts in customer data looked into promptly?",
        why="A sudden shift in language preference, region mix or opt-outs is usually a broken feed or "
            "mapping rather than real behaviour. Left unreviewed, it reaches customers through every "
            "segment and journey built on the field.",
        remediation="Have the field's owner investigate each open anomaly, fix the source if it is a data "
                    "fault, and record the review (who, when, what was found) within a week of the "
                    "snapshot, in the dashboard or in the alert_reviews extract. Without either, every "
                    "anomaly counts as unreviewed.",
        facts=ANOMALIES, tables=("customers", "field_registry", "alert_reviews"), stages=(1,),
        settings=("anomaly_min_shift", "anomaly_sigmas", "anomaly_baseline_snapshots", "anomaly_min_baseline",
                  "anomaly_row_count_shift", "anomaly_lookback_snapshots", "anomaly_review_days"),
        team_scoped=False, evaluate=anomaly_review,
    ),
)
