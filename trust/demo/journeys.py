"""CRM journeys and their audiences, most clean, four planted to fail or warn pre-flight."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from trust.demo.customers import (
    ACTIVE_STATUS,
    LANGUAGES,
    OPT_OUT_SPIKE_WEEKS,
    STAGES,
    SnapshotView,
)
from trust.demo.timeline import Timeline

UNKNOWN_IDS = 25


@dataclass(frozen=True)
class Journey:
    journey_id: str
    name: str
    team: str
    owner: str
    channel: str
    language: str | None
    stages: tuple[str, ...]
    status: str
    go_live_days_before: int  # negative: in the future
    audience_share: float  # of all customers; 0 = no audience yet
    plant: str | None = None


# Planted: JRN-CRM-03 was built from last week's snapshot, before the language batch turned
# its Spanish speakers to `en`; JRN-CRM-05 was built before the opt-out spike; JRN-GRW-01
# targets onboarding and active customers but ~9% of its audience is at risk or lapsed;
# JRN-GRW-02 carries 25 IDs from the old email platform that no snapshot knows.
JOURNEYS = (
    Journey("JRN-BRD-01", "Newsletter France", "brand", "E021", "email", "fr", ("active",),
            "live", 90, 0.025),
    Journey("JRN-BRD-02", "Event invitation DACH", "brand", "E022", "email", "de",
            ("active", "at_risk"), "scheduled", -12, 0.02),
    Journey("JRN-BRD-03", "Product launch push", "brand", "E021", "push", None, (), "ended", 60,
            0.15),
    Journey("JRN-BRD-04", "Spring campaign", "brand", "E022", "email", None, ("active",),
            "draft", -100, 0.0),
    Journey("JRN-CRM-01", "Welcome series", "crm", "E001", "email", "en", ("onboarding",),
            "live", 120, 0.04),
    Journey("JRN-CRM-02", "Renewal reminder", "crm", "E002", "email", None,
            ("active", "at_risk"), "live", 200, 0.12),
    Journey("JRN-CRM-03", "Recuperación de clientes", "crm", "E001", "email", "es",
            ("at_risk", "lapsed"), "scheduled", -5, 1.0, "language_batch"),
    Journey("JRN-CRM-04", "Payment due reminder", "crm", "E002", "sms", None, ("active",),
            "live", 300, 0.10),
    Journey("JRN-CRM-05", "Winter offer", "crm", "E001", "email", "en", ("active",), "live", 10,
            0.08, "opt_out"),
    Journey("JRN-CRM-06", "Summer sale", "crm", "E002", "sms", None, (), "ended", 150, 0.05),
    Journey("JRN-GRW-01", "App onboarding nudges", "growth", "E041", "push", "en",
            ("onboarding", "active"), "live", 45, 0.10, "lifecycle"),
    Journey("JRN-GRW-02", "Referral programme", "growth", "E042", "email", "en", ("active",),
            "live", 30, 0.06, "unknown_ids"),
    Journey("JRN-GRW-03", "Carrinho abandonado", "growth", "E041", "sms", "pt", (),
            "scheduled", -3, 0.02),
    Journey("JRN-GRW-04", "Riattivazione clienti", "growth", "E042", "push", "it", ("lapsed",),
            "paused", 70, 0.002),
    Journey("JRN-GRW-05", "Loyalty tiers", "growth", "E041", "email", None, ("active",),
            "draft", -40, 0.0),
)

# The snapshot each planted audience was built from, in weeks before the latest.
BUILT_WEEKS_BEFORE = {"language_batch": 1, "opt_out": OPT_OUT_SPIKE_WEEKS + 1}


def journey_rows(tl: Timeline) -> list[dict]:
    return [{"journey_id": j.journey_id, "name": j.name, "team": j.team, "owner": j.owner,
             "channel": j.channel, "language": j.language, "lifecycle_stages": j.stages,
             "status": j.status, "go_live_at": tl.at(j.go_live_days_before, 9)}
            for j in JOURNEYS]


def audience(views: dict[int, SnapshotView], latest: int, rng: np.random.Generator) -> pa.Table:
    """Audience rows sorted by journey and customer; `views` holds each snapshot needed."""
    journey_ids, customer_ids = [], []
    for j in JOURNEYS:
        if not j.audience_share:
            continue
        view = views[latest - BUILT_WEEKS_BEFORE.get(j.plant or "", 0)]
        eligible = _eligible(view, j, j.stages)
        keep = rng.random(view.size) < j.audience_share * views[latest].size / max(
            int(eligible.sum()), 1)
        picked = eligible & keep
        if j.plant == "lifecycle":
            others = tuple(s for s in STAGES if s not in j.stages)
            extra = np.flatnonzero(_eligible(view, j, others))
            count = min(len(extra), round(0.09 / 0.91 * int(picked.sum())))
            picked[rng.choice(extra, count, replace=False)] = True
        ids = view.ids.take(pa.array(np.flatnonzero(picked)))
        if j.plant == "unknown_ids":
            # Exported from the old email platform, whose IDs never made it into the CRM.
            legacy = np.sort(rng.choice(90_000, UNKNOWN_IDS, replace=False) + 10_000)
            ids = pa.concat_arrays([ids, pa.array([f"ESP-{n}" for n in legacy])])
        customer_ids.append(ids)
        journey_ids.append(pa.array([j.journey_id] * len(ids), pa.string()))
    return pa.table({"journey_id": pa.concat_arrays(journey_ids),
                     "customer_id": pa.concat_arrays(customer_ids)})


def _eligible(view: SnapshotView, j: Journey, stages: tuple[str, ...]) -> np.ndarray:
    """Customers that pass every pre-flight rule for `j` in `view`, and are not stale."""
    c = view.columns
    lang = c["language"]
    ok = ((c["customer_status"] == ACTIVE_STATUS) & (c[f"consent_{j.channel}"] == 1)
          & (lang >= 0) & (lang < len(LANGUAGES)) & ~view.stale & ~view.duplicated)
    if j.language:
        ok &= lang == LANGUAGES.index(j.language)
    if stages:
        ok &= np.isin(c["lifecycle_stage"], [STAGES.index(s) for s in stages])
    return ok
