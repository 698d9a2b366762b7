"""Roles, identities and the sign-in safety check."""

from __future__ import annotations

import pytest

from trust.state.access import (
    AccessDenied,
    Identity,
    RolesFileError,
    cookie_secret_problem,
    identify,
    load_roles,
    local_identity,
)

ROLES = ("email,role,teams\nBoss@Example.com,leadership,\nlead@example.com,team_lead,crm|brand\n"
         "see@example.com,viewer,\n")


def test_roles_file_maps_emails_case_insensitively(tmp_path):
    path = tmp_path / "roles.csv"
    path.write_text(ROLES)
    roles = load_roles(path)
    assert roles["boss@example.com"] == ("leadership", ())
    assert roles["lead@example.com"] == ("team_lead", ("crm", "brand"))
    assert identify("LEAD@example.com", "Lee", roles, None).teams == ("crm", "brand")


@pytest.mark.parametrize(("text", "message"), [
    ("email,role\nx@example.com,admin\n", "line 2: role of x@example.com must be one of"),
    ("email,role,teams\nx@example.com,team_lead,\n", "line 2: team lead x@example.com has no team"),
    ("name,team\n", "expected a header row `email,role,teams`"),
])
def test_a_bad_roles_file_names_file_and_line(tmp_path, text, message):
    path = tmp_path / "roles.csv"
    path.write_text(text)
    with pytest.raises(RolesFileError, match=message) as error:
        load_roles(path)
    assert str(path) in str(error.value)


def test_a_missing_roles_file_is_a_clear_error(tmp_path):
    with pytest.raises(RolesFileError, match="cannot be read"):
        load_roles(tmp_path / "none.csv")


def test_unknown_users_are_refused_unless_a_default_role_is_set():
    assert identify("who@example.com", None, {}, None) is None
    assert identify("who@example.com", None, {}, "viewer").role == "viewer"
    assert identify(None, None, {}, "viewer") is None


MATRIX = [
    (Identity("b", None, "leadership"), {"crm": True, "brand": True}, True),
    (Identity("l", None, "team_lead", ("crm",)), {"crm": True, "brand": False}, True),
    (Identity("v", None, "viewer"), {"crm": False, "brand": False}, False),
    (local_identity("me"), {"crm": True, "brand": True}, True),
]


@pytest.mark.parametrize(("who", "answers", "reviews"), MATRIX, ids=["leadership", "team_lead", "viewer", "local"])
def test_role_matrix(who, answers, reviews):
    for team, allowed in answers.items():
        assert who.can_answer(team) is allowed
        if allowed:
            who.require_answer(team)
        else:
            with pytest.raises(AccessDenied, match=team):
                who.require_answer(team)
    assert who.can_review is reviews


@pytest.mark.parametrize(("secret", "ok"), [
    (None, False), ("", False), ("short", False), ("a" * 40, False), ("changeme-changeme-changeme-changeme!", False),
    ("3f9c1a7e5b2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c", True),
])
def test_cookie_secret_must_be_long_and_random(secret, ok):
    assert (cookie_secret_problem(secret) is None) is ok
