"""What a check is and what it returns: status, score, summary, figures, owner and evidence."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from trust.facts.model import Evidence, Family, Records


class Status(StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    NOT_ASSESSED = "not_assessed"
    ERROR = "error"

    @property
    def severity(self) -> int:
        """Higher is worse; used to sort the failing checks of a week."""
        return _SEVERITY[self]

    @property
    def blocks(self) -> bool:
        """A fail or an error stops a readiness stage and fails the command line's gate."""
        return self in (Status.FAIL, Status.ERROR)


    @property
    def assessed(self) -> bool:
        """Judged, well or badly: everything but not_assessed (an error counts as assessed and failing)."""
        return self is not Status.NOT_ASSESSED


_SEVERITY = {Status.PASS: 0, Status.NOT_ASSESSED: 1, Status.WARN: 2, Status.FAIL: 3, Status.ERROR: 4}

LAYERS: tuple[tuple[str, str], ...] = (
    ("signal", "Signal quality"),
    ("governance", "Governance"),
    ("accountability", "Human accountability"),
    ("credibility", "Credibility"),
    ("measurement", "Measurement"),
    ("culture", "Culture and capability"),
)
LAYER_TITLES = dict(LAYERS)


def shown_score(value: float | None) -> float | None:
    """A 0-100 score as every page, command and file shows it: to one decimal, rounded down, so that 89.96
    reads 89.9 (never the threshold) and only a perfect score reads 100."""
    if value is None:
        return None
    return math.floor(max(0.0, min(100.0, value)) * 10 + 1e-9) / 10


@dataclass(frozen=True)
class Verdict:
    """What a check's evaluate function decides from its facts."""

    status: Status
    summary: str
    score: float | None = None
    metrics: Mapping[str, Any] = field(default_factory=dict)
    owner: str | None = None
    evidence: Evidence | None = None
    # What the score is a rate of ("items mapped to a rule"); a check judged by status alone has no score.
    score_of: str | None = None
    # Why the check is not assessed, when a comparison must know it (NO_HISTORY).
    reason: str | None = None

    def scored(self) -> float | None:
        """The score to one decimal, rounded down so that only a perfect result shows 100."""
        return shown_score(self.score)


@dataclass(frozen=True, kw_only=True)
class Check:
    """One item of the readiness checklist: what it asks, why, how to fix it, and all its wiring.

    Everything the engine, the collector, the scoring and the docs need is declared here: the
    family of facts it judges, the tables without which it is an error, the settings it reads,
    the query that lists its failing records (if any) and the readiness stages that need it
    (an empty tuple says that no stage does).
    """

    id: str
    layer: str
    title: str
    question: str
    why: str
    remediation: str
    facts: Family
    tables: tuple[str, ...]
    stages: tuple[int, ...]
    evaluate: Callable[..., Verdict]
    settings: tuple[str, ...] = ()
    records: Records | None = None
    team_scoped: bool = True
    self_assessed: bool = False


@dataclass(frozen=True)
class Result:
    """A check's outcome as of a date, for a team or the whole organisation."""

    id: str
    layer: str
    title: str
    status: Status
    score: float | None
    summary: str
    metrics: Mapping[str, Any]
    owner: str | None
    evidence: Evidence | None
    scope: str  # "team" when evaluated for the chosen team, else "organisation"
    score_of: str | None = None
    reason: str | None = None

    @classmethod
    def of(cls, check: Check, verdict: Verdict, scope: str) -> Result:
        score = verdict.scored()
        return cls(check.id, check.layer, check.title, verdict.status, score, verdict.summary,
                   dict(verdict.metrics), verdict.owner, verdict.evidence, scope,
                   verdict.score_of if score is not None else None, verdict.reason)


def rate_status(rate: float, pass_at: float, warn_at: float) -> Status:
    """pass at or above `pass_at`, warn at or above `warn_at`, else fail."""
    if rate >= pass_at:
        return Status.PASS
    if rate >= warn_at:
        return Status.WARN
    return Status.FAIL


def blank(*values: object) -> bool:
    """True when any value is missing: NULL or text that is empty once trimmed."""
    return any(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def percent(rate: float | None, places: int = 1) -> str:
    """A rate as a percentage, rounded down like scores: only a perfect rate reads 100%."""
    if rate is None:
        return "n/a"
    scale = 10 ** (places + 2)
    return f"{math.floor(rate * scale + 1e-9) / 10**places:.{places}f}%"


def named(things, limit: int = 3) -> str:
    """Up to `limit` things by name, then how many more: 'a, b, c and 4 more' (duplicates once)."""
    unique = list(dict.fromkeys(str(t) for t in things if t is not None and str(t).strip()))
    if len(unique) > limit:
        return ", ".join(unique[:limit]) + f" and {len(unique) - limit:,} more"
    if len(unique) > 1:
        return ", ".join(unique[:-1]) + " and " + unique[-1]
    return "".join(unique)


def first_named(shown, total: int) -> str:
    """The first few of `total` things, named like `named`: 'a, b, c and 9 more'."""
    shown = [str(t) for t in shown]
    if total > len(shown):
        return ", ".join(shown) + f" and {total - len(shown):,} more"
    return named(shown)


def owners(names) -> str | None:
    """The owners of the records a check found, named as summaries name things; None when none is known."""
    return named(names) or None


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def verb(n: int, singular: str, plural_form: str) -> str:
    """The verb form that agrees with a count: verb(1, 'lacks', 'lack') == 'lacks'."""
    return singular if n == 1 else plural_form
