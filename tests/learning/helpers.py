"""Shared steps for the learning tests: attending events through the events services."""

from __future__ import annotations

import sqlalchemy as sa

from app.events import services as events
from app.events.models import Enrolment
from app.sqltypes import utcnow


def attend(session, event, user, *, actor, event_session=None, now=None):
    """Enrol the user (if needed) and check them in through the events services; returns the Checkin."""
    now = now or utcnow()
    enrolment = session.scalar(sa.select(Enrolment).where(Enrolment.event_id == event.id,
                                                          Enrolment.user_id == user.id))
    if enrolment is None:
        enrolment = events.enrol(session, event_id=event.id, user_id=user.id, now=now)
    return events.check_in(session, event_id=event.id, actor_id=actor.id, now=now, enrolment_id=enrolment.id,
                           session_id=event_session.id if event_session is not None else None,
                           confirm_before_event=True)  # the linked events mostly lie ahead
