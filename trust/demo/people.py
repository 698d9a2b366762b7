"""The demo's people: a fixed staff roster, their training and the employee advocacy programme."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trust.demo.timeline import Timeline

TEAMS = ("crm", "brand", "growth")

# Role plan per team, 20 people each. Legal and compliance sit in the teams they support, so
# approvals come from named colleagues rather than a faceless department.
_ROLE_PLAN = {
    "crm": ("marketing_lead",) * 2 + ("marketer",) * 11 + ("analyst",) * 2 + ("legal",)
    + ("compliance",) * 2 + ("exec", "brand"),
    "brand": ("marketing_lead",) * 2 + ("marketer",) * 9 + ("brand",) * 4 + ("legal",)
    + ("compliance",) + ("analyst",) * 2 + ("exec",),
    "growth": ("marketing_lead",) * 2 + ("marketer",) * 12 + ("analyst",) * 3
    + ("compliance", "legal", "exec"),
}

_NAMES = (
    "Maya Chen", "Liam O'Connor", "Sofia Alvarez", "Noah Williams", "Amara Okafor",
    "Ethan Brooks", "Priya Shah", "Lucas Martin", "Hannah Schmidt", "Diego Romero",
    "Chloe Dubois", "Omar Haddad", "Grace Kim", "Mateo Rossi", "Isla Campbell",
    "Ravi Patel", "Emma Novak", "Jonas Weber", "Zara Ahmed", "Felix Lindqvist",
    "Ava Thompson", "Kenji Sato", "Lucia Ferreira", "Samuel Adeyemi", "Nora Jensen",
    "Theo Laurent", "Aisha Bello", "Marco Bianchi", "Freya MacLeod", "Daniel Cohen",
    "Leila Nasser", "Oscar Nilsson", "Ines Moreau", "Tomás García", "Yuki Tanaka",
    "Ruby Walsh", "Adam Kowalski", "Elena Petrova", "Hugo Fontaine", "Mia Fischer",
    "Caleb Turner", "Anya Ivanova", "Rafael Costa", "Julia Berg", "Kwame Mensah",
    "Lea Hoffmann", "Sebastian Cruz", "Nadia Rahman", "Finn Gallagher", "Olivia Park",
    "Victor Lambert", "Sara Lindgren", "Jamal Carter", "Alice Fournier", "Pedro Santos",
    "Helena Kraus", "Arjun Mehta", "Camille Roux", "Ben Foster", "Eva Horvat",
)

# Who has left: E009 (crm marketer) still owns a published commitment item
# (accountability.commitment_owners); E038 and E055 (analysts) also left the advocacy programme.
INACTIVE = frozenset({"E009", "E038", "E055"})
# People who do not work with AI tools although their role usually does.
_NO_AI = frozenset({"E013", "E050"})
_AI_ROLES = frozenset({"marketer", "marketing_lead", "brand", "analyst"})

# Share of active AI-using staff with an ai_safety course, per team (culture.upskilling).
AI_SAFETY_RATE = {"brand": 0.9, "crm": 0.85, "growth": 0.55}


@dataclass(frozen=True)
class Person:
    employee_id: str
    name: str
    team: str
    role: str
    uses_ai: bool
    active: bool


def roster() -> tuple[Person, ...]:
    """The 60 staff, E001-E020 in crm, E021-E040 in brand, E041-E060 in growth."""
    people = []
    for t, team in enumerate(TEAMS):
        for i, role in enumerate(_ROLE_PLAN[team]):
            employee_id = f"E{t * 20 + i + 1:03d}"
            people.append(Person(
                employee_id, _NAMES[t * 20 + i], team, role,
                uses_ai=role in _AI_ROLES and employee_id not in _NO_AI,
                active=employee_id not in INACTIVE,
            ))
    return tuple(people)


def staff_rows(people: tuple[Person, ...]) -> list[dict]:
    return [vars(p).copy() for p in people]


def training_rows(people: tuple[Person, ...], rng: np.random.Generator, tl: Timeline) -> list[dict]:
    """ai_safety completions at each team's planted rate, plus courses that do not count."""
    rows: list[dict] = []

    def done(person: Person, course: str, category: str, lo: int, hi: int) -> None:
        rows.append({"employee_id": person.employee_id, "course_id": course, "category": category,
                     "completed_on": tl.date_before(int(rng.integers(lo, hi)))})

    for team in TEAMS:
        eligible = [p for p in people if p.team == team and p.active and p.uses_ai]
        trained = rng.permutation(len(eligible))[: round(AI_SAFETY_RATE[team] * len(eligible))]
        for k in sorted(trained):
            done(eligible[k], "AIS-101", "ai_safety", 20, 330)
            if rng.random() < 0.3:
                done(eligible[k], "AIS-205", "ai_safety", 5, 120)
        # Growth's untrained people took tool courses instead: they do not count as safety training.
        for k in sorted(set(range(len(eligible))) - set(trained.tolist())):
            if team == "growth":
                done(eligible[k], "TOOL-130", "tooling", 10, 200)
    for p in people:
        if rng.random() < 0.7:
            done(p, "PRIV-201", "privacy", 30, 700)
        if p.team == "brand" or p.role == "brand":
            done(p, "BRV-110", "brand_voice", 30, 400)
    # A leaver's old certificate must not count: upskilling is over active staff only.
    done(next(p for p in people if p.employee_id == "E038"), "AIS-101", "ai_safety", 400, 420)
    rows.sort(key=lambda r: (r["employee_id"], r["completed_on"], r["course_id"]))
    return rows


# The programme: launched 137 days (about 4.5 months) before `latest`, weekly nudges, except
# that the nudges 39 and 32 days before `latest` were never sent (a 21-day gap inside the last
# 8 weeks: culture.advocacy_cadence fails), the one 53 days before recommended 6 posts, and
# those 88 and 46 days before carried no progress statistics.
LAUNCH_DAYS_BEFORE = 137
SKIPPED_NUDGES = frozenset({39, 32})
SIX_POST_NUDGE = 53
NO_STATS_NUDGES = frozenset({88, 46})
# One share of non-approved content, older than the 8-week window, so it shows in the history
# without failing the current cadence.
UNAPPROVED_SHARE_DAYS_BEFORE = 80
# One share inside the window whose approval was never recorded: only approved content counts.
UNRECORDED_SHARE_DAYS_BEFORE = 20

_PARTICIPANTS = (
    # brand (10)
    "E023", "E024", "E025", "E026", "E027", "E028", "E032", "E033", "E034", "E038",
    # growth (7)
    "E043", "E044", "E046", "E048", "E050", "E052", "E055",
    # crm (5)
    "E003", "E004", "E006", "E010", "E012",
)
# Two left the programme when they left the company.
_LEFT_DAYS_BEFORE = {"E038": 61, "E055": 95}


def advocacy(people: tuple[Person, ...], rng: np.random.Generator,
             tl: Timeline) -> tuple[list[dict], list[dict], list[dict]]:
    """Participants, nudges and shares of the advocacy programme."""
    team = {p.employee_id: p.team for p in people}
    participants = []
    for i, eid in enumerate(_PARTICIPANTS):
        # Approved and launched in two weeks: everyone joined in the first fortnight.
        joined = LAUNCH_DAYS_BEFORE - (i % 3) * 5
        left = _LEFT_DAYS_BEFORE.get(eid)
        participants.append({"employee_id": eid, "team": team[eid],
                             "joined_on": tl.date_before(joined),
                             "left_on": tl.date_before(left) if left else None})
    participants.sort(key=lambda r: r["employee_id"])

    offsets = [d for d in range(LAUNCH_DAYS_BEFORE, -1, -7) if d not in SKIPPED_NUDGES]
    nudges = []
    for n, d in enumerate(offsets, start=1):
        posts = 6 if d == SIX_POST_NUDGE else int(rng.integers(3, 5))
        nudges.append({"nudge_id": f"N{n:02d}", "sent_on": tl.date_before(d),
                       "recommended_posts": posts, "includes_stats": d not in NO_STATS_NUDGES})

    shares: list[tuple] = []
    for nudge, d in zip(nudges, offsets, strict=True):
        for p in participants:
            if not _member(p, d, tl):
                continue
            for k in range(nudge["recommended_posts"]):
                if rng.random() < 0.42:
                    day = max(d - int(rng.integers(0, 4)), 0)
                    shares.append((day, p["employee_id"], f"P-{nudge['nudge_id']}-{k + 1}",
                                   nudge["nudge_id"], True))
    # Shares of approved library content outside any nudge, about one a week.
    for d in range(LAUNCH_DAYS_BEFORE - 3, 0, -7):
        p = participants[int(rng.integers(0, len(participants)))]
        if _member(p, d, tl):
            shares.append((d, p["employee_id"], f"P-LIB-{d:03d}", None, True))
    shares.append((UNAPPROVED_SHARE_DAYS_BEFORE, "E048", "P-EXT-001", None, False))
    shares.append((UNRECORDED_SHARE_DAYS_BEFORE, "E024", "P-EXT-002", None, None))

    shares.sort(key=lambda s: (-s[0], s[1], s[2]))
    share_rows = [{"share_id": f"SH{i:04d}", "employee_id": eid, "post_id": post,
                   "nudge_id": nudge_id, "shared_on": tl.date_before(d),
                   "approved_content": approved, "engagements": int(rng.poisson(24))}
                  for i, (d, eid, post, nudge_id, approved) in enumerate(shares, start=1)]
    return participants, nudges, share_rows


def _member(participant: dict, days_before: int, tl: Timeline) -> bool:
    """Was the participant in the programme `days_before` days before `latest`?"""
    joined = (tl.latest - participant["joined_on"]).days
    left = (tl.latest - participant["left_on"]).days if participant["left_on"] else -1
    return joined >= days_before > left
