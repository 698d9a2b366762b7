"""The Data sources page shows every table, its rows and snapshots, and names contract errors."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.builders import write_extracts
from trust.extracts.contract import TABLES


@pytest.fixture
def sources(app):
    """The Data sources page on a folder of extracts."""
    return lambda root: app(root, "pages/data-sources.py")


def _tables(at: AppTest):
    frame = next(df.value for df in at.dataframe if "Table" in df.value.columns and "Required" in df.value.columns)
    return frame.set_index("Table")


def test_healthy_extracts_list_every_table_with_rows(tmp_path, sources):
    at = sources(write_extracts(tmp_path / "ok"))
    assert not at.exception
    tables = _tables(at)
    assert len(tables) == len(TABLES)
    assert tables.loc["customers", "Rows"] == 2
    assert tables.loc["staff", "Status"] == "✅ OK"
    assert tables.loc["alert_reviews", "Status"] == "➖ Not provided"
    assert any("Every table meets the extract contract" in s.value for s in at.success)
    snapshots = next(df.value for df in at.dataframe if "Snapshot date" in df.value.columns)
    assert snapshots["Customers"].tolist() == [2]


def test_a_broken_table_is_named_and_the_rest_still_load(tmp_path, sources):
    root = write_extracts(tmp_path / "bad")
    (root / "staff.csv").write_text("employee_id,name\nE1,Ana\n")
    at = sources(root)
    assert not at.exception
    tables = _tables(at)
    assert tables.loc["staff", "Status"] == "⛔ Error"
    assert tables.loc["customers", "Status"] == "✅ OK"
    assert any("staff" in e.value for e in at.error)
    errors = next(df.value for df in at.dataframe if "Problem" in df.value.columns)
    assert set(errors["Column"]) == {"team", "role", "uses_ai", "active"}
    assert set(errors["File"]) == {"staff.csv"}


def test_a_missing_extracts_folder_is_a_message_not_a_trace(tmp_path, sources):
    at = sources(tmp_path / "nowhere")
    assert not at.exception
    errors = " ".join(e.value for e in at.error).replace("\\", "")
    assert "TRUST_EXTRACTS" in errors and "does not exist" in errors
