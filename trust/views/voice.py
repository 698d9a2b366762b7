"""The authenticity evidence of `culture.brand_voice` as its detail page shows it: a note, and a chart of
readability and AI volume per team and week, read from the check's result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from trust.checks.model import Result
from trust.checks.voice import AVAILABLE, KIND, number
from trust.settings import Settings
from trust.views.charts import voice_chart


@dataclass(frozen=True)
class VoicePanel:
    """What the detail page shows above the records: a note, and a chart when there are weeks to draw."""

    note: str
    rows: tuple[dict[str, Any], ...] = ()
    figure: go.Figure | None = None


def records_title(result: Result) -> str:
    """The heading of a result's records: its authenticity evidence is no list of failures."""
    if result.evidence is not None and result.evidence.kind == KIND:
        return "Authenticity evidence, per team and week"
    return "Failing records"


def voice_panel(result: Result, settings: Settings) -> VoicePanel | None:
    """The panel of a result that carries authenticity evidence (None for every other result)."""
    if AVAILABLE not in result.metrics:
        return None
    if not result.metrics[AVAILABLE]:
        return VoicePanel("No authenticity evidence: content_items has no `body` column in any of its files, so "
                          "the readability of published AI text cannot be shown. The status comes from the "
                          "answers alone.")
    rows = tuple(result.evidence.as_dicts()) if result.evidence is not None and result.evidence.kind == KIND else ()
    weeks = settings.voice_window_weeks
    note = (f"Published AI items per team and ISO week, the Flesch reading ease of their text (median, and share "
            f"below {number(settings.voice_min_reading_ease)}; higher reads more easily) and each week's volume "
            f"against the median of the {weeks} weeks before it. The status comes from the answers; a `yes` is "
            f"overclaimed when a team's week of {result.metrics.get('voice_week')} reads below "
            f"{number(settings.voice_min_reading_ease)} or its volume is over "
            f"{number(settings.voice_volume_ratio)}× that median.")
    if not rows:
        return VoicePanel(note + f" No AI item was published in the {weeks + 1} weeks up to the as-of date.")
    return VoicePanel(note, rows, voice_chart(rows, settings.voice_min_reading_ease, settings.voice_volume_ratio))

