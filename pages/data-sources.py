"""Data sources: each table of the extract contract, its files, rows, snapshots and errors."""

import pandas as pd
import streamlit as st

from trust.extracts.inventory import freshness
from trust.extracts.loading import OK
from trust.ui import widgets
from trust.ui.frame import frame
from trust.views.markdown import markdown_text

inventory = frame().inventory

st.title("Data sources")
st.caption("Engine: " + markdown_text(inventory.engine) + ".")
st.caption(f"Extracts folder `{inventory.root}` · read {inventory.loaded_at:%Y-%m-%d %H:%M} UTC · "
           + freshness(inventory.latest_snapshot, pd.Timestamp.now(tz="UTC").date()))

errors = inventory.errors
broken = [t.name for t in inventory.tables if t.errors]
if errors:
    st.error(f"{len(errors)} contract error{'s' if len(errors) != 1 else ''} in "
             f"{', '.join(broken)}. Checks that need these tables report an error; the others run.")
else:
    st.success("Every table meets the extract contract.")

overview = pd.DataFrame([{
    "Table": t.name,
    "Status": widgets.table_status(t.status),
    "Required": "yes" if t.required else "optional",
    "Files": len(t.files),
    "Rows": t.rows if t.status == OK else None,
    "Errors": len(t.errors),
} for t in inventory.tables])
st.dataframe(overview, hide_index=True, width="stretch", key="data_sources.tables",
             column_config={"Rows": st.column_config.NumberColumn(format="localized")})

st.subheader("Customer snapshots")
if inventory.snapshots:
    snapshots = pd.DataFrame(inventory.snapshots, columns=["Snapshot date", "Customers"])
    st.dataframe(snapshots.sort_values("Snapshot date", ascending=False), hide_index=True,
                 width="stretch", key="data_sources.snapshots")
else:
    st.info("No customer snapshot could be read, so signal-quality checks cannot run.")

if errors:
    st.subheader("Contract errors")
    st.dataframe(pd.DataFrame([{
        "Table": e.table, "Column": e.column, "File": e.file, "Line/row": e.row,
        "Problem": e.problem, "Expected": e.expected, "Found": e.found,
    } for e in errors]), hide_index=True, width="stretch", key="data_sources.errors")

st.subheader("Files")
for t in inventory.tables:
    with st.expander(f"{t.name} — {len(t.files)} file{'s' if len(t.files) != 1 else ''}"):
        if t.files:
            st.code("\n".join(t.files), language=None)
        else:
            st.write("No file found." if t.required else "Not provided (optional table).")
