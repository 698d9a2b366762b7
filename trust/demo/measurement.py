"""Measurement: forecasts against actuals, bounded pilots and methods for intangible outcomes."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np

from trust.demo.timeline import Timeline

DOCS = "https://intranet.example.com/measurement/"
PERIODS = 12

# (model_id, name, team, owner, cadence, tolerance, level, decimals, plant). Planted:
# FC-CRM-REV's latest closed period is 22% over (fails the 15% rule); FC-BRD-SOV breached
# 19% two periods before its latest (warns); FC-GRW-CHURN has no tolerance (warns).
MODELS = (
    ("FC-BRD-SOV", "Share of voice", "brand", "E039", "monthly", 0.15, 0.18, 4, "recent_breach"),
    ("FC-CRM-OPEN", "Email open rate", "crm", "E015", "monthly", 0.10, 0.31, 4, None),
    ("FC-CRM-REV", "CRM-attributed revenue", "crm", "E014", "monthly", 0.15, 1_250_000.0, 2,
     "drift"),
    ("FC-GRW-CHURN", "Churned customers", "growth", "E056", "monthly", None, 2_400.0, 0, None),
    ("FC-GRW-LEADS", "Qualified leads", "growth", "E057", "weekly", 0.20, 850.0, 0, None),
)
DRIFT_VARIANCE = 0.22
RECENT_BREACH_VARIANCE = 0.19


def _periods(tl: Timeline, cadence: str) -> list[date]:
    """Period starts, oldest first; the last one contains `latest` and is still open."""
    if cadence == "weekly":
        monday = tl.latest - timedelta(days=tl.latest.weekday())
        return [monday - timedelta(weeks=PERIODS - 1 - k) for k in range(PERIODS)]
    months = [(tl.latest.year * 12 + tl.latest.month - 1) - (PERIODS - 1 - k)
              for k in range(PERIODS)]
    return [date(m // 12, m % 12 + 1, 1) for m in months]


def forecast_rows(tl: Timeline, rng: np.random.Generator) -> list[dict]:
    rows = []
    for model_id, name, team, owner, cadence, tol, level, decimals, plant in MODELS:
        limit = tol if tol is not None else 0.15
        for k, start in enumerate(_periods(tl, cadence)):
            actual = level * (1 + 0.06 * math.sin(k / 2) + rng.normal(0, 0.02))
            error = rng.uniform(-0.6, 0.6) * limit
            closed = PERIODS - 2  # the latest period with an actual
            if plant == "drift" and k == closed:
                error = DRIFT_VARIANCE
            if plant == "recent_breach" and k == closed - 2:
                error = -RECENT_BREACH_VARIANCE
            rows.append({"model_id": model_id, "model_name": name, "team": team, "owner": owner,
                         "period_start": start,
                         "predicted": round(actual * (1 + error), decimals),
                         "actual": round(actual, decimals) if k <= closed else None,
                         "tolerance": tol})
    return rows


def pilot_rows(tl: Timeline) -> list[dict]:
    """Seven pilots: one clean and proven (scaled), one without a risk metric, one of 28 days, one
    without a decision well after its end, one in progress, one not started yet, and one scaled
    although it missed its primary target."""
    def pilot(pid, name, workflow, team, owner, start, days, primary, supporting, risk, decision,
              risk_direction=None):
        begin = tl.date_before(start)
        row = {"pilot_id": pid, "name": name, "workflow": workflow, "team": team, "owner": owner,
               "start_date": begin, "end_date": begin + timedelta(days=days - 1)}
        for prefix, (metric, target, result) in (("primary", primary), ("supporting", supporting),
                                                 ("risk", risk)):
            limit = "limit" if prefix == "risk" else "target"
            row |= {f"{prefix}_metric": metric, f"{prefix}_{limit}": target,
                    f"{prefix}_result": result}
        return row | {"decision": decision, "primary_direction": None, "supporting_direction": None,
                      "risk_direction": risk_direction}

    none = (None, None, None)
    return [
        # Approval compliance is a risk metric where more is better: its direction says so.
        pilot("PIL-01", "Send-time agent for CRM email and push", "crm_messaging", "crm", "E001",
              70, 21, ("click_through_rate", 0.035, 0.041), ("unsubscribe_rate", 0.003, 0.0024),
              ("approval_compliance", 0.98, 0.995), "scale", risk_direction="higher"),
        pilot("PIL-02", "Social caption generator", "social_content", "growth", "E041", 60, 21,
              ("engagement_rate", 0.04, 0.046), ("posts_per_week", 12.0, 14.0), none, "extend"),
        pilot("PIL-03", "Subject-line generator", "email_content", "brand", "E021", 100, 28,
              ("open_rate", 0.30, 0.29), ("hours_to_draft", 2.0, 1.2), ("error_rate", 0.02, 0.011),
              "stop"),
        pilot("PIL-04", "Churn-save offer recommender", "retention", "crm", "E002", 51, 21,
              ("save_rate", 0.12, 0.15), ("offer_cost_per_save", 40.0, 36.5),
              ("complaint_rate", 0.005, 0.003), None),
        pilot("PIL-05", "Push timing optimiser", "crm_messaging", "growth", "E042", 10, 21,
              ("open_rate", 0.08, None), ("opt_out_rate", 0.002, None),
              ("error_rate", 0.01, None), None),
        pilot("PIL-06", "Brand voice checker", "content_review", "brand", "E022", -14, 21,
              ("voice_score", 0.85, None), ("review_hours_saved", 20.0, None),
              ("false_flag_rate", 0.05, None), None),
        pilot("PIL-07", "Offer copy generator", "email_content", "growth", "E043", 60, 21,
              ("conversion_rate", 0.025, 0.021), ("replies", 40.0, 52.0),
              ("complaint_rate", 0.004, 0.002), "scale"),
    ]


def method_rows(tl: Timeline) -> list[dict]:
    """market_awareness is the playbook's example: a 4% baseline, regression, run five times."""
    def method(metric, kind, team, owner, baseline, since, how, runs, last):
        return {"metric": metric, "kind": kind, "team": team, "owner": owner,
                "baseline_value": baseline, "baseline_date": tl.date_before(since),
                "method": how, "documentation_url": f"{DOCS}{metric.replace('_', '-')}",
                "run_count": runs, "last_run": tl.date_before(last)}

    return [
        method("advocacy_reach", "intangible", "growth", "E056", 1200.0, 137, "panel", 4, 14),
        method("brand_trust_index", "intangible", "brand", "E021", 0.62, 60, "survey", 1, 60),
        method("crm_attributed_revenue", "revenue", "crm", "E014", 1_180_000.0, 365, "holdout",
               12, 22),
        method("market_awareness", "intangible", "brand", "E039", 0.04, 300, "regression", 5, 21),
    ]
