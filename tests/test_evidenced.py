"""Credibility has its own line beside the readiness stage and gates none; a layer with nothing assessed is
named under "not yet evidenced", with the missing registers, on the Overview, in the text report and the pack."""

from __future__ import annotations

from tests.builders import HEALTHY, write_extracts
from trust.checks.model import Status
from trust.cli import main
from trust.engine import evaluate
from trust.settings import Settings
from trust.views.evidenced import credibility, credibility_line, not_evidenced
from trust.views.markdown import markdown_text


def _evaluate(open_db, root):
    db = open_db(root)
    return evaluate(db, db.load(), Settings(), None)


def test_without_registers_credibility_is_not_yet_evidenced_and_names_them(tmp_path, open_db):
    evaluation = _evaluate(open_db, write_extracts(tmp_path, skip=["claims", "brand_incidents"]))
    gap = next(g for g in not_evidenced(evaluation) if g.layer.layer == "credibility")
    assert gap.missing_registers
    summaries = " ".join(r.summary for r in gap.checks)
    for register in ("makes_claim", "brand_incidents", "suspected_fake"):
        assert register in summaries
    assert "not yet evidenced" in credibility_line(credibility(evaluation))


def test_a_failing_credibility_check_holds_back_no_stage(tmp_path, open_db):
    late = {**HEALTHY["brand_incidents"][0], "contained_at": HEALTHY["brand_incidents"][0]["detected_at"].replace(
        day=6)}
    evaluation = _evaluate(open_db, write_extracts(tmp_path, {"brand_incidents": [late]}))
    assert evaluation.result("credibility.impersonation_response").status is Status.FAIL
    assert not [b for b in evaluation.readiness.blockers if b.id.startswith("credibility.")]
    assert credibility(evaluation).status is Status.FAIL
    assert "score 0.0, 1 of 3 checks assessed" in credibility_line(credibility(evaluation))
    assert "credibility" not in [g.layer.layer for g in not_evidenced(evaluation)]


def test_the_overview_report_and_pack_show_the_line_and_the_gap(tmp_path, app, capsys):
    root = write_extracts(tmp_path, skip=["claims", "brand_incidents"])
    at = app(root, "pages/overview.py")
    text = " ".join(m.value for m in at.markdown)
    assert "Credibility, which gates no readiness stage: not yet evidenced" in text
    assert "Not yet evidenced: Credibility" in text
    assert any(markdown_text("brand_incidents") in c.value for c in at.caption)  # a summary is text
    assert main(["check", "--extracts", str(root)]) in (0, 1)
    assert "Credibility, which gates no readiness stage" in capsys.readouterr().out
    assert main(["report", "--extracts", str(root), "--format", "md", "--out", "-"]) == 0
    pack = capsys.readouterr().out
    assert "Not yet evidenced" in pack and "brand\\_incidents register" in pack
