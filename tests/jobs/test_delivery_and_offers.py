"""deliver-mail with SMTP down and back; waiting-list-offers moves an expired seat to the next person."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.events import services as events
from app.events.models import SEAT_STATUSES, Enrolment, EventNotification
from app.mail.services import queue_email
from app.sqltypes import utcnow
from tests.factories import make_event, make_user
from tests.jobs.support import outbox, run, smtp_config


def test_smtp_down_keeps_mail_pending_then_delivers_each_once(app, session, smtp_server):
    now = utcnow()
    for i in range(3):
        queue_email(session, to=f"p{i}@example.org", subject=f"Message {i}", text="Hello", now=now)
    session.commit()
    mail = smtp_config(smtp_server)
    smtp_server.stop()
    first = run(app, session, "deliver-mail", now, **mail)
    assert first.status == "ok" and first.result.startswith("sent 0, retrying 3")
    assert {m.status for m in outbox(session)} == {"pending"}
    # down for a while: each pass retries what is due, nothing is lost or marked failed too early
    run(app, session, "deliver-mail", now + timedelta(minutes=2), **mail)
    assert {m.status for m in outbox(session)} == {"pending"}
    smtp_server.start()
    # not yet due after the backoff: nothing sent
    assert run(app, session, "deliver-mail", now + timedelta(minutes=2, seconds=30), **mail).result.startswith("sent 0")
    back = now + timedelta(minutes=10)
    assert run(app, session, "deliver-mail", back, **mail).result.startswith("sent 3")
    assert run(app, session, "deliver-mail", back + timedelta(seconds=30), **mail).result.startswith("sent 0")
    messages = smtp_server.wait_for(3)
    assert sorted(m["Subject"] for m in messages) == ["Message 0", "Message 1", "Message 2"]
    assert len({m["X-CC-Outbox-Id"] for m in messages}) == 3
    assert {m.status for m in outbox(session)} == {"sent"}


def test_without_mail_server_messages_stay_in_the_outbox(app, session):
    queue_email(session, to="p@example.org", subject="s", text="t", now=utcnow())
    session.commit()
    outcome = run(app, session, "deliver-mail", utcnow(), MAIL_SERVER=None)
    assert outcome.status == "ok" and "left in outbox 1" in outcome.result
    assert [m.status for m in outbox(session)] == ["pending"]


def test_expired_offer_moves_the_seat_to_the_next_person(app, session):
    now = utcnow()
    event = make_event(session, capacity=2, waitlist_mode="offer", offer_hours=48)
    people = [make_user(session) for _ in range(5)]
    enrolments = [events.enrol(session, event_id=event.id, user_id=p.id, now=now) for p in people]
    session.commit()
    assert [e.status for e in enrolments] == ["confirmed", "confirmed", "waitlisted", "waitlisted", "waitlisted"]
    events.cancel_enrolment(session, enrolment_id=enrolments[0].id, actor_id=people[0].id, now=now)
    session.commit()
    session.refresh(enrolments[2])
    assert enrolments[2].status == "offered"

    assert run(app, session, "waiting-list-offers", now + timedelta(hours=47)).result == "0 offer(s) expired"
    outcome = run(app, session, "waiting-list-offers", now + timedelta(hours=49))
    assert outcome.result == "1 offer(s) expired"
    assert run(app, session, "waiting-list-offers", now + timedelta(hours=49)).result == "0 offer(s) expired"
    session.expire_all()
    statuses = {e.user_id: e.status for e in session.scalars(sa.select(Enrolment))}
    assert [statuses[p.id] for p in people] == ["cancelled", "confirmed", "expired", "offered", "waitlisted"]
    taken = session.scalar(sa.select(sa.func.count()).select_from(Enrolment).where(
        Enrolment.event_id == event.id, Enrolment.status.in_(SEAT_STATUSES)))
    assert taken == event.capacity
    offered = session.scalar(sa.select(EventNotification).where(
        EventNotification.kind == "enrolment_offered", EventNotification.user_id == people[3].id))
    assert offered is not None
    # the next person is told by email (queued by the calendar package in the same transaction)
    assert any(m.to_addr == people[3].email for m in outbox(session))


def test_certificates_job_issues_once_an_hour_after_the_end(app, session):
    from app.certificates.models import Certificate
    from tests.certificates.helpers import attendee, past_event

    ended = utcnow() - timedelta(minutes=30)
    event = past_event(session, ended_at=ended)
    manual = past_event(session, ended_at=ended, auto_certificates=False)
    holder = attendee(session, event)
    attendee(session, manual)
    session.commit()
    assert run(app, session, "certificates", ended + timedelta(minutes=30)).result.startswith("0 certificate(s)")
    outcome = run(app, session, "certificates", ended + timedelta(minutes=61))
    assert outcome.status == "ok" and outcome.result.startswith("1 certificate(s) issued"), outcome
    assert run(app, session, "certificates", ended + timedelta(hours=2)).result.startswith("0 certificate(s)")
    session.expire_all()
    certificates = list(session.scalars(sa.select(Certificate)))
    assert [(c.event_id, c.holder_id) for c in certificates] == [(event.id, holder.id)]
    assert any(m.to_addr == holder.email for m in outbox(session))
