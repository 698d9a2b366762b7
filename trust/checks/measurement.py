"""Layer 4, measurement: bounded pilots, tolerances on predictive models, repeatable intangibles."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import timedelta

from trust.checks.model import Check, Status, Verdict, blank, named, owners, plural
from trust.checks.pilots import decision, proven_pilots, scaled_unproven
from trust.facts.measurement import MEASUREMENT, Forecast, MeasurementFacts, Pilot
from trust.facts.model import evidence
from trust.settings import Settings


def _runs(n: int) -> str:
    return {0: "never run", 1: "run once", 2: "run twice"}.get(n, f"run {n} times")


def _pilot(p: Pilot) -> str:
    return f"{p.pilot_id} ({p.name})" if p.name else p.pilot_id


def pilot_criteria(facts: MeasurementFacts, settings: Settings) -> Verdict:
    # A pilot with no start date is judged too: nothing places its start after D (and it warns).
    started = [p for p in facts.pilots if p.start_date is None or p.start_date <= facts.as_of]
    if not started:
        return Verdict(Status.NOT_ASSESSED, "No pilot has started.", metrics={"pilots": 0, "proven_pilots": []})
    rows, failing, warning = [], [], []
    for p in started:
        fails = [text for text, bad in (
            ("no primary metric or target", blank(p.primary_metric, p.primary_target)),
            ("no risk metric or limit", blank(p.risk_metric, p.risk_limit))) if bad]
        fails += [f"scaled although it {why}" for why in scaled_unproven(p)]
        days = (p.end_date - p.start_date).days + 1 if p.end_date and p.start_date else None
        overdue = (decision(p) is None and p.end_date is not None
                   and facts.as_of > p.end_date + timedelta(days=settings.pilot_decision_days))
        warns = [text for text, bad in (
            ("no supporting metric or target", blank(p.supporting_metric, p.supporting_target)),
            ("no start date", p.start_date is None),
            ("no end date", p.end_date is None),
            (f"lasts {days} days (over {settings.pilot_max_days})",
             days is not None and days > settings.pilot_max_days),
            (f"no decision {(facts.as_of - p.end_date).days if p.end_date else 0} days after its end", overdue),
        ) if bad]
        if fails:
            failing.append((p, fails))
        elif warns:
            warning.append((p, warns))
        if fails or warns:
            rows.append((p.pilot_id, p.name, p.team, p.owner, p.start_date, p.end_date, days, p.decision,
                         "; ".join(fails + warns)))
    proven = proven_pilots(started, facts.as_of)
    metrics = {"pilots": len(started), "failing": len(failing), "warning": len(warning),
               "healthy": len(started) - len(rows), "proven_pilots": list(proven)}
    found = evidence("pilots", ("pilot_id", "name", "team", "owner", "start_date", "end_date", "days", "decision",
                                "problem"), rows)
    score = 100 * (len(started) - len(rows)) / len(started)
    basis = f"of {plural(len(started), 'started pilot')} bounded, with clear criteria and a sound decision"
    if failing:
        return Verdict(Status.FAIL, f"{plural(len(failing), 'pilot')} without a primary outcome or a risk limit, "
                       "or scaled without meeting its criteria: "
                       + named(f"{_pilot(p)}: {'; '.join(why)}" for p, why in failing) + ".",
                       score, metrics, owners(p.owner for p, _ in failing), found, basis)
    if warning:
        return Verdict(Status.WARN, f"{plural(len(warning), 'pilot')} unbounded, over-long, undecided or missing a "
                       "supporting outcome: " + named(f"{_pilot(p)}: {'; '.join(why)}" for p, why in warning) + ".",
                       score, metrics, owners(p.owner for p, _ in warning), found, basis)
    return Verdict(Status.PASS, f"All {plural(len(started), 'pilot')} are bounded with clear criteria.", score,
                   metrics, evidence=found, score_of=basis)


def variance(row: Forecast) -> float:
    """Relative variance of a forecast against its actual: |actual - predicted| / |actual| (infinite with no
    prediction: an unknown variance is never within a tolerance)."""
    if row.predicted is None:
        return math.inf
    if row.actual == 0:
        return 0.0 if row.predicted == 0 else math.inf
    return abs(row.actual - row.predicted) / abs(row.actual)


def tolerances(facts: MeasurementFacts, settings: Settings) -> Verdict:
    by_model: dict[str, list[Forecast]] = defaultdict(list)
    for row in facts.forecasts:  # a period with an actual and no prediction counts: its variance is unknown
        if row.period_start is not None and row.period_start <= facts.as_of and row.actual is not None:
            by_model[row.model_id].append(row)
    if not by_model:
        return Verdict(Status.NOT_ASSESSED, "No model has a forecast with an actual to compare.",
                       metrics={"models": 0})
    rows, failing, warning = [], [], []
    for model_id, history in sorted(by_model.items()):
        history.sort(key=lambda r: r.period_start)
        latest = history[-1]
        tolerance = latest.tolerance if latest.tolerance is not None else settings.default_tolerance
        latest_variance = variance(latest)
        earlier = history[-1 - settings.tolerance_lookback_periods:-1] if settings.tolerance_lookback_periods else []
        recent_breaches = [r for r in earlier
                           if variance(r) > (r.tolerance if r.tolerance is not None else settings.default_tolerance)]
        problem = []
        if latest.predicted is None:  # nothing shows the model's latest output was within tolerance
            problem.append(f"no prediction for its latest period, so its variance cannot be shown within "
                           f"its {tolerance:.0%} tolerance")
            failing.append(latest)
        elif latest_variance > tolerance:
            problem.append(f"latest variance {latest_variance:.1%} over its {tolerance:.0%} tolerance")
            failing.append(latest)
        else:
            if recent_breaches:
                problem.append(f"breached its tolerance in {plural(len(recent_breaches), 'earlier period')}")
            if latest.tolerance is None:
                problem.append(f"no tolerance defined ({settings.default_tolerance:.0%} applied)")
            if problem:
                warning.append(latest)
        if problem:
            shown = None if latest.predicted is None else round(latest_variance, 4)
            rows.append((model_id, latest.model_name, latest.team, latest.owner, latest.period_start,
                         latest.predicted, latest.actual, shown, tolerance, "; ".join(problem)))
    within = len(by_model) - len(failing)
    metrics = {"models": len(by_model), "within_tolerance": within, "breaching": len(failing),
               "warning": len(warning)}
    found = evidence("models", ("model_id", "model_name", "team", "owner", "period_start", "predicted", "actual",
                                "variance", "tolerance", "problem"), rows)
    score = 100 * within / len(by_model)
    basis = f"of {plural(len(by_model), 'model')} within tolerance in their latest period"
    problems = {r[0]: r[9] for r in rows}
    if failing:
        return Verdict(Status.FAIL, f"{plural(len(failing), 'model')} outside tolerance in the latest period: "
                       + named(f"{r.model_id} ({problems[r.model_id]})" for r in failing) + ".",
                       score, metrics, owners(r.owner for r in failing), found, basis)
    if warning:
        return Verdict(Status.WARN, f"{plural(len(warning), 'model')} with a recent breach or no tolerance set: "
                       + named(f"{r.model_id} ({problems[r.model_id]})" for r in warning) + ".",
                       score, metrics, owners(r.owner for r in warning), found, basis)
    return Verdict(Status.PASS, f"All {plural(len(by_model), 'model')} within tolerance.", score, metrics,
                   evidence=found, score_of=basis)


def intangibles(facts: MeasurementFacts, settings: Settings) -> Verdict:
    metrics_in_scope = [m for m in facts.methods if (m.kind or "").lower() == "intangible"
                        and (m.baseline_date is None or m.baseline_date <= facts.as_of)]
    if not metrics_in_scope:
        return Verdict(Status.NOT_ASSESSED, "No intangible outcome is registered.", metrics={"intangibles": 0})
    # Within the N days up to the as-of date, counting it (CHECKS.md, common rules).
    oldest = facts.as_of - timedelta(days=settings.intangible_max_age_days)
    rows, failing, warning = [], [], []
    for m in metrics_in_scope:
        fails = [t for t, bad in (("no method", blank(m.method)),
                                  ("no documentation", blank(m.documentation_url))) if bad]
        warns = [t for t, bad in (
            ("no baseline", blank(m.baseline_value, m.baseline_date)),
            (_runs(m.run_count or 0), (m.run_count or 0) < settings.intangible_min_runs),
            ("never run" if m.last_run is None else f"last run {m.last_run.isoformat()}",
             m.last_run is None or m.last_run <= oldest),
        ) if bad]
        if fails:
            failing.append(m)
        elif warns:
            warning.append(m)
        if fails or warns:
            rows.append((m.metric, m.team, m.owner, m.method, m.run_count, m.last_run, "; ".join(fails + warns)))
    metrics = {"intangibles": len(metrics_in_scope), "failing": len(failing), "warning": len(warning)}
    found = evidence("metrics", ("metric", "team", "owner", "method", "run_count", "last_run", "problem"), rows)
    score = 100 * (len(metrics_in_scope) - len(rows)) / len(metrics_in_scope)
    basis = f"of {plural(len(metrics_in_scope), 'intangible outcome')} measured with a documented, repeated method"
    problems = {(r[0], r[1]): r[6] for r in rows}
    if failing:
        return Verdict(Status.FAIL, f"{plural(len(failing), 'intangible outcome')} measured without a documented "
                       "method: " + named(f"{m.metric} ({problems[(m.metric, m.team)]})" for m in failing) + ".",
                       score, metrics, owners(m.owner for m in failing), found, basis)
    if warning:
        return Verdict(Status.WARN, f"{plural(len(warning), 'intangible outcome')} not yet measured repeatedly "
                       "or recently: " + named(f"{m.metric} ({problems[(m.metric, m.team)]})" for m in warning)
                       + ".", score, metrics, owners(m.owner for m in warning), found, basis)
    return Verdict(Status.PASS, f"All {plural(len(metrics_in_scope), 'intangible outcome')} have a documented, "
                   "repeated method.", score, metrics, evidence=found, score_of=basis)


CHECKS = (
    Check(
        id="measurement.pilot_criteria", layer="measurement", title="Pilots with success criteria",
        question="Does each pilot start with clear success measures, a risk limit and a time box?",
        why="A small experiment with an end date teaches a team a lot while putting little at risk, provided "
            "the outcome was defined before it began: one primary and one supporting result, and a risk metric "
            "such as error rate or approval compliance. A pilot that runs on, or ends without a decision, "
            "is a rollout nobody agreed to.",
        remediation="Before a pilot starts, record its primary and supporting metrics with targets and a risk "
                    "metric with its limit (and which way is good for each); keep it to three weeks, record "
                    "the decision (scale, stop or extend) within two weeks of its end, and scale only a pilot "
                    "that met its primary target and stayed within its risk limit.",
        facts=MEASUREMENT, tables=("pilots",), stages=(2,), settings=("pilot_max_days", "pilot_decision_days"),
        evaluate=pilot_criteria,
    ),
    Check(
        id="measurement.tolerances", layer="measurement", title="Tolerances on predictive outputs",
        question="Does every predictive model have an agreed error tolerance that someone watches?",
        why="A predictive model is defensible when its acceptable error is set in advance and watched: a "
            "variance threshold such as 15% lets leaders stand behind its numbers and catches drift before "
            "decisions are built on it.",
        remediation="Set a tolerance for every model, escalate to the model's owner when the latest period "
                    "is outside it, and investigate drift (data, seasonality, retraining) before its "
                    "forecasts are used again.",
        facts=MEASUREMENT, tables=("forecasts",), stages=(2,),
        settings=("default_tolerance", "tolerance_lookback_periods"),
        evaluate=tolerances,
    ),
    Check(
        id="measurement.intangibles", layer="measurement", title="Intangibles measured repeatably",
        question="Are hard-to-price outcomes measured with a documented method that is run again and again?",
        why="Outcomes such as awareness or trust can be measured credibly when the method is clear: a "
            "baseline, a documented method such as regression, and runs repeated over time. Leadership "
            "support is easier to keep when the methodology can be shown.",
        remediation="For each intangible outcome, record the baseline and its date, the method and a link to "
                    "its documentation, and run it on a schedule (at least twice, and within six months).",
        facts=MEASUREMENT, tables=("measurement_methods",), stages=(),
        settings=("intangible_min_runs", "intangible_max_age_days"), evaluate=intangibles,
    ),
)
