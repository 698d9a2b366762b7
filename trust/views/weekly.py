"""The week at a glance: headline figures, and what changed since the previous week."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from trust.checks.model import Result, Status, named, percent, plural, shown_score, verb
from trust.checks.voice import authenticity_flags
from trust.engine import Evaluation
from trust.facts.model import NO_HISTORY
from trust.scoring import LayerScore, layer_scores, readiness


@dataclass(frozen=True)
class Headline:
    """One headline figure of the week, with last week's value for the delta and the status of
    the check that judges it (a figure is never shown without its verdict)."""

    key: str
    label: str
    value: float | None
    previous: float | None
    unit: str  # "score" (0-100), "rate" (0-1) or "count"
    help: str
    status: Status | None = None

    @property
    def delta(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


def figure_text(value: float | None, unit: str = "score") -> str:
    """A figure as the pages and the pack print it: a score to one decimal (rounded down), a rate as a
    percentage (rounded down too)."""
    if value is None:
        return "n/a"
    if unit == "rate":
        return percent(value)
    return f"{shown_score(value):.1f}" if unit == "score" else f"{value:,.0f}"


def delta_text(value: float | None, unit: str) -> str | None:
    """A week-over-week change as text; a change that rounds to nothing says so."""
    if value is None:
        return None
    amount = round(value * 100, 1) if unit == "rate" else round(value, 1 if unit == "score" else 0)
    if amount == 0:
        return "no change"
    return {"rate": f"{amount:+.1f} pts", "score": f"{amount:+.1f}", "count": f"{amount:+.0f}"}[unit]


def _metric(evaluation: Evaluation | None, check_id: str, key: str) -> float | None:
    if evaluation is None:
        return None
    result = evaluation.result(check_id)
    if result.status in (Status.ERROR, Status.NOT_ASSESSED):
        return None
    value = result.metrics.get(key)
    return float(value) if isinstance(value, int | float) else None


HEADLINE_CHECKS = {"signal": "signal.field_quality", "approval": "governance.approval_compliance",
                   "audit": "governance.audit_trail", "models": "measurement.tolerances",
                   "advocacy": "culture.advocacy_cadence"}


def _figures(e: Evaluation | None) -> dict[str, float | None]:
    if e is None:
        return dict.fromkeys(HEADLINE_CHECKS)
    return {
        "signal": shown_score(e.signal_score),  # as shown, so the change is that between the figures shown
        "approval": e.approval["rate"],
        "audit": _metric(e, "governance.audit_trail", "rate"),
        "models": _metric(e, "measurement.tolerances", "within_tolerance"),
        "advocacy": _metric(e, "culture.advocacy_cadence", "active_sharers"),
    }


def headline(current: Evaluation, previous: Evaluation | None) -> tuple[Headline, ...]:
    now, before = _figures(current), _figures(previous)
    models = current.result("measurement.tolerances").metrics.get("models")
    status = {key: current.result(check_id).status for key, check_id in HEADLINE_CHECKS.items()}
    return (
        Headline("signal", "Signal-quality score", now["signal"], before["signal"], "score",
                 "Mean score of the high-risk customer fields on the current snapshot; the status is "
                 "that of the field-quality check, which also judges duplicate IDs.", status["signal"]),
        Headline("approval", "Approval compliance", now["approval"], before["approval"], "rate",
                 "Published items that needed approval and had it, over all that needed it.", status["approval"]),
        Headline("audit", "Audit completeness", now["audit"], before["audit"], "rate",
                 "Published AI items whose trail shows recommendation, approvals and publication in order.",
                 status["audit"]),
        Headline("models", "Models within tolerance", now["models"], before["models"], "count",
                 f"Models whose latest variance is within tolerance{f', of {models}' if models else ''}.",
                 status["models"]),
        Headline("advocacy", "Advocates active (4 weeks)", now["advocacy"], before["advocacy"], "count",
                 "Current advocacy participants who shared in the last four weeks.", status["advocacy"]),
    )


@dataclass(frozen=True)
class Changes:
    """Checks whose status moved since the previous week, and the layer and stage changes."""

    new_failures: tuple[Result, ...]
    fixed: tuple[Result, ...]
    regressions: tuple[Result, ...]
    improvements: tuple[Result, ...]
    unassessed: tuple[Result, ...]  # judged last week, not this week: its evidence is gone
    previous: dict[str, Status]
    # Checks left out of both weeks because one of them could not judge them (no history).
    left_out: tuple[str, ...] = ()
    layers: tuple[tuple[LayerScore, LayerScore | None], ...] = ()
    stage: tuple[int, int | None] = (0, None)

    def layer_delta(self, layer: str) -> float | None:
        """A layer's score change, only when both weeks have a score (computed without `left_out`)."""
        for now, before in self.layers:
            if now.layer == layer:
                if before is None or now.score is None or before.score is None:
                    return None
                return round(now.score - before.score, 1)
        return None


_RANK = {Status.PASS: 0, Status.WARN: 1, Status.FAIL: 2, Status.ERROR: 2}


def changes(current: Evaluation, previous: Evaluation | None) -> Changes:
    """What moved since the previous week (CHECKS.md, comparing weeks).

    New failures: now fail or error and not before, or moved from not assessed to warn or
    fail; fixes: now pass, failing or warning before; regressions: worse, short of failing;
    improvements: better, short of passing; unassessed: judged before, not now. A check that
    one of the weeks could not judge for want of history is not listed, and the layer-score
    and stage changes are computed with it left out of both weeks.
    """
    if previous is None:
        return Changes((), (), (), (), (), {}, (), tuple((s, None) for s in current.layers),
                       (current.readiness.stage, None))
    before = {r.id: r for r in previous.results}
    left_out = tuple(r.id for r in current.results
                     if NO_HISTORY in (r.reason, before[r.id].reason if r.id in before else None))
    new, fixed, worse, better, gone = [], [], [], [], []
    for r in current.results:
        old = before[r.id].status if r.id in before else None
        if old is None or r.id in left_out or old == r.status:
            continue
        if old is Status.NOT_ASSESSED:
            if r.status in (Status.WARN, Status.FAIL, Status.ERROR):
                new.append(r)
        elif r.status is Status.NOT_ASSESSED:
            gone.append(r)
        elif r.status.blocks and not old.blocks:
            new.append(r)
        elif r.status is Status.PASS:
            fixed.append(r)
        elif _RANK[r.status] > _RANK[old]:
            worse.append(r)
        elif _RANK[r.status] < _RANK[old]:
            better.append(r)
    now_layers = layer_scores(current.results, left_out)
    old_layers = {s.layer: s for s in layer_scores(previous.results, left_out)}
    stages = (readiness(current.results, current.proven_pilots, left_out).stage,
              readiness(previous.results, previous.proven_pilots, left_out).stage)
    return Changes(tuple(new), tuple(fixed), tuple(worse), tuple(better), tuple(gone),
                   {k: v.status for k, v in before.items()}, left_out,
                   tuple((s, old_layers.get(s.layer)) for s in now_layers), stages)


def failing(evaluation: Evaluation) -> tuple[Result, ...]:
    """Checks that fail, error or warn, worst first, then in checklist order."""
    order = {r.id: i for i, r in enumerate(evaluation.results)}
    bad = [r for r in evaluation.results if r.status in (Status.ERROR, Status.FAIL, Status.WARN)]
    return tuple(sorted(bad, key=lambda r: (-r.status.severity, order[r.id])))


# What `failing_counts` says of each status it counts: verb for one check, verb for several.
COUNTED = ((Status.FAIL, "fails", "fail"), (Status.WARN, "warns", "warn"),
           (Status.ERROR, "cannot be judged (error)", "cannot be judged (error)"))


def failing_counts(evaluation: Evaluation) -> str:
    """How many of the checks `failing` lists fail, warn and error, naming only the counts there are:
    '2 checks fail, 1 warns and 8 cannot be judged (error) of 21'."""
    counts = Counter(r.status for r in failing(evaluation))
    parts = []
    for status, one, several in COUNTED:
        if n := counts[status]:
            parts.append(f"{plural(n, 'check') if not parts else f'{n:,}'} {verb(n, one, several)}")
    total = len(evaluation.results)
    return f"{named(parts)} of {total}" if parts else f"None of the {total} checks fails, warns or errors"


FAILS = "the evidence says it fails"
DISAGREES = "its authenticity evidence disagrees"


@dataclass(frozen=True)
class Overclaim:
    """A team answered `yes` to a check its own evidence fails, or whose authenticity evidence disagrees."""

    team: str
    check_id: str
    title: str
    summary: str  # why: the failing check's summary, or the authenticity evidence against the `yes`
    because: str = FAILS


def overclaims(answers, results_by_team: dict[str, Evaluation]) -> tuple[Overclaim, ...]:
    """Answers in force that say `yes` where the team's evaluation of the same check is `fail`, or where
    the check's authenticity evidence for the team disagrees (`culture.brand_voice`: its latest week's
    AI text reads poorly or its AI volume jumped), whatever the check's own status."""
    found = []
    for answer in answers:
        evaluation = results_by_team.get(answer.team)
        if answer.answer != "yes" or answer.stale or evaluation is None:
            continue
        result = evaluation.result(answer.check_id)
        if result.status is Status.FAIL:
            found.append(Overclaim(answer.team, answer.check_id, result.title, result.summary))
        elif flags := authenticity_flags(result.metrics, answer.team):
            found.append(Overclaim(answer.team, answer.check_id, result.title, "; ".join(flags), DISAGREES))
    return tuple(found)
