"""The planted governance and accountability incidents: thirteen hand-written items with their trails."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from trust.demo.timeline import Timeline
from trust.demo.workflow import EVENT_SCHEMA, SYSTEM_ACTORS

ROLE = {"E001": "marketing_lead", "E032": "brand", "E033": "brand", "E036": "legal", "E041": "marketing_lead"}


@dataclass(frozen=True)
class Incident:
    item_id: str
    team: str
    channel: str
    context: str
    ai_generated: bool | None
    model_confidence: float | None
    makes_commitment: bool
    owner: str | None
    ai_label_applied: bool
    days_before: int  # the day it was created, before `latest`
    published: tuple[int, int] | None  # (hour, minute) on that day
    body: str
    # (event type, actor, hour, minute, note); `owner` and `content-ai` are resolved below.
    trail: tuple[tuple[str, str, int, int, str | None], ...]
    why: str


INCIDENTS = (
    Incident("CI-P01", "brand", "social", "crisis", True, 0.91, False, "E024", True, 9, (8, 25),
             "Service update: we are on it",
             (("recommended", "content-ai", 7, 10, None),
              ("edited", "owner", 7, 22, "Holding statement for the payments outage"),
              ("approved", "E036", 7, 48, None),
              ("published", "owner", 8, 25, "Published on legal sign-off; compliance not reached")),
             "crisis item published without its compliance approval"),
    Incident("CI-P02", "crm", "email", "standard", True, 0.82, False, "E005", False, 20, (11, 0),
             "Your renewal is coming up",
             (("recommended", "content-ai", 9, 0, None), ("edited", "owner", 9, 40, None),
              ("published", "owner", 11, 0, None),
              ("approved", "E001", 14, 30, "Retrospective sign-off")),
             "approved after publication"),
    Incident("CI-P03", "growth", "email", "standard", False, None, False, "E045", False, 16,
             (15, 0), "Three ways to get more from your plan",
             (("edited", "owner", 10, 0, None), ("approved", "E032", 13, 0, None),
              ("published", "owner", 15, 0, None)),
             "approved by the wrong role (brand instead of marketing_lead)"),
    Incident("CI-P04", "growth", "web", "standard", None, 0.9, False, "E047", False, 12, (16, 0),
             "Rates and fees explained",
             (("edited", "owner", 11, 0, None), ("approved", "E041", 15, 0, None),
              ("published", "owner", 16, 0, None)),
             "provenance not recorded (the model's confidence was kept, the AI flag was not)"),
    Incident("CI-P05", "crm", "push", "standard", None, 0.9, False, "E007", False, 25, (12, 0),
             "Your weekly spending insight is ready",
             (("edited", "owner", 10, 0, None), ("published", "owner", 12, 0, None)),
             "provenance not recorded (the model's confidence was kept, the AI flag was not)"),
    Incident("CI-P06", "growth", "sms", "standard", None, 0.9, False, "E049", False, 33, (14, 0),
             "Your payment is due in 3 days",
             (("edited", "owner", 9, 30, None), ("published", "owner", 14, 0, None)),
             "provenance not recorded (the model's confidence was kept, the AI flag was not)"),
    Incident("CI-P07", "growth", "social", "standard", True, 0.84, False, "E051", False, 6,
             (15, 10), "Meet the team behind our new service",
             (("recommended", "content-ai", 11, 0, None), ("edited", "owner", 11, 30, None),
              ("approved", "E033", 14, 0, None), ("published", "owner", 15, 10, None)),
             "published AI social post without its AI-use label"),
    Incident("CI-P08", "brand", "web", "crisis", True, 0.77, False, "E026", True, 1, None,
             "Service update: we are on it",
             (("recommended", "content-ai", 16, 0, None), ("edited", "owner", 16, 20, None)),
             "web crisis draft: no decision-rights rule (unmapped, unpublished)"),
    Incident("CI-P09", "growth", "push", "standard", True, 0.88, True, None, True, 8, (12, 0),
             "Your refund will arrive within 5 days",
             (("recommended", "content-ai", 10, 0, None), ("published", "E046", 12, 0, None)),
             "published commitment without an owner"),
    Incident("CI-P10", "crm", "sms", "standard", False, None, True, "E009", False, 15, (10, 15),
             "We guarantee a reply within 24 hours",
             (("edited", "owner", 9, 30, None), ("published", "owner", 10, 15, None)),
             "published commitment owned by someone who has left (E009)"),
    Incident("CI-P11", "growth", "push", "standard", True, None, False, "E047", True, 4, (13, 30),
             "Your weekly spending insight is ready",
             (("recommended", "content-ai", 12, 0, "Confidence not reported by the new model version"),
              ("edited", "owner", 12, 40, None), ("published", "owner", 13, 30, None)),
             "AI item with no recorded confidence published without escalation (unknown counts as low)"),
    Incident("CI-P12", "brand", "email", "crisis", True, 0.93, False, "E025", True, 100, (10, 5),
             "We have updated our privacy notice",
             (("recommended", "content-ai", 8, 0, None), ("edited", "owner", 8, 30, None),
              ("approved", "E036", 9, 10, None),
              ("published", "owner", 10, 5, "Compliance sign-off skipped during the data-breach response")),
             "crisis item without its compliance approval, 100 days ago: outside the 90-day crisis window, "
             "still an approval breach"),
    Incident("CI-P13", "growth", "web", "standard", True, 0.81, False, "E053", True, 11, (15, 0),
             "Help centre: updating your details",
             (("recommended", "content-ai", 10, 0, None), ("edited", "owner", 10, 45, None),
              ("approved", "trust-router", 11, 0, "Auto-approved: template match"),
              ("published", "owner", 15, 0, None)),
             "web page whose rule names no approver role, approved only by the system: a person must approve"),
)


def item_rows(tl: Timeline) -> list[dict]:
    return [{"item_id": i.item_id, "team": i.team, "channel": i.channel, "context": i.context,
             "ai_generated": i.ai_generated, "model_confidence": i.model_confidence,
             "makes_commitment": i.makes_commitment, "owner": i.owner,
             "ai_label_applied": i.ai_label_applied,
             "created_at": tl.at(i.days_before, *_first(i)),
             "published_at": tl.at(i.days_before, *i.published) if i.published else None,
             "body": i.body, "makes_claim": False}
            for i in INCIDENTS]


def items_table(tl: Timeline, schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pylist(item_rows(tl), schema=schema)


def events_table(tl: Timeline) -> pa.Table:
    rows = []
    for i in INCIDENTS:
        for kind, actor, hour, minute, note in i.trail:
            who = i.owner if actor == "owner" else actor
            role = "system" if who in SYSTEM_ACTORS else ROLE.get(who, "marketer")
            rows.append({"item_id": i.item_id, "event_type": kind, "actor": who,
                         "actor_role": role, "occurred_at": tl.at(i.days_before, hour, minute),
                         "note": note})
    return pa.Table.from_pylist(rows, schema=EVENT_SCHEMA)


def _first(i: Incident) -> tuple[int, int]:
    _, _, hour, minute, _ = i.trail[0]
    return hour, minute
