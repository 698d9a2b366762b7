"""The demo with Markdown and HTML planted where data and people put text: a journey's owner and a staff name
(the extracts), an answer's comment and who gave it, and a review's note (the state store)."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

from trust.state import assessments
from trust.state.access import Identity
from trust.state.store import Store

HOST = "planted.invalid"
PLANT = (f"![px](http://{HOST}/px.png) [click](http://{HOST}/phish) **BOLD** <img src=http://{HOST}/i.png> "
         f"<b>b</b> www.{HOST} :smile: $x$ :red[red] -- ->")
OWNER = f"Owner {PLANT}"  # of JRN-CRM-03, which fails pre-flight
NAME = f"Mateo {PLANT}"  # the staff name of Mateo Rossi, who owns a failing check
COMMENT = f"Comment {PLANT}"  # crm's n/a to culture.workload_redesign, quoted in its summary
NOTE = f"Note {PLANT}"  # a review of an anomaly
ANSWERED_BY = Identity(f"ana@{HOST}", f"Ana {PLANT}", "leadership")  # an e-mail claim: an autolink in GFM
CHECK = "culture.workload_redesign"


def _rewrite(path: Path, key: str, match: str, column: str, value: str) -> None:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert any(r[key] == match for r in rows), (path.name, match)
    for row in rows:
        if row[key] == match:
            row[column] = value
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def extracts(demo: Path, folder: Path) -> Path:
    """A copy of the demo whose journeys.csv and staff.csv hold the planted text."""
    shutil.copytree(demo, folder)
    _rewrite(folder / "journeys.csv", "journey_id", "JRN-CRM-03", "owner", OWNER)
    _rewrite(folder / "staff.csv", "name", "Mateo Rossi", "name", NAME)
    return folder


def state(path: Path, key: Path) -> None:
    """The state store at `path` with crm's answer (its comment) and an anomaly review (its note)."""
    store = Store(path, key)
    try:
        assessments.save_answers(store, ANSWERED_BY, "crm", [assessments.AnswerInput(CHECK, "n/a", COMMENT)])
        assessments.save_review(store, ANSWERED_BY, "language", "en", date(2026, 11, 22), NOTE)
    finally:
        store.close()
