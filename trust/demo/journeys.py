"""CRM journeys and their weekly audience exports, most clean, five planted to fail or warn pre-flight."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from trust.demo.customers import ACTIVE_STATUS, LANGUAGES, OPT_OUT_SPIKE_WEEKS, REGIONS, STAGES, SnapshotView
from trust.demo.timeline import SNAPSHOTS, Timeline

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
    regions: tuple[str, ...] = ()

    @property
    def running(self) -> bool:
        """Scheduled or live: pre-flight judges it, so its audience is exported every week."""
        return self.status in ("scheduled", "live")


# Planted: JRN-CRM-03 was built from last week's snapshot, before the language batch turned
# its Spanish speakers to `en`; JRN-CRM-05 was built before the opt-out spike and not rebuilt
# since; JRN-GRW-01 targets onboarding and active customers but ~9% of its audience is at risk
# or lapsed; JRN-GRW-02 carries 25 IDs from the old email platform that no snapshot knows,
# since it went live, and in the latest export a suspected fake who signed up that week (a bot
# after referral bonuses); JRN-GRW-03, for Latin America, picked up Portuguese speakers in Europe
# when a new feed was added last week.
JOURNEYS = (
    Journey("JRN-BRD-01", "Newsletter France", "brand", "E021", "email", "fr", ("active",),
            "live", 90, 0.025, regions=("EMEA",)),
    Journey("JRN-BRD-02", "Event invitation DACH", "brand", "E022", "email", "de",
            ("active", "at_risk"), "scheduled", -12, 0.02, regions=("EMEA",)),
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
            "scheduled", -3, 0.02, "region", regions=("LATAM",)),
    Journey("JRN-GRW-04", "Riattivazione clienti", "growth", "E042", "push", "it", ("lapsed",),
            "paused", 70, 0.002),
    Journey("JRN-GRW-05", "Loyalty tiers", "growth", "E041", "email", None, ("active",),
            "draft", -40, 0.0),
)

# The snapshot a planted audience was last rebuilt from, in weeks before the latest: the later
# exports repeat that list while the customers it names change.
BUILT_WEEKS_BEFORE = {"language_batch": 1, "opt_out": OPT_OUT_SPIKE_WEEKS + 1}
# The planted European members of JRN-GRW-03 arrive with last week's feed.
REGION_FEED_WEEKS = 1
EUROPE = REGIONS.index("EMEA")


def journey_rows(tl: Timeline) -> list[dict]:
    return [{"journey_id": j.journey_id, "name": j.name, "team": j.team, "owner": j.owner,
             "channel": j.channel, "language": j.language, "lifecycle_stages": j.stages,
             "status": j.status, "go_live_at": tl.at(j.go_live_days_before, 9),
             "regions": j.regions}
            for j in JOURNEYS]


def audience(views: dict[int, SnapshotView], tl: Timeline, rng: np.random.Generator) -> pa.Table:
    """Weekly audience exports, one per snapshot for scheduled and live journeys (the latest only
    for the others), sorted by week, journey and customer; `views` holds every snapshot."""
    latest = SNAPSHOTS - 1
    weeks, journey_ids, customer_ids = [], [], []
    for j in JOURNEYS:
        if not j.audience_share:
            continue
        built: dict[int, pa.Array] = {}
        # Exported from the old email platform, whose IDs never made it into the CRM.
        legacy = pa.array([f"ESP-{n + 10_000}" for n in np.sort(rng.choice(90_000, UNKNOWN_IDS, replace=False))])
        for week in (range(SNAPSHOTS) if j.running else (latest,)):
            frozen = latest - BUILT_WEEKS_BEFORE.get(j.plant or "", -1)
            source = min(week, frozen)
            if source not in built:
                built[source] = _build(j, views[source], views[latest].size, rng)
            ids = built[source]
            if j.plant == "unknown_ids" and tl.snapshot_dates[week] >= tl.date_before(j.go_live_days_before):
                ids = pa.concat_arrays([ids, legacy])
            if j.plant == "unknown_ids" and week == latest:
                ids = pa.concat_arrays([ids, _new_fakes(j, views[latest], views[latest - 1].size)])
            if j.plant == "region" and week >= latest - REGION_FEED_WEEKS:
                ids = pa.concat_arrays([ids, _europeans(j, views[week], len(ids), rng)])
            customer_ids.append(ids)
            journey_ids.append(pa.array([j.journey_id] * len(ids), pa.string()))
            weeks.append(pa.array([tl.snapshot_dates[week]] * len(ids), pa.date32()))
    table = pa.table({"journey_id": pa.concat_arrays(journey_ids), "customer_id": pa.concat_arrays(customer_ids),
                      "snapshot_date": pa.concat_arrays(weeks)})
    return table.sort_by([("snapshot_date", "ascending"), ("journey_id", "ascending"),
                          ("customer_id", "ascending")])


def _build(j: Journey, view: SnapshotView, customers: int, rng: np.random.Generator) -> pa.Array:
    """A fresh audience for `j` from one snapshot: eligible customers, sampled to its share."""
    eligible = _eligible(view, j, j.stages)
    keep = rng.random(view.size) < j.audience_share * customers / max(int(eligible.sum()), 1)
    picked = eligible & keep
    if j.plant == "lifecycle":
        others = tuple(s for s in STAGES if s not in j.stages)
        extra = np.flatnonzero(_eligible(view, j, others))
        count = min(len(extra), round(0.09 / 0.91 * int(picked.sum())))
        picked[rng.choice(extra, count, replace=False)] = True
    return view.ids.take(pa.array(np.flatnonzero(picked)))


def _europeans(j: Journey, view: SnapshotView, size: int, rng: np.random.Generator) -> pa.Array:
    """Portuguese speakers served from Europe, eligible for JRN-GRW-03 but for its region."""
    anywhere = Journey(**{**vars(j), "regions": ()})
    pool = np.flatnonzero(_eligible(view, anywhere, j.stages) & (view.columns["region"] == EUROPE))
    count = min(len(pool), max(3, round(0.1 * size)))
    return view.ids.take(pa.array(np.sort(rng.choice(pool, count, replace=False))))


def _new_fakes(j: Journey, view: SnapshotView, before: int) -> pa.Array:
    """Suspected fakes who joined since the previous snapshot (the first `before` customers) and
    pass every other pre-flight rule for `j`: the screening flag is all that should stop them."""
    fakes = _eligible(view, j, j.stages, screened=False) & (view.columns["suspected_fake"] == 1)
    fakes[:before] = False
    return view.ids.take(pa.array(np.flatnonzero(fakes)))


def _eligible(view: SnapshotView, j: Journey, stages: tuple[str, ...], screened: bool = True) -> np.ndarray:
    """Customers that pass every pre-flight rule for `j` in `view`, and are not stale."""
    c = view.columns
    lang = c["language"]
    ok = ((c["customer_status"] == ACTIVE_STATUS) & (c[f"consent_{j.channel}"] == 1)
          & (lang >= 0) & (lang < len(LANGUAGES)) & ~view.stale & ~view.duplicated)
    if screened:
        ok &= c["suspected_fake"] != 1
    if j.language:
        ok &= lang == LANGUAGES.index(j.language)
    if stages:
        ok &= np.isin(c["lifecycle_stage"], [STAGES.index(s) for s in stages])
    if j.regions:
        ok &= np.isin(c["region"], [REGIONS.index(r) for r in j.regions])
    return ok
