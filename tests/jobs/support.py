"""Helpers shared by the scheduler tests."""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa

from app.events.models import Enrolment
from app.jobs.services import run_job
from app.mail.models import OutboxMessage
from tests.factories import make_user


def confirmed(session, event, *, user=None, confirmed_at=None, status="confirmed", **fields) -> Enrolment:
    """An enrolment row as the events services leave it (confirmed long before the event by default)."""
    user = user or make_user(session)
    when = confirmed_at or (event.starts_at - timedelta(days=30))
    enrolment = Enrolment(event_id=event.id, user_id=user.id, status=status, ticket_code=secrets.token_hex(5),
                          created_at=when, updated_at=when,
                          confirmed_at=when if status == "confirmed" else None, **fields)
    session.add(enrolment)
    session.flush()
    return enrolment


def run(app, session, name, now, **config):
    """Run a job through the runner (lease, commit, record) with optional config overrides."""
    merged = dict(app.config)
    merged.update(config)
    return run_job(session, name, now=now, config=merged)


def smtp_config(smtp_server) -> dict:
    return {"MAIL_SERVER": smtp_server.host, "MAIL_PORT": smtp_server.port, "MAIL_DEFAULT_SENDER": "cc@cc.test"}


def outbox(session, kind=None) -> list[OutboxMessage]:
    session.expire_all()
    stmt = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        stmt = stmt.where(OutboxMessage.kind == kind)
    return list(session.scalars(stmt))
