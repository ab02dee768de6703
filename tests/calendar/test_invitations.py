"""Invitations (iTIP REQUEST / CANCEL) and notices, queued with the change and delivered over real SMTP."""

from __future__ import annotations

import threading
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import icalendar
import sqlalchemy as sa
import vobject

from app.events import services as events
from app.events.models import EventNotification
from app.extensions import db
from app.mail.models import OutboxMessage
from app.mail.services import SmtpSettings, deliver_pending
from app.sqltypes import utcnow
from tests.factories import make_event, make_session, make_user


def outbox(session) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def deliver(session, smtp_server, smtp_settings, count: int, *, at=None) -> list:
    report = deliver_pending(session, smtp_settings, now=at or utcnow() + timedelta(seconds=1))
    assert report.sent == count, report
    return smtp_server.wait_for(count)


def calendar_part(message):
    """The text/calendar part inside multipart/alternative: (method, parsed icalendar, vobject)."""
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, [p.get_content_type() for p in message.walk()]
    text = parts[0].get_content()
    return parts[0].get_param("method"), icalendar.Calendar.from_ical(text), vobject.readOne(text)


def test_confirmation_sends_a_request_over_smtp(session, smtp_server, smtp_settings):
    person = make_user(session, name="Zoë Müller-Łukasiewicz", email="zoe@example.org", timezone="Asia/Kolkata")
    event = make_event(session, title="Green <b>roofs</b> & ponds", online_url="https://meet.example.org/x")
    session.commit()
    enrolment = events.enrol(session, event_id=event.id, user_id=person.id, now=utcnow())
    session.commit()
    [queued] = outbox(session)
    assert queued.kind == "calendar_request" and queued.ics_method == "REQUEST" and queued.user_id == person.id
    notification = session.scalar(sa.select(EventNotification).where(EventNotification.enrolment_id == enrolment.id))
    assert notification.processed_at is not None

    [message] = deliver(session, smtp_server, smtp_settings, 1)
    assert message["To"] == "Zoë Müller-Łukasiewicz <zoe@example.org>"
    assert message["Subject"].startswith("Invitation: Green <b>roofs</b> & ponds")
    text = message.get_body(("plain",)).get_content()
    local = event.starts_at.astimezone(ZoneInfo(event.timezone))
    assert f"{local:%H:%M}" in text and "Europe/Berlin" in text
    assert "Asia/Kolkata" in text  # the person's own time as well
    assert "Neues Rathaus" in text and "https://meet.example.org/x" in text
    assert f"http://cc.test/events/{event.id}" in text or f"http://cc.test/events/{event.slug}" in text
    assert "Cancel your enrolment" in text
    html = message.get_body(("html",)).get_content()
    assert "Green &lt;b&gt;roofs&lt;/b&gt; &amp; ponds" in html and "<b>roofs" not in html

    method, cal, vcal = calendar_part(message)
    assert method == "REQUEST" and cal["METHOD"] == "REQUEST"
    vevent = cal.walk("VEVENT")[0]
    assert str(vevent["UID"]) == f"event-{event.id}@cc.test"
    assert vevent["SEQUENCE"] == event.revision
    assert str(vevent["ORGANIZER"]) == "mailto:no-reply@connective-cities.test"  # MAIL_DEFAULT_SENDER
    # CN names the organiser (MAIL_DEFAULT_SENDER's name), never the event
    assert vevent["ORGANIZER"].params["CN"] == "Connective Cities"
    attendee = vevent["ATTENDEE"]
    assert str(attendee) == "mailto:zoe@example.org"
    assert attendee.params["PARTSTAT"] == "ACCEPTED" and attendee.params["RSVP"] == "FALSE"
    assert vevent.decoded("dtstart").astimezone(UTC) == event.starts_at
    assert vcal.vevent.dtstart.value.astimezone(UTC) == event.starts_at
    assert vcal.vevent.uid.value == f"event-{event.id}@cc.test"


def test_the_mail_is_part_of_the_enrolment_transaction(session):
    person = make_user(session)
    event = make_event(session)
    session.commit()
    events.enrol(session, event_id=event.id, user_id=person.id, now=utcnow())
    session.rollback()
    assert outbox(session) == []


def test_waiting_list_offer_and_promotion(session, smtp_server, smtp_settings):
    first, second, third = (make_user(session, email=f"p{i}@example.org") for i in range(3))
    event = make_event(session, capacity=1, waitlist_mode="offer", offer_hours=24)
    organiser_id = event.organisers[0].id
    session.commit()
    now = utcnow()
    held = events.enrol(session, event_id=event.id, user_id=first.id, now=now)
    events.enrol(session, event_id=event.id, user_id=second.id, now=now)
    events.enrol(session, event_id=event.id, user_id=third.id, now=now)
    session.commit()
    kinds = [(m.to_addr, m.kind, m.ics_method) for m in outbox(session)]
    assert kinds == [("p0@example.org", "calendar_request", "REQUEST"),
                     ("p1@example.org", "enrolment_waitlisted", None),
                     ("p2@example.org", "enrolment_waitlisted", None)]
    messages = outbox(session)
    assert "(position 1)" in messages[1].subject and "number 2 on the list" in messages[2].text_body
    # the confirmed person cancels: CANCEL to them, an offer with a deadline to the next
    events.cancel_enrolment(session, enrolment_id=held.id, actor_id=first.id, now=now)
    session.commit()
    cancel, offer = outbox(session)[3:]
    assert (cancel.to_addr, cancel.ics_method) == ("p0@example.org", "CANCEL")
    assert offer.to_addr == "p1@example.org" and offer.kind == "enrolment_offered"
    assert "accept by" in offer.subject and "Accept the seat:" in offer.text_body and offer.ics_body is None
    # the offer expires: a plain notice, and the seat is offered to the third person
    events.expire_offers(session, now=now + timedelta(hours=25))
    session.commit()
    expired, next_offer = outbox(session)[5:]
    assert expired.kind == "enrolment_expired" and expired.to_addr == "p1@example.org"
    assert next_offer.kind == "enrolment_offered" and next_offer.to_addr == "p2@example.org"
    third_enrolment = [e for e in event.enrolments if e.user_id == third.id][0]
    events.accept_offer(session, enrolment_id=third_enrolment.id, user_id=third.id, now=now + timedelta(hours=26))
    session.commit()
    accepted = outbox(session)[-1]
    assert accepted.to_addr == "p2@example.org" and accepted.ics_method == "REQUEST"
    received = deliver(session, smtp_server, smtp_settings, 8, at=now + timedelta(hours=27))
    methods = [calendar_part(m)[0] for m in received
               if any(p.get_content_type() == "text/calendar" for p in m.walk())]
    assert methods.count("REQUEST") == 2 and methods.count("CANCEL") == 1
    assert organiser_id


def test_approval_and_rejection(session):
    person, other = make_user(session), make_user(session)
    event = make_event(session, requires_approval=True)
    organiser_id = event.organisers[0].id
    session.commit()
    now = utcnow()
    pending = events.enrol(session, event_id=event.id, user_id=person.id, now=now)
    declined = events.enrol(session, event_id=event.id, user_id=other.id, now=now)
    events.approve_enrolment(session, enrolment_id=pending.id, actor_id=organiser_id, now=now)
    events.reject_enrolment(session, enrolment_id=declined.id, actor_id=organiser_id, now=now, reason="Full <team>")
    events.reject_enrolment(session, enrolment_id=pending.id, actor_id=organiser_id, now=now)
    session.commit()
    rows = [(m.user_id, m.kind, m.ics_method) for m in outbox(session)]
    assert rows == [
        (person.id, "enrolment_pending", None), (other.id, "enrolment_pending", None),
        (person.id, "calendar_request", "REQUEST"),
        (other.id, "enrolment_rejected", None),
        (person.id, "calendar_cancel", "CANCEL"),  # rejected after being confirmed: the invitation is withdrawn
    ]
    assert "Full <team>" in outbox(session)[3].text_body
    assert "Full &lt;team&gt;" in outbox(session)[3].html_body


def test_time_and_place_changes_update_everyone_confirmed(session, smtp_server, smtp_settings):
    people = [make_user(session, email=f"c{i}@example.org") for i in range(2)]
    waiting = make_user(session, email="w@example.org")
    event = make_event(session, capacity=2)
    organiser_id = event.organisers[0].id
    session.commit()
    now = utcnow()
    for person in [*people, waiting]:
        events.enrol(session, event_id=event.id, user_id=person.id, now=now)
    session.commit()
    before = len(outbox(session))
    events.update_event(session, event_id=event.id, data={"title": "Only the title"}, actor_id=organiser_id,
                        now=now)
    session.commit()
    assert len(outbox(session)) == before  # no time/place change: no update
    new_start = event.starts_at + timedelta(days=1, hours=1)
    events.update_event(session, event_id=event.id,
                        data={"starts_at": new_start.isoformat(), "ends_at": (new_start + timedelta(hours=6)
                                                                              ).isoformat(), "venue": "Hall B"},
                        actor_id=organiser_id, now=now)
    session.commit()
    updates = outbox(session)[before:]
    assert sorted(m.to_addr for m in updates) == ["c0@example.org", "c1@example.org"]
    assert all(m.ics_method == "REQUEST" and m.subject.startswith("Updated:") for m in updates)
    received = deliver(session, smtp_server, smtp_settings, len(outbox(session)))
    updated = [m for m in received if m["Subject"].startswith("Updated:")]
    for message in updated:
        method, cal, vcal = calendar_part(message)
        vevent = cal.walk("VEVENT")[0]
        assert method == "REQUEST" and vevent["SEQUENCE"] == 1
        assert vevent.decoded("dtstart").astimezone(UTC) == new_start
        assert "Hall B" in str(vevent["LOCATION"])
        assert vcal.vevent.sequence.value == "1"


def test_event_cancellation_sends_cancel_to_confirmed_and_a_notice_to_the_waiting(
        session, smtp_server, smtp_settings):
    confirmed = make_user(session, email="c@example.org")
    waiting = make_user(session, email="w@example.org")
    event = make_event(session, capacity=1)
    session.commit()
    now = utcnow()
    events.enrol(session, event_id=event.id, user_id=confirmed.id, now=now)
    events.enrol(session, event_id=event.id, user_id=waiting.id, now=now)
    session.commit()
    before = len(outbox(session))
    events.cancel_event(session, event_id=event.id, actor_id=event.organisers[0].id, reason="Heavy snow; closed",
                        now=now)
    session.commit()
    cancel, notice = outbox(session)[before:]
    assert cancel.to_addr == "c@example.org" and cancel.ics_method == "CANCEL"
    assert notice.to_addr == "w@example.org" and notice.ics_method is None and "Heavy snow" in notice.text_body
    assert session.scalar(sa.select(sa.func.count()).select_from(EventNotification)
                          .where(EventNotification.processed_at.is_(None))) == 0
    received = deliver(session, smtp_server, smtp_settings, before + 2)
    message = [m for m in received if m["To"].endswith("<c@example.org>") and m["Subject"].startswith("Cancelled")][0]
    method, cal, _ = calendar_part(message)
    vevent = cal.walk("VEVENT")[0]
    assert method == "CANCEL" and cal["METHOD"] == "CANCEL"
    assert str(vevent["STATUS"]) == "CANCELLED" and vevent["SEQUENCE"] == 1
    assert str(vevent["UID"]) == f"event-{event.id}@cc.test"


def test_two_delivery_passes_at_once_send_nothing_twice(app, session, smtp_server, smtp_settings):
    people = [make_user(session, email=f"d{i}@example.org") for i in range(6)]
    event = make_event(session)
    session.commit()
    for person in people:
        events.enrol(session, event_id=event.id, user_id=person.id, now=utcnow())
    session.commit()
    errors = []

    def run():
        try:
            with app.app_context():
                deliver_pending(db.session, smtp_settings, now=utcnow() + timedelta(seconds=1))
                db.session.remove()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    received = smtp_server.wait_for(6)
    assert sorted(m["To"].split("<")[-1].rstrip(">") for m in received) == [f"d{i}@example.org" for i in range(6)]
    assert len(smtp_server.messages) == 6
    assert {m.status for m in outbox(session)} == {"sent"}


def test_smtp_down_loses_nothing(session, smtp_server, smtp_settings):
    person = make_user(session)
    event = make_event(session)
    session.commit()
    events.enrol(session, event_id=event.id, user_id=person.id, now=utcnow())
    session.commit()
    smtp_server.stop()
    now = utcnow()
    assert deliver_pending(session, smtp_settings, now=now).retried == 1
    smtp_server.start()
    assert deliver_pending(session, smtp_settings, now=now + timedelta(minutes=2)).sent == 1
    [message] = smtp_server.wait_for(1)
    assert calendar_part(message)[0] == "REQUEST"


def test_without_mail_server_the_command_keeps_mail_in_the_outbox(session, runner):
    person = make_user(session)
    event = make_event(session)
    session.commit()
    events.enrol(session, event_id=event.id, user_id=person.id, now=utcnow())
    session.commit()
    result = runner.invoke(args=["mail", "deliver"])
    assert result.exit_code == 0 and "left in outbox 1" in result.output
    assert [m.status for m in outbox(session)] == ["pending"]
    assert SmtpSettings(server=None).server is None


def test_promotion_from_the_waiting_list_sends_the_invitation(session):
    first, second = make_user(session, email="a@example.org"), make_user(session, email="b@example.org")
    event = make_event(session, capacity=1)
    session.commit()
    now = utcnow()
    held = events.enrol(session, event_id=event.id, user_id=first.id, now=now)
    events.enrol(session, event_id=event.id, user_id=second.id, now=now)
    events.cancel_enrolment(session, enrolment_id=held.id, actor_id=first.id, now=now)
    session.commit()
    rows = [(m.to_addr, m.kind, m.ics_method) for m in outbox(session)]
    assert rows == [
        ("a@example.org", "calendar_request", "REQUEST"), ("b@example.org", "enrolment_waitlisted", None),
        ("a@example.org", "calendar_cancel", "CANCEL"), ("b@example.org", "calendar_request", "REQUEST"),
    ]
    request = icalendar.Calendar.from_ical(outbox(session)[3].ics_body).walk("VEVENT")[0]
    assert str(request["ATTENDEE"]) == "mailto:b@example.org"


def test_no_invitation_for_an_event_that_is_already_over(session):
    """Organisers entering attendance from paper sheets for a past event send nobody an invitation."""
    from datetime import timedelta

    import sqlalchemy as sa

    from app.events import services as event_services
    from app.mail.models import OutboxMessage
    from app.sqltypes import utcnow
    from tests.factories import make_event, make_user

    now = utcnow()
    organiser = make_user(session, role="organiser")
    event = make_event(session, organisers=[organiser], starts_at=now - timedelta(days=3),
                       ends_at=now - timedelta(days=2))
    person = make_user(session)
    enrolment = event_services.enrol(session, event_id=event.id, user_id=person.id, now=now,
                                     actor_id=organiser.id, override_capacity=True)
    session.commit()
    assert enrolment.status == "confirmed"
    assert session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def _sent_ics(message: OutboxMessage):
    return icalendar.Calendar.from_ical(message.ics_body).walk("VEVENT")[0], vobject.readOne(message.ics_body)


def test_a_participants_own_cancellation_uninvites_only_them_and_sequences_keep_order(session):
    """RFC 5546 3.2.5: a CANCEL without STATUS:CANCELLED removes one attendee (the event goes on); every message
    to that person carries a higher SEQUENCE than the one before, so clients apply them in order."""
    person = make_user(session, email="p@example.org")
    event = make_event(session)
    organiser_id = event.organisers[0].id
    session.commit()
    now = utcnow()
    enrolment = events.enrol(session, event_id=event.id, user_id=person.id, now=now)
    events.cancel_enrolment(session, enrolment_id=enrolment.id, actor_id=person.id, now=now)
    events.enrol(session, event_id=event.id, user_id=person.id, now=now)
    new_start = event.starts_at + timedelta(hours=1)
    events.update_event(session, event_id=event.id, actor_id=organiser_id, now=now, data={
        "starts_at": new_start.isoformat(), "ends_at": (new_start + timedelta(hours=6)).isoformat()})
    enrolment = session.get(type(enrolment), enrolment.id)
    events.reject_enrolment(session, enrolment_id=enrolment.id, actor_id=organiser_id, now=now)
    session.commit()
    messages = [m for m in outbox(session) if m.ics_method]
    assert [m.ics_method for m in messages] == ["REQUEST", "CANCEL", "REQUEST", "REQUEST", "CANCEL"]
    sequences = []
    for message in messages:
        vevent, vcal = _sent_ics(message)
        sequences.append(vevent["SEQUENCE"])
        assert int(vcal.vevent.sequence.value) == vevent["SEQUENCE"]
        assert str(vevent["ATTENDEE"]) == "mailto:p@example.org"
        if message.ics_method == "CANCEL":
            # the event itself is not cancelled: no STATUS:CANCELLED, which would cancel it for everyone
            assert "STATUS" not in vevent and "STATUS:CANCELLED" not in message.ics_body
    assert sequences == sorted(set(sequences)), sequences  # strictly rising


def test_a_cancelled_event_still_sends_status_cancelled(session):
    person = make_user(session)
    event = make_event(session)
    session.commit()
    now = utcnow()
    events.enrol(session, event_id=event.id, user_id=person.id, now=now)
    events.cancel_event(session, event_id=event.id, actor_id=event.organisers[0].id, reason="Storm", now=now)
    session.commit()
    request, cancel = [m for m in outbox(session) if m.ics_method]
    vevent, _ = _sent_ics(cancel)
    assert str(vevent["STATUS"]) == "CANCELLED" and vevent["SEQUENCE"] > _sent_ics(request)[0]["SEQUENCE"]


def test_an_agenda_change_is_a_revision_and_updates_the_invitees(session, client):
    person = make_user(session, email="a@example.org")
    event = make_event(session)
    organiser_id = event.organisers[0].id
    session.commit()
    events.enrol(session, event_id=event.id, user_id=person.id, now=utcnow())
    session.commit()

    def ics():
        cal = icalendar.Calendar.from_ical(client.get(f"/calendar/events/{event.id}.ics").data)
        vevent = cal.walk("VEVENT")[0]
        return vevent["SEQUENCE"], vevent.decoded("dtstamp"), vevent.decoded("last-modified"), str(vevent["DESCRIPTION"])

    def requests():
        return [m for m in outbox(session) if m.ics_method == "REQUEST"]

    steps = [
        lambda at: events.add_session(session, event_id=event.id, actor_id=organiser_id, now=at, data={
            "title": "Opening", "starts_at": event.starts_at.isoformat(),
            "ends_at": (event.starts_at + timedelta(hours=1)).isoformat()}),
        lambda at: events.update_session(session, session_id=item_id(), actor_id=organiser_id, now=at, data={
            "starts_at": (event.starts_at + timedelta(hours=2)).isoformat(),
            "ends_at": (event.starts_at + timedelta(hours=3)).isoformat()}),
        lambda at: events.update_session(session, session_id=item_id(), actor_id=organiser_id, now=at,
                                         data={"title": "Welcome"}),
        lambda at: events.delete_session(session, session_id=item_id(), actor_id=organiser_id, now=at),
    ]

    def item_id():
        from app.events.models import EventSession
        return session.scalar(sa.select(EventSession.id).where(EventSession.event_id == event.id))

    previous, sent = ics(), len(requests())
    for number, step in enumerate(steps, start=1):
        step(utcnow() + timedelta(minutes=number))
        session.commit()
        current = ics()
        assert current[0] > previous[0], number  # SEQUENCE
        assert current[1] > previous[1] and current[2] > previous[2], number  # DTSTAMP, LAST-MODIFIED
        assert len(requests()) == sent + 1, number
        update = requests()[-1]
        assert update.to_addr == "a@example.org" and update.subject.startswith("Updated:")
        assert _sent_ics(update)[0]["SEQUENCE"] >= current[0]
        previous, sent = current, sent + 1
    assert "Welcome" not in previous[3] and "Opening" not in previous[3]
    # saving a session without changing it is no revision
    make_session(session, event, title="Coffee")
    session.commit()
    before = ics()[0]
    events.update_session(session, session_id=item_id(), actor_id=organiser_id, now=utcnow(),
                          data={"title": "Coffee"})
    session.commit()
    assert ics()[0] == before
