"""Reminders: driven through time, delivered to a real SMTP server, exactly once per enrolment and offset."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import sqlalchemy as sa
import vobject

from app.jobs.models import ReminderSent
from app.jobs.reminders import due_offset, plan_reminders
from app.language import translator
from tests.factories import make_event, make_session, make_user
from tests.jobs.support import confirmed, outbox, run, smtp_config

START = datetime(2030, 3, 20, 8, 0, tzinfo=UTC)  # 09:00 in Leipzig
EN = translator("en")  # dates as an English reader's mail writes them (Babel)


def _event(session, **fields):
    values = {"starts_at": START, "ends_at": START + timedelta(hours=8), "online_url": "https://meet.example.org/w"}
    values.update(fields)
    return make_event(session, **values)


def test_due_offset_is_the_most_specific_open_window():
    assert due_offset(START, [168, 24], START - timedelta(days=8)) is None
    assert due_offset(START, [168, 24], START - timedelta(days=7)) == 168
    assert due_offset(START, [168, 24], START - timedelta(hours=30)) == 168
    assert due_offset(START, [168, 24], START - timedelta(hours=24)) == 24
    assert due_offset(START, [24, 168, "x", -3, 24], START - timedelta(hours=1)) == 24
    assert due_offset(START, None, START - timedelta(hours=2)) == 24
    assert due_offset(START, [168, 24], START) is None  # started: too late for reminders
    assert due_offset(START, [], START - timedelta(hours=2)) is None


def test_one_reminder_per_enrolment_and_offset_even_when_run_twice(app, session, smtp_server):
    event = _event(session, title="Climate adaptation – Öffentlicher Raum")
    make_session(session, event, title="Heat action plans", starts_at=START, ends_at=START + timedelta(hours=2),
                 location="Festsaal", speakers="Dr. Ana Ruiz")
    people = [make_user(session, name=name) for name in ("Zoë Müller", "Анна Ковальчук")]
    for person in people:
        confirmed(session, event, user=person)
    confirmed(session, event, status="cancelled")
    confirmed(session, event, status="waitlisted", waitlist_seq=1)
    confirmed(session, event, status="pending")
    session.commit()
    mail = smtp_config(smtp_server)

    week = START - timedelta(days=7) + timedelta(minutes=3)
    assert run(app, session, "reminders", week - timedelta(minutes=10)).result == "no reminders due"
    assert run(app, session, "reminders", week).result == "2 reminder(s) queued"
    assert run(app, session, "reminders", week).result == "no reminders due"
    assert run(app, session, "reminders", week + timedelta(minutes=5)).result == "no reminders due"
    run(app, session, "deliver-mail", week, **mail)
    run(app, session, "deliver-mail", week + timedelta(seconds=30), **mail)
    messages = smtp_server.wait_for(2)
    assert len(messages) == 2
    assert sorted(m["To"].addresses[0].addr_spec for m in messages) == sorted(p.email for p in people)

    message = messages[0]
    assert message["Subject"] == f"Reminder: Climate adaptation – Öffentlicher Raum on {EN.when(START, 'UTC', 'yMMMEd', None)}"
    text = message.get_body(("plain",)).get_content()
    assert f"{EN.when(START, 'Europe/Berlin')}–17:00 (Europe/Berlin)" in text
    assert "Neues Rathaus, Martin-Luther-Ring 4, Leipzig, Germany" in text
    assert "https://meet.example.org/w" in text
    assert "Heat action plans" in text and "Festsaal" in text and f"{EN.when(START, 'Europe/Berlin', 'MMMEd', 'Hm')}–11:00" in text
    assert "in 7 days" in text
    assert f"Event page: http://cc.test/events/{event.id}" in text
    html = message.get_body(("html",)).get_content()
    assert "Heat action plans" in html and "Öffentlicher Raum" in html
    attachments = [p for p in message.iter_attachments() if p.get_filename() and p.get_filename().endswith(".ics")]
    assert attachments, "the .ics is attached"
    ics = attachments[0].get_content()
    ics = ics.decode() if isinstance(ics, bytes) else ics
    parsed = icalendar.Calendar.from_ical(ics)
    vevent = next(iter(parsed.walk("VEVENT")))
    assert vevent.decoded("DTSTART").astimezone(UTC) == START
    assert str(vevent["DTSTART"].params.get("TZID")) == "Europe/Berlin"
    independent = vobject.readOne(ics)
    assert independent.vevent.dtstart.value.astimezone(UTC) == START

    day = START - timedelta(hours=23)
    assert run(app, session, "reminders", day).result == "2 reminder(s) queued"
    assert run(app, session, "reminders", day).result == "no reminders due"
    run(app, session, "deliver-mail", day, **mail)
    assert len(smtp_server.wait_for(4)) == 4
    assert "in 23 hours" in smtp_server.messages[-1].get_body(("plain",)).get_content()
    # after the start: nothing more, and no outbox message is ever duplicated
    assert run(app, session, "reminders", START + timedelta(minutes=1)).result == "no reminders due"
    rows = session.execute(sa.select(ReminderSent.offset_hours, sa.func.count()).group_by(ReminderSent.offset_hours))
    assert dict(rows.all()) == {168: 2, 24: 2}
    assert len(outbox(session, "reminder")) == 4
    assert len(smtp_server.messages) == 4


def test_after_downtime_only_the_most_specific_reminder_is_sent(app, session):
    event = _event(session)
    confirmed(session, event)
    session.commit()
    # the scheduler was down for the whole week: at 12 hours before, only the 1-day reminder goes out
    assert run(app, session, "reminders", START - timedelta(hours=12)).result == "1 reminder(s) queued"
    assert [r.offset_hours for r in session.scalars(sa.select(ReminderSent))] == [24]
    assert run(app, session, "reminders", START - timedelta(hours=11)).result == "no reminders due"
    # down for a day only: the 7-day one is still sent late, then the 1-day one on time
    later = START + timedelta(days=10)
    other = _event(session, starts_at=later, ends_at=later + timedelta(hours=8))
    confirmed(session, other)
    session.commit()
    assert run(app, session, "reminders", later - timedelta(days=6)).result == "1 reminder(s) queued"
    assert run(app, session, "reminders", later - timedelta(hours=20)).result == "1 reminder(s) queued"
    sent = session.scalars(sa.select(ReminderSent.offset_hours).order_by(ReminderSent.id)).all()
    assert sent == [24, 168, 24]


def test_people_confirmed_after_a_window_opened_get_only_the_later_reminders(app, session):
    event = _event(session)
    confirmed(session, event, confirmed_at=START - timedelta(days=3))
    session.commit()
    assert run(app, session, "reminders", START - timedelta(days=3) + timedelta(hours=1)).result == "no reminders due"
    assert run(app, session, "reminders", START - timedelta(hours=23)).result == "1 reminder(s) queued"


def test_none_for_cancelled_or_draft_events(app, session):
    cancelled = _event(session, status="cancelled", cancel_reason="Storm")
    draft = _event(session, status="draft", published_at=None)
    confirmed(session, cancelled)
    confirmed(session, draft)
    session.commit()
    assert run(app, session, "reminders", START - timedelta(hours=2)).result == "no reminders due"
    assert outbox(session, "reminder") == []


def test_per_event_offsets_escaping_and_inactive_accounts(app, session):
    event = _event(session, reminder_offsets_hours=[2], title="<b>Bold</b> & co", online_url=None)
    confirmed(session, event)
    inactive = make_user(session)
    inactive.is_active_account = False
    confirmed(session, event, user=inactive)
    session.commit()
    assert run(app, session, "reminders", START - timedelta(hours=23)).result == "no reminders due"
    assert run(app, session, "reminders", START - timedelta(hours=1)).result == "1 reminder(s) queued"
    [message] = outbox(session, "reminder")
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in message.html_body and "<b>Bold" not in message.html_body
    assert "<b>Bold</b> & co starts within the hour" in message.text_body and "Online:" not in message.text_body


def test_rescheduled_event(app, session):
    event = _event(session)
    enrolment = confirmed(session, event)
    session.commit()
    first = START - timedelta(days=7) + timedelta(minutes=1)
    assert run(app, session, "reminders", first).result == "1 reminder(s) queued"

    # a change that does not move the date sends nothing again
    event.venue = "Altes Rathaus"
    event.revision += 1
    session.commit()
    assert run(app, session, "reminders", first + timedelta(hours=1)).result == "no reminders due"

    # postponed by a week: the 7-day reminder already sent is sent again for the new date, when due
    new_start = START + timedelta(days=7)
    event.starts_at, event.ends_at = new_start, new_start + timedelta(hours=8)
    session.commit()
    assert run(app, session, "reminders", first + timedelta(hours=2)).result == "no reminders due"
    # the 1-day reminder not yet sent follows the new date: nothing at the old date
    assert run(app, session, "reminders", START - timedelta(hours=23)).result == "no reminders due"
    again = new_start - timedelta(days=7) + timedelta(minutes=1)
    assert run(app, session, "reminders", again).result == "1 reminder(s) queued"
    assert run(app, session, "reminders", again).result == "no reminders due"
    row = session.scalar(sa.select(ReminderSent).where(ReminderSent.offset_hours == 168))
    assert row.event_starts_at == new_start and row.times_sent == 2
    assert run(app, session, "reminders", new_start - timedelta(hours=23)).result == "1 reminder(s) queued"
    messages = outbox(session, "reminder")
    assert len(messages) == 3
    assert "has changed" in messages[1].text_body and EN.when(new_start, "UTC", "yMMMEd", None) in messages[1].subject
    assert {m.user_id for m in messages} == {enrolment.user_id}


def test_plan_is_computed_in_a_constant_number_of_queries(app, session, count_queries):
    for _ in range(3):
        event = _event(session)
        for _ in range(4):
            confirmed(session, event)
    session.commit()
    with count_queries() as small:
        assert len(plan_reminders(session, now=START - timedelta(hours=2))) == 12
    for _ in range(3):
        event = _event(session)
        for _ in range(6):
            confirmed(session, event)
    session.commit()
    session.expire_all()
    with count_queries() as large:
        assert len(plan_reminders(session, now=START - timedelta(hours=2))) == 30
    assert small.count == large.count


def test_the_reminders_ics_is_a_utf8_publish_calendar_even_in_the_repeated_hour(app, session, smtp_server):
    """Content-Type: text/calendar; method=PUBLISH; charset=utf-8; and a start at 02:30 on the night the clocks
    go back (the second 02:30, CET) is the same instant for both parsers."""
    from zoneinfo import ZoneInfo

    starts = datetime(2027, 10, 31, 2, 30, tzinfo=ZoneInfo("Europe/Berlin"), fold=1).astimezone(UTC)
    event = _event(session, title="Night, walk; Ж", starts_at=starts, ends_at=starts + timedelta(hours=2))
    confirmed(session, event)
    session.commit()
    when = starts - timedelta(hours=20)
    assert run(app, session, "reminders", when).result == "1 reminder(s) queued"
    run(app, session, "deliver-mail", when, **smtp_config(smtp_server))
    [message] = smtp_server.wait_for(1)
    [part] = [p for p in message.iter_attachments() if (p.get_filename() or "").endswith(".ics")]
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "PUBLISH" and part.get_content_charset() == "utf-8"
    ics = part.get_content()
    ics = ics.decode() if isinstance(ics, bytes) else ics
    vevent = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert vevent.decoded("DTSTART").astimezone(UTC) == starts
    assert vobject.readOne(ics).vevent.dtstart.value.astimezone(UTC) == starts
    assert "Night, walk; Ж" in ics.replace("\\,", ",").replace("\\;", ";")
