"""Each week is evaluated once per load and team, and a page with a history computes its weeks in one pass."""

from __future__ import annotations

from trust import engine
from trust.ui import weeks


def test_a_page_with_a_history_computes_its_weeks_in_one_pass_and_others_reuse_them(demo_extracts, app, monkeypatch):
    passes: list[tuple[list, set]] = []
    evaluate_cells = engine.evaluate_cells

    def counted(db, extracts, settings, cells, evidence_cells, *args, **kwargs):
        if all(c.team is None for c in cells):  # the team-by-check grid is its own pass
            passes.append(([c.as_of for c in cells], {c.as_of for c in evidence_cells}))
        return evaluate_cells(db, extracts, settings, cells, evidence_cells, *args, **kwargs)

    monkeypatch.setattr(engine, "evaluate_cells", counted)
    weeks.weeks.clear()
    at = app(demo_extracts, "pages/overview.py")
    assert len(passes) == 1, passes  # this week, the one before and the six before those: one pass
    days, listed = passes[0]
    assert len(days) == 8 and listed == {max(days)}
    at.switch_page("pages/check.py").run()  # its 12 weeks: only the four older ones are new
    assert not at.exception
    assert len(passes) == 2 and len(passes[1][0]) == 4 and max(passes[1][0]) < min(days) and not passes[1][1]
    for page in ("pages/approvals.py", "pages/checklist.py", "pages/signal-quality.py", "pages/overview.py"):
        at.switch_page(page).run()
        assert not at.exception
    assert len(passes) == 2, passes[2:]
