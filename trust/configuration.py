"""The settings a run depends on, checked before it uses them: each problem names the setting, what was found
and the fix, in the same words on a page of the app and on the command line.

A command checks only the settings it uses: `trust check` reads the extracts and the state store (with its
audit key), `trust audit verify` the store and the key; the roles file and sign-in matter to the app alone,
so a bad roles file never breaks a nightly `trust check`.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from trust.extracts.errors import ExtractsUnavailable
from trust.settings import Settings
from trust.state.access import RolesFileError, cookie_secret_problem, load_roles
from trust.state.auditlog import head_path
from trust.state.store import Store, open_store, signed_entries

# The fix of a store that cannot be read as a database.
RESTORE = ("restore the file from its latest backup, or move it aside so that a new store is created "
           "(the answers and reviews it held are then no longer shown)")


class ConfigProblem(Exception):
    """A setting that cannot be used: its name, what was found and how to fix it."""

    def __init__(self, setting: str, found: str, fix: str) -> None:
        super().__init__(setting, found, fix)
        self.setting, self.found, self.fix = setting, found, fix

    def __str__(self) -> str:
        return f"{self.setting}: {self.found}. Fix: {self.fix}"


def extracts(settings: Settings, problem: ExtractsUnavailable | None = None) -> None:
    """The extracts folder exists and can be listed and read (a catalog database is checked by its engine)."""
    if settings.reads_catalog or (settings.uses_demo and not settings.extracts_path.exists()):
        return  # the catalog is the engine's to reach; the demo is written on first use
    path = settings.extracts_path
    fix = "point TRUST_EXTRACTS at the folder the weekly export writes (or unset it for the demo data)"
    if problem is not None:
        raise ConfigProblem("TRUST_EXTRACTS", str(problem), fix)
    if not path.exists():
        raise ConfigProblem("TRUST_EXTRACTS", f"{path} does not exist", fix)
    if not path.is_dir():
        raise ConfigProblem("TRUST_EXTRACTS", f"{path} is a file, not a folder of extracts", fix)
    if not os.access(path, os.R_OK | os.X_OK):
        raise ConfigProblem("TRUST_EXTRACTS", f"{path} cannot be read by this user", "give the dashboard's user "
                            "read access to the folder and its files, or " + fix)


def engine(settings: Settings, problem: ExtractsUnavailable) -> ConfigProblem:
    """The Spark engine could not be reached or read (the setting is the one its message names)."""
    text = str(problem)
    setting = next((s for s in ("TRUST_SPARK_DATABASE", "TRUST_SPARK_REMOTE") if s in text), "TRUST_ENGINE")
    fix = {"TRUST_SPARK_DATABASE": "name the catalog database that holds the extract tables",
           "TRUST_SPARK_REMOTE": "start the Spark Connect server or correct the URL (unset it for a local Spark "
                                 "session)"}.get(setting, "install the Spark extra, or set TRUST_ENGINE=duckdb")
    return ConfigProblem(setting, text, fix)


def state_store(settings: Settings, write: bool) -> None:
    """The state store is a SQLite file that can be read (and, with `write`, written), or can be created."""
    path = settings.state
    fix = "point TRUST_STATE at a SQLite file (created on first use), such as .trust/state.db"
    if path.is_dir():
        raise ConfigProblem("TRUST_STATE", f"{path} is a folder, not a file", fix)
    if not path.exists():
        parent = _existing_parent(path)
        if not parent.is_dir():
            raise ConfigProblem("TRUST_STATE", f"{path} cannot be created: {parent} is a file", fix)
        if write and not os.access(parent, os.W_OK | os.X_OK):
            raise ConfigProblem("TRUST_STATE", f"{path} cannot be created: {parent} is not writable by this user",
                                "make the folder writable by the dashboard's user, or " + fix)
        return
    if not os.access(path, os.R_OK) or (write and not (os.access(path, os.W_OK)
                                                        and os.access(path.parent, os.W_OK | os.X_OK))):
        what = "read" if not os.access(path, os.R_OK) else "written (the file or its folder is read-only)"
        raise ConfigProblem("TRUST_STATE", f"{path} cannot be {what} by this user",
                            "give the dashboard's user read and write access to the file and its folder "
                            "(SQLite writes a journal next to it)")
    try:  # opened as the store opens it: a WAL store is read with a shared-memory file kept beside it
        with closing(sqlite3.connect(path, timeout=10)) as conn:
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if "readonly" in str(exc) or getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_READONLY:
            raise ConfigProblem("TRUST_STATE", f"{path} cannot be read by this user: SQLite keeps a shared-memory "
                                f"file next to a store it reads, and {path.parent} is not writable",
                                "give the dashboard's user write access to that folder") from None
        raise ConfigProblem("TRUST_STATE", f"{path} is not a readable SQLite database ({exc})", RESTORE) from None
    if verdict != "ok":
        raise ConfigProblem("TRUST_STATE", f"{path} is damaged (SQLite's check says: {verdict})", RESTORE)



def audit_key(settings: Settings) -> None:
    """The audit key exists wherever the log it signs exists: a new key would make every entry unverifiable."""
    key, head = settings.audit_key_file, head_path(settings.audit_key_file)
    if key.is_dir():
        raise ConfigProblem("TRUST_AUDIT_KEY_FILE", f"{key} is a folder, not a key file",
                            "point TRUST_AUDIT_KEY_FILE at the key file of this state store")
    if key.exists():
        if not os.access(key, os.R_OK):
            raise ConfigProblem("TRUST_AUDIT_KEY_FILE", f"{key} cannot be read by this user",
                                "give the dashboard's user read access to the key file (and no one else)")
        return
    entries = signed_entries(settings.state)
    if entries or head.exists():
        held = f"holds {entries} audit entr{'ies' if entries != 1 else 'y'}" if entries else "has a log head"
        raise ConfigProblem("TRUST_AUDIT_KEY_FILE", f"{key} is missing, but the state store {settings.state} {held} "
                            "signed with it", "restore the key file from the backup kept with the store; a new "
                            "key cannot verify the existing log, so none is created")


def roles(settings: Settings) -> dict[str, tuple[str, tuple[str, ...]]]:
    """The roles file's e-mails and roles (empty when none is set)."""
    if settings.roles_file is None:
        return {}
    try:
        return load_roles(settings.roles_file)
    except RolesFileError as exc:
        raise ConfigProblem("TRUST_ROLES_FILE", str(exc), "correct that row (columns `email,role,teams`; "
                            "role: leadership, team_lead or viewer; teams separated by |)") from None


def auth_secret(auth: dict | None) -> None:
    """Sign-in, when configured in `[auth]`, has a cookie secret that cannot be guessed."""
    problem = None if auth is None else cookie_secret_problem(auth.get("cookie_secret"))
    if problem:
        raise ConfigProblem("[auth] cookie_secret in .streamlit/secrets.toml", problem,
                            "set cookie_secret to at least 32 random characters (`openssl rand -hex 32`) and "
                            "restart the app")


def storage_failure(settings: Settings, exc: BaseException) -> ConfigProblem | None:
    """A save refused by the disk (full, or read-only) as a problem of TRUST_STATE; None for any other error."""
    text = str(exc).lower()
    code = getattr(exc, "sqlite_errorcode", None)
    full = code == sqlite3.SQLITE_FULL or "disk is full" in text or getattr(exc, "errno", None) == 28
    read_only = code in (sqlite3.SQLITE_READONLY, getattr(sqlite3, "SQLITE_READONLY_DBMOVED", -1)) \
        or "readonly database" in text or getattr(exc, "errno", None) == 30
    if full:
        return ConfigProblem("TRUST_STATE", f"the disk holding {settings.state} is full, so nothing was saved",
                             "free space on that disk (or move TRUST_STATE to one with room), then save again")
    if read_only:
        return ConfigProblem("TRUST_STATE", f"{settings.state} is read-only, so nothing was saved",
                             "make the file and its folder writable by the dashboard's user, then save again")
    return None


def _existing_parent(path: Path) -> Path:
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    return parent


def existing_store(settings: Settings) -> Store | None:
    """The state store a command reads, checked with its key first; None when there is none yet (a command
    never creates one)."""
    if not settings.state.exists():
        if settings.state.is_symlink():
            raise ConfigProblem("TRUST_STATE", f"{settings.state} is a link to nothing", RESTORE)
        return None
    state_store(settings, write=False)
    audit_key(settings)
    try:
        return open_store(settings, create=False)
    except (OSError, ValueError, sqlite3.Error) as exc:
        raise ConfigProblem("TRUST_STATE", f"{settings.state} cannot be opened ({exc})", RESTORE) from None
