"""Reminders and organiser digests go out in each recipient's own language and zone, one mail per person.

Expectations are built with translator(language) from the English sources, so they hold with the
pseudo-locale's catalogue (after `make translations`), without it (English) and once real translations exist.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from babel.lists import format_list

from app.language import PSEUDO_LOCALE, translator
from tests.factories import make_event, make_organiser, make_session, make_user
from tests.jobs.support import confirmed, outbox, run

P = translator(PSEUDO_LOCALE)
START = datetime(2030, 3, 20, 8, 0, tzinfo=UTC)  # 09:00 in Leipzig
DAY = datetime(2030, 3, 11, 2, 0, tzinfo=UTC)  # 07:30 in Kolkata


def test_each_participant_gets_the_reminder_in_their_language_and_zone(app, session):
    event = make_event(session, title="Climate adaptation – Öffentlicher Raum", starts_at=START,
                       ends_at=START + timedelta(hours=8))
    make_session(session, event, title="Heat action plans", starts_at=START, ends_at=START + timedelta(hours=2))
    pseudo = make_user(session, name="Zoë", timezone="America/Sao_Paulo")
    pseudo.language = PSEUDO_LOCALE
    arabic = make_user(session, name="فاطمة", timezone="Asia/Amman")
    arabic.language = "ar"
    english = make_user(session, name="Eve", timezone="Europe/Berlin")
    for person in (pseudo, arabic, english):
        confirmed(session, event, user=person)
    session.commit()
    assert run(app, session, "reminders", START - timedelta(days=7) + timedelta(minutes=3)).result == \
        "3 reminder(s) queued"
    mails = {m.user_id: m for m in outbox(session, "reminder")}

    mine = mails[pseudo.id]
    title = "Climate adaptation – Öffentlicher Raum"
    assert mine.subject == P.gettext("Reminder: %(title)s on %(date)s", title=title,
                                     date=P.when(START, "America/Sao_Paulo", "yMMMEd", None))
    assert P.gettext("Hello %(name)s,", name="Zoë") in mine.text_body
    assert P.ngettext("This is a reminder that %(title)s starts in %(num)d day.",
                      "This is a reminder that %(title)s starts in %(num)d days.", 7, title=title) in mine.text_body
    assert f"{P.gettext('Your time')}: {P.when(START, 'America/Sao_Paulo')}" in mine.text_body
    assert f'<html lang="{P.html_lang}" dir="ltr">' in mine.html_body and f"<bdi>{title}</bdi>" in mine.html_body
    if P.gettext("Your ticket code: %(code)s") != "Your ticket code: %(code)s":  # the mails are in the catalogue
        assert "This is a reminder" not in mine.text_body and "Event page" not in mine.text_body

    ar = translator("ar")
    theirs = mails[arabic.id]
    assert theirs.subject == ar.gettext("Reminder: %(title)s on %(date)s", title=title,
                                        date=ar.when(START, "Asia/Amman", "yMMMEd", None))
    assert '<html lang="ar" dir="rtl">' in theirs.html_body
    assert ar.when(START, "Europe/Berlin") in theirs.text_body  # Arabic month and day names
    assert "Germany" not in theirs.text_body  # the country named in Arabic as well

    # an English reader in the event's own zone: no "Your time" line
    assert mails[english.id].subject.startswith("Reminder: ") and "Your time" not in mails[english.id].text_body


def test_each_organiser_gets_the_digest_in_their_language(app, session):
    pseudo = make_organiser(session, name="Priya", timezone="Asia/Kolkata")
    pseudo.language = PSEUDO_LOCALE
    german = make_organiser(session, name="Jonas", timezone="Asia/Kolkata", language="de")
    start = DAY + timedelta(days=20)
    event = make_event(session, organisers=[pseudo, german], title="Smart water", starts_at=start,
                       ends_at=start + timedelta(hours=8), capacity=2, requires_approval=True)
    confirmed(session, event, confirmed_at=DAY - timedelta(hours=3))
    confirmed(session, event, status="pending", confirmed_at=DAY - timedelta(hours=2))
    session.commit()
    assert run(app, session, "organiser-digest", DAY + timedelta(minutes=35)).result.startswith("2 digest(s) sent")
    digests = {m.user_id: m for m in outbox(session, "digest")}

    mine = digests[pseudo.id]
    items = [P.ngettext("%(num)d new enrolment", "%(num)d new enrolments", 2),
             P.ngettext("%(num)d to approve", "%(num)d to approve", 1)]
    listed = format_list(items, style="unit-short", locale="en_GB")  # the pseudo-locale lists as English does
    assert mine.subject == P.gettext("Your daily digest: %(items)s", items=listed)
    assert P.gettext("Hello %(name)s,", name="Priya") in mine.text_body
    assert P.gettext("Waiting for your approval: %(num)s", num="1") in mine.text_body
    assert P.ngettext("%(num)d awaiting approval", "%(num)d awaiting approval", 1) in mine.text_body
    assert P.when(start, "Asia/Kolkata") in mine.text_body  # the organiser's zone
    assert f'<html lang="{P.html_lang}" dir="ltr">' in mine.html_body
    assert P.gettext("Manage your events") in mine.html_body

    de = translator("de")
    items = [de.ngettext("%(num)d new enrolment", "%(num)d new enrolments", 2),
             de.ngettext("%(num)d to approve", "%(num)d to approve", 1)]
    assert digests[german.id].subject == de.gettext("Your daily digest: %(items)s",
                                                    items=format_list(items, style="unit-short", locale="de"))
    assert de.when(start, "Asia/Kolkata") in digests[german.id].text_body
