"""Bad input that used to answer 500: dates out of range, lone surrogates, invisible or bidi-spoofed titles."""

from __future__ import annotations

import sqlalchemy as sa

from app.events.models import Enrolment, Event
from tests.conftest import csrf_from, post_form
from tests.factories import (
    bearer,
    join_programme,
    make_event,
    make_module,
    make_organiser,
    make_programme,
    make_session,
    make_token,
    make_user,
)

EVENT = {"title": "Accra resilience conference", "format": "conference", "timezone": "Africa/Accra",
         "starts_at": "2031-06-01T09:00", "ends_at": "2031-06-03T17:00+00:00", "venue": "Accra City Hall",
         "city": "Accra", "country": "GH"}

FORM = {"title": "Pune water workshop", "format": "workshop", "summary": "Water", "description": "",
        "languages": "en", "timezone": "Asia/Kolkata", "starts_at": "2031-02-03T10:00",
        "ends_at": "2031-02-03T16:00", "venue": "PMC Hall", "city": "Pune", "country": "IN", "capacity": "30",
        "waitlist_mode": "auto", "offer_hours": "48", "min_attendance_percent": "100"}


# Date filters ------------------------------------------------------------------------------------------

def test_date_filters_at_the_edges_of_the_calendar_are_refused_not_a_crash(client, session):
    make_event(session, title="Upcoming one")
    session.commit()
    for name in ("from", "to"):
        for value in ("9999-12-31", "0001-01-01", "9999-12-31T23:59", "0001-01-01T00:00+14:00",
                      "9999-12-31T23:59-12:00"):
            for url in ("/events/", "/events/archive"):
                page = client.get(url, query_string={name: value})
                assert page.status_code == 200, (url, name, value)
                text = page.get_data(as_text=True)
                assert "between the years 1900 and 9998" in text, (url, name, value)
            api = client.get("/api/v1/events", query_string={name: value})
            assert api.status_code == 422, (name, value, api.status_code)
            assert name in api.get_json()["error"]["fields"]
    # ordinary dates still filter
    assert client.get("/api/v1/events", query_string={"to": "2000-01-01"}).get_json()["total"] == 0
    assert client.get("/api/v1/events", query_string={"from": "2000-01-01", "to": "9998-12-31"}).get_json()["total"] == 1


# Event times out of range ----------------------------------------------------------------------------

def test_event_times_at_year_one_are_refused_with_a_time_zone(client, session):
    user = make_organiser(session, email="o@example.org")
    headers = bearer(make_token(session, user))
    event = make_event(session, organisers=[user])
    session.commit()
    for zone in ("Europe/Berlin", "Pacific/Kiritimati", "Pacific/Pago_Pago", "UTC"):
        for value in ("0001-01-01T00:00", "9999-12-31T23:59", "0001-01-01T00:00+14:00"):
            for name in ("starts_at", "ends_at"):
                response = client.post("/api/v1/events", json={**EVENT, "timezone": zone, name: value},
                                       headers=headers)
                assert response.status_code == 422, (zone, value, name, response.status_code)
                assert name in response.get_json()["error"]["fields"]
    for name in ("registration_opens_at", "registration_closes_at"):
        response = client.patch(f"/api/v1/events/{event.id}", json={name: "0001-01-01T00:00"}, headers=headers)
        assert response.status_code == 422 and name in response.get_json()["error"]["fields"]
    response = client.post(f"/api/v1/events/{event.id}/sessions",
                           json={"title": "Opening", "starts_at": "0001-01-01T00:00", "ends_at": "0001-01-01T01:00"},
                           headers=headers)
    assert response.status_code == 422 and "starts_at" in response.get_json()["error"]["fields"]
    assert session.scalar(sa.select(sa.func.count()).select_from(Event)) == 1


def test_event_form_with_year_one_shows_the_error(client, session, auth):
    make_organiser(session, email="o@example.org")
    session.commit()
    auth.login("o@example.org")
    for zone in ("Asia/Kolkata", "Europe/Berlin"):
        response = post_form(client, "/events/new", {**FORM, "timezone": zone, "starts_at": "0001-01-01T00:00"})
        assert response.status_code == 200
        assert "between the years 1900" in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


def test_duplicating_to_the_ends_of_the_calendar_is_refused(client, session, auth):
    organiser = make_organiser(session, email="o@example.org")
    event = make_event(session, organisers=[organiser])
    make_session(session, event)
    session.commit()
    auth.login("o@example.org")
    for start in ("0001-01-01T00:00", "9999-12-31T23:00", "2201-01-01T00:30"):
        response = post_form(client, f"/events/{event.id}/duplicate", {"title": "Again", "starts_at": start})
        assert response.status_code == 200, (start, response.status_code)
        assert "between the years 1900 and 2200" in response.get_data(as_text=True), start
    assert session.scalar(sa.select(sa.func.count()).select_from(Event)) == 1


def test_check_in_days_at_the_ends_of_the_calendar(client, session):
    organiser = make_organiser(session, email="o@example.org")
    headers = bearer(make_token(session, organiser))
    event = make_event(session, organisers=[organiser])
    session.commit()
    for day in ("9999-12-31", "0001-01-01"):
        response = client.post(f"/api/v1/events/{event.id}/checkins", json={"day": day, "enrolment_id": 1},
                               headers=headers)
        assert 400 <= response.status_code < 500, (day, response.status_code)


# Lone surrogates -------------------------------------------------------------------------------------

def _surrogate_requests(session):
    """(method, url, payload, field, headers) for every JSON text field the API takes."""
    organiser = make_organiser(session, email="org@example.org")
    org_headers = bearer(make_token(session, organiser))
    person = make_user(session, email="p@example.org")
    person_headers = bearer(make_token(session, person))
    event = make_event(session, organisers=[organiser])
    item = make_session(session, event)
    other = make_event(session, organisers=[organiser])
    enrolment = Enrolment(event_id=other.id, user_id=person.id, status="confirmed", ticket_code="TICKETCODE01")
    session.add(enrolment)
    programme = make_programme(session, organisers=[organiser])
    module = make_module(session, programme, completion="self_study")
    join_programme(session, programme, person)
    session.commit()
    bad = "x\ud800y"
    requests = []
    for name in ("title", "summary", "description", "venue", "address", "city", "online_url", "slug"):
        requests.append(("post", "/api/v1/events", {**EVENT, name: bad}, name, org_headers))
        requests.append(("patch", f"/api/v1/events/{event.id}", {name: bad}, name, org_headers))
    requests.append(("post", "/api/v1/events", {**EVENT, "topics": [bad]}, "topics", org_headers))
    requests.append(("post", "/api/v1/events", {**EVENT, "timezone": bad}, "timezone", org_headers))
    requests.append(("post", "/api/v1/events", {**EVENT, "country": "G\ud800"}, "country", org_headers))
    for name in ("title", "location", "address", "speakers", "description"):
        requests.append(("patch", f"/api/v1/sessions/{item.id}", {name: bad}, name, org_headers))
    requests.append(("post", f"/api/v1/events/{event.id}/enrolments", {"note": bad}, "note", person_headers))
    requests.append(("post", f"/api/v1/enrolments/{enrolment.id}/cancel", {"reason": bad}, "reason",
                     person_headers))
    requests.append(("post", f"/api/v1/events/{other.id}/checkins", {"ticket_code": bad}, "ticket_code",
                     org_headers))
    requests.append(("post", f"/api/v1/events/{event.id}/cancel", {"reason": bad}, "reason", org_headers))
    for name in ("title", "summary", "description"):
        requests.append(("post", "/api/v1/programmes", {"title": "P", name: bad}, name, org_headers))
    for name in ("title", "description", "objectives"):
        requests.append(("patch", f"/api/v1/modules/{module.id}", {name: bad}, name, org_headers))
    requests.append(("post", f"/api/v1/modules/{module.id}/submissions", {"text": bad}, "text", person_headers))
    requests.append(("post", f"/api/v1/modules/{module.id}/submissions", {"text": "ok", "link": f"https://e.org/{bad}"},
                     "link", person_headers))
    # a surrogate in a key is refused too, whichever field it would have been
    requests.append(("post", "/api/v1/events", {**EVENT, bad: "x"}, bad, org_headers))
    return requests


def test_lone_surrogates_in_json_are_refused_naming_the_field(client, session):
    for method, url, payload, field, headers in _surrogate_requests(session):
        response = getattr(client, method)(url, json=payload, headers=headers)
        assert response.status_code == 422, (method, url, field, response.status_code, response.get_data())
        fields = response.get_json()["error"]["fields"]
        assert field in fields or field.encode("utf-8", "surrogatepass").decode("utf-8", "replace") in fields \
            or any(field in key for key in fields), (url, field, fields)
    session.expire_all()
    assert session.scalar(sa.select(sa.func.count()).select_from(Event)) == 2


def test_lone_surrogates_in_forms_never_reach_the_database(client, session, auth):
    make_organiser(session, email="o@example.org")
    session.commit()
    auth.login("o@example.org")
    # browsers cannot send a lone surrogate: its UTF-8 bytes (ED A0 80) are not valid UTF-8
    page = client.get("/events/new")
    body = "&".join(f"{k}={v}" for k, v in {**FORM, "csrf_token": csrf_from(page.get_data(as_text=True))}.items()
                    if k != "title") + "&title=Pune%ED%A0%80water"
    response = client.post("/events/new", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 302)
    title = session.scalar(sa.select(Event.title))
    if title is not None:
        title.encode("utf-8")  # storable on any database


# Invisible and bidi-spoofed titles --------------------------------------------------------------------

def test_titles_of_invisible_characters_are_refused(client, session):
    user = make_organiser(session, email="o@example.org")
    headers = bearer(make_token(session, user))
    session.commit()
    for invisible in ("\u200b\u200b\u200b", "\u2060\ufeff", "\u200b \u200c\u00a0\u200d", "\u202e\u202c"):
        response = client.post("/api/v1/events", json={**EVENT, "title": invisible}, headers=headers)
        assert response.status_code == 422
        assert response.get_json()["error"]["fields"]["title"] == "Title must contain visible text."
        response = client.post("/api/v1/programmes", json={"title": invisible}, headers=headers)
        assert response.status_code == 422 and "visible text" in response.get_json()["error"]["fields"]["title"]


def test_bidi_overrides_are_stripped_from_titles_and_names(client, session):
    user = make_organiser(session, email="o@example.org")
    headers = bearer(make_token(session, user))
    session.commit()
    response = client.post("/api/v1/events", json={**EVENT, "title": "Budget \u202eFDP.exe\u202c talk"},
                           headers=headers)
    assert response.status_code == 201 and response.get_json()["title"] == "Budget FDP.exe talk"
    event_id = response.get_json()["id"]
    response = client.post(f"/api/v1/events/{event_id}/sessions",
                           json={"title": "\u2067Opening\u2069", "starts_at": "2031-06-01T09:00",
                                 "ends_at": "2031-06-01T10:00"}, headers=headers)
    assert response.status_code == 201 and response.get_json()["title"] == "Opening"
    response = client.post("/api/v1/programmes", json={"title": "\u202dLearn\u202c \u202aand\u202b grow"},
                           headers=headers)
    assert response.status_code == 201 and response.get_json()["title"] == "Learn and grow"
    # a person's name (registration, profile and the CLI all go through the same check)
    assert make_user(session, name="Eve \u202eevE").name == "Eve evE"
