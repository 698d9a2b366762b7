"""The catalogue of faults planted in the demo, so docs, tests and readers agree on them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fault:
    """A fault planted in the demo: the check that finds it, where it is, and what the check then shows."""

    check: str
    table: str
    where: str
    effect: str
    # The check's status on the demo: "fail" or "warn" (every fault of one check agrees). A
    # self-assessed check is "not_assessed" until a team answers: the demo holds no answers, only
    # the evidence that would contradict one.
    status: str


# The one check the demo leaves healthy on purpose, so one check shows what good looks like.
HEALTHY: tuple[str, ...] = ("signal.field_ownership",)


# Dates are relative to `latest` (default 2026-11-22, a Sunday); snapshots are weekly.
FAULTS: tuple[Fault, ...] = (
    Fault("signal.anomaly_review", "customers",
          "latest snapshot: 7.5% of customers, Spanish speakers who signed up on the web (then "
          "app), have language `en`",
          "language `es` share drops and `en` rises by 7.5 pp: two unreviewed anomalies within "
          "7 days (a warn on their own); JRN-CRM-03 fails pre-flight", "fail"),
    Fault("signal.field_quality", "customers",
          "latest snapshot: min(40, max(5, customers/200)) rows with language `EN`, `english` "
          "or `English`", "language validity < 1, its score still above 90", "fail"),
    Fault("signal.field_quality", "customers",
          "latest snapshot: ~0.2% of customer_ids appear twice (second row mastered in `app`, "
          "or `web` when the first is `app`)", "duplicates over 0.1% of rows: field_quality fails", "fail"),
    Fault("signal.preflight", "journey_audience",
          "JRN-GRW-02 (live) holds 25 `ESP-nnnnn` IDs that no snapshot has",
          "JRN-GRW-02 fails pre-flight (inconsistent IDs)", "fail"),
    Fault("signal.preflight", "customers",
          "every snapshot: customers mastered in `branch` (~3%) have updated_at 3-6 years old",
          "freshness ~0.97 for fields with max_staleness_days", "fail"),
    Fault("signal.anomaly_review", "customers",
          "snapshot 2 weeks before latest: 8.5% of customers switch consent_email to false",
          "unreviewed consent_email opt-out anomaly older than 7 days: anomaly_review fails", "fail"),
    Fault("signal.preflight", "journey_audience",
          "JRN-CRM-05 (live email) was last rebuilt from the snapshot 3 weeks before latest, "
          "before the opt-out spike; its weekly exports repeat that list",
          "JRN-CRM-05 fails pre-flight from the spike on (consent not true), passes before", "fail"),
    Fault("signal.preflight", "journeys",
          "JRN-GRW-03 (scheduled sms, regions LATAM) picked up Portuguese speakers served from "
          "EMEA in the exports of the last two weeks", "JRN-GRW-03 fails pre-flight (region)", "fail"),
    Fault("signal.anomaly_review", "alert_reviews",
          "snapshot 6 weeks before latest: 6.5% of customers move from region EMEA to UKI; "
          "both values reviewed by E015 the next day", "a reviewed anomaly (no finding)", "fail"),
    Fault("signal.preflight", "journey_audience",
          "JRN-GRW-01 (live push, onboarding|active) has ~9% at_risk/lapsed members",
          "JRN-GRW-01 warns (lifecycle stage not targeted)", "fail"),
    Fault("governance.approval_compliance", "content_items",
          "CI-P01 brand/social/crisis published on legal approval only; CI-P02 approved after "
          "publication; CI-P03 approved by role `brand` instead of `marketing_lead`; CI-P12 "
          "brand/email/crisis 100 days ago on legal approval only; CI-P13 web page (its rule "
          "names no role) approved only by the system; max(3, 0.3%) of crm email items edited "
          "after approval (note 'Fixed a typo after sign-off')",
          "approval compliance between 0.98 and 1: warn", "warn"),
    Fault("accountability.crisis_comms", "content_items",
          "CI-P01 published without its compliance approval; CI-P12 the same, 100 days ago",
          "crisis_comms fails on CI-P01 alone (CI-P12 is outside the 90-day window); brand "
          "crisis median stays under 4 hours", "fail"),
    Fault("governance.audit_trail", "audit_events",
          "1.2% of published AI items have no `recommended` event (plus the approval breaches)",
          "audit completeness ~0.987: warn", "warn"),
    Fault("governance.transparency", "content_items",
          "CI-P04, CI-P05, CI-P06 have ai_generated NULL (so they are held to the AI rules, the "
          "label included; their confidence, 0.9, was kept); CI-P07 (published AI social post) "
          "has ai_label_applied false", "transparency fails", "fail"),
    Fault("governance.decision_rights", "decision_rights",
          "push/sensitive needs no approval: account alerts go out with no person involved",
          "decision_rights fails (sensitive contexts may never be autonomous)", "fail"),
    Fault("governance.decision_rights", "content_items",
          "CI-P08 is an unpublished web/crisis draft: no rule maps it",
          "listed among decision_rights' records (alone it would warn)", "fail"),
    Fault("accountability.commitment_owners", "content_items",
          "CI-P09 (growth) published commitment without owner; CI-P10 owned by E009, "
          "who has left", "commitment owners >= 95%: warn", "warn"),
    Fault("accountability.escalation", "audit_events",
          "max(1, 3%) of published low-confidence AI items have no `escalated` event; CI-P11 "
          "(growth push) has no confidence recorded and was not escalated",
          "escalation ~0.97: warn (unknown confidence counts as low)", "warn"),
    Fault("measurement.pilot_criteria", "pilots",
          "PIL-02 has no risk metric; PIL-03 lasts 28 days; PIL-04 ended 31 days ago with no "
          "decision; PIL-05 in progress; PIL-06 starts in 14 days; PIL-07 was scaled although "
          "it missed its primary target", "pilot_criteria fails", "fail"),
    Fault("measurement.pilot_criteria", "pilots",
          "PIL-01's risk metric is approval compliance (0.995 against 0.98) with "
          "risk_direction `higher`", "PIL-01 (scaled) and PIL-04 (awaiting its decision) are the "
          "proven pilots stage 3 needs (crm)", "fail"),
    Fault("measurement.tolerances", "forecasts",
          "FC-CRM-REV latest closed period 22% over; FC-BRD-SOV 19% off two periods before its "
          "latest; FC-GRW-CHURN has no tolerance", "tolerances fails", "fail"),
    Fault("measurement.intangibles", "measurement_methods",
          "brand_trust_index run once", "intangibles warns", "warn"),
    Fault("culture.upskilling", "training",
          "ai_safety among active AI users: brand 14/16, crm 12/14, growth 8/15",
          "upskilling 34/45 = 0.76: warn (growth alone warns, brand and crm pass)", "warn"),
    Fault("culture.advocacy_cadence", "advocacy_nudges",
          "no nudge 39 and 32 days before latest (a 21-day gap); the nudge 53 days before has "
          "6 posts; the nudges 88 and 46 days before carry no statistics; one non-approved share "
          "80 days before (outside the window); a share 20 days before whose approval was not "
          "recorded", "advocacy_cadence fails", "fail"),
    Fault("culture.brand_voice", "content_items",
          "in the 7 days up to latest, growth publishes about twice its weekly AI volume (1.5% of the "
          "regular items come on top, created Monday to Friday, all AI-drafted), and its AI items of that "
          "week read as jargon (median Flesch reading ease about -66; every other team-week's median is "
          "above 70, most near 89)",
          "self-assessed, so not assessed on the demo (no answers); a `yes` from growth is flagged "
          "overclaimed (reading ease below 50, volume over 1.5 times its 8-week median)", "not_assessed"),
    Fault("credibility.claims_substantiated", "claims",
          "about 7% of items make a claim (standard context, no commitment), each with one or two "
          "claims rows; CLM-P01, a statistic on a growth item published 7-20 days before latest, has "
          "no evidence; CLM-P02 (crm, published 21-45 days before) was approved 26 hours after "
          "publication; CLM-P03 (brand, published 46-80 days before) is a case study that expired "
          "12 days before the item went out",
          "three published claims fail; the other rows have evidence under 24 months old, approved "
          "by legal or compliance before publication and not expiring soon: claims_substantiated "
          "fails", "fail"),
    Fault("credibility.impersonation_response", "brand_incidents",
          "15 incidents over 170 days; INC-010, a high-severity WhatsApp impersonation 23 days before "
          "latest, was contained after 67 hours; INC-013, a medium fake Facebook account 9 days before, has "
          "no owner and is still open; INC-003 (high, contained after 30 hours) is 140 days old, "
          "outside the 90-day window; the rest are owned and contained within 20 hours",
          "impersonation_response fails on INC-010 and INC-013", "fail"),
    Fault("credibility.fake_accounts", "customers",
          "latest snapshot: 8% (at least one) of the customers new that week are suspected_fake and "
          "3% unscreened; earlier weeks flag 0.5-1% and leave 2-5% unscreened; flags never change "
          "once set. One new fake (English, email opt-in, active) is in JRN-GRW-02's latest export",
          "flagged share of new customers over 5% and a suspected fake in a live audience: "
          "fake_accounts fails; JRN-GRW-02, failing already, also blocks the fake", "fail"),
)
