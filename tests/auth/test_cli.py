"""`flask users ...` through the CLI runner."""

from __future__ import annotations

import sqlalchemy as sa

from app.auth.models import ApiToken, User
from tests.factories import make_user


def test_users_create_set_role_and_token(runner, session, client):
    result = runner.invoke(args=["users", "create", "Ops@Example.org", "--name", "Ops Person", "--role",
                                 "organiser", "--password", "long-enough-pw"])
    assert result.exit_code == 0, result.output
    user = session.scalar(sa.select(User).where(User.email == "ops@example.org"))
    assert user.role == "organiser"

    result = runner.invoke(args=["users", "set-role", "ops@example.org", "admin"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    assert session.get(User, user.id).role == "admin"

    result = runner.invoke(args=["users", "token", "ops@example.org"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    stored = session.scalar(sa.select(ApiToken.token_hash))
    assert token not in stored and len(token) > 30
    session.commit()
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.get_json()["role"] == "admin"


def test_users_create_prompts_for_missing_values(runner, session):
    result = runner.invoke(args=["users", "create", "p@example.org"],
                           input="Prompted Name\nparticipant\nlong-enough-pw\nlong-enough-pw\n")
    assert result.exit_code == 0, result.output
    assert session.scalar(sa.select(User.name).where(User.email == "p@example.org")) == "Prompted Name"


def test_users_cli_errors_are_clear(runner, session):
    make_user(session, email="dup@example.org")
    session.commit()
    dup = runner.invoke(args=["users", "create", "dup@example.org", "--name", "X", "--role", "participant",
                              "--password", "long-enough-pw"])
    assert dup.exit_code != 0 and "already exists" in dup.output
    short = runner.invoke(args=["users", "create", "new@example.org", "--name", "X", "--role", "participant",
                                "--password", "short"])
    assert short.exit_code != 0 and "at least 10" in short.output
    missing = runner.invoke(args=["users", "set-role", "ghost@example.org", "admin"])
    assert missing.exit_code != 0 and "No account" in missing.output
    bad_role = runner.invoke(args=["users", "set-role", "dup@example.org", "king"])
    assert bad_role.exit_code != 0
