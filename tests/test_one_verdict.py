"""One verdict everywhere: the app and `trust check` give every check the same status on the same
extracts and state store, with or without alert_reviews, with or without a store."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from trust.checks.registry import CHECKS
from trust.cli import main
from trust.settings import Settings
from trust.state import assessments
from trust.state.access import local_identity
from trust.state.store import Store

WORDS = {"Pass": "pass", "Warn": "warn", "Fail": "fail", "Not assessed": "not_assessed", "Error": "error"}


def in_app(app, root: Path, **params: str) -> dict[str, str]:
    """Each check's status as the checklist page shows it (icon and word on its link)."""
    at = app(root, "pages/checklist.py", **params)
    shown = {}
    for link in at.get("page_link"):
        query = dict(pair.split("=") for pair in link.proto.query_string.split("&"))
        label = link.proto.label
        shown[query["check"]] = next(status for word, status in WORDS.items() if f" {word} · " in label)
    return shown


def in_cli(root: Path, capsys, *args: str) -> dict[str, str]:
    main(["check", "--extracts", str(root), "--format", "json", *args])
    return {c["id"]: c["status"] for c in json.loads(capsys.readouterr().out)["checks"]}


@pytest.fixture
def without_reviews(demo_extracts, tmp_path) -> Path:
    """The demo without alert_reviews: an absent optional table means no review was recorded."""
    root = tmp_path / "extracts"
    shutil.copytree(demo_extracts, root)
    (root / "alert_reviews.csv").unlink()
    return root


def test_without_alert_reviews_or_a_store_unreviewed_anomalies_still_count(without_reviews, capsys):
    assert not Path(os.environ["TRUST_STATE"]).exists()
    statuses = in_cli(without_reviews, capsys)
    assert statuses["signal.anomaly_review"] == "fail"  # never not_assessed for want of a review record
    assert not Path(os.environ["TRUST_STATE"]).exists()  # the command line never creates the store


@pytest.mark.parametrize("store", ["no store", "store with a review and answers"])
def test_the_app_and_the_command_line_agree_on_every_check(without_reviews, app, capsys, store):
    if store != "no store":
        settings = Settings()
        state = Store(settings.state, settings.audit_key_file)
        me = local_identity("local user")
        anomaly = next(c for c in json.loads(_json(without_reviews, capsys))["anomalies"] if c["kind"] == "opt_out")
        from datetime import date

        assessments.save_review(state, me, anomaly["field"], anomaly["value"],
                                date.fromisoformat(anomaly["snapshot_date"]), "feed fixed")
        assessments.save_answers(state, me, "crm", [assessments.AnswerInput("culture.brand_voice", "yes"),
                                                    assessments.AnswerInput("measurement.tolerances", "yes")])
        assessments.save_answers(state, me, "brand", [assessments.AnswerInput("culture.brand_voice", "partly")])
    cli = in_cli(without_reviews, capsys)
    shown = in_app(app, without_reviews)
    assert set(shown) == {c.id for c in CHECKS}
    assert shown == cli
    for team in ("crm", "brand"):
        assert in_app(app, without_reviews, team=team) == in_cli(without_reviews, capsys, "--team", team)
    if store != "no store":
        assert cli["culture.brand_voice"] == "warn"  # brand said partly, growth has not answered
        review = next(c for c in json.loads(_json(without_reviews, capsys))["checks"]
                      if c["id"] == "signal.anomaly_review")
        assert review["metrics"]["reviewed"] == 1  # the review made in the dashboard counts on the command line


def _json(root: Path, capsys) -> str:
    main(["check", "--extracts", str(root), "--format", "json"])
    return capsys.readouterr().out


def test_an_extract_review_dated_after_the_week_counts_nowhere(without_reviews, app, capsys):
    """Every anomaly reviewed in time, but the opt-out spike only after the week: it is still overdue,
    with or without a state store (whose presence once let 'now' stand for the extract rows too)."""
    from datetime import date, timedelta

    anomalies = json.loads(_json(without_reviews, capsys))["anomalies"]
    rows = ["field,value,snapshot_date,reviewed_by,reviewed_at,note"]
    for a in anomalies:
        on = "2026-11-25 09:00:00" if a["kind"] == "opt_out" else \
            f"{date.fromisoformat(a['snapshot_date']) + timedelta(days=1)} 09:00:00"
        rows.append(f"{a['field']},{a['value'] or ''},{a['snapshot_date']},E015,{on},checked")
    (without_reviews / "alert_reviews.csv").write_text("\n".join(rows) + "\n")
    before_store = in_cli(without_reviews, capsys)["signal.anomaly_review"]
    Store(Settings().state, Settings().audit_key_file)  # the app creates the store on first use
    assert before_store == in_cli(without_reviews, capsys)["signal.anomaly_review"] == \
        in_app(app, without_reviews)["signal.anomaly_review"] == "fail"


def test_a_field_scoring_89_96_reads_89_9_in_the_app_the_json_and_the_pack(tmp_path, app, capsys):
    """One high-risk field at exactly 89.96 (validity 1747/2500) warns below 90: its score and the
    signal-quality score (their mean) read 89.9 everywhere, never the threshold."""
    from datetime import datetime

    from tests.builders import D, write_extracts

    customers = [{"snapshot_date": D, "customer_id": f"C{i + 1}", "language": "en" if i < 1747 else "xx",
                  "region": "NA", "consent_email": True, "consent_sms": True, "consent_push": True,
                  "lifecycle_stage": "active", "customer_status": "active",
                  "updated_at": datetime(2026, 11, 1, 9, 30), "source_system": "crm"} for i in range(2500)]
    root = write_extracts(tmp_path / "x", {"customers": customers})
    result = json.loads(_json(root, capsys))
    quality = next(c for c in result["checks"] if c["id"] == "signal.field_quality")
    assert [s["score"] for s in result["signal_scores"]] == [89.9] and quality["status"] == "warn"
    assert result["signal_score"] == quality["score"] == 89.9 and "language 89.9" in quality["summary"]
    for form in ("md", "html"):
        main(["report", "--extracts", str(root), "--format", form, "--out", "-"])
        pack = capsys.readouterr().out
        assert "89.9" in pack and "90.0" not in pack
    assert {m.label: m.value for m in app(root, "pages/signal-quality.py").metric}["Signal-quality score"] == "89.9"
    assert {m.label: m.value for m in app(root, "pages/overview.py").metric}["Signal-quality score"] == "89.9"
