"""What a session runs on: the settings, the DuckDB connection and the state store of this process, and who
the user is (the sign-in screens)."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from pydantic import ValidationError

from trust import configuration
from trust.configuration import ConfigProblem
from trust.databases import open_database
from trust.engine_settings import EngineSettings
from trust.extracts.database import Database
from trust.extracts.errors import ExtractsUnavailable
from trust.extracts.loading import Extracts
from trust.settings import Settings, load_settings
from trust.state.access import Identity, identify, local_identity
from trust.state.store import Store
from trust.ui.gate import Blocked
from trust.views.markdown import markdown_text


def _ttl() -> int:
    try:
        return load_settings().cache_ttl_seconds
    except ValidationError:
        return Settings.model_fields["cache_ttl_seconds"].default


TTL = _ttl()


@dataclass(frozen=True)
class Key:
    """Every input that changes a computed result, so the caches never serve one computed from other inputs."""

    root: str
    memory_limit: str
    threads: int
    fingerprint: str
    settings_json: str
    revision: int = 0  # of the state store: changes with every saved answer or review


# The settings last read, with what they were read from (see `settings`).
_read: tuple[tuple, Settings] | None = None


def _sources() -> tuple:
    """What the settings are read from: the working folder's `.env` (its bytes) and every `TRUST_` variable
    of the environment (names in any case, as pydantic-settings matches them)."""
    try:
        dotenv = Path(".env").read_bytes()
    except OSError:
        dotenv = None
    return os.getcwd(), dotenv, tuple(sorted((k, v) for k, v in os.environ.items() if k[:6].upper() == "TRUST_"))


def settings() -> Settings:
    """The settings in force; a bad setting is a ConfigProblem (its page names it), not a trace. Read again
    only when the environment or `.env` changed: every page run asks, and reading cost a few milliseconds."""
    global _read
    sources = _sources()
    if _read is not None and _read[0] == sources:
        return _read[1]
    try:
        found = load_settings()
        _read = (sources, found)
        return found
    except ValidationError as exc:
        error = exc.errors()[0]
        name = "TRUST_" + "_".join(str(p) for p in error["loc"]).upper()
        raise ConfigProblem(name, f"the value is invalid: {error['msg']}",
                            "correct it in the environment or in .env, then reload the page") from None


@st.cache_resource(show_spinner=False)
def _database(root: str, memory_limit: str, threads: int, engine: str = "{}") -> Database:
    """The one database of this process for one extracts folder and engine (DuckDB's connection, or Spark's
    session); `engine` is the JSON of the engine settings."""
    config = EngineSettings.model_validate_json(engine) if engine != "{}" else EngineSettings()
    if config.engine == "duckdb":
        return Database(Path(root), memory_limit, threads, config.facts_cache)
    settings = Settings.model_validate({**config.model_dump(), "memory_limit": memory_limit, "threads": threads,
                                        "extracts": root})
    return open_database(settings)


def engine_key(config: Settings) -> str:
    return EngineSettings.model_validate(config.model_dump(include=set(EngineSettings.model_fields))).model_dump_json()


def database(config: Settings) -> Database:
    """The database for the extracts in force, writing the demo on first use."""
    configuration.extracts(config)
    try:
        if config.uses_demo and not config.reads_catalog and not config.extracts_path.exists():
            from trust.demo import write_demo

            with st.spinner("Writing the demo extracts (first use)…"):
                write_demo(config.extracts_path)
        return _database(str(config.extracts_path.resolve()), config.memory_limit, config.threads, engine_key(config))
    except ExtractsUnavailable as exc:
        configuration.extracts(config, exc)
        raise


class ExtractsChanged(Exception):
    """A new export landed while a run was drawing its page: the run starts again on the new one."""


def opened(key: Key) -> tuple[Database, Extracts, Settings]:
    """The database, its load and the settings a cache key stands for. A load of other files than the key's
    (a new export since the run began) is refused: cached under this key, its results would show on a page
    beside results of the old files."""
    config = Settings.model_validate_json(key.settings_json)
    db = _database(key.root, key.memory_limit, key.threads, engine_key(config))
    extracts = db.load()
    if extracts.fingerprint != key.fingerprint:
        raise ExtractsChanged(f"the extracts changed during this run ({key.fingerprint} -> {extracts.fingerprint})")
    return db, extracts, config


@st.cache_resource(show_spinner=False)
def state_store(path: str, key_path: str) -> Store:
    """The state store: it keeps one SQLite connection per thread, so it can be shared like DuckDB's. Its file
    and key are checked when it is first opened (a problem is not cached: the next run checks again)."""
    checked = Settings.model_construct(state=Path(path), audit_key_file=Path(key_path))
    configuration.state_store(checked, write=True)
    configuration.audit_key(checked)
    try:
        return Store(Path(path), Path(key_path))
    except (OSError, sqlite3.Error) as exc:
        raise configuration.storage_failure(checked, exc) or ConfigProblem(
            "TRUST_STATE", f"{path} cannot be opened ({exc})", "point TRUST_STATE at a writable SQLite file") from None


def store(config: Settings) -> Store:
    return state_store(str(config.state.resolve()), str(config.audit_key_file.resolve()))


def _auth_section() -> dict | None:
    """The [auth] section of Streamlit's secrets when sign-in is configured, else None."""
    try:
        return dict(st.secrets["auth"]) if "auth" in st.secrets else None
    except (FileNotFoundError, KeyError, *_secret_errors()):
        return None


def _secret_errors() -> tuple[type[Exception], ...]:
    try:
        from streamlit.errors import StreamlitSecretNotFoundError

        return (StreamlitSecretNotFoundError,)
    except ImportError:
        return ()


def identity(config: Settings) -> Identity:
    """Who is using the app: the signed-in user and their role, or the local user when sign-in is off."""
    auth = _auth_section()
    if auth is None:
        return local_identity(config.local_user)
    configuration.auth_secret(auth)
    if not st.user.is_logged_in:
        raise Blocked("Sign in", _sign_in)
    roles = configuration.roles(config)
    who = identify(st.user.get("email"), st.user.get("name"), roles, config.default_role)
    if who is None:
        raise Blocked("Access not granted", _refused)
    return who


def _sign_in() -> None:
    st.title("Trust dashboard")
    st.write("Sign in with your organisation's account to see whether its AI can be defended.")
    st.button("Sign in", on_click=st.login, type="primary", key="auth.login")


def _refused() -> None:
    st.title("Access not granted")
    account = st.user.get("email") or "an account without an e-mail"
    st.error(f"You are signed in as {markdown_text(account)}, which has no role in the trust dashboard. Ask an "
             "administrator to add you to the roles file.", icon="🔒")
    st.button("Sign out", on_click=st.logout, key="auth.logout_refused")
