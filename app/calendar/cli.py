"""`flask calendar ...` commands."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.calendar.services import warm_cache
from app.calendar.site import site_for
from app.extensions import db
from app.sqltypes import utcnow

calendar_cli = AppGroup("calendar", help="Calendar feeds.")


@calendar_cli.command("warm")
def warm() -> None:
    """Serialise every public feed event whose cached VEVENT is missing or stale."""
    count = warm_cache(db.session, now=utcnow(), site=current_app.extensions.get("site") or site_for(current_app))
    db.session.commit()
    click.echo(f"public feed: {count} event(s), cache is warm")


def register(app: Flask) -> None:
    """Add this package's commands to the app's CLI."""
    app.cli.add_command(calendar_cli)
