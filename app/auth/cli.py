"""`flask users ...` commands."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app.auth import messages  # noqa: F401  (the sentences printed here)
from app.auth import services as auth_services
from app.auth.models import ROLES
from app.errors import DomainError, render_message
from app.extensions import db
from app.sqltypes import utcnow

users_cli = AppGroup("users", help="Manage user accounts.")


def _fail(exc: DomainError) -> None:
    db.session.rollback()
    raise click.ClickException(exc.message)


@users_cli.command("create")
@click.argument("email")
@click.option("--name", prompt=True, help="Full name.")
@click.option("--role", type=click.Choice(ROLES), prompt=True, default="participant", show_default=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--country", default=None, help="ISO 3166-1 alpha-2 country code.")
def create_user(email: str, name: str, role: str, password: str, country: str | None) -> None:
    """Create an account."""
    try:
        user = auth_services.register_user(
            db.session, email=email, name=name, password=password, role=role, country=country,
            hash_method=current_app.config.get("PASSWORD_HASH_METHOD"),
        )
        db.session.commit()
    except DomainError as exc:
        _fail(exc)
    click.echo(f"Created {user.email} ({user.role}), id {user.id}.")


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES))
def set_role(email: str, role: str) -> None:
    """Change someone's role."""
    user = auth_services.find_user_by_email(db.session, email)
    if user is None:
        raise click.ClickException(render_message("auth.no_account_for", {"email": email}))
    try:
        auth_services.set_role(db.session, user.id, role)
        db.session.commit()
    except DomainError as exc:
        _fail(exc)
    click.echo(f"{user.email} is now {role}.")


@users_cli.command("token")
@click.argument("email")
@click.option("--name", default="CLI token", show_default=True)
def create_token(email: str, name: str) -> None:
    """Create a personal API token and print it alone on the last line."""
    user = auth_services.find_user_by_email(db.session, email)
    if user is None:
        raise click.ClickException(render_message("auth.no_account_for", {"email": email}))
    _, plain = auth_services.create_api_token(db.session, user.id, name=name, now=utcnow())
    db.session.commit()
    click.echo(f"API token for {user.email} (stored hashed; shown only now):")
    click.echo(plain)
