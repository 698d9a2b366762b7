"""Judging one journey's pre-flight: blocked members fail it, too many warnings make it warn."""

from __future__ import annotations

from trust.checks.model import Status
from trust.facts.preflight import RULES, JourneyPreflight
from trust.settings import Settings

BLOCKING = ("not_in_snapshot", "no_consent", "not_active", "bad_language", "bad_region", "suspected_fake")
WARNING = ("stale", "off_stage")


def journey_status(journey: JourneyPreflight, settings: Settings) -> Status:
    """fail: blocked members over the tolerance; warn: warned members over the share, or no audience at all."""
    if journey.blocking > settings.preflight_blocking_tolerance:
        return Status.FAIL
    if not journey.audience or journey.warned / journey.audience > settings.preflight_warning_share:
        return Status.WARN
    return Status.PASS


def describe(journey: JourneyPreflight) -> str:
    """The rules that stop members of a journey, most frequent first."""
    if not journey.audience:
        return "no audience exported for this week"
    parts = [f"{n:,} {RULES[rule]}" for rule, n in sorted(journey.rules.items(), key=lambda kv: -kv[1]) if n]
    return "; ".join(parts) if parts else "every member is clear"
