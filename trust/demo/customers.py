"""The customer base: one persistent population, drifting slowly, as twelve weekly snapshots."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from trust.demo import screening
from trust.demo.timeline import DAY, HOUR, SNAPSHOTS, Timeline

LANGUAGES = ("en", "es", "fr", "de", "pt", "it")
# Codes after the valid ones: what a careless import writes instead of `en`.
LANGUAGE_LABELS = (*LANGUAGES, "EN", "english", "English")
REGIONS = ("NA", "EMEA", "UKI", "APAC", "LATAM")
STAGES = ("prospect", "onboarding", "active", "at_risk", "lapsed")
STATUSES = ("active", "suspended", "closed")
SOURCES = ("crm", "web", "app", "branch")
EN, ES = 0, 1
EMEA, UKI = 1, 2
ACTIVE_STATUS, SUSPENDED, CLOSED = 0, 1, 2
WEB, APP, BRANCH = 1, 2, 3

# Planted signal faults, in weeks before the latest snapshot (see the package docstring).
REGION_REALIGNMENT_WEEKS = 6
OPT_OUT_SPIKE_WEEKS = 2

WEEKLY_GROWTH = 0.004
_LANGUAGE_P = (0.698, 0.14, 0.06, 0.05, 0.03, 0.018)  # the rest (0.4%) is NULL
_REGION_BY_LANGUAGE = (
    (0.50, 0.13, 0.18, 0.19, 0.00),  # en
    (0.35, 0.20, 0.00, 0.00, 0.45),  # es
    (0.30, 0.70, 0.00, 0.00, 0.00),  # fr
    (0.03, 0.97, 0.00, 0.00, 0.00),  # de
    (0.05, 0.25, 0.00, 0.00, 0.70),  # pt
    (0.03, 0.97, 0.00, 0.00, 0.00),  # it
)
# Spanish speakers mostly sign up on the web, which is what makes the language batch of the
# latest snapshot about 7.7% of all customers.
_SOURCE_ES = (0.25, 0.55, 0.17, 0.03)
_SOURCE_OTHER = (0.47, 0.22, 0.28, 0.03)
_CONSENT_P = {"consent_email": (0.10, 0.88), "consent_sms": (0.11, 0.87),
              "consent_push": (0.09, 0.89)}  # (false, true), the rest is NULL
_STAGE_P = (0.10, 0.08, 0.60, 0.13, 0.085)  # 0.5% NULL
_STATUS_P = (0.965, 0.01, 0.025)
_REFRESH_DAYS = np.array([28, 56, 91, 119, 147])
# Weekly lifecycle moves (from, to, and the slice of one uniform draw that moves), balanced
# against the newcomers so that stage shares barely move from week to week.
_TRANSITIONS = ((0, 1, 0.0, 0.03), (1, 2, 0.0, 0.05), (2, 3, 0.0, 0.01), (3, 2, 0.0, 0.03),
                (3, 4, 0.03, 0.05), (4, 2, 0.0, 0.03))
CONSENTS = tuple(_CONSENT_P)


def draw(rng: np.random.Generator, n: int, p: tuple[float, ...]) -> np.ndarray:
    """Category codes with probabilities `p`; the probability left over is NULL (-1)."""
    codes = np.searchsorted(np.cumsum(p), rng.random(n), side="right").astype(np.int8)
    codes[codes >= len(p)] = -1
    return codes


@dataclass(frozen=True)
class SnapshotView:
    """One snapshot's customers as category codes, for building journey audiences."""

    index: int
    ids: pa.Array
    columns: dict[str, np.ndarray]
    stale: np.ndarray
    duplicated: np.ndarray

    @property
    def size(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class Snapshot:
    index: int
    table: pa.Table
    view: SnapshotView | None


class CustomerBase:
    """`customers` distinct customers at the latest snapshot; earlier weeks have fewer."""

    def __init__(self, customers: int, rng: np.random.Generator, tl: Timeline,
                 screen: np.random.Generator) -> None:
        self.tl, self.rng, self.screen, n = tl, rng, screen, customers
        new = round(n * WEEKLY_GROWTH * (SNAPSHOTS - 1))
        first = n - new
        # IDs are handed out in joining order, so a snapshot is always a prefix of the pool.
        self.joined = np.zeros(n, dtype=np.int8)
        self.joined[first:] = 1 + (np.arange(new) * (SNAPSHOTS - 1)) // max(new, 1)
        width = max(7, len(str(n)))
        numbers = pc.cast(pa.array(np.arange(1, n + 1)), pa.string())
        self.ids = pc.binary_join_element_wise("C", pc.utf8_lpad(numbers, width, "0"), "")

        lang = draw(rng, n, _LANGUAGE_P)
        region = np.full(n, -1, dtype=np.int8)
        source = np.empty(n, dtype=np.int8)
        for code, p in enumerate(_REGION_BY_LANGUAGE):
            m = (lang == code) | ((lang == -1) & (code == EN))
            region[m] = draw(rng, int(m.sum()), p)
            source[m] = draw(rng, int(m.sum()), _SOURCE_ES if code == ES else _SOURCE_OTHER)
        region[rng.random(n) < 0.003] = -1
        self.c = {"language": lang, "region": region, "source_system": source,
                  "lifecycle_stage": draw(rng, n, _STAGE_P),
                  "customer_status": draw(rng, n, _STATUS_P)}
        for field, p in _CONSENT_P.items():
            self.c[field] = draw(rng, n, p)

        # The branch system stopped syncing years ago: its records are the stale group, and
        # new customers are never mastered there.
        newcomers = np.arange(n) >= first
        source[newcomers & (source == BRANCH)] = 0
        self.c["lifecycle_stage"][newcomers] = rng.integers(0, 2, new)
        self.c["customer_status"][newcomers] = ACTIVE_STATUS
        self.stale = source == BRANCH
        self.c["suspected_fake"] = screening.flags(self.joined, self.stale, screen)
        years = rng.uniform(3, 6, n)
        self.stale_ts = tl.day(0) - (years * 365 * DAY).astype(np.int64)
        # Profiles are re-confirmed on a per-customer cycle, so `updated_at` stays within
        # months at every snapshot without anyone touching the attributes.
        self.period = rng.choice(_REFRESH_DAYS, n) * DAY
        self.phase = rng.integers(0, self.period)
        self.changed_at = np.zeros(n, dtype=np.int64)
        dates = tl.snapshot_dates
        week_start = np.array([tl.day((tl.latest - d).days + 6) for d in dates])
        self.changed_at[first:] = week_start[self.joined[first:]] + rng.integers(0, 7 * DAY, new)
        self.present = np.searchsorted(self.joined, np.arange(SNAPSHOTS), side="right")
        self.week_start = week_start

    def snapshots(self, keep: frozenset[int]) -> Iterator[Snapshot]:
        """Each weekly snapshot in turn, oldest first; views are kept for the indices in `keep`."""
        for s in range(SNAPSHOTS):
            if s:
                self._drift(s)
            if s == self.tl.snapshot_index(REGION_REALIGNMENT_WEEKS):
                self._realign_regions(s)
            if s == self.tl.snapshot_index(OPT_OUT_SPIKE_WEEKS):
                self._opt_out_spike(s)
            duplicated = np.zeros(self.present[s], dtype=bool)
            if s == SNAPSHOTS - 1:
                duplicated = self._latest_faults(s)
                self._screen_latest(s, duplicated)
            yield Snapshot(s, self._table(s, duplicated),
                           self._view(s, duplicated) if s in keep else None)

    def _drift(self, s: int) -> None:
        """A week of ordinary life: a few stage moves, consent changes and closures."""
        n, rng, c = self.present[s - 1], self.rng, self.c
        movable = ~self.stale[:n]
        changed = np.zeros(n, dtype=bool)
        u = rng.random(n)
        stage = c["lifecycle_stage"][:n]
        before = stage.copy()
        for src, dst, lo, hi in _TRANSITIONS:
            m = movable & (before == src) & (u >= lo) & (u < hi)
            stage[m] = dst
            changed |= m
        for field in CONSENTS:
            v, u2 = c[field][:n], rng.random(n)
            out, back = movable & (v == 1) & (u2 < 0.0008), movable & (v == 0) & (u2 < 0.007)
            v[out], v[back] = 0, 1
            changed |= out | back
        status, u3 = c["customer_status"][:n], rng.random(n)
        close = movable & (status == ACTIVE_STATUS) & (u3 < 0.0004)
        suspend = movable & (status == ACTIVE_STATUS) & (u3 >= 0.0004) & (u3 < 0.0006)
        resume = movable & (status == SUSPENDED) & (u3 < 0.05)
        status[close], status[suspend], status[resume] = CLOSED, SUSPENDED, ACTIVE_STATUS
        changed |= close | suspend | resume
        when = self.week_start[s] + rng.integers(0, 7 * DAY, n)
        self.changed_at[:n][changed] = when[changed]

    def _realign_regions(self, s: int) -> None:
        """Planted, reviewed: UK & Ireland accounts mastered under EMEA move to UKI (6.5 pp)."""
        n = self.present[s]
        c = self.c
        english_emea = ~self.stale[:n] & (c["region"][:n] == EMEA) & (c["language"][:n] == EN)
        moved = self._pick(english_emea, round(0.065 * n))
        c["region"][moved] = UKI
        self.changed_at[moved] = self.tl.day((self.tl.latest - self.tl.snapshot_dates[s]).days
                                             + 2) + 2 * HOUR

    def _opt_out_spike(self, s: int) -> None:
        """Planted, unreviewed: an ESP sync turns 8.5% of customers' email consent to false."""
        n = self.present[s]
        opted_in = ~self.stale[:n] & (self.c["consent_email"][:n] == 1)
        out = self._pick(opted_in, round(0.085 * n))
        self.c["consent_email"][out] = 0
        self.changed_at[out] = self.tl.day(OPT_OUT_SPIKE_WEEKS * 7 + 3) + 4 * HOUR

    def _pick(self, mask: np.ndarray, count: int, priority: np.ndarray | None = None
              ) -> np.ndarray:
        """Exactly `count` of the customers in `mask` (all if fewer), lowest priority first, so
        each planted fault has the same size whatever the seed."""
        pool = np.flatnonzero(mask)
        keys = self.rng.random(len(pool))
        order = np.lexsort((keys, priority[pool])) if priority is not None else np.argsort(keys)
        return np.sort(pool[order[:count]])

    def _latest_faults(self, s: int) -> np.ndarray:
        """Planted in the latest snapshot: the language batch, invalid codes and duplicate IDs."""
        n, c = self.present[s], self.c
        lang, source = c["language"][:n], c["source_system"][:n]
        # A web sign-up release defaulted Spanish speakers to `en`: web sign-ups first, then
        # app ones, 7.5% of all customers in total.
        spanish = ~self.stale[:n] & (lang == ES)
        priority = np.select([source == WEB, source == APP], [0, 1], 2)
        batch = self._pick(spanish, round(0.075 * n), priority)
        lang[batch] = EN
        self.changed_at[batch] = self.tl.day(3) + HOUR + 30 * 60
        spare = ~self.stale[:n] & (lang >= 0)
        spare[batch] = False
        invalid = self._pick(spare, min(40, max(5, n // 200)))
        lang[invalid] = len(LANGUAGES) + np.arange(len(invalid)) % 3
        spare[invalid] = False
        duplicated = np.zeros(n, dtype=bool)
        duplicated[self._pick(spare, max(2, round(0.002 * n)))] = True
        return duplicated

    def _screen_latest(self, s: int, duplicated: np.ndarray) -> None:
        """Planted: 8% of the latest week's sign-ups are flagged as fakes; one of them, a bot after
        referral bonuses, is English, opted in to email and already active (JRN-GRW-02 takes it)."""
        n, c = self.present[s], self.c
        lang = c["language"][:n]
        usable = ~duplicated & (lang >= 0) & (lang < len(LANGUAGES))
        preferred = (lang == EN) & (c["consent_email"][:n] == 1)
        new = np.arange(self.present[s - 1], n)
        decoy = screening.plant_latest(c["suspected_fake"], new, usable, preferred, self.screen)
        if decoy is not None:
            lang[decoy], c["consent_email"][decoy] = EN, 1
            c["lifecycle_stage"][decoy] = STAGES.index("active")

    def updated_at(self, s: int) -> np.ndarray:
        n = self.present[s]
        end = self.tl.day((self.tl.latest - self.tl.snapshot_dates[s]).days) + DAY - 1
        refreshed = end - (end - self.phase[:n]) % self.period[:n]
        fresh = np.maximum(refreshed, self.changed_at[:n])
        return np.where(self.stale[:n], self.stale_ts[:n], fresh)

    def _table(self, s: int, duplicated: np.ndarray) -> pa.Table:
        n = self.present[s]
        # A duplicated customer appears twice, the second time mastered in another system.
        rows = np.concatenate([np.arange(n), np.flatnonzero(duplicated)])
        order = np.argsort(rows, kind="stable")
        rows, copy = rows[order], order >= n
        c = {k: v[:n][rows] for k, v in self.c.items()}
        c["source_system"] = np.where(copy, np.where(c["source_system"] == APP, WEB, APP),
                                      c["source_system"]).astype(np.int8)
        ts = self.updated_at(s)[rows]
        return pa.table({
            "customer_id": self.ids.take(pa.array(rows)),
            "language": _labels(LANGUAGE_LABELS, c["language"]),
            "region": _labels(REGIONS, c["region"]),
            "consent_email": _flags(c["consent_email"]),
            "consent_sms": _flags(c["consent_sms"]),
            "consent_push": _flags(c["consent_push"]),
            "lifecycle_stage": _labels(STAGES, c["lifecycle_stage"]),
            "customer_status": _labels(STATUSES, c["customer_status"]),
            "updated_at": pa.array(ts * 1_000_000, type=pa.timestamp("us")),
            "source_system": _labels(SOURCES, c["source_system"]),
            "suspected_fake": _flags(c["suspected_fake"]),
        })

    def _view(self, s: int, duplicated: np.ndarray) -> SnapshotView:
        n = self.present[s]
        return SnapshotView(s, self.ids[:n], {k: v[:n].copy() for k, v in self.c.items()},
                            self.stale[:n].copy(), duplicated)


def _labels(labels: tuple[str, ...], codes: np.ndarray) -> pa.Array:
    return pc.take(pa.array(labels, pa.string()), pa.array(codes, mask=codes < 0))


def _flags(codes: np.ndarray) -> pa.Array:
    return pa.array(codes == 1, mask=codes < 0)
