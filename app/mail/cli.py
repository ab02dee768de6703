"""`flask mail ...` commands."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.mail.services import SmtpSettings, deliver_pending
from app.sqltypes import utcnow

mail_cli = AppGroup("mail", help="Outgoing mail.")


@mail_cli.command("deliver")
@click.option("--limit", default=500, show_default=True, help="Most messages to send in this pass.")
def deliver(limit: int) -> None:
    """Send pending outbox messages over SMTP (one pass)."""
    report = deliver_pending(db.session, SmtpSettings.from_config(current_app.config), now=utcnow(), limit=limit)
    click.echo(report.summary())
