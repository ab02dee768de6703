"""Subscriptions to app.events.signals: queue invitations and notices in the sender's transaction."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from app.calendar.invitations import notify_enrolment, notify_event_change
from app.calendar.site import current_site
from app.directory.signals import topic_changed
from app.events.models import Event, event_topic
from app.events.services import waitlist_position
from app.events.signals import enrolment_status_changed, event_changed

log = logging.getLogger(__name__)


def _waitlist_position(session, enrolment) -> int | None:
    return waitlist_position(session, enrolment) if enrolment.status == "waitlisted" else None


@enrolment_status_changed.connect
def on_enrolment_status_changed(enrolment, *, session, now, old_status=None, notification=None, **_):
    notify_enrolment(
        session, enrolment=enrolment, old_status=old_status, notification=notification, now=now,
        site=current_site(), waitlist_position=_waitlist_position(session, enrolment),
    )


@event_changed.connect
def on_event_changed(event, *, session, now, changes=(), notification=None, **_):
    count = notify_event_change(
        session, event=event, changes=set(changes or ()), notification=notification, now=now, site=current_site()
    )
    if count:
        log.info("queued %s calendar update(s) for event %s (%s)", count, event.id, ", ".join(sorted(changes)))


@topic_changed.connect
def on_topic_changed(topic, *, session, now, **_):
    """Events showing a renamed topic in CATEGORIES count as changed: new ETags, VEVENTs rebuilt."""
    tagged = sa.select(event_topic.c.event_id).where(event_topic.c.topic_id == topic.id)
    session.execute(
        sa.update(Event).where(Event.id.in_(tagged)).values(updated_at=now).execution_options(
            synchronize_session=False)
    )
