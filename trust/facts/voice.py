"""Voice facts: a team's self-assessment answers with the authenticity evidence of its published AI text,
readability (Flesch reading ease) and weekly volume per team and ISO week."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property, lru_cache
from statistics import median
from typing import TYPE_CHECKING

from trust.facts import answers, readability
from trust.facts.answers import AssessmentFacts
from trust.facts.calendar import Cell, day_end
from trust.facts.model import Family, Request

if TYPE_CHECKING:
    from trust.facts.collector import Collector

_WORD = re.compile(r"[^\W\d_]")  # a letter: text without one has no reading ease


@lru_cache(maxsize=65_536)
def reading_ease(text: str) -> float:
    """The Flesch reading ease of a text (textstat's formula; higher reads more easily), to two decimals.

    Cached per text: bodies repeat across the weeks and cells of an evaluation.
    """
    return readability.reading_ease(text)


def weighted_median(values: list[tuple[float, int]]) -> float:
    """statistics.median of the values each repeated its count of times (at least one), without repeating
    them: a week's items share a few texts, so its eases are a few values with their counts."""
    ordered = sorted(values)
    total = sum(n for _, n in ordered)

    def at(position: int) -> float:
        for value, n in ordered:
            if position < n:
                return value
            position -= n
        raise IndexError(position)

    return at(total // 2) if total % 2 else (at(total // 2 - 1) + at(total // 2)) / 2


def readable(body: str | None) -> bool:
    """Whether a body holds text to read: at least one letter."""
    return body is not None and _WORD.search(body) is not None


def week_of(day: date) -> date:
    """The Monday of a day's ISO week."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class VoiceItem:
    """Published AI-generated items of one team and day sharing one text (one item unless `items` says more):
    their week of publication and their text."""

    item_id: str  # one of them
    team: str | None
    published_at: datetime  # the time of publication (for a group: the start of its day)
    week: date
    body: str | None
    first_week: date  # the week of its team's first published AI item
    items: int = 1

    @cached_property
    def has_text(self) -> bool:
        """Whether its body holds text to read (decided once: every cell and week of an evaluation asks)."""
        return readable(self.body)


@dataclass(frozen=True)
class VoiceWeek:
    """One team's (or the whole scope's) published AI items of one week, their readability and volume."""

    team: str | None  # None: items without a team, or the whole organisation for a scope
    week: date
    ai_items: int
    with_body: int
    median_ease: float | None  # None: no item of the week has text
    below: int  # items with text whose reading ease is below `voice_min_reading_ease`
    baseline: float | None  # the median weekly AI items of the weeks before (None: no week before)
    baseline_weeks: int = 0

    @property
    def below_share(self) -> float | None:
        return self.below / self.with_body if self.with_body else None

    @property
    def volume_ratio(self) -> float | None:
        """This week's AI items over the median of the weeks before; None without a baseline above zero."""
        return self.ai_items / self.baseline if self.baseline else None


@dataclass(frozen=True)
class Authenticity:
    """The authenticity evidence of a cell: per team and week, and for its whole scope, the weeks up to
    the latest (the ISO week of the as-of date). `available` is false when content_items has no body."""

    as_of: date
    team: str | None
    available: bool
    latest: date
    teams: tuple[VoiceWeek, ...] = ()  # per team and week, teams in order, weeks oldest first
    scope: tuple[VoiceWeek, ...] = ()  # the cell's scope (its team, or everyone) per week

    def current(self, team: str | None) -> VoiceWeek | None:
        """A team's latest week, if it has one."""
        return next((w for w in self.teams if w.team == team and w.week == self.latest), None)


@dataclass(frozen=True)
class VoiceFacts:
    """What `culture.brand_voice` judges: the answers (its status) and the authenticity evidence."""

    assessment: AssessmentFacts
    authenticity: Authenticity


@dataclass(frozen=True)
class Volume:
    """Published AI items per week, and each week's readable texts with how many items share each."""

    counts: Mapping[date, int]
    texts: Mapping[date, list[tuple[str, int]]]

    @classmethod
    def of(cls, items: Iterable[VoiceItem]) -> Volume:
        counts: Counter[date] = Counter()
        texts: dict[date, list[tuple[str, int]]] = defaultdict(list)
        for i in items:
            counts[i.week] += i.items
            if i.has_text:
                texts[i.week].append((i.body, i.items))
        return cls(counts, texts)

    def until(self, latest: date, last: Volume) -> Volume:
        """These weeks before `latest`, and `last` for `latest` itself (the items of its week published so far)."""
        return Volume({**{w: n for w, n in self.counts.items() if w < latest}, latest: last.counts.get(latest, 0)},
                      {**{w: t for w, t in self.texts.items() if w < latest}, latest: last.texts.get(latest, [])})


def series(items: list[VoiceItem], first_week: date, latest: date, weeks: int, threshold: float,
           team: str | None) -> tuple[VoiceWeek, ...]:
    """The weeks from `weeks` before `latest` (not before `first_week`) up to `latest`, each with its
    readability and its volume against the median of the `weeks` weeks before it. A week with no item
    counts as zero from the first week on; readability is computed only for the weeks shown."""
    return weekly(Volume.of(items), first_week, latest, weeks, threshold, team)


def weekly(volume: Volume, first_week: date, latest: date, weeks: int, threshold: float,
           team: str | None) -> tuple[VoiceWeek, ...]:
    """`series` of items already counted per week."""
    found = []
    week = max(latest - timedelta(weeks=weeks), first_week)
    while week <= latest:
        # Each ease with how many items have it.
        eases = [(reading_ease(text), n) for text, n in volume.texts.get(week, ())]
        scored = sum(n for _, n in eases)
        before = [volume.counts.get(week - timedelta(weeks=k), 0) for k in range(1, weeks + 1)
                  if week - timedelta(weeks=k) >= first_week]
        found.append(VoiceWeek(team, week, volume.counts.get(week, 0), scored,
                               round(weighted_median(eases), 2) if scored else None,
                               sum(n for e, n in eases if e < threshold), float(median(before)) if before else None,
                               len(before)))
        week += timedelta(weeks=1)
    return tuple(found)


@dataclass(frozen=True)
class Published:
    """An evaluation's published AI items, counted per week once for each team and for everyone: every
    cell's series reads these counts, and counts itself only its latest week (published up to its day)."""

    items: list[VoiceItem]  # in order of publication
    teams: Mapping[str | None, Volume]
    everyone: Volume
    first: Mapping[str | None, tuple[datetime, date]]  # each team's first publication and first week

    @classmethod
    def of(cls, items: Iterable[VoiceItem]) -> Published:
        items = sorted(items, key=lambda i: i.published_at)  # voice_items.sql gives them so already
        by_team: dict[str | None, list[VoiceItem]] = defaultdict(list)
        for i in items:
            by_team[i.team].append(i)
        return cls(items, {t: Volume.of(found) for t, found in by_team.items()}, Volume.of(items),
                   {t: (min(i.published_at for i in found), found[0].first_week) for t, found in by_team.items()})


def evidence_of(published: Published, cell: Cell, latest: date, weeks: int, threshold: float) -> Authenticity:
    """A cell's authenticity evidence from the items published up to the end of its day. The weeks before
    its latest are whole by then; the latest counts the items of its week published by the end of the day."""
    end = day_end(cell.as_of)
    items = published.items
    week_start = datetime.combine(latest, datetime.min.time())
    last = items[bisect_left(items, week_start, key=lambda i: i.published_at):
                 bisect_left(items, end, key=lambda i: i.published_at)]
    present = sorted((t for t, (at, _) in published.first.items() if at < end and cell.team in (None, t)),
                     key=lambda t: (t is None, t or ""))
    teams = tuple(w for t in present for w in weekly(
        published.teams[t].until(latest, Volume.of(i for i in last if i.team == t)), published.first[t][1],
        latest, weeks, threshold, t))
    if not present:
        return Authenticity(cell.as_of, cell.team, True, latest, teams, ())
    whole = published.everyone if cell.team is None else published.teams[cell.team]
    mine = Volume.of(i for i in last if cell.team is None or i.team == cell.team)
    scope = weekly(whole.until(latest, mine), min(published.first[t][1] for t in present), latest, weeks, threshold,
                   cell.team)
    return Authenticity(cell.as_of, cell.team, True, latest, teams, scope)


def authenticity(collector: Collector, request: Request) -> dict[Cell, Authenticity]:
    """Each cell's authenticity evidence; none (not available) when content_items has no body column."""
    settings = collector.settings
    weeks = settings.voice_window_weeks
    latest = {cell: week_of(cell.as_of) for cell in request.cells}
    if not collector.extracts.table("content_items").has("body"):
        return {cell: Authenticity(cell.as_of, cell.team, False, latest[cell]) for cell in request.cells}
    # Twice the window: the first week shown is compared with the weeks before it too.
    since = min(latest.values()) - timedelta(weeks=2 * weeks)
    items = [VoiceItem(**r) for r in collector.rows("voice_items", {"end": day_end(max(request.days)),
                                                                     "since": since})]
    # The texts of the weeks shown (and no others) have their words looked up in one pass.
    shown = min(latest.values()) - timedelta(weeks=weeks)
    readability.learn({i.body for i in items if shown <= i.week <= max(latest.values()) and i.has_text})
    published = Published.of(items)
    return {cell: evidence_of(published, cell, latest[cell], weeks, settings.voice_min_reading_ease)
            for cell in request.cells}


def collect(collector: Collector, request: Request) -> dict[Cell, VoiceFacts]:
    """Each cell's answers (as the other self-assessed checks collect them) and authenticity evidence."""
    said = answers.collect(collector, request)
    found = authenticity(collector, request)
    return {cell: VoiceFacts(said[cell], found[cell]) for cell in request.cells}


VOICE = Family("voice", tables=("content_items",), grain="cell", collect=collect)
