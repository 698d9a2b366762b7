"""Authenticity evidence for `culture.brand_voice`: the answer decides its status; readability and AI volume
per team and week are shown beside it and make a `yes` an overclaim when they disagree."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from trust.checks.model import Verdict
from trust.facts.model import evidence
from trust.facts.voice import Authenticity, VoiceFacts, VoiceWeek
from trust.settings import Settings

KIND = "team weeks of published AI items"
COLUMNS = ("team", "week", "ai_items", "with_body", "median_reading_ease", "below_share", "volume_median",
           "volume_ratio", "flags")
# The metric that names, per team, why its latest week disagrees with a `yes` (views.weekly.overclaims).
FLAGS = "authenticity_flags"
# Whether the text of published AI items could be read (content_items.body present in a file).
AVAILABLE = "authenticity_evidence"
NO_TEAM = "(no team)"


def number(value: float) -> str:
    """A figure to at most two decimals, without trailing zeros: 38.25, 2.1, 50."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def week_flags(week: VoiceWeek, settings: Settings) -> tuple[str, ...]:
    """Why a week's AI text disagrees with a `yes`: median reading ease below the minimum, or a volume
    over the ratio times the median of the weeks before (exactly at either threshold is no flag)."""
    found = []
    if week.median_ease is not None and week.median_ease < settings.voice_min_reading_ease:
        found.append(f"median reading ease {number(week.median_ease)} in the week of {week.week.isoformat()}, "
                     f"below {number(settings.voice_min_reading_ease)}")
    ratio = week.volume_ratio
    if ratio is not None and ratio > settings.voice_volume_ratio:
        found.append(f"AI volume {number(ratio)}× its {week.baseline_weeks}-week median in the week of "
                     f"{week.week.isoformat()} ({week.ai_items} items against {number(week.baseline)})")
    return tuple(found)


def authenticity_flags(metrics: Mapping, team: str) -> tuple[str, ...]:
    """The reasons a result's authenticity evidence gives against a team's `yes` (none for other checks)."""
    return tuple((metrics.get(FLAGS) or {}).get(team, ()))


def _row(week: VoiceWeek, settings: Settings) -> tuple:
    share, ratio = week.below_share, week.volume_ratio
    return (week.team if week.team is not None else NO_TEAM, week.week, week.ai_items, week.with_body,
            week.median_ease, None if share is None else round(share, 4), week.baseline,
            None if ratio is None else round(ratio, 2), "; ".join(week_flags(week, settings)) or None)


def _metrics(voice: Authenticity, flags: dict[str, tuple[str, ...]]) -> dict:
    latest = voice.scope[-1] if voice.scope and voice.scope[-1].week == voice.latest else None
    ratio = latest.volume_ratio if latest else None
    share = latest.below_share if latest else None
    return {AVAILABLE: True, "voice_week": voice.latest.isoformat(), "ai_items": latest.ai_items if latest else 0,
            "median_reading_ease": latest.median_ease if latest else None,
            "below_share": None if share is None else round(share, 4),
            "volume_ratio": None if ratio is None else round(ratio, 2), FLAGS: flags}


def with_authenticity(verdict: Verdict, voice: Authenticity, settings: Settings) -> Verdict:
    """The answers' verdict with the authenticity evidence beside it: its status is never changed."""
    if not voice.available:
        return replace(verdict, summary=f"{verdict.summary} No authenticity evidence: content_items has no "
                       "body column, so the readability of AI text cannot be shown.",
                       metrics={**verdict.metrics, AVAILABLE: False})
    flags = {t: found for t in dict.fromkeys(w.team for w in voice.teams) if t is not None
             and (current := voice.current(t)) is not None and (found := week_flags(current, settings))}
    summary = verdict.summary
    if flags:
        summary += "".join(f" Authenticity evidence for {t}: {'; '.join(reasons)}." for t, reasons in flags.items())
    elif not voice.teams:
        summary += f" No AI item was published in the {settings.voice_window_weeks + 1} weeks up to " \
                   f"{voice.as_of.isoformat()}."
    found = evidence(KIND, COLUMNS, [_row(w, settings) for w in voice.teams])
    return replace(verdict, summary=summary, metrics={**verdict.metrics, **_metrics(voice, flags)}, evidence=found)


def brand_voice(answers_verdict):
    """The evaluate function of `culture.brand_voice`: `answers_verdict` (the self-assessment) judges the
    answers, and the authenticity evidence is added to its figures and records."""

    def evaluate(facts: VoiceFacts, settings: Settings) -> Verdict:
        verdict = answers_verdict(facts.assessment, settings)
        return with_authenticity(verdict, facts.authenticity, settings)

    evaluate.__name__ = "brand_voice"
    return evaluate

