"""The field registry (mapping discipline for customer fields) and the reviews of past anomalies."""

from __future__ import annotations

from trust.demo.customers import LANGUAGES, REGION_REALIGNMENT_WEEKS, REGIONS, STAGES, STATUSES
from trust.demo.timeline import Timeline

# (field, description, risk, authoritative source, owner, population method, allowed values,
#  max staleness days, reviewed days before latest). Owners are staff: E014/E015 are the crm
# analysts who own the customer view, E017 the compliance officer who owns consent.
_FIELDS = (
    ("language", "Preferred language for customer communications (ISO 639-1)", "high",
     "crm", "E014", "form", LANGUAGES, 730, 45),
    ("region", "Sales region the customer is served from", "high", "crm", "E015", "sync",
     REGIONS, 730, 41),
    ("consent_email", "Opt-in to marketing email", "high", "preference_centre", "E017", "form",
     (), 365, 120),
    ("consent_sms", "Opt-in to marketing SMS", "high", "preference_centre", "E017", "form", (),
     365, 120),
    ("consent_push", "Opt-in to push notifications", "high", "preference_centre", "E017",
     "form", (), 365, 120),
    ("lifecycle_stage", "Where the customer is in the relationship", "high", "crm", "E014",
     "inferred", STAGES, 180, 200),
    ("customer_status", "Account status from billing", "high", "billing", "E015", "sync",
     STATUSES, None, 300),
    ("source_system", "System where the record was mastered", "low", "mdm", None, "sync", (),
     None, None),
    ("customer_id", "The customer's ID, unique within a snapshot", "low", "mdm", "E014", "sync", (),
     None, 45),
)


def field_registry_rows(tl: Timeline) -> list[dict]:
    return [{"field_name": f, "description": d, "risk": risk, "authoritative_source": src,
             "owner": owner, "population_method": method, "allowed_values": allowed,
             "max_staleness_days": stale,
             "last_reviewed": tl.date_before(reviewed) if reviewed is not None else None}
            for f, d, risk, src, owner, method, allowed, stale, reviewed in _FIELDS]


def alert_review_rows(tl: Timeline) -> list[dict]:
    """The planted reviewed anomaly: the EMEA to UKI re-alignment, reviewed the next day."""
    snapshot = tl.snapshot_dates[tl.snapshot_index(REGION_REALIGNMENT_WEEKS)]
    days = (tl.latest - snapshot).days
    note = ("Expected: UK & Ireland accounts moved from EMEA to the new UKI region "
            "(change CHG-2291). No action.")
    return [{"field": "region", "value": value, "snapshot_date": snapshot, "reviewed_by": "E015",
             "reviewed_at": tl.at(days - 1, 10, 15), "note": note}
            for value in ("EMEA", "UKI")]
