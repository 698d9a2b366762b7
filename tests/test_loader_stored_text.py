"""Text read in place as the Parquet file stores it, where the file's statistics show no empty value."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.builders import write_extracts
from trust.extracts import inplace
from trust.extracts.contract import table
from trust.extracts.layout import inspect_all
from trust.extracts.sources import locate

STAFF = {"employee_id": ["E1", "E2", "E3"], "name": ["Ana", "Bo", "Cy"], "team": ["crm"] * 3, "role": ["x"] * 3,
         "uses_ai": [True] * 3, "active": [True] * 3}


def layout(folder, names, statistics=True, row_group_size=None):
    pq.write_table(pa.table({**STAFF, "name": names}), folder / "staff.parquet", write_statistics=statistics,
                   row_group_size=row_group_size)
    with duckdb.connect() as cursor:
        layouts, errors = inspect_all(cursor, table("staff"), locate(folder, table("staff")).files)
        assert not errors
        return layouts[0], inplace.as_stored(layouts[0], inplace.statistics(cursor, layouts[0]))


@pytest.mark.parametrize(("names", "statistics", "row_group_size", "bare"), [
    (["Ana", "Bo", "Cy"], True, None, True),
    (["Ana", None, " "], True, None, True),  # a null, or a value of spaces, is read alike either way
    ([None, None, "Cy"], True, 2, True),  # a row group of nulls only has no smallest value, and needs none
    (["Ana", "", "Cy"], True, None, False),  # '' must become NULL
    (["Ana", "Bo", "Cy"], False, None, False),  # without statistics nothing is shown
], ids=["values", "null and spaces", "a row group of nulls", "an empty value", "no statistics"])
def test_text_is_read_as_stored_only_where_the_statistics_show_no_empty_value(tmp_path, names, statistics,
                                                                              row_group_size, bare):
    before, after = layout(tmp_path, names, statistics, row_group_size)
    source = before.sources["name"]
    assert before.conversions["name"].typed == f"NULLIF({source}, '')"
    assert after.conversions["name"].typed == (source if bare else before.conversions["name"].typed)
    assert after.conversions["team"].typed == (after.sources["team"] if statistics else
                                               before.conversions["team"].typed)
    assert after.conversions["uses_ai"] == before.conversions["uses_ai"]  # only text has '' to read as NULL


def test_an_empty_text_value_in_place_is_still_no_value(tmp_path, open_db):
    """The same rows whichever way a column is read: '' is NULL, spaces are kept."""
    root = write_extracts(tmp_path / "x", skip=["staff"])
    for file, names in (("with an empty name", ["Ana", "", " "]), ("without", ["Ana", None, " "])):
        pq.write_table(pa.table({**STAFF, "name": names}), root / "staff.parquet")
        db = open_db(root)
        extracts = db.load()
        assert extracts.table("staff").ok, file
        with db.cursor(extracts) as cursor:
            assert cursor.execute("SELECT name FROM staff ORDER BY employee_id").fetchall() == [
                ("Ana",), (None,), (" ",)], file
