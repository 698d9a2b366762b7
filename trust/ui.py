"""The app's cached loaders and small render helpers: the only module of trust/ that imports streamlit."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from pydantic import ValidationError

from trust.db import Database
from trust.errors import ExtractsUnavailable
from trust.inventory import Inventory, take_inventory
from trust.settings import Settings, load_settings

TABLE_STATUS = {
    "ok": ("✅", "OK"),
    "broken": ("⛔", "Error"),
    "absent": ("➖", "Not provided"),
}


def _ttl() -> int:
    try:
        return load_settings().cache_ttl_seconds
    except ValidationError:
        return Settings.model_fields["cache_ttl_seconds"].default


def settings() -> Settings:
    """The settings in force; a bad setting stops the page with a message, not a trace."""
    try:
        return load_settings()
    except ValidationError as exc:
        error = exc.errors()[0]
        name = "TRUST_" + "_".join(str(p) for p in error["loc"]).upper()
        st.error(f"The setting `{name}` is invalid: {error['msg']}.")
        st.stop()


@st.cache_resource(show_spinner=False)
def _database(root: str, memory_limit: str, threads: int) -> Database:
    """The one DuckDB connection of this process for one extracts folder."""
    return Database(Path(root), memory_limit, threads)


def database(config: Settings) -> Database:
    """The database for the extracts in force, writing the demo on first use."""
    try:
        if config.uses_demo and not config.extracts_path.exists():
            from trust.demo import write_demo

            with st.spinner("Writing the demo extracts (first use)…"):
                write_demo(config.extracts_path)
        return _database(str(config.extracts_path.resolve()), config.memory_limit, config.threads)
    except ExtractsUnavailable as exc:
        st.error(f"The extracts cannot be read: {exc}. Point `TRUST_EXTRACTS` at a folder of extracts.")
        st.stop()


@st.cache_data(show_spinner="Reading the extracts…", ttl=_ttl(), max_entries=8)
def _inventory(root: str, memory_limit: str, threads: int, fingerprint: str) -> Inventory:
    db = _database(root, memory_limit, threads)
    return take_inventory(db, db.load())


def inventory(config: Settings) -> Inventory:
    """Tables, files, rows, snapshots and contract errors, cached on the extracts' fingerprint."""
    db = database(config)
    try:
        fingerprint = db.fingerprint()
    except ExtractsUnavailable as exc:
        st.error(f"The extracts cannot be read: {exc}.")
        st.stop()
    return _inventory(str(db.root), config.memory_limit, config.threads, fingerprint)


def table_status(status: str) -> str:
    """A table's status as icon and word, so it never depends on colour alone."""
    icon, label = TABLE_STATUS[status]
    return f"{icon} {label}"
