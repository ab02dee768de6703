"""The per-event lock: every change of enrolments (and of an event's seats) runs with a first write on the
event's row, so capacity and waiting-list positions hold under concurrent requests on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

import app.events.messages  # noqa: F401  (the catalogue of the reasons raised here)
from app.errors import TryAgain
from app.events.models import Event
from app.events.queries import get_event

LOCK_TIMEOUT_MS = 5000


def _is_lock_error(exc: sa.exc.DBAPIError) -> bool:
    orig = getattr(exc, "orig", None)
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if code in ("55P03", "40P01", "40001"):  # lock_not_available, deadlock, serialization failure
        return True
    return "database is locked" in str(exc).lower() or "lock timeout" in str(exc).lower()


def lock_event(session: Session, event_id: int) -> Event:
    """Serialise enrolment changes of one event: the first write of the transaction is on its row."""
    get_event(session, event_id)  # NotFound before any write
    try:
        connection = session.connection()
        if connection.dialect.name == "postgresql":
            session.execute(sa.text(f"SET LOCAL lock_timeout = '{int(LOCK_TIMEOUT_MS)}ms'"))
        session.execute(
            sa.update(Event.__table__)
            .where(Event.__table__.c.id == event_id)
            .values(lock_version=Event.__table__.c.lock_version + 1)
        )
    except sa.exc.OperationalError as exc:
        if _is_lock_error(exc):
            raise TryAgain("event.busy") from exc
        raise
    event = session.get(Event, event_id, populate_existing=True)
    return event


def _flush(session: Session) -> None:
    try:
        session.flush()
    except sa.exc.OperationalError as exc:
        if _is_lock_error(exc):
            raise TryAgain("event.busy") from exc
        raise
