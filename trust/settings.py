"""The one place where settings and their defaults live (environment `TRUST_*`, `.env`, flags)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from trust.engine_settings import EngineSettings

DEMO_EXTRACTS = Path(".trust/demo-extracts")


class Settings(EngineSettings):
    """Every setting of the app and the `trust` command, with its default and meaning."""

    model_config = SettingsConfigDict(
        env_prefix="TRUST_", env_file=".env", env_file_encoding="utf-8", extra="ignore",
        frozen=True,
    )

    # Locations
    extracts: Path | None = Field(
        None,
        description="Folder of warehouse extracts. Unset: the demo extracts in "
        "`.trust/demo-extracts`, generated on first use.",
    )
    state: Path = Field(
        Path(".trust/state.db"),
        description="SQLite file for self-assessments, anomaly reviews and their audit log "
        "(created on first use).",
    )

    # Sign-in, roles and the audit log
    roles_file: Path | None = Field(
        None, description="CSV of `email,role,teams` (role: leadership, team_lead or viewer; teams "
        "pipe-separated). Used when sign-in is configured."
    )
    default_role: str | None = Field(
        None, pattern=r"^(leadership|team_lead|viewer)$",
        description="Role given to a signed-in user missing from the roles file; unset: such users are refused.",
    )
    app_url: str = Field(
        "http://localhost:8501", min_length=1,
        description="The dashboard's address, for the links of the weekly pack (each page with its week and team).",
    )
    smtp_host: str | None = Field(
        None, description="SMTP server that sends the weekly pack (`trust report --send-to`); unset: sending is "
        "refused with a message.",
    )
    smtp_port: int = Field(587, ge=1, le=65535, description="Port of the SMTP server.")
    smtp_user: str | None = Field(None, description="User to log in to the SMTP server as; unset: no login.")
    smtp_password: SecretStr | None = Field(
        None, description="Password of the SMTP user; never printed, logged or shown in an error.",
    )
    smtp_from: str | None = Field(None, description="The sender address of the weekly pack.")
    smtp_starttls: bool = Field(True, description="Upgrade the SMTP connection with STARTTLS before logging in.")
    local_user: str = Field(
        "local user", min_length=1,
        description="Name shown for the single user of local mode (no sign-in configured), who has full rights.",
    )
    audit_key_file: Path = Field(
        Path(".trust/audit.key"),
        description="Secret key of the audit log's hash chain, kept outside the database (created on first "
        "use); its `.head` file records the latest entry so truncation is detected.",
    )
    assessment_max_age_days: int = Field(
        90, ge=1, description="A self-assessment answer older than this counts as not assessed (stale).",
    )

    # Layer 1: signal quality
    field_review_max_days: int = Field(
        365, ge=1, description="A high-risk field mapping reviewed longer ago than this warns "
        "(`signal.field_ownership`)."
    )
    preflight_blocking_tolerance: int = Field(
        0, ge=0, description="A journey fails pre-flight when more audience members than this "
        "are blocked."
    )
    preflight_warning_share: float = Field(
        0.05, ge=0, le=1, description="A journey warns when more than this share of its "
        "audience has a warning."
    )
    field_score_pass: float = Field(
        90, ge=0, le=100, description="A high-risk field scoring below this warns (`signal.field_quality`)."
    )
    field_score_warn: float = Field(
        80, ge=0, le=100, description="A high-risk field scoring below this fails (`signal.field_quality`)."
    )
    duplicate_fail_share: float = Field(
        0.001, ge=0, le=1, description="Duplicate customer IDs above this share of the snapshot's rows fail "
        "`signal.field_quality`; any duplicate warns."
    )
    anomaly_min_shift: float = Field(
        0.05, ge=0, le=1, description="Smallest move of a value's share from its baseline "
        "(as a fraction: 0.05 = 5 percentage points) that can be an anomaly."
    )
    anomaly_sigmas: float = Field(
        3.0, gt=0, description="A share must also move by more than this many standard "
        "deviations of its baseline to be an anomaly."
    )
    anomaly_baseline_snapshots: int = Field(
        8, ge=1, description="How many previous snapshots form an anomaly baseline."
    )
    anomaly_min_baseline: int = Field(
        3, ge=2, description="Fewest previous snapshots needed before anomalies are judged."
    )
    anomaly_row_count_shift: float = Field(
        0.20, gt=0, description="A snapshot's row count moving by more than this fraction "
        "from its baseline mean is an anomaly."
    )
    anomaly_lookback_snapshots: int = Field(
        8, ge=1, description="Anomalies in this many latest snapshots must be reviewed "
        "(`signal.anomaly_review`)."
    )
    anomaly_review_days: int = Field(
        7, ge=0, description="Days after its snapshot within which an anomaly must be reviewed."
    )

    # Layer 2: governance
    autonomy_forbidden_contexts: Annotated[tuple[str, ...], NoDecode] = Field(
        ("crisis", "sensitive"), description="Contexts whose decision-rights rules must require a person's "
        "approval (comma-separated); a rule for one of them that does not fails `governance.decision_rights`."
    )
    approval_warn_rate: float = Field(
        0.98, ge=0, le=1, description="Approval compliance below 1 but at least this warns; "
        "below it fails."
    )
    audit_pass_rate: float = Field(
        0.99, ge=0, le=1, description="Audit completeness at or above this passes."
    )
    audit_warn_rate: float = Field(
        0.95, ge=0, le=1, description="Audit completeness at or above this (and below the "
        "pass rate) warns."
    )

    # Layer 3: human accountability
    escalation_confidence: float = Field(
        0.6, ge=0, le=1, description="Published AI items with a model confidence below this "
        "must have been escalated."
    )
    escalation_warn_rate: float = Field(
        0.95, ge=0, le=1, description="Share of low-confidence items escalated at or above "
        "which the escalation check warns rather than fails."
    )
    commitment_owner_warn_rate: float = Field(
        0.95, ge=0, le=1, description="Share of commitments with an active owner at or above "
        "which the check warns rather than fails."
    )
    crisis_max_median_hours: float = Field(
        4.0, gt=0, description="Median hours from recommendation to publication for crisis "
        "items above which `accountability.crisis_comms` warns."
    )
    crisis_window_days: int = Field(
        90, ge=1, description="`accountability.crisis_comms` judges the crisis items published in this many "
        "days up to the as-of date."
    )

    # Credibility (the playbook's layer 4; it gates no readiness stage)
    claim_reviewer_roles: Annotated[tuple[str, ...], NoDecode] = Field(
        ("legal", "compliance"), description="Reviewer roles whose approval of a claim counts (comma-separated; "
        "`credibility.claims_substantiated`)."
    )
    claim_evidence_max_months: int = Field(
        24, ge=1, description="A claim whose evidence is older than this many months warns."
    )
    claim_expiry_warn_days: int = Field(
        30, ge=0, description="A claim whose evidence expires within this many days of the as-of date warns."
    )
    incident_window_days: int = Field(
        90, ge=1, description="Brand incidents detected in this many days up to the as-of date are judged, with "
        "every incident still open (`credibility.impersonation_response`)."
    )
    incident_contain_hours: float = Field(
        24, gt=0, description="A high-severity incident not contained within this many hours of detection fails."
    )
    incident_warn_hours: float = Field(
        72, gt=0, description="A medium-severity incident not contained within this many hours of detection warns."
    )
    incident_open_warn_days: int = Field(
        30, ge=1, description="An incident open (not resolved) longer than this warns."
    )
    fake_new_share_fail: float = Field(
        0.05, ge=0, le=1, description="A share of new customers flagged as suspected fakes above this fails "
        "`credibility.fake_accounts`."
    )
    fake_new_share_warn: float = Field(
        0.02, ge=0, le=1, description="A share of new customers flagged as suspected fakes above this warns."
    )
    fake_unscreened_warn_share: float = Field(
        0.10, ge=0, le=1, description="A share of new customers never screened (suspected_fake empty) above this "
        "warns."
    )

    # Layer 4: measurement
    pilot_max_days: int = Field(21, ge=1, description="A pilot longer than this warns.")
    pilot_decision_days: int = Field(
        14, ge=0, description="A pilot without a decision this many days after its end warns."
    )
    default_tolerance: float = Field(
        0.15, gt=0, description="Allowed relative variance of a forecast when its row sets "
        "none (the 15% rule)."
    )
    tolerance_lookback_periods: int = Field(
        3, ge=0, description="A breach in this many periods before a model's latest one warns."
    )
    intangible_min_runs: int = Field(
        2, ge=1, description="An intangible measurement run fewer times than this warns."
    )
    intangible_max_age_days: int = Field(
        180, ge=1, description="An intangible measurement not run within this many days warns."
    )

    # Layer 5: culture and capability
    upskilling_pass_rate: float = Field(
        0.8, ge=0, le=1, description="Share of active AI-using staff trained in AI safety at or "
        "above which upskilling passes."
    )
    upskilling_warn_rate: float = Field(
        0.5, ge=0, le=1, description="Share at or above which upskilling warns rather than fails."
    )
    voice_min_reading_ease: float = Field(50.0, description="A team's yes to `culture.brand_voice` is overclaimed "
                                          "when its latest week's AI text has a median Flesch reading ease below this.")
    voice_volume_ratio: float = Field(1.5, gt=0, description="A yes to `culture.brand_voice` is overclaimed when the "
                                      "team's weekly AI volume is over this many times its median of the weeks before.")
    voice_window_weeks: int = Field(8, ge=1, description="Weeks before a week whose median AI volume it is "
                                    "compared with (and weeks of authenticity evidence shown before the latest).")
    advocacy_window_weeks: int = Field(
        8, ge=1, description="Weeks of the advocacy programme judged by `culture.advocacy_cadence`."
    )
    advocacy_fail_gap_days: int = Field(
        14, ge=1, description="A gap between nudges (or since the last one) longer than this fails."
    )
    advocacy_warn_gap_days: int = Field(
        8, ge=1, description="A gap between nudges longer than this warns."
    )
    advocacy_posts_min: int = Field(3, ge=0, description="Fewest recommended posts per nudge.")
    advocacy_posts_max: int = Field(4, ge=0, description="Most recommended posts per nudge.")
    advocacy_active_share: float = Field(
        0.5, ge=0, le=1, description="Fewer than this share of current participants sharing "
        "in the last weeks warns."
    )
    advocacy_active_weeks: int = Field(
        4, ge=1, description="Weeks over which advocacy participation is counted."
    )
    advocacy_target_min: int = Field(20, ge=0, description="Low end of the participant target.")
    advocacy_target_max: int = Field(25, ge=0, description="High end of the participant target.")
    advocacy_evaluation_months_min: int = Field(
        4, ge=0, description="Start of the evaluation window, in months after launch."
    )
    advocacy_evaluation_months_max: int = Field(
        5, ge=0, description="End of the evaluation window, in months after launch."
    )

    # App
    cache_ttl_seconds: int = Field(
        600, ge=0, description="How long the app keeps computed results before re-reading."
    )

    @field_validator("autonomy_forbidden_contexts", "claim_reviewer_roles", mode="before")
    @classmethod
    def _contexts(cls, value: object) -> object:
        """`crisis, sensitive` from the environment; a list or tuple as given in code."""
        if isinstance(value, str):
            return tuple(part.strip().lower() for part in value.split(",") if part.strip())
        return value

    @field_validator("field_score_warn", mode="after")
    @classmethod
    def _below_pass(cls, value: float, info) -> float:
        passing = info.data.get("field_score_pass")
        if passing is not None and value > passing:
            raise ValueError(f"must not exceed TRUST_FIELD_SCORE_PASS ({passing:g})")
        return value

    @field_validator("extracts", "state", "roles_file", "audit_key_file", mode="after")
    @classmethod
    def _expand(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None

    @property
    def extracts_path(self) -> Path:
        """The extracts folder in force: the configured one, else the demo folder."""
        return self.extracts if self.extracts is not None else DEMO_EXTRACTS

    @property
    def uses_demo(self) -> bool:
        return self.extracts is None


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment and `.env`, with command-line flags on top."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
