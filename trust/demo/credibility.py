"""The credibility registers: the claims register behind the items' claims, and the brand-incident log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from trust.demo.content import STANDARD, Content, item_ids
from trust.demo.people import TEAMS, Person
from trust.demo.timeline import DAY, HOUR, Timeline, to_datetime

EVIDENCE = "https://evidence.example.com/claims/"
# Share of standard items without a commitment that make a claim: about 7% of all items.
CLAIM_SHARE = 0.085


@dataclass(frozen=True)
class Claim:
    text: str
    kind: str  # claim_type
    evidence: str | None  # evidence_kind
    source: str | None  # the evidence's page under EVIDENCE


# Item texts that make claims, each with the claims the register holds for it (some make two).
BANK: tuple[tuple[str, tuple[Claim, ...]], ...] = (
    ("Rated 4.8 out of 5 by more than 20,000 app users. See why people switch to us.",
     (Claim("Rated 4.8 out of 5 by more than 20,000 app users", "statistic", "publication", "app-rating"),)),
    ("Our savings account pays more than the big high-street banks. Compare the rates for yourself.",
     (Claim("Pays more than the big high-street banks", "comparison", "publication", "savings-rates"),)),
    ("The fastest way to send money abroad. Most transfers arrive in under a minute.",
     (Claim("The fastest way to send money abroad", "superlative", "study", "transfer-speed-test"),
      Claim("Most transfers arrive in under a minute", "statistic", "internal_data", "transfer-times"))),
    ("People who use round-ups save £312 a year on average. Turn them on in the app.",
     (Claim("Round-up users save £312 a year on average", "statistic", "internal_data", "round-ups"),)),
    ("\u201cI paid off my card in eight months.\u201d Read how Sam did it with our budget tools.",
     (Claim("Sam paid off a card in eight months with our budget tools", "testimonial", "case_study",
            "sam-budget-story"),)),
    ("Voted Best Mobile Bank 2026 by the readers of Finance Weekly.",
     (Claim("Best Mobile Bank 2026, Finance Weekly readers' awards", "superlative", "publication",
            "finance-weekly-award"),)),
    ("Nine in ten of our customers would recommend us to a friend.",
     (Claim("Nine in ten customers would recommend us", "statistic", "study", "recommend-survey"),)),
    ("Small firms that send invoices with us get paid 11 days sooner on average.",
     (Claim("Small firms get paid 11 days sooner on average", "result", "case_study", "invoice-results"),)),
    ("Our fees are lower than those of the five biggest banks, and our app is rated higher.",
     (Claim("Fees lower than the five biggest banks", "comparison", "publication", "fee-comparison"),
      Claim("App rated higher than the five biggest banks", "comparison", "publication", "app-ratings-peers"))),
    ("We cut the time to settle a card dispute in half this year. Most now close within a week.",
     (Claim("Card dispute times cut in half this year", "result", "internal_data", "dispute-times"),
      Claim("Most card disputes close within a week", "statistic", "internal_data", "dispute-times"))),
    ("Trusted by more than two million customers across Europe.",
     (Claim("More than two million customers across Europe", "statistic", "internal_data", "customer-count"),)),
    ("Join the bank with the top service score in this year's national survey.",
     (Claim("Top service score in the national customer survey", "superlative", "study", "service-survey"),)),
)

# Planted (credibility.claims_substantiated), one published item each, in its team, published
# on a day `days` (from, to: to excluded) days before `latest`.
PLANTED = (
    ("CLM-P01", "growth", (7, 21),
     "Nine in ten people who switch to us save money in their first year. It takes five minutes.",
     Claim("Nine in ten switchers save money in their first year", "statistic", None, None)),
    ("CLM-P02", "crm", (21, 46),
     "Members of our rewards club get £85 back a year on average.",
     Claim("Rewards club members get £85 back a year on average", "statistic", "internal_data", "rewards-cashback")),
    ("CLM-P03", "brand", (46, 81),
     "Read how Harbour Bakery cut its card fees by 30% after it moved to us.",
     Claim("Harbour Bakery cut its card fees by 30%", "result", "case_study", "harbour-bakery")),
)
CLAIM_BODIES = tuple(body for body, _ in BANK) + tuple(p[3] for p in PLANTED)
_FLAT = tuple(claim for _, claims in BANK for claim in claims)
_COUNT = np.array([len(claims) for _, claims in BANK])
_FIRST = np.concatenate([[0], np.cumsum(_COUNT)[:-1]])


def mark_claims(c: Content, rng: np.random.Generator, tl: Timeline) -> None:
    """Which items make a claim, as codes into BANK then PLANTED (-1: none)."""
    eligible = (c.context == STANDARD) & ~c.commitment
    claim = np.full(c.size, -1, dtype=np.int16)
    picked = eligible & (rng.random(c.size) < CLAIM_SHARE)
    claim[picked] = rng.integers(0, len(BANK), int(picked.sum()))
    published = (c.published >= 0) & (c.published <= tl.end)
    for k, (_, team, (near, far), _, _) in enumerate(PLANTED):
        window = published & eligible & (c.published < tl.day(near - 1)) & (c.published >= tl.day(far - 1))
        pool = np.flatnonzero(window & (c.team == TEAMS.index(team)))
        pool = pool if len(pool) else np.flatnonzero(window)  # only tiny demos lack one
        claim[pool[rng.integers(0, len(pool))]] = len(BANK) + k
    c.claim = claim


def claim_table(c: Content, people: tuple[Person, ...], rng: np.random.Generator, tl: Timeline) -> pa.Table:
    """One register row per claim; healthy rows are evidenced, current and approved in time by
    legal or compliance, and claims of drafts may still await their review."""
    items = np.flatnonzero(c.claim >= 0)
    m = len(items)
    published = np.where(c.published[items] <= tl.end, c.published[items], -1)
    created = c.created[items]
    # Reviewed while the item was in its workflow; drafts are approved within two days, or pending.
    approved = np.where(published >= 0, created + ((published - created) * rng.uniform(0.3, 0.9, m)).astype(np.int64),
                        np.minimum(created + rng.integers(HOUR, 48 * HOUR, m), tl.end))
    pending = (published < 0) & (rng.random(m) < 0.4)
    age = rng.integers(30, 560, m) * DAY  # the evidence predates the review by one month to 18
    who = np.empty(m, dtype=np.int64)  # the reviewer, from the legal and compliance people of the item's team
    for t, team in enumerate(TEAMS):
        pool = [i for i, p in enumerate(people) if p.team == team and p.active and p.role in ("legal", "compliance")]
        mine = c.team[items] == t
        who[mine] = np.array(pool)[rng.integers(0, len(pool), int(mine.sum()))]
    ids = item_ids(c.size).take(pa.array(items))

    regular = c.claim[items] < len(BANK)
    code = c.claim[items][regular]
    row = np.repeat(np.flatnonzero(regular), _COUNT[code])  # the claim item of each row
    nth = np.arange(len(row)) - np.repeat(np.cumsum(_COUNT[code]) - _COUNT[code], _COUNT[code])
    claim = _FIRST[c.claim[items][row]] + nth
    evidence = (approved[row] - age[row]) // DAY
    lasting = np.array([cl.evidence != "internal_data" for cl in _FLAT])[claim]
    waiting = pending[row]
    numbers = pc.cast(pa.array(np.arange(1, len(row) + 1)), pa.string())
    table = pa.table({
        "claim_id": pc.binary_join_element_wise("CLM-", pc.utf8_lpad(numbers, 7, "0"), ""),
        "item_id": ids.take(pa.array(row)),
        "claim_text": _take([cl.text for cl in _FLAT], claim),
        "claim_type": _take([cl.kind for cl in _FLAT], claim),
        "evidence_url": _take([EVIDENCE + cl.source for cl in _FLAT], claim),
        "evidence_kind": _take([cl.evidence for cl in _FLAT], claim),
        "evidence_date": pa.array(evidence.astype(np.int32), pa.date32()),
        "expires_on": pa.array((evidence + 1095).astype(np.int32), pa.date32(), mask=~lasting),
        "reviewed_by": _take([p.employee_id for p in people], np.where(waiting, -1, who[row])),
        "reviewer_role": _take([p.role for p in people], np.where(waiting, -1, who[row])),
        "approved_at": pa.array(approved[row] * 1_000_000, pa.timestamp("us"), mask=waiting),
    })
    planted = [_planted(int(c.claim[items][k]) - len(BANK), ids[k].as_py(), int(created[k]), int(published[k]),
                        people[who[k]], tl) for k in np.flatnonzero(~regular)]
    planted.sort(key=lambda r: r["claim_id"])
    return pa.concat_tables([table, pa.Table.from_pylist(planted, schema=table.schema)])


def _planted(k: int, item_id: str, created: int, published: int, who: Person, tl: Timeline) -> dict:
    claim_id, _, _, _, claim = PLANTED[k]
    sign_off = created + (published - created) // 2
    out = to_datetime(published).date()
    if claim_id == "CLM-P01":  # approved before it went out, but no evidence was ever attached
        return _row(claim_id, item_id, claim, None, None, who, sign_off)
    if claim_id == "CLM-P02":  # evidenced, but approved the day after publication
        return _row(claim_id, item_id, claim, tl.date_before(200), None, who, published + 26 * HOUR)
    # CLM-P03: the case study's permission to use it ended 12 days before the item went out.
    expired = out - timedelta(days=12)
    return _row(claim_id, item_id, claim, expired - timedelta(days=540), expired, who, sign_off)


def _row(claim_id: str, item_id: str, claim: Claim, evidence, expires, who: Person | None,
         approved: int | None) -> dict:
    return {"claim_id": claim_id, "item_id": item_id, "claim_text": claim.text, "claim_type": claim.kind,
            "evidence_url": EVIDENCE + claim.source if claim.source and evidence else None,
            "evidence_kind": claim.evidence if evidence else None, "evidence_date": evidence,
            "expires_on": expires, "reviewed_by": who.employee_id if who else None,
            "reviewer_role": who.role if who else None,
            "approved_at": to_datetime(approved) if approved is not None else None}


def _take(labels: list[str | None], codes: np.ndarray) -> pa.Array:
    return pc.take(pa.array(labels, pa.string()), pa.array(codes, mask=codes < 0))


# The brand-incident log, oldest first: (kind, channel, severity, days before `latest`, hour,
# hours to contain, days to resolve (None: open), owner). Owners are the brand team and legal.
# Planted (credibility.impersonation_response): INC-010, a high-severity impersonation 23 days
# before `latest`, took 67 hours to contain; INC-013, a fake account 9 days before, has no
# owner. INC-003 was also slow, but 140 days ago: outside the 90-day window.
INCIDENTS = (
    ("lookalike_domain", "web", "medium", 170, 9, 20, 6, "E036"),
    ("fake_account", "instagram", "low", 151, 14, 5, 2, "E033"),
    ("impersonation", "x", "high", 140, 8, 30, 4, "E034"),
    ("deepfake", "tiktok", "high", 118, 11, 9, 3, "E032"),
    ("disinformation", "facebook", "medium", 97, 16, 14, 5, "E035"),
    ("fake_account", "app_store", "high", 76, 10, 11, 2, "E036"),
    ("lookalike_domain", "web", "high", 61, 7, 6, 9, "E036"),
    ("fake_account", "instagram", "low", 47, 13, 3, 1, "E033"),
    ("deepfake", "youtube", "high", 34, 18, 16, 4, "E032"),
    ("impersonation", "whatsapp", "high", 23, 7, 67, 6, "E034"),
    ("fake_account", "x", "medium", 15, 12, 20, 3, "E035"),
    ("lookalike_domain", "sms", "high", 12, 9, 4, 5, "E036"),
    ("fake_account", "facebook", "medium", 9, 15, 10, None, None),
    ("impersonation", "linkedin", "low", 4, 10, 6, 2, "E033"),
    ("deepfake", "tiktok", "medium", 2, 17, 8, None, "E032"),
)


def incident_rows(tl: Timeline) -> list[dict]:
    rows = []
    for n, (kind, channel, severity, days, hour, contain, resolve, owner) in enumerate(INCIDENTS, start=1):
        detected = tl.at(days, hour, 5 * n % 60)
        rows.append({"incident_id": f"INC-{n:03d}", "kind": kind, "channel": channel, "severity": severity,
                     "detected_at": detected, "contained_at": detected + timedelta(hours=contain),
                     "resolved_at": detected + timedelta(days=resolve) if resolve is not None else None,
                     "owner": owner})
    return rows
