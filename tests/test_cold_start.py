"""A cold server's first page imports only what it draws with: the Overview shows no table and no PDF until
asked, so its first run never pays for pandas, WeasyPrint or kaleido (issue 12's first Overview)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

APP = Path(__file__).parents[1] / "app.py"
HEAVY = ("pandas", "weasyprint", "kaleido", "pyspark", "sqlglot")

SCRIPT = f"""
import sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({str(APP)!r}, default_timeout=120)
at.run()
assert not at.exception, [e.message for e in at.exception]
assert [t.value for t in at.title] == ["Weekly trust review"], [t.value for t in at.title]
assert at.get("plotly_chart"), "the layer trend is drawn"
print(sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r})))
"""


def test_the_first_overview_of_a_cold_process_imports_no_table_or_pdf_library(demo_extracts, tmp_path):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TRUST_")}
    environment.update(TRUST_EXTRACTS=str(demo_extracts), TRUST_STATE=str(tmp_path / "state.db"),
                       TRUST_AUDIT_KEY_FILE=str(tmp_path / "audit.key"), TRUST_FACTS_CACHE=str(tmp_path / "facts"))
    run = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300,
                         env=environment, cwd=APP.parent)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.strip().splitlines()[-1] == "[]"
