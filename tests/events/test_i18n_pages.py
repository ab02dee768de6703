"""Events pages in the reader's language and time zone (issue 12, points 1, 4 and 8).

Translated text is checked with the pseudo-locale, where every catalogue string comes back marked ⟦…⟧: a person
whose profile language is the pseudo-locale sees the markers on whatever went through the catalogue.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.auth.models import User
from app.events import services
from app.i18n import PSEUDO_LOCALE
from app.sqltypes import utcnow
from tests.conftest import post_form
from tests.factories import make_event, make_organiser, make_user

MARKED = re.compile(r"⟦[^⟧]*⟧")


def _pseudo(session, user: User) -> User:
    """The pseudo-locale as a profile language (register_user only takes the six real ones)."""
    session.execute(sa.update(User).where(User.id == user.id).values(language=PSEUDO_LOCALE))
    session.commit()
    return user


def _flashes(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", m).strip() for m in re.findall(r'role="alert">(.*?)<button', html, flags=re.S)]


def test_enrolment_flash_and_event_format_go_through_the_catalogue(client, session, auth):
    person = _pseudo(session, make_user(session, email="pseudo@example.org"))
    event = make_event(session, format="information_trip")
    session.commit()
    auth.login(person.email)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Information trip" not in MARKED.sub("", page) and "⟦" in page
    response = post_form(client, f"/events/{event.id}", {}, action=f"/events/{event.id}/enrol",
                         follow_redirects=True)
    (flash,) = _flashes(response.get_data(as_text=True))
    assert MARKED.fullmatch(flash), flash
    listing = client.get("/events/").get_data(as_text=True)
    assert 'name="format"' in listing and "Training session" not in MARKED.sub("", listing)


def test_english_flashes_keep_their_sentences(client, session, auth):
    person = make_user(session, email="english@example.org")
    event = make_event(session)
    session.commit()
    auth.login(person.email)
    response = post_form(client, f"/events/{event.id}", {}, action=f"/events/{event.id}/enrol",
                         follow_redirects=True)
    assert _flashes(response.get_data(as_text=True)) == ["You are enrolled. Your ticket is under My events."]


def test_a_seat_offer_deadline_is_shown_in_the_viewers_zone_and_named(client, session, auth):
    """A Berlin user offered a seat at an event in São Paulo reads the deadline in Berlin time."""
    organiser = make_organiser(session)
    event = make_event(session, organisers=[organiser], timezone="America/Sao_Paulo", capacity=1,
                       waitlist_mode="offer", offer_hours=48, city="São Paulo", country="BR")
    first = make_user(session)
    berliner = make_user(session, email="berlin@example.org", timezone="Europe/Berlin")
    now = utcnow()
    seat = services.enrol(session, event_id=event.id, user_id=first.id, now=now)
    waiting = services.enrol(session, event_id=event.id, user_id=berliner.id, now=now)
    services.cancel_enrolment(session, enrolment_id=seat.id, actor_id=first.id, now=now)
    session.commit()
    session.refresh(waiting)
    assert waiting.status == "offered"
    deadline = waiting.offer_expires_at.astimezone(ZoneInfo("Europe/Berlin"))
    berlin_time = f"{deadline:%H:%M}"
    sao_paulo_time = f"{waiting.offer_expires_at.astimezone(ZoneInfo('America/Sao_Paulo')):%H:%M}"
    assert berlin_time != sao_paulo_time
    auth.login(berliner.email)
    for url in ("/events/mine", f"/events/{event.id}"):
        html = client.get(url).get_data(as_text=True)
        offer = re.search(r"(?:Offer open until|A seat is offered to you until) ([^<]*)", html).group(1)
        assert berlin_time in offer and "Europe/Berlin" in offer and sao_paulo_time not in offer, (url, offer)
    # the event's own times stay at the venue, the viewer's start beside them
    mine = client.get("/events/mine").get_data(as_text=True)
    start = event.starts_at.astimezone(ZoneInfo("Europe/Berlin"))
    assert "America/Sao_Paulo" in mine and f"{start:%H:%M} your time (Europe/Berlin)" in mine


def test_no_second_time_for_a_viewer_in_the_events_zone(client, session, auth):
    person = make_user(session, email="leipzig@example.org", timezone="Europe/Berlin")
    event = make_event(session)
    services.enrol(session, event_id=event.id, user_id=person.id, now=utcnow())
    session.commit()
    auth.login(person.email)
    assert "your time" not in client.get("/events/mine").get_data(as_text=True)


def test_registration_not_open_yet_says_when_in_the_viewers_zone_and_language(client, session, auth):
    opens = datetime(2031, 1, 8, 9, 30, tzinfo=ZoneInfo("UTC"))
    event = make_event(session, registration_opens_at=opens, starts_at=opens + timedelta(days=30),
                       ends_at=opens + timedelta(days=30, hours=8))
    person = _pseudo(session, make_user(session, email="early@example.org", timezone="Asia/Tokyo"))
    session.commit()
    auth.login(person.email)
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    reason = re.search(r'id="closed-reason">([^<]*)<', html).group(1)
    # the sentence through the catalogue, the date by Babel in Tokyo time (18:30), the zone named
    assert reason.startswith("⟦") and "Wed, 8 Jan 2031, 18:30" in reason and "Asia/Tokyo" in reason
    client.set_cookie("lang", "fr")
    visitor = type(client)(client.application)  # a visitor reads the venue's time, in French
    html = visitor.get(f"/events/{event.id}?lang=fr").get_data(as_text=True)
    reason = re.search(r'id="closed-reason">([^<]*)<', html).group(1)
    assert "8 janv. 2031, 10:30" in reason and "Europe/Berlin" in reason


def test_country_names_follow_the_page_language(client, session):
    event = make_event(session, country="DE")
    session.commit()
    detail = client.get(f"/events/{event.id}?lang=fr").get_data(as_text=True)
    assert "Leipzig, Allemagne" in detail
    listing = client.get("/events/?lang=de&country=EG").get_data(as_text=True)
    assert '<option value="EG" selected>Ägypten</option>' in listing


def test_participants_csv_headings_and_values_for_people_are_translated(client, session, auth):
    organiser = _pseudo(session, make_organiser(session, email="org@example.org"))
    event = make_event(session, organisers=[organiser], hours=8)
    services.enrol(session, event_id=event.id, user_id=make_user(session, name="Ana").id, now=utcnow())
    session.commit()
    auth.login(organiser.email)
    text = client.get(f"/events/{event.id}/export.csv").get_data(as_text=True).lstrip("\ufeff")
    header, row = list(csv.reader(io.StringIO(text)))
    day = 8  # the event has one day and no sessions: its date is the heading of column 9
    assert all(MARKED.fullmatch(cell) for i, cell in enumerate(header) if i != day), header
    assert not MARKED.search(header[day]) and re.search(r"\d{4}", header[day])
    assert row[0] == "Ana" and MARKED.fullmatch(row[3]) and MARKED.fullmatch(row[-1])


def test_checkin_names_days_in_the_page_language(client, session, auth):
    organiser = make_organiser(session, email="desk@example.org")
    start = datetime(2031, 5, 8, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    event = make_event(session, organisers=[organiser], starts_at=start, ends_at=start + timedelta(days=1, hours=8))
    session.commit()
    auth.login(organiser.email)
    html = client.get(f"/events/{event.id}/checkin?lang=fr").get_data(as_text=True)
    assert "jeu. 8 mai 2031" in html and "Thu 08 May 2031" not in html
    english = client.get(f"/events/{event.id}/checkin?lang=en").get_data(as_text=True)
    assert "Day 2 · Fri, 9 May 2031" in english
    # checked in twice for the same day: the refusal names the day as the page does
    person = make_user(session, name="Ana Twice")
    enrolment = services.enrol(session, event_id=event.id, user_id=person.id, now=utcnow())
    session.commit()
    form = {"enrolment_id": str(enrolment.id), "unit": "d:2031-05-09", "confirm": "yes"}
    page = f"/events/{event.id}/checkin?lang=fr"
    post_form(client, page, form, action=page)
    again = post_form(client, page, form, action=page, follow_redirects=True).get_data(as_text=True)
    (flash,) = _flashes(again)
    assert "Ana Twice" in flash and "ven. 9 mai 2031" in flash and "Fri" not in flash, flash


def test_the_networks_topics_are_named_in_the_page_language(client, session):
    from app.directory.services import DEFAULT_TOPICS
    from tests.factories import topic

    event = make_event(session, topics=["circular-economy"])
    session.commit()
    name = dict((slug, name) for slug, name, _ in DEFAULT_TOPICS)["circular-economy"]
    for url in ("/", "/events/", f"/events/{event.id}"):
        html = client.get(f"{url}?lang={PSEUDO_LOCALE}" if "?" not in url else url).get_data(as_text=True)
        assert name not in MARKED.sub("", html) and "⟦" in html, url
        assert name in client.get(f"{url}?lang=en").get_data(as_text=True), url
    renamed = topic(session, "circular-economy")
    renamed.name = "Kreislaufwirtschaft (our own words)"
    session.commit()
    assert "Kreislaufwirtschaft (our own words)" in client.get(f"/?lang={PSEUDO_LOCALE}").get_data(as_text=True)


def test_languages_and_host_countries_are_named_in_the_page_language(client, session):
    from tests.factories import make_organisation

    host = make_organisation(session, name="Ville de Rabat", city="Rabat", country="MA")
    event = make_event(session, languages=["ar", "fr", "en"], hosts=[host])
    session.commit()
    french = client.get(f"/events/{event.id}?lang=fr").get_data(as_text=True)
    assert "arabe, français et anglais" in french and "(<bdi>Rabat</bdi>, Maroc)" in french
    english = client.get(f"/events/{event.id}?lang=en").get_data(as_text=True)
    assert "Arabic, French and English" in english or "Arabic, French, and English" in english
    assert "(<bdi>Rabat</bdi>, Morocco)" in english


def test_a_refusal_names_the_status_in_the_page_language(client, session, auth):
    person = make_user(session, email="twice@example.org")
    event = make_event(session)
    services.enrol(session, event_id=event.id, user_id=person.id, now=utcnow())
    session.commit()
    auth.login(person.email)
    again = post_form(client, f"/events/{event.id}", {}, action=f"/events/{event.id}/enrol", follow_redirects=True)
    assert _flashes(again.get_data(as_text=True)) == ["You are already enrolled in this event (confirmed)."]
    _pseudo(session, person)
    again = post_form(client, f"/events/{event.id}", {}, action=f"/events/{event.id}/enrol", follow_redirects=True)
    (flash,) = _flashes(again.get_data(as_text=True))
    assert flash.startswith("⟦") and "(⟦" in flash and "confirmed" not in flash, flash


def test_agenda_and_daylight_saving_refusals_date_in_the_page_language(client, session, auth):
    organiser = make_organiser(session, email="dst@example.org")
    session.commit()
    auth.login(organiser.email)
    data = {"organisers": [str(organiser.id)], "title": "Night walk day", "format": "workshop", "languages": "en",
            "timezone": "Europe/Berlin", "starts_at": "2031-03-22T01:00", "ends_at": "2031-03-22T05:00",
            "venue": "Rathaus", "city": "Leipzig", "country": "DE", "waitlist_mode": "auto", "offer_hours": "48",
            "min_attendance_percent": "100"}
    assert post_form(client, "/events/new", data).status_code == 302
    from app.events.models import Event

    event = session.scalar(sa.select(Event))
    post_form(client, f"/events/{event.id}/agenda", {
        "title": "Night walk", "starts_at": "2031-03-22T02:30", "ends_at": "2031-03-22T03:30"})
    # eight days later 02:30 does not exist in Berlin (clocks go forward on 30 March 2031): the form says why
    moved = {**data, "starts_at": "2031-03-30T01:00", "ends_at": "2031-03-30T05:00"}
    french = post_form(client, f"/events/{event.id}/edit?lang=fr", moved).get_data(as_text=True)
    assert "Night walk" in french and "30 mars 2031, 02:30" in french and "%(title)" not in french
    english = post_form(client, f"/events/{event.id}/edit?lang=en", moved).get_data(as_text=True)
    assert "The agenda item &#39;Night walk&#39; cannot move with the event: 30 Mar 2031, 02:30 does not" in english
    # a session outside the event names the event's span in the page's locale
    outside = post_form(client, f"/events/{event.id}/agenda?lang=fr", {
        "title": "Late", "starts_at": "2031-03-22T06:00", "ends_at": "2031-03-22T07:00"}).get_data(as_text=True)
    assert "22 mars, 01:00" in outside and "22 mars, 05:00" in outside


def test_form_checks_of_wtforms_speak_the_page_language(client, session, auth):
    """WTForms' own messages come from its catalogue, which has all six languages."""
    organiser = make_organiser(session, email="forms@example.org")
    session.commit()
    auth.login(organiser.email)
    html = post_form(client, "/events/new?lang=fr", {"title": "", "capacity": "abc"}).get_data(as_text=True)
    assert "Ce champ est requis." in html and "est pas un entier valide." in html
    assert "This field is required." not in html
