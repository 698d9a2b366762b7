"""Content items and the decision rights that govern them, with each item's approval roles."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from trust.demo.customers import draw
from trust.demo.people import TEAMS, Person
from trust.demo.timeline import DAY, HOUR, MINUTE, Timeline

CHANNELS = ("email", "sms", "push", "social", "web")
CONTEXTS = ("standard", "sensitive", "crisis")
STANDARD, SENSITIVE, CRISIS = 0, 1, 2
WEB = CHANNELS.index("web")
ROLES = ("system", "marketer", "marketing_lead", "legal", "compliance", "brand", "exec",
         "analyst")

# Deliberately no `*`/crisis row: a `web` crisis item is unmapped (governance.decision_rights).
# Planted: push/sensitive lets account alerts go out with no person involved
# (governance.decision_rights fails). web/standard names no role: any person may approve.
DECISION_RIGHTS = (
    {"channel": "*", "context": "standard", "approval_required": False, "approver_roles": (),
     "label_required": True},
    {"channel": "email", "context": "standard", "approval_required": True,
     "approver_roles": ("marketing_lead",), "label_required": False},
    {"channel": "social", "context": "standard", "approval_required": True,
     "approver_roles": ("brand",), "label_required": True},
    {"channel": "web", "context": "standard", "approval_required": True,
     "approver_roles": (), "label_required": True},
    {"channel": "*", "context": "sensitive", "approval_required": True,
     "approver_roles": ("marketing_lead", "compliance"), "label_required": True},
    {"channel": "push", "context": "sensitive", "approval_required": False,
     "approver_roles": (), "label_required": True},
    *({"channel": ch, "context": "crisis", "approval_required": True,
       "approver_roles": ("legal", "compliance"), "label_required": True}
      for ch in ("email", "sms", "push", "social")),
)

_TEAM_P = (0.4, 0.3, 0.3)
_CHANNEL_P = {"crm": (0.50, 0.20, 0.20, 0.03, 0.07), "brand": (0.20, 0.02, 0.08, 0.45, 0.25),
              "growth": (0.30, 0.10, 0.25, 0.20, 0.15)}
_CONTEXT_P = (0.905, 0.08, 0.015)
_BODIES = {
    "email": ("Your monthly account summary is ready", "Three ways to get more from your plan",
              "We have updated our privacy notice", "Your renewal is coming up"),
    "sms": ("Your payment is due in 3 days", "Your verification code expires soon",
            "Reply STOP to opt out of offers"),
    "push": ("New in the app: instant card freeze", "Your weekly spending insight is ready"),
    "social": ("Meet the team behind our new service", "How we keep your data safe",
               "Service update: we are on it"),
    "web": ("Help centre: updating your details", "Rates and fees explained"),
}
_PROMISES = ("We guarantee a reply within 24 hours", "Your refund will arrive within 5 days",
             "Price locked for 12 months, guaranteed")
BODY_LABELS = tuple(b for ch in CHANNELS for b in _BODIES[ch]) + _PROMISES


def rule_for(channel: str, context: str) -> dict | None:
    """The item's rule: its exact channel and context, else the `*` row, else unmapped."""
    for key in (channel, "*"):
        for rule in DECISION_RIGHTS:
            if rule["channel"] == key and rule["context"] == context:
                return rule
    return None


@dataclass
class Content:
    """Regular items as arrays, one entry per item; times are epoch seconds, -1 = never."""

    team: np.ndarray
    channel: np.ndarray
    context: np.ndarray
    ai: np.ndarray
    confidence: np.ndarray
    commitment: np.ndarray
    owner: np.ndarray
    label: np.ndarray
    body: np.ndarray
    created: np.ndarray
    roles: np.ndarray  # (n, 2) ROLES codes of the approvers the rule requires, -1 = none
    label_required: np.ndarray
    # Workflow, filled by plan_workflow.
    edits: np.ndarray | None = None  # (n, 4) edit times
    escalated: np.ndarray | None = None
    rejected: np.ndarray | None = None
    approvals: np.ndarray | None = None  # (n, 2) approval times
    approvers: np.ndarray | None = None  # (n, 2) roster indices
    published: np.ndarray | None = None
    withdrawn: np.ndarray | None = None
    late_edit: np.ndarray | None = None
    recommended: np.ndarray | None = None
    # Filled after the workflow: the claim an item makes (codes into credibility.BANK, then its
    # PLANTED; -1 = none) and its text (codes into the texts `content_table` is given).
    claim: np.ndarray | None = None
    text: np.ndarray | None = None

    @property
    def size(self) -> int:
        return len(self.team)


def merge(a: Content, b: Content) -> Content:
    """Two batches of items as one, `b` after `a`: what is filled in `a` must be filled in `b`."""
    return Content(**{f.name: np.concatenate([getattr(a, f.name), getattr(b, f.name)])
                      for f in fields(Content) if getattr(a, f.name) is not None})


def generate(n: int, people: tuple[Person, ...], rng: np.random.Generator, tl: Timeline,
             team_p: tuple[float, ...] = _TEAM_P, days: tuple[int, int] = (0, 15 * 7),
             ai_share: float = 0.7) -> Content:
    """`n` items of the teams drawn with `team_p`, created `days` (from, to) days before `latest`."""
    team = draw(rng, n, team_p)
    channel = np.empty(n, dtype=np.int8)
    owner = np.empty(n, dtype=np.int16)
    for t, name in enumerate(TEAMS):
        m = team == t
        channel[m] = draw(rng, int(m.sum()), _CHANNEL_P[name])
        pool = [i for i, p in enumerate(people)
                if p.team == name and p.role == "marketer" and p.active]
        owner[m] = np.array(pool)[rng.integers(0, len(pool), int(m.sum()))]
    context = draw(rng, n, _CONTEXT_P)
    # Web pages are never crisis messages here: the only web crisis item is the planted one.
    context[(channel == WEB) & (context == CRISIS)] = STANDARD
    ai = (rng.random(n) < ai_share).astype(np.int8)
    confidence = np.where(ai == 1, np.round(rng.beta(10, 2.5, n), 3), np.nan)
    commitment = rng.random(n) < 0.10

    roles = np.full((n, 2), -1, dtype=np.int8)
    label_required = np.zeros(n, dtype=bool)
    for ch, chname in enumerate(CHANNELS):
        for cx, cxname in enumerate(CONTEXTS):
            rule = rule_for(chname, cxname)
            m = (channel == ch) & (context == cx)
            if rule is None or not m.any():
                continue
            label_required[m] = rule["label_required"]
            # A rule that names no role takes one person's approval: the team's marketing lead gives it.
            named = rule["approver_roles"] or ("marketing_lead",)
            for k, role in enumerate(named if rule["approval_required"] else ()):
                roles[m, k] = ROLES.index(role)
    label = (ai == 1) & (label_required | (rng.random(n) < 0.3))

    body = np.empty(n, dtype=np.int16)
    offset = 0
    for ch, chname in enumerate(CHANNELS):
        m = channel == ch
        body[m] = offset + rng.integers(0, len(_BODIES[chname]), int(m.sum()))
        offset += len(_BODIES[chname])
    body[commitment] = offset + rng.integers(0, len(_PROMISES), int(commitment.sum()))

    # By default created over the 12 snapshot weeks and 3 weeks before, in office hours.
    day = tl.day(0) - rng.integers(*days, n) * DAY
    created = day + 8 * HOUR + rng.integers(0, 10 * HOUR, n)
    return Content(team, channel, context, ai, confidence, commitment, owner, label, body,
                   created, roles, label_required)


def item_ids(n: int) -> pa.Array:
    numbers = pc.cast(pa.array(np.arange(1, n + 1)), pa.string())
    return pc.binary_join_element_wise("CI-", pc.utf8_lpad(numbers, max(7, len(str(n))), "0"), "")


def content_table(c: Content, people: tuple[Person, ...], tl: Timeline,
                  texts: tuple[str, ...]) -> pa.Table:
    """The items as the contract's table; `c.text` holds codes into `texts`."""
    published = np.where(c.published <= tl.end, c.published, -1)
    return pa.table({
        "item_id": item_ids(c.size),
        "team": _take(TEAMS, c.team),
        "channel": _take(CHANNELS, c.channel),
        "context": _take(CONTEXTS, c.context),
        "ai_generated": pa.array(c.ai == 1, mask=c.ai < 0),
        "model_confidence": pa.array(c.confidence, pa.float64(), from_pandas=True),
        "makes_commitment": pa.array(c.commitment),
        "owner": _take(tuple(p.employee_id for p in people), c.owner),
        "ai_label_applied": pa.array(c.label),
        "created_at": _timestamps(c.created),
        "published_at": _timestamps(published),
        "body": _take(texts, c.text),
        "makes_claim": pa.array(c.claim >= 0),
    })


def _take(labels: tuple[str, ...], codes: np.ndarray) -> pa.Array:
    return pc.take(pa.array(labels, pa.string()), pa.array(codes, mask=codes < 0))


def _timestamps(ts: np.ndarray) -> pa.Array:
    return pa.array(ts * 1_000_000, type=pa.timestamp("us"), mask=ts < 0)


def gaps(rng: np.random.Generator, n: int, crisis: np.ndarray, quick: tuple[int, int],
         slow: tuple[int, int]) -> np.ndarray:
    """Seconds between two workflow steps: minutes for a crisis, longer otherwise."""
    fast = rng.integers(quick[0] * MINUTE, quick[1] * MINUTE, n)
    return np.where(crisis, fast, rng.integers(slow[0] * MINUTE, slow[1] * MINUTE, n))
