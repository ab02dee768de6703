"""Demo data of this package (called by app.demo.seed_all): certificates for the past demo events' attendees
and for the demo participants who completed a programme. Idempotent: issuing never duplicates.

Most certificates come in each holder's own language; for events in a country listed below the organiser
chose the country's language for everyone (the Curitiba study tour is certified in Portuguese), as organisers of
regional events do."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from app.certificates import services
from app.events.models import Event

# the language an organiser picks for an event held in one of these countries (others: each holder's own)
EVENT_LANGUAGE_BY_COUNTRY = {"BR": "pt", "PT": "pt", "MX": "es", "ES": "es", "FR": "fr", "EG": "ar", "JO": "ar",
                             "MA": "ar", "TN": "ar", "LB": "ar"}


def seed(session: Session, *, ctx, now: datetime) -> None:
    """Add this package's demo data; idempotent."""
    from app.learning.models import Programme, ProgrammeCompletion

    past_events = session.scalars(
        sa.select(Event).where(Event.status == "published", Event.ends_at <= now - timedelta(hours=1))
        .options(selectinload(Event.organisers)).order_by(Event.ends_at, Event.id)
    ).all()
    for event in past_events:
        organiser = event.organisers[0] if event.organisers else None
        services.issue_event_certificates(session, event_id=event.id, actor_id=organiser.id if organiser else None,
                                          now=now, language=EVENT_LANGUAGE_BY_COUNTRY.get(event.country or ""))
    programme_ids = session.scalars(
        sa.select(ProgrammeCompletion.programme_id).distinct().order_by(ProgrammeCompletion.programme_id)
    ).all()
    for programme_id in programme_ids:
        programme = session.get(Programme, programme_id)
        organiser = programme.organisers[0] if programme.organisers else None
        services.issue_programme_certificates(session, programme_id=programme_id,
                                              actor_id=organiser.id if organiser else None, now=now)
