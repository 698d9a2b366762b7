"""The warehouse extract contract of EXTRACTS.md as data: every table, column and type."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ColumnType(StrEnum):
    """The types a contract column can have; each maps to one DuckDB type."""

    TEXT = "text"
    INTEGER = "integer"
    DOUBLE = "double"
    BOOLEAN = "boolean"
    DATE = "date"
    TIMESTAMP = "timestamp"
    LIST = "list"

    @property
    def duckdb_type(self) -> str:
        return _DUCKDB_TYPES[self]

    @property
    def expected(self) -> str:
        """How the type is described to a person in an error message."""
        return _EXPECTED[self]


_DUCKDB_TYPES = {
    ColumnType.TEXT: "VARCHAR",
    ColumnType.INTEGER: "BIGINT",
    ColumnType.DOUBLE: "DOUBLE",
    ColumnType.BOOLEAN: "BOOLEAN",
    ColumnType.DATE: "DATE",
    ColumnType.TIMESTAMP: "TIMESTAMP",
    ColumnType.LIST: "VARCHAR[]",
}

_EXPECTED = {
    ColumnType.TEXT: "text",
    ColumnType.INTEGER: "a whole number such as 3, between -2^63 and 2^63 - 1",
    ColumnType.DOUBLE: "a finite number such as 0.15",
    ColumnType.BOOLEAN: "a boolean: true/false, 1/0 or yes/no",
    ColumnType.DATE: "an ISO-8601 date such as 2026-11-23",
    ColumnType.TIMESTAMP: "an ISO-8601 timestamp such as 2026-11-23T14:05:00Z or 2026-11-23 14:05:00",
    ColumnType.LIST: "a pipe-separated list such as a|b|c",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    not_null: bool = False
    # Optional columns may be absent from a file; they then read as NULL.
    optional: bool = False
    # A text column limited to these values (compared in lower case); empty = any text.
    choices: tuple[str, ...] = ()

    @property
    def expected(self) -> str:
        """What a value of this column must look like, for error messages."""
        if self.choices:
            return "one of " + ", ".join(self.choices)
        return self.type.expected + (", never empty" if self.not_null else "")


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    required: bool = True
    # An extract with a header and no rows is more often a failed export than an empty
    # table, so it is an error unless the table can legitimately be empty.
    may_be_empty: bool = False

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"table {self.name} has no column {name!r} in the contract")


T, INT, D, B, DT, TS, L = (
    ColumnType.TEXT,
    ColumnType.INTEGER,
    ColumnType.DOUBLE,
    ColumnType.BOOLEAN,
    ColumnType.DATE,
    ColumnType.TIMESTAMP,
    ColumnType.LIST,
)


OPTIONAL = "optional"
# Which way is good for a pilot's metric (EXTRACTS.md, pilots).
DIRECTIONS = ("higher", "lower")
# A journey's coded columns (EXTRACTS.md, journeys): pre-flight picks its journeys by status and a member's
# consent by channel, so a value outside these is an error, never a journey silently left out.
JOURNEY_CHANNELS = ("email", "sms", "push")
JOURNEY_STATUSES = ("draft", "scheduled", "live", "paused", "ended")
# The credibility registers' coded columns (EXTRACTS.md, credibility registers).
CLAIM_TYPES = ("statistic", "comparison", "superlative", "testimonial", "result", "other")
EVIDENCE_KINDS = ("study", "case_study", "publication", "internal_data", "other")
INCIDENT_KINDS = ("impersonation", "fake_account", "deepfake", "lookalike_domain", "disinformation", "other")
SEVERITIES = ("high", "medium", "low")


def _cols(*spec: tuple) -> tuple[Column, ...]:
    """Columns from (name, type[, True (never empty)][, OPTIONAL][, (choice, ...)]) tuples."""
    out = []
    for name, type_, *flags in spec:
        choices = next((f for f in flags if isinstance(f, tuple)), ())
        out.append(Column(name, type_, not_null=True in flags, optional=OPTIONAL in flags, choices=choices))
    return tuple(out)


TABLES: tuple[Table, ...] = (
    Table("customers", _cols(
        ("snapshot_date", DT, True), ("customer_id", T, True), ("language", T), ("region", T),
        ("consent_email", B), ("consent_sms", B), ("consent_push", B), ("lifecycle_stage", T),
        ("customer_status", T), ("updated_at", TS), ("source_system", T),
        ("suspected_fake", B, OPTIONAL),
    )),
    Table("field_registry", _cols(
        ("field_name", T, True), ("description", T), ("risk", T), ("authoritative_source", T),
        ("owner", T), ("population_method", T), ("allowed_values", L),
        ("max_staleness_days", INT), ("last_reviewed", DT),
    )),
    Table("journeys", _cols(
        ("journey_id", T, True), ("name", T), ("team", T), ("owner", T), ("channel", T, JOURNEY_CHANNELS),
        ("language", T), ("lifecycle_stages", L), ("status", T, JOURNEY_STATUSES), ("go_live_at", TS),
        ("regions", L, OPTIONAL),
    )),
    Table("journey_audience", _cols(
        ("journey_id", T, True), ("customer_id", T, True), ("snapshot_date", DT, True, OPTIONAL),
    )),
    Table("content_items", _cols(
        ("item_id", T, True), ("team", T), ("channel", T), ("context", T), ("ai_generated", B),
        ("model_confidence", D), ("makes_commitment", B), ("owner", T), ("ai_label_applied", B),
        ("created_at", TS), ("published_at", TS), ("body", T, OPTIONAL), ("makes_claim", B, OPTIONAL),
    )),
    Table("audit_events", _cols(
        ("event_id", T, True), ("item_id", T, True), ("event_type", T), ("actor", T),
        ("actor_role", T), ("occurred_at", TS), ("note", T, OPTIONAL),
    )),
    Table("decision_rights", _cols(
        ("channel", T, True), ("context", T, True), ("approval_required", B),
        ("approver_roles", L), ("label_required", B),
    )),
    Table("staff", _cols(
        ("employee_id", T, True), ("name", T), ("team", T), ("role", T), ("uses_ai", B),
        ("active", B),
    )),
    Table("training", _cols(
        ("employee_id", T, True), ("course_id", T), ("category", T), ("completed_on", DT),
    )),
    Table("forecasts", _cols(
        ("model_id", T, True), ("model_name", T), ("team", T), ("owner", T),
        ("period_start", DT), ("predicted", D), ("actual", D), ("tolerance", D),
    )),
    Table("pilots", _cols(
        ("pilot_id", T, True), ("name", T), ("workflow", T), ("team", T), ("owner", T),
        ("start_date", DT), ("end_date", DT), ("primary_metric", T), ("primary_target", D),
        ("primary_result", D), ("supporting_metric", T), ("supporting_target", D),
        ("supporting_result", D), ("risk_metric", T), ("risk_limit", D), ("risk_result", D),
        ("decision", T), ("primary_direction", T, OPTIONAL, DIRECTIONS),
        ("supporting_direction", T, OPTIONAL, DIRECTIONS), ("risk_direction", T, OPTIONAL, DIRECTIONS),
    )),
    Table("measurement_methods", _cols(
        ("metric", T, True), ("kind", T), ("team", T), ("owner", T), ("baseline_value", D),
        ("baseline_date", DT), ("method", T), ("documentation_url", T), ("run_count", INT),
        ("last_run", DT),
    )),
    Table("advocacy_participants", _cols(
        ("employee_id", T, True), ("team", T), ("joined_on", DT), ("left_on", DT),
    )),
    Table("advocacy_nudges", _cols(
        ("nudge_id", T, True), ("sent_on", DT), ("recommended_posts", INT), ("includes_stats", B),
    )),
    Table("advocacy_shares", _cols(
        ("share_id", T, True), ("employee_id", T), ("post_id", T), ("nudge_id", T),
        ("shared_on", DT), ("approved_content", B), ("engagements", INT),
    )),
    Table("alert_reviews", _cols(
        ("field", T), ("value", T), ("snapshot_date", DT), ("reviewed_by", T),
        ("reviewed_at", TS), ("note", T, OPTIONAL),
    ), required=False, may_be_empty=True),
    # The credibility registers (layer 4). Absent, the checks that judge them are not assessed.
    Table("claims", _cols(
        ("claim_id", T, True), ("item_id", T), ("claim_text", T), ("claim_type", T, CLAIM_TYPES),
        ("evidence_url", T), ("evidence_kind", T, EVIDENCE_KINDS), ("evidence_date", DT), ("expires_on", DT),
        ("reviewed_by", T), ("reviewer_role", T), ("approved_at", TS),
    ), required=False, may_be_empty=True),
    Table("brand_incidents", _cols(
        ("incident_id", T, True), ("kind", T, INCIDENT_KINDS), ("channel", T), ("severity", T, SEVERITIES),
        ("detected_at", TS), ("contained_at", TS), ("resolved_at", TS), ("owner", T),
    ), required=False, may_be_empty=True),
)

TABLE_NAMES: tuple[str, ...] = tuple(t.name for t in TABLES)
_BY_NAME = {t.name: t for t in TABLES}


def table(name: str) -> Table:
    """The contract of one table; a name outside the contract is refused, never used as a path."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise UnknownTable(name) from None


class UnknownTable(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(
            f"{name!r} is not a table of the extract contract; expected one of: "
            + ", ".join(TABLE_NAMES)
        )
        self.name = name
