"""The partials other pages include: add-to-calendar on the event page, subscribe on the list, the CLI."""

from __future__ import annotations

from html import unescape
from urllib.parse import parse_qs, urlsplit

from flask import render_template

from tests.factories import make_event


def test_event_page_offers_download_subscribe_google_and_outlook(session, client):
    event = make_event(session, title="Green <roofs> & ponds")
    session.commit()
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert f'href="/calendar/events/{event.id}.ics"' in html
    assert f'href="webcal://cc.test/calendar/events/{event.id}.ics"' in html
    links = [unescape(part.split('"')[0]) for part in html.split('href="')[1:]]
    google = next(link for link in links if link.startswith("https://calendar.google.com/"))
    query = parse_qs(urlsplit(google).query)
    assert query["text"] == ["Green <roofs> & ponds"]
    assert query["dates"] == [f"{event.starts_at:%Y%m%dT%H%M%SZ}/{event.ends_at:%Y%m%dT%H%M%SZ}"]
    assert query["ctz"] == ["Europe/Berlin"]
    outlook = next(link for link in links if link.startswith("https://outlook.live.com/"))
    assert parse_qs(urlsplit(outlook).query)["subject"] == ["Green <roofs> & ponds"]
    assert "<roofs>" not in html  # escaped everywhere


def test_partials_render_alone(app, session):
    event = make_event(session)
    draft = make_event(session, status="draft", published_at=None)
    session.commit()
    with app.test_request_context("/"):
        assert "Add to calendar" in render_template("calendar/_event_actions.html", event=event)
        assert "Add to calendar" not in render_template("calendar/_event_actions.html", event=draft)
        html = render_template("calendar/_list_subscribe.html",
                               filters={"format": "workshop", "city": "Leipzig", "q": "x", "topic": None})
    assert 'href="webcal://cc.test/calendar/events.ics?format=workshop&amp;city=Leipzig"' in html


def test_list_subscribe_keeps_filters(session, client):
    make_event(session)
    session.commit()
    html = client.get("/events/?format=workshop&country=DE").get_data(as_text=True)
    assert "webcal://cc.test/calendar/events.ics?format=workshop&amp;country=DE" in html


def test_warm_command_fills_the_cache(session, runner):
    import sqlalchemy as sa

    from app.calendar.models import CalendarVeventCache

    make_event(session)
    make_event(session)
    session.commit()
    result = runner.invoke(args=["calendar", "warm"])
    assert result.exit_code == 0 and "2 event(s)" in result.output
    session.expire_all()
    assert session.scalar(sa.select(sa.func.count()).select_from(CalendarVeventCache)) == 2


def test_a_cancelled_event_offers_no_add_to_calendar(session, client):
    event = make_event(session, status="cancelled", cancel_reason="Storm")
    session.commit()
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "calendar.google.com" not in html and "outlook.live.com" not in html
    assert "Add to calendar" not in html and f"/calendar/events/{event.id}.ics" not in html
