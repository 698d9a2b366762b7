"""Each item's path from recommendation to publication, and the audit trail that records it."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from trust.demo.content import CRISIS, ROLES, Content, gaps, item_ids
from trust.demo.customers import draw
from trust.demo.people import TEAMS, Person
from trust.demo.timeline import MINUTE, Timeline

EVENT_TYPES = ("recommended", "escalated", "edited", "rejected", "approved", "published",
               "withdrawn")
SYSTEM_ACTORS = ("content-ai", "trust-router")
EDIT_NOTES = ("Tightened the subject line", "Adjusted tone to the brand voice",
              "Corrected the product name", "Shortened for mobile",
              "Removed a claim we cannot back")
REJECT_NOTES = ("Claim needs evidence", "Off brand voice", "Wrong audience for this offer")
ESCALATION_NOTE = "Model confidence below 0.60: routed to a person for review"
LATE_EDIT_NOTE = "Fixed a typo after sign-off"
WITHDRAWN_NOTE = "Campaign cancelled"
NOTES = EDIT_NOTES + REJECT_NOTES + (ESCALATION_NOTE, LATE_EDIT_NOTE, WITHDRAWN_NOTE)

EVENT_SCHEMA = pa.schema([("item_id", pa.string()), ("event_type", pa.string()),
                          ("actor", pa.string()), ("actor_role", pa.string()),
                          ("occurred_at", pa.timestamp("us")), ("note", pa.string())])


def plan(c: Content, people: tuple[Person, ...], rng: np.random.Generator, tl: Timeline,
         plant: bool = True) -> None:
    """Time every step of every item; healthy items are compliant by construction, and with
    `plant` a few get the planted faults."""
    n = c.size
    crisis, ai = c.context == CRISIS, c.ai == 1
    c.recommended = ai.copy()
    n_edits = np.where(ai, draw(rng, n, (0.15, 0.40, 0.30, 0.15)),
                       1 + draw(rng, n, (0.5, 0.35, 0.15)))
    c.edits = np.full((n, 4), -1, dtype=np.int64)
    t = c.created.copy()
    for k in range(3):
        step = gaps(rng, n, crisis, (5, 25), (20, 360))
        if k == 0:
            step = np.where(ai, step, 0)  # a person's first edit is the draft itself
        has = n_edits > k
        t = np.where(has, t + step, t)
        c.edits[has, k] = t[has]
    low = ai & (c.confidence < 0.6)
    c.escalated = np.where(low, c.created + rng.integers(2 * MINUTE, 15 * MINUTE, n), -1)

    needs = c.roles[:, 0] >= 0
    rejected = needs & (rng.random(n) < 0.04)
    c.rejected = np.where(rejected, t + gaps(rng, n, crisis, (5, 20), (30, 600)), -1)
    t = np.where(rejected, c.rejected + gaps(rng, n, crisis, (5, 15), (20, 240)), t)
    c.edits[rejected, 3] = t[rejected]
    # Approvals that count come after the last edit, and after any escalation.
    start = np.maximum(t, c.escalated)
    first = start + gaps(rng, n, crisis, (10, 40), (30, 1200))
    second = first + gaps(rng, n, crisis, (5, 30), (10, 600))
    c.approvals = np.stack([np.where(needs, first, -1),
                            np.where(c.roles[:, 1] >= 0, second, -1)], axis=1)
    c.approvers = _approvers(c, people, rng)
    done = np.maximum(start, c.approvals.max(axis=1))
    at = done + gaps(rng, n, crisis, (5, 20), (10, 1440))
    u = rng.random(n)
    c.published = np.where(u < 0.87, at, -1)
    c.withdrawn = np.where((u >= 0.87) & (u < 0.91), at, -1)
    c.late_edit = np.full(n, -1, dtype=np.int64)
    if plant:
        _plant(c, rng, tl)


def _approvers(c: Content, people: tuple[Person, ...], rng: np.random.Generator) -> np.ndarray:
    """Approvers by role; marketing leads approve their own team's items."""
    out = np.full(c.roles.shape, -1, dtype=np.int16)
    for k in range(2):
        for r, role in enumerate(ROLES):
            for t, team in enumerate(TEAMS):
                m = (c.roles[:, k] == r) & (c.team == t)
                if not m.any():
                    continue
                pool = [i for i, p in enumerate(people) if p.role == role and p.active
                        and (p.team == team or role != "marketing_lead")]
                out[m, k] = np.array(pool)[rng.integers(0, len(pool), int(m.sum()))]
    return out


def _plant(c: Content, rng: np.random.Generator, tl: Timeline) -> None:
    """Small planted faults among regular items (see the package docstring)."""
    published = (c.published >= 0) & (c.published <= tl.end)
    ai = c.ai == 1
    # ~1.2% of published AI items lost their `recommended` event in a logging outage.
    pool = np.flatnonzero(published & ai & (c.context != CRISIS))
    c.recommended[rng.choice(pool, round(0.012 * int((published & ai).sum())), False)] = False
    # ~3% of low-confidence published AI items were never escalated.
    pool = np.flatnonzero(published & (c.escalated >= 0))
    c.escalated[rng.choice(pool, max(1, round(0.03 * len(pool))), False)] = -1
    # crm email items edited after their marketing lead had approved them.
    pool = np.flatnonzero(published & (c.team == TEAMS.index("crm")) & (c.channel == 0)
                          & (c.context == 0))
    late = rng.choice(pool, max(3, round(0.003 * len(pool))), False)
    c.late_edit[late] = c.approvals[late, 0] + (c.published[late] - c.approvals[late, 0]) // 2


def event_table(c: Content, people: tuple[Person, ...], rng: np.random.Generator,
                tl: Timeline) -> pa.Table:
    """The audit trail of the regular items, in item and time order (event ids come later)."""
    n = c.size
    own_role = np.array([ROLES.index(p.role) for p in people], dtype=np.int8)[c.owner]
    system = len(people)
    parts: list[tuple] = []

    def add(ts: np.ndarray, kind: str, actor, role, note=-1) -> None:
        keep = np.flatnonzero((ts >= 0) & (ts <= tl.end))

        def pick(a) -> np.ndarray:
            return np.broadcast_to(np.asarray(a), (n,))[keep]

        parts.append((keep, np.full(len(keep), EVENT_TYPES.index(kind), np.int8), pick(actor),
                      pick(role), ts[keep], pick(note)))

    edit_notes = np.where(rng.random(n) < 0.5, rng.integers(0, len(EDIT_NOTES), n), -1)
    add(np.where(c.recommended, c.created, -1), "recommended", system, 0)
    add(c.escalated, "escalated", system + 1, 0, NOTES.index(ESCALATION_NOTE))
    for k in range(4):
        add(c.edits[:, k], "edited", c.owner, own_role, edit_notes if k == 0 else -1)
    add(c.rejected, "rejected", c.approvers[:, 0], c.roles[:, 0],
        len(EDIT_NOTES) + rng.integers(0, len(REJECT_NOTES), n))
    for k in range(2):
        add(c.approvals[:, k], "approved", c.approvers[:, k], c.roles[:, k])
    add(c.late_edit, "edited", c.owner, own_role, NOTES.index(LATE_EDIT_NOTE))
    add(c.published, "published", c.owner, own_role)
    add(c.withdrawn, "withdrawn", c.owner, own_role, NOTES.index(WITHDRAWN_NOTE))

    item, kind, actor, role, ts, note = (np.concatenate(x) for x in zip(*parts, strict=True))
    order = np.lexsort((kind, ts, item))
    item, kind, actor, role, ts, note = (a[order] for a in (item, kind, actor, role, ts, note))
    actors = tuple(p.employee_id for p in people) + SYSTEM_ACTORS
    return pa.Table.from_arrays([
        item_ids(n).take(pa.array(item)),
        _take(EVENT_TYPES, kind), _take(actors, actor), _take(ROLES, role),
        pa.array(ts * 1_000_000, type=pa.timestamp("us")), _take(NOTES, note),
    ], schema=EVENT_SCHEMA)


def _take(labels: tuple[str, ...], codes: np.ndarray) -> pa.Array:
    return pc.take(pa.array(labels, pa.string()), pa.array(codes, mask=codes < 0))
