"""Who may do what: identities from sign-in or local mode, the roles file, and permission checks."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

ROLES = ("leadership", "team_lead", "viewer")
WEAK_SECRETS = ("changeme", "change-me", "secret", "password", "xxxx", "placeholder", "example")


class AccessDenied(PermissionError):
    """A change the user's role does not allow; raised by the store, whatever the page showed."""


class RolesFileError(ValueError):
    """The roles file cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Identity:
    """The person acting: their e-mail, role and the teams they answer for."""

    email: str
    name: str | None
    role: str
    teams: tuple[str, ...] = ()
    local: bool = False

    @property
    def label(self) -> str:
        return self.name or self.email

    def can_answer(self, team: str) -> bool:
        return self.role == "leadership" or (self.role == "team_lead" and team in self.teams)

    def can_act(self, team: str | None) -> bool:
        """Actions on a team's check: leadership and the team's lead; on the organisation's: leadership."""
        return self.role == "leadership" or (team is not None and self.can_answer(team))

    @property
    def can_review(self) -> bool:
        """Anomaly reviews concern the organisation's customer data: leadership and team leads."""
        return self.role in ("leadership", "team_lead")

    def require_answer(self, team: str) -> None:
        if not self.can_answer(team):
            raise AccessDenied(f"{self.label} ({self.role}) may not answer for team {team!r}"
                               + (f"; their teams: {', '.join(self.teams)}" if self.teams else ""))

    def require_act(self, team: str | None) -> None:
        if not self.can_act(team):
            whose = f"team {team!r}" if team else "the organisation"
            raise AccessDenied(f"{self.label} ({self.role}) may not create or change actions for {whose}"
                               + (f"; their teams: {', '.join(self.teams)}" if self.teams else ""))

    def require_review(self) -> None:
        if not self.can_review:
            raise AccessDenied(f"{self.label} ({self.role}) may not review anomalies")


def local_identity(name: str) -> Identity:
    """Local mode: no sign-in is configured, one named user with full rights."""
    return Identity("local@localhost", name, "leadership", (), local=True)


def load_roles(path: Path) -> dict[str, tuple[str, tuple[str, ...]]]:
    """E-mail (lower case) to (role, teams) from a CSV with the header `email,role,teams`."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise RolesFileError(f"roles file {path} cannot be read: {exc.strerror}") from None
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames or {"email", "role"} - {f.strip().lower() for f in reader.fieldnames}:
        raise RolesFileError(f"roles file {path}: expected a header row `email,role,teams`, found "
                             f"{','.join(reader.fieldnames or []) or 'nothing'}")
    roles: dict[str, tuple[str, tuple[str, ...]]] = {}
    for row in reader:
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        line = reader.line_num
        email, role = row.get("email", "").lower(), row.get("role", "").lower()
        if not email:
            continue
        if role not in ROLES:
            raise RolesFileError(f"roles file {path}, line {line}: role of {email} must be one of "
                                 f"{', '.join(ROLES)}, found {role!r}")
        teams = tuple(t.strip() for t in row.get("teams", "").split("|") if t.strip())
        if role == "team_lead" and not teams:
            raise RolesFileError(f"roles file {path}, line {line}: team lead {email} has no team")
        roles[email] = (role, teams)
    return roles


def identify(email: str | None, name: str | None, roles: dict[str, tuple[str, tuple[str, ...]]],
             default_role: str | None) -> Identity | None:
    """The signed-in user's identity, or None when they are not in the roles file and no default applies."""
    if not email:
        return None
    found = roles.get(email.strip().lower())
    if found is None:
        return Identity(email, name, default_role, ()) if default_role else None
    return Identity(email, name, found[0], found[1])


def cookie_secret_problem(secret: object) -> str | None:
    """Why a sign-in cookie secret is unsafe, or None when it is fine."""
    if not isinstance(secret, str) or not secret.strip():
        return "the [auth] section has no cookie_secret"
    if len(secret) < 32:
        return f"the cookie_secret is {len(secret)} characters long; use at least 32 random characters"
    if len(set(secret)) < 10 or any(w in secret.lower() for w in WEAK_SECRETS):
        return "the cookie_secret looks like a placeholder; generate a random one (e.g. `openssl rand -hex 32`)"
    return None
