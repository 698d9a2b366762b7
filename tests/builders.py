"""Tiny extracts built from Python literals, in every form the contract allows."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from trust.extracts.contract import TABLES, ColumnType, Table, table

Rows = list[dict[str, object]]

D = date(2026, 11, 22)

# A small, healthy organisation: every required table, one or a few rows each.
HEALTHY: dict[str, Rows] = {
    "customers": [
        {"snapshot_date": D, "customer_id": "C1", "language": "en", "region": "NA",
         "consent_email": True, "consent_sms": True, "consent_push": False,
         "lifecycle_stage": "active", "customer_status": "active",
         "updated_at": datetime(2026, 11, 1, 9, 30), "source_system": "crm"},
        {"snapshot_date": D, "customer_id": "C2", "language": "es", "region": "EMEA",
         "consent_email": True, "consent_sms": None, "consent_push": True,
         "lifecycle_stage": "onboarding", "customer_status": "active",
         "updated_at": datetime(2026, 11, 2, 10, 0), "source_system": "web"},
    ],
    "field_registry": [
        {"field_name": "language", "description": "Preferred language", "risk": "high",
         "authoritative_source": "crm", "owner": "Data team", "population_method": "form",
         "allowed_values": ["en", "es"], "max_staleness_days": 730, "last_reviewed": date(2026, 6, 1)},
    ],
    "journeys": [
        {"journey_id": "J1", "name": "Welcome", "team": "crm", "owner": "Ana", "channel": "email",
         "language": "en", "lifecycle_stages": ["active", "onboarding"], "status": "live",
         "go_live_at": datetime(2026, 11, 1, 8, 0)},
    ],
    "journey_audience": [{"journey_id": "J1", "customer_id": "C1"}],
    "content_items": [
        {"item_id": "I1", "team": "crm", "channel": "email", "context": "standard",
         "ai_generated": True, "model_confidence": 0.9, "makes_commitment": False, "owner": "E1",
         "ai_label_applied": True, "created_at": datetime(2026, 11, 10, 9, 0),
         "published_at": datetime(2026, 11, 10, 12, 0), "body": "Hello"},
    ],
    "audit_events": [
        {"event_id": "A1", "item_id": "I1", "event_type": "recommended", "actor": "model",
         "actor_role": "system", "occurred_at": datetime(2026, 11, 10, 9, 0), "note": None},
        {"event_id": "A2", "item_id": "I1", "event_type": "approved", "actor": "E2",
         "actor_role": "marketing_lead", "occurred_at": datetime(2026, 11, 10, 11, 0), "note": "ok"},
        {"event_id": "A3", "item_id": "I1", "event_type": "published", "actor": "cms",
         "actor_role": "system", "occurred_at": datetime(2026, 11, 10, 12, 0), "note": None},
    ],
    "decision_rights": [
        {"channel": "*", "context": "standard", "approval_required": True,
         "approver_roles": ["marketing_lead"], "label_required": False},
    ],
    "staff": [
        {"employee_id": "E1", "name": "Ana", "team": "crm", "role": "marketer", "uses_ai": True,
         "active": True},
        {"employee_id": "E2", "name": "Ben", "team": "crm", "role": "marketing_lead",
         "uses_ai": True, "active": True},
    ],
    "training": [
        {"employee_id": "E1", "course_id": "AIS-1", "category": "ai_safety",
         "completed_on": date(2026, 9, 1)},
    ],
    "forecasts": [
        {"model_id": "M1", "model_name": "Revenue", "team": "crm", "owner": "Ben",
         "period_start": date(2026, 10, 1), "predicted": 100.0, "actual": 95.0, "tolerance": 0.15},
    ],
    "pilots": [
        {"pilot_id": "P1", "name": "Email agent", "workflow": "crm email", "team": "crm",
         "owner": "Ben", "start_date": date(2026, 10, 1), "end_date": date(2026, 10, 21),
         "primary_metric": "ctr", "primary_target": 0.05, "primary_result": 0.06,
         "supporting_metric": "conversions", "supporting_target": 100.0,
         "supporting_result": 120.0, "risk_metric": "error_rate", "risk_limit": 0.01,
         "risk_result": 0.002, "decision": "scale"},
    ],
    "measurement_methods": [
        {"metric": "market_awareness", "kind": "intangible", "team": "brand", "owner": "Cy",
         "baseline_value": 0.04, "baseline_date": date(2026, 1, 1), "method": "regression",
         "documentation_url": "https://wiki.example/awareness", "run_count": 3,
         "last_run": date(2026, 10, 1)},
    ],
    "advocacy_participants": [
        {"employee_id": "E1", "team": "crm", "joined_on": date(2026, 7, 1), "left_on": None},
    ],
    "advocacy_nudges": [
        {"nudge_id": "N1", "sent_on": date(2026, 11, 16), "recommended_posts": 3,
         "includes_stats": True},
    ],
    "advocacy_shares": [
        {"share_id": "S1", "employee_id": "E1", "post_id": "P9", "nudge_id": "N1",
         "shared_on": date(2026, 11, 17), "approved_content": True, "engagements": 12},
    ],
    "claims": [
        {"claim_id": "CL1", "item_id": "I1", "claim_text": "Half the time to first reply", "claim_type": "result",
         "evidence_url": "https://wiki.example/reply-study", "evidence_kind": "internal_data",
         "evidence_date": date(2026, 6, 1), "expires_on": date(2027, 6, 1), "reviewed_by": "E2",
         "reviewer_role": "legal", "approved_at": datetime(2026, 11, 10, 10, 0)},
    ],
    "brand_incidents": [
        {"incident_id": "BI1", "kind": "lookalike_domain", "channel": "web", "severity": "high",
         "detected_at": datetime(2026, 11, 3, 8, 0), "contained_at": datetime(2026, 11, 3, 15, 0),
         "resolved_at": datetime(2026, 11, 5, 9, 0), "owner": "E2"},
    ],
}

_ARROW = {
    ColumnType.TEXT: pa.string(), ColumnType.INTEGER: pa.int64(), ColumnType.DOUBLE: pa.float64(),
    ColumnType.BOOLEAN: pa.bool_(), ColumnType.DATE: pa.date32(),
    ColumnType.TIMESTAMP: pa.timestamp("us"), ColumnType.LIST: pa.list_(pa.string()),
}


def csv_cell(value: object) -> str:
    """A value spelled the way the contract asks CSV extracts to spell it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "|".join(str(v) for v in value)
    return str(value)


def write_csv(path: Path, columns: Iterable[str], rows: Iterable[Mapping[str, object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = list(columns)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([csv_cell(row.get(c)) for c in columns])
    return path


def write_parquet(path: Path, spec: Table, columns: Iterable[str], rows: list[Mapping[str, object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = list(columns)
    arrays = [pa.array([r.get(c) for r in rows], type=_ARROW[spec.column(c).type]) for c in columns]
    pq.write_table(pa.Table.from_arrays(arrays, names=columns), path)
    return path


def write_table(root: Path, name: str, rows: Rows, form: str = "csv",
                columns: Iterable[str] | None = None) -> None:
    """Write one table as `csv`, `parquet`, `folder-csv`, `folder-parquet` or `hive` (by snapshot)."""
    spec = table(name)
    # An optional column is written only when some row gives it, as an export without it would be.
    columns = list(columns) if columns is not None else [
        c.name for c in spec.columns if not c.optional or any(c.name in r for r in rows)]
    if form in ("csv", "parquet"):
        _write(root / f"{name}.{form}", spec, columns, rows, form)
    elif form in ("folder-csv", "folder-parquet"):
        fmt = form.split("-")[1]
        half = max(1, len(rows) // 2)
        _write(root / name / f"part-0.{fmt}", spec, columns, rows[:half], fmt)
        if rows[half:]:
            _write(root / name / f"part-1.{fmt}", spec, columns, rows[half:], fmt)
    elif form.startswith("hive"):
        fmt = "csv" if form.endswith("csv") else "parquet"
        key = spec.columns[0].name
        inner = [c for c in columns if c != key]
        for value in sorted({r[key] for r in rows}, key=str):
            part = [r for r in rows if r[key] == value]
            _write(root / name / f"{key}={csv_cell(value)}" / f"part-0.{fmt}", spec, inner, part, fmt)
    else:
        raise ValueError(form)


def _write(path: Path, spec: Table, columns: list[str], rows: Rows, fmt: str) -> None:
    if fmt == "csv":
        write_csv(path, columns, rows)
    else:
        write_parquet(path, spec, columns, rows)


def write_extracts(root: Path, tables: Mapping[str, Rows] | None = None, form: str = "csv",
                   skip: Iterable[str] = ()) -> Path:
    """A complete extracts folder: HEALTHY, with `tables` replacing whole tables."""
    data = {**HEALTHY, **(tables or {})}
    skip = set(skip)
    root.mkdir(parents=True, exist_ok=True)
    for spec in TABLES:
        if spec.name in data and spec.name not in skip:
            write_table(root, spec.name, data[spec.name], form)
    return root


def rows(con, sql: str, *params) -> list[tuple]:
    """The rows of a statement on a DuckDB connection, with positional parameters."""
    return con.execute(sql, list(params)).fetchall()


def one(con, sql: str, *params):
    """The first value of a statement on a DuckDB connection."""
    return con.execute(sql, list(params)).fetchone()[0]


def demo_views(con, root: Path) -> None:
    """Plain DuckDB views over a written demo's files, read the way a warehouse user would read them."""
    from trust.demo.writer import file_name

    for name in (t.name for t in TABLES):
        path = root / file_name(name)
        if name == "customers":
            source = f"read_parquet('{path}/*/*.parquet', hive_partitioning = true)"
        elif path.suffix == ".parquet":
            source = f"read_parquet('{path}')"
        else:
            source = f"read_csv('{path}', header = true)"
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM {source}")
