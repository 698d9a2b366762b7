"""Fake-user screening of the customer base: the `suspected_fake` flag, and the latest week's surge of fakes."""

from __future__ import annotations

import numpy as np

from trust.demo.timeline import SNAPSHOTS

# Customers who were there from the start: a few flagged over the years, and some never
# screened because they signed up before the screening tool (branch customers never were).
BASE_FLAGGED, BASE_UNSCREENED = 0.002, 0.04
# A normal week's newcomers: 0.5-1% flagged, 2-5% not screened.
WEEKLY_FLAGGED, WEEKLY_UNSCREENED = (0.005, 0.01), (0.02, 0.05)
# Planted (credibility.fake_accounts): a bot wave among the latest week's sign-ups.
LATEST_FLAGGED, LATEST_UNSCREENED = 0.08, 0.03


def flags(joined: np.ndarray, never_screened: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Every customer's flag as a code (1 suspected, 0 screened and clear, -1 not screened), set
    once: a customer keeps it in every snapshot. The latest week's newcomers wait for `plant_latest`."""
    out = np.zeros(len(joined), dtype=np.int8)
    base = np.flatnonzero(joined == 0)
    u = rng.random(len(base))
    out[base[u < BASE_FLAGGED]] = 1
    out[base[(u >= BASE_FLAGGED) & (u < BASE_FLAGGED + BASE_UNSCREENED)]] = -1
    out[never_screened & (joined == 0)] = -1
    for week in range(1, SNAPSHOTS - 1):
        new = rng.permutation(np.flatnonzero(joined == week))
        fake = round(rng.uniform(*WEEKLY_FLAGGED) * len(new))
        unscreened = round(rng.uniform(*WEEKLY_UNSCREENED) * len(new))
        out[new[:fake]] = 1
        out[new[fake:fake + unscreened]] = -1
    return out


def plant_latest(flag: np.ndarray, new: np.ndarray, usable: np.ndarray, preferred: np.ndarray,
                 rng: np.random.Generator) -> int | None:
    """Flag 8% of the latest week's newcomers `new` (at least one) and leave 3% unscreened.

    Flagged first are the `usable` and `preferred` ones; the first of them is returned, the
    fake that a journey will pick up (None when the week has no newcomer)."""
    if not len(new):
        return None
    count = max(1, round(LATEST_FLAGGED * len(new)))
    order = np.lexsort((rng.random(len(new)), ~preferred[new], ~usable[new]))
    flag[new] = 0
    flag[new[order[:count]]] = 1
    rest = rng.permutation(new[order[count:]])
    flag[rest[:round(LATEST_UNSCREENED * len(new))]] = -1
    return int(new[order[0]])
