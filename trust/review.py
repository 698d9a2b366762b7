"""The weekly review: headline figures, and what changed since the previous week."""

from __future__ import annotations

from dataclasses import dataclass

from trust.checks.model import Result, Status
from trust.engine import Evaluation


@dataclass(frozen=True)
class Headline:
    """One headline figure of the review, with last week's value for the delta."""

    key: str
    label: str
    value: float | None
    previous: float | None
    unit: str  # "score" (0-100), "rate" (0-1) or "count"
    help: str

    @property
    def delta(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


def _metric(evaluation: Evaluation | None, check_id: str, key: str) -> float | None:
    if evaluation is None:
        return None
    result = evaluation.result(check_id)
    if result.status in (Status.ERROR, Status.NOT_ASSESSED):
        return None
    value = result.metrics.get(key)
    return float(value) if isinstance(value, int | float) else None


def _figures(e: Evaluation | None) -> dict[str, float | None]:
    if e is None:
        return dict.fromkeys(("signal", "approval", "audit", "models", "advocacy"))
    return {
        "signal": e.signal_score,
        "approval": e.approval["rate"],
        "audit": _metric(e, "governance.audit_trail", "rate"),
        "models": _metric(e, "measurement.tolerances", "within_tolerance"),
        "advocacy": _metric(e, "culture.advocacy_cadence", "active_sharers"),
    }


def headline(current: Evaluation, previous: Evaluation | None) -> tuple[Headline, ...]:
    now, before = _figures(current), _figures(previous)
    models = current.result("measurement.tolerances").metrics.get("models")
    return (
        Headline("signal", "Signal-quality score", now["signal"], before["signal"], "score",
                 "Mean score of the high-risk customer fields on the current snapshot."),
        Headline("approval", "Approval compliance", now["approval"], before["approval"], "rate",
                 "Published items that needed approval and had it, over all that needed it."),
        Headline("audit", "Audit completeness", now["audit"], before["audit"], "rate",
                 "Published AI items whose trail shows recommendation, approvals and publication in order."),
        Headline("models", "Models within tolerance", now["models"], before["models"], "count",
                 f"Models whose latest variance is within tolerance{f', of {models}' if models else ''}."),
        Headline("advocacy", "Advocates active (4 weeks)", now["advocacy"], before["advocacy"], "count",
                 "Current advocacy participants who shared in the last four weeks."),
    )


@dataclass(frozen=True)
class Changes:
    """Checks whose status moved since the previous week."""

    new_failures: tuple[Result, ...]
    fixed: tuple[Result, ...]
    regressions: tuple[Result, ...]
    improvements: tuple[Result, ...]
    previous: dict[str, Status]


_RANK = {Status.PASS: 0, Status.WARN: 1, Status.FAIL: 2, Status.ERROR: 2}


def changes(current: Evaluation, previous: Evaluation | None) -> Changes:
    """New failures (now fail or error, not before), fixes (now pass, failing or warning before),
    regressions (worse than before, short of failing) and other improvements."""
    if previous is None:
        return Changes((), (), (), (), {})
    before = {r.id: r.status for r in previous.results}
    new, fixed, worse, better = [], [], [], []
    for r in current.results:
        old = before.get(r.id)
        if old is None or r.status not in _RANK or old not in _RANK or old == r.status:
            continue
        if r.status.blocks and not old.blocks:
            new.append(r)
        elif r.status is Status.PASS:
            fixed.append(r)
        elif _RANK[r.status] > _RANK[old]:
            worse.append(r)
        else:
            better.append(r)
    return Changes(tuple(new), tuple(fixed), tuple(worse), tuple(better), before)


def failing(evaluation: Evaluation) -> tuple[Result, ...]:
    """Checks that fail, error or warn, worst first, then in checklist order."""
    order = {r.id: i for i, r in enumerate(evaluation.results)}
    bad = [r for r in evaluation.results if r.status in (Status.ERROR, Status.FAIL, Status.WARN)]
    return tuple(sorted(bad, key=lambda r: (-r.status.severity, order[r.id])))


@dataclass(frozen=True)
class Overclaim:
    """A team answered `yes` to a check its own evidence fails."""

    team: str
    check_id: str
    title: str
    summary: str


def overclaims(answers, results_by_team: dict[str, Evaluation]) -> tuple[Overclaim, ...]:
    """Answers in force that say `yes` where the team's evaluation of the same check is `fail`."""
    found = []
    for answer in answers:
        evaluation = results_by_team.get(answer.team)
        if answer.answer != "yes" or answer.stale or evaluation is None:
            continue
        result = evaluation.result(answer.check_id)
        if result.status is Status.FAIL:
            found.append(Overclaim(answer.team, answer.check_id, result.title, result.summary))
    return tuple(found)
