"""Demo events: every format, agendas, full events with waiting lists, attendance; idempotent."""

from __future__ import annotations

import sqlalchemy as sa

from app.demo import seed_foundation
from app.events import demo
from app.events.models import Checkin, Enrolment, Event, EventSession
from app.sqltypes import utcnow
from tests.factories import TEST_HASH


def test_demo_events_are_varied_and_idempotent(session):
    ctx = seed_foundation(session, password="demo-password-123", hash_method=TEST_HASH)
    now = utcnow()
    demo.seed(session, ctx=ctx, now=now)
    session.commit()
    counts = [session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Event, EventSession, Enrolment,
                                                                                 Checkin)]
    events = session.scalars(sa.select(Event)).all()
    assert {e.format for e in events} == {"conference", "workshop", "training", "information_trip"}
    assert {e.city for e in events} >= {"Leipzig", "Durban", "Da Nang", "Pune", "Curitiba", "Accra"}
    assert any(e.ends_at <= now for e in events) and any(e.starts_at > now for e in events)
    statuses = set(session.scalars(sa.select(Enrolment.status)))
    assert {"confirmed", "waitlisted", "offered", "cancelled"} <= statuses
    assert counts[3] > 0 and counts[1] > 5
    demo.seed(session, ctx=ctx, now=now)
    session.commit()
    assert [session.scalar(sa.select(sa.func.count()).select_from(m))
            for m in (Event, EventSession, Enrolment, Checkin)] == counts


def test_demo_events_come_in_several_languages(session):
    """Issue 12: at least three events with translations, one of the Middle East network in Arabic and English."""
    demo.seed(session, ctx=seed_foundation(session, password="demo-password-123", hash_method=TEST_HASH),
              now=utcnow())
    session.commit()
    events = session.scalars(sa.select(Event)).all()
    translated = [e for e in events if e.translations]
    assert len(translated) >= 3
    irbid = next(e for e in events if e.slug == "irbid-water-scarcity-dialogue")
    assert irbid.language == "ar" and {t.language for t in irbid.translations} == {"en"}
    assert irbid.languages == ["ar", "en"]
