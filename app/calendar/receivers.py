"""Reactions to app.events and app.directory signals: invitations and notices in the sender's transaction.

Connected by app.receivers with the Site bound (base URL, network name, sender): nothing here reads the app."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from app.calendar.invitations import notify_enrolment, notify_event_change
from app.calendar.site import Site
from app.events.models import Event, event_topic
from app.events.services import waitlist_position

log = logging.getLogger(__name__)


def _waitlist_position(session, enrolment) -> int | None:
    return waitlist_position(session, enrolment) if enrolment.status == "waitlisted" else None


def on_enrolment_status_changed(enrolment, *, session, now, site: Site, old_status=None, notification=None, **_):
    notify_enrolment(
        session, enrolment=enrolment, old_status=old_status, notification=notification, now=now,
        site=site, waitlist_position=_waitlist_position(session, enrolment),
    )


def on_event_changed(event, *, session, now, site: Site, changes=(), notification=None, **_):
    count = notify_event_change(
        session, event=event, changes=set(changes or ()), notification=notification, now=now, site=site
    )
    if count:
        log.info("queued %s calendar update(s) for event %s (%s)", count, event.id, ", ".join(sorted(changes)))


def on_topic_changed(topic, *, session, now, **_):
    """Events showing a renamed topic in CATEGORIES count as changed: new ETags, VEVENTs rebuilt."""
    tagged = sa.select(event_topic.c.event_id).where(event_topic.c.topic_id == topic.id)
    session.execute(
        sa.update(Event).where(Event.id.in_(tagged)).values(updated_at=now).execution_options(
            synchronize_session=False)
    )
