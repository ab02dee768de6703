"""Enrolment and event mails are written in the recipient's language and zone, whoever caused them.

The pseudo-locale (en_US_POSIX) marks every catalogue string ⟦…⟧ once `make translations` has written its
catalogue; the expectations are built with translator(language) from the English sources, so they hold
before that (English) and once real translations exist.
"""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
import sqlalchemy as sa

from app.events import services as events
from app.events.models import Enrolment
from app.language import PSEUDO_LOCALE, translator
from app.mail.models import OutboxMessage
from app.sqltypes import utcnow
from tests.conftest import post_form
from tests.factories import make_event, make_organiser, make_user

P = translator(PSEUDO_LOCALE)
EN = translator("en")


def outbox(session, user=None) -> list[OutboxMessage]:
    session.expire_all()
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    if user is not None:
        query = query.where(OutboxMessage.user_id == user.id)
    return list(session.scalars(query))


def _date(t, event, zone="UTC") -> str:
    return t.when(event.starts_at, zone, "yMMMd", None)


def _not_english_where_translated(mail: OutboxMessage, source: str, english_subject: str, t=P) -> None:
    """Once the language's catalogue has the subject's sentence, the mail is not the English one."""
    if t.gettext(source) != source:
        assert mail.subject != english_subject


def test_a_pseudo_locale_reader_gets_every_enrolment_mail_through_the_catalogue(session):
    reader = make_user(session, name="Zoë Ølund", timezone="Asia/Kolkata")
    reader.language = PSEUDO_LOCALE  # allowed in users.language; the profile form does not offer it
    other = make_user(session)
    event = make_event(session, title="Green roofs", capacity=1, waitlist_mode="offer", offer_hours=24)
    organiser_id = event.organisers[0].id
    session.commit()
    now = utcnow()
    held = events.enrol(session, event_id=event.id, user_id=other.id, now=now)
    mine = events.enrol(session, event_id=event.id, user_id=reader.id, now=now)
    session.commit()
    [waiting] = outbox(session, reader)
    assert waiting.kind == "enrolment_waitlisted"
    assert waiting.subject == P.gettext("Waiting list: %(title)s (position %(position)s)", title="Green roofs",
                                        position="1")
    _not_english_where_translated(waiting, "Waiting list: %(title)s (position %(position)s)",
                                  "Waiting list: Green roofs (position 1)")
    assert P.gettext("Hello %(name)s,", name="Zoë Ølund") in waiting.text_body
    assert P.gettext("You are on the waiting list") in waiting.html_body
    assert P.gettext("Your time") in waiting.text_body and "Asia/Kolkata" in waiting.text_body
    assert f'<html lang="{P.html_lang}" dir="ltr">' in waiting.html_body
    assert "<bdi>Green roofs</bdi>" in waiting.html_body and "<bdi>Zoë Ølund</bdi>" in waiting.html_body

    events.cancel_enrolment(session, enrolment_id=held.id, actor_id=other.id, now=now)
    session.commit()
    [offer] = outbox(session, reader)[1:]
    deadline = session.get(Enrolment, mine.id).offer_expires_at
    by = f"{P.when(deadline, 'Asia/Kolkata')} (Asia/Kolkata)"  # the reader's zone, not the event's
    assert offer.subject == P.gettext("A seat is free for you: %(title)s — accept by %(deadline)s",
                                      title="Green roofs", deadline=by)
    assert f"{P.gettext('Accept the seat')}: " in offer.text_body

    events.accept_offer(session, enrolment_id=mine.id, user_id=reader.id, now=now)
    session.commit()
    [invitation] = outbox(session, reader)[2:]
    assert invitation.ics_method == "REQUEST"
    assert invitation.subject == P.gettext("Invitation: %(title)s (%(date)s)", title="Green roofs",
                                           date=_date(P, event, "Asia/Kolkata"))
    _not_english_where_translated(invitation, "Invitation: %(title)s (%(date)s)",
                                  f"Invitation: Green roofs ({_date(EN, event, 'Asia/Kolkata')})")
    assert P.gettext("Your place is confirmed") in invitation.html_body
    assert P.gettext("Event page") in invitation.text_body
    # the iTIP object keeps the event's own title and data: only the text around it is translated
    vevent = icalendar.Calendar.from_ical(invitation.ics_body).walk("VEVENT")[0]
    assert str(vevent["SUMMARY"]) == "Green roofs"

    events.update_event(session, event_id=event.id, actor_id=organiser_id, now=now,
                        data={"venue": "Hall B"})
    session.commit()
    [update] = outbox(session, reader)[3:]
    place = P.gettext("location")
    assert update.subject == P.gettext("Updated: %(title)s (%(date)s) — changed: %(changes)s", title="Green roofs",
                                       date=_date(P, event, "Asia/Kolkata"), changes=place)
    vevent = icalendar.Calendar.from_ical(update.ics_body).walk("VEVENT")[0]
    assert str(vevent["SUMMARY"]) == "Green roofs"

    events.cancel_event(session, event_id=event.id, actor_id=organiser_id, reason="Heavy snow", now=now)
    session.commit()
    [cancelled] = outbox(session, reader)[4:]
    assert cancelled.ics_method == "CANCEL"
    assert cancelled.subject == P.gettext("Cancelled: %(title)s (%(date)s)", title="Green roofs",
                                          date=_date(P, event, "Asia/Kolkata"))
    assert P.gettext("Reason: %(reason)s", reason="Heavy snow") in cancelled.text_body
    assert P.gettext("This message removes it from your calendar.") in cancelled.text_body


def test_approval_rejection_and_expiry_mails_follow_the_reader(session):
    reader = make_user(session, name="Ana")
    reader.language = PSEUDO_LOCALE
    event = make_event(session, title="Heat plans", requires_approval=True)
    organiser_id = event.organisers[0].id
    session.commit()
    now = utcnow()
    pending = events.enrol(session, event_id=event.id, user_id=reader.id, now=now)
    events.reject_enrolment(session, enrolment_id=pending.id, actor_id=organiser_id, now=now, reason="Full <team>")
    session.commit()
    awaiting, rejected = outbox(session, reader)
    assert awaiting.subject == P.gettext("Awaiting approval: %(title)s", title="Heat plans")
    assert P.gettext("Your enrolment awaits approval") in awaiting.html_body
    assert rejected.subject == P.gettext("Not accepted: %(title)s", title="Heat plans")
    assert P.gettext("Reason: %(reason)s", reason="Full <team>") in rejected.text_body
    assert "<bdi>Full &lt;team&gt;</bdi>" in rejected.html_body  # escaped and isolated


def test_an_arabic_reader_gets_a_right_to_left_mail_with_the_title_isolated(session):
    reader = make_user(session, name="فاطمة الزهراء", timezone="Asia/Amman")
    reader.language = "ar"
    event = make_event(session, title="Green roofs (Leipzig)")
    session.commit()
    events.enrol(session, event_id=event.id, user_id=reader.id, now=utcnow())
    session.commit()
    [mail] = outbox(session, reader)
    ar = translator("ar")
    assert '<html lang="ar" dir="rtl">' in mail.html_body and '<body dir="rtl"' in mail.html_body
    assert "<bdi>Green roofs (Leipzig)</bdi>" in mail.html_body and "<bdi>فاطمة الزهراء</bdi>" in mail.html_body
    assert mail.subject == ar.gettext("Invitation: %(title)s (%(date)s)", title="Green roofs (Leipzig)",
                                      date=_date(ar, event, "Asia/Amman"))
    assert _date(ar, event, "Asia/Amman") in mail.subject  # Arabic month names, whatever the catalogue says
    assert ar.when(event.starts_at, "Asia/Amman", "yMMMEd", None) in mail.text_body  # "Your time" in Amman


def _fr_and_de(title: str, event) -> tuple[str, str]:
    fr, de = translator("fr"), translator("de")
    source = "Invitation: %(title)s (%(date)s)"
    return (fr.gettext(source, title=title, date=_date(fr, event, "Europe/Paris")),
            de.gettext(source, title=title, date=_date(de, event, "Europe/Paris")))


def test_an_email_to_a_french_speaking_participant_is_in_french_whatever_the_organisers_language(
        session, client, auth):
    organiser = make_organiser(session, email="org@example.org", language="de")
    participant = make_user(session, name="Camille Martin", language="fr", timezone="Europe/Paris")
    event = make_event(session, organisers=[organiser], title="Toits végétalisés", requires_approval=True)
    pending = events.enrol(session, event_id=event.id, user_id=participant.id, now=utcnow())
    session.commit()
    auth.login("org@example.org")
    page = client.get(f"/events/{event.id}/participants?status=pending").get_data(as_text=True)
    assert 'lang="de"' in page  # the organiser's request is German
    post_form(client, f"/events/{event.id}/participants", {}, action=f"/events/enrolments/{pending.id}/approve")
    session.expire_all()
    assert session.get(Enrolment, pending.id).status == "confirmed"
    [invitation] = [m for m in outbox(session, participant) if m.kind == "calendar_request"]
    french, german = _fr_and_de("Toits végétalisés", event)
    assert invitation.subject == french and invitation.subject != german
    fr = translator("fr")
    assert fr.gettext("Hello %(name)s,", name="Camille Martin") in invitation.text_body
    assert fr.gettext("Your place is confirmed") in invitation.html_body
    assert 'lang="fr"' in invitation.html_body


@pytest.mark.parametrize("language", ["en", "de", "fr", "es", "pt", "ar", PSEUDO_LOCALE])
def test_every_notice_renders_in_every_language(session, language):
    reader = make_user(session, timezone="America/Sao_Paulo")
    reader.language = language
    event = make_event(session, capacity=1, requires_approval=True)
    session.commit()
    now = utcnow()
    enrolment = events.enrol(session, event_id=event.id, user_id=reader.id, now=now)
    events.approve_enrolment(session, enrolment_id=enrolment.id, actor_id=event.organisers[0].id, now=now)
    events.cancel_enrolment(session, enrolment_id=enrolment.id, actor_id=reader.id, now=now + timedelta(minutes=1))
    session.commit()
    mails = outbox(session, reader)
    assert [m.kind for m in mails] == ["enrolment_pending", "calendar_request", "calendar_cancel"]
    t = translator(language)
    for mail in mails:
        assert f'lang="{t.html_lang}" dir="{t.direction}"' in mail.html_body
        assert t.gettext("Hello %(name)s,", name=reader.name) in mail.text_body
