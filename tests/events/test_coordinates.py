"""An event's venue and its itinerary stops on the map: optional coordinates, both or neither, in range, from
the forms and the API alike (app.validation.check_coordinates)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.errors import ValidationFailed
from app.events.models import Event, EventSession
from app.validation import check_coordinates
from tests.conftest import post_form
from tests.factories import bearer, make_event, make_organiser, make_token

EVENT = {"title": "Accra resilience conference", "format": "conference", "timezone": "Africa/Accra",
         "starts_at": "2031-06-01T09:00", "ends_at": "2031-06-03T17:00", "city": "Accra", "country": "GH"}


@pytest.mark.parametrize(("lat", "lng", "field", "reason"), [
    (91, 10, "latitude", "coordinates.out_of_range"),
    (-90.0001, 10, "latitude", "coordinates.out_of_range"),
    (10, 180.5, "longitude", "coordinates.out_of_range"),
    ("nan", 1, "latitude", "coordinates.out_of_range"),
    ("1e400", 1, "latitude", "coordinates.out_of_range"),
    ("north", 1, "latitude", "coordinates.not_number"),
    (True, 1, "latitude", "coordinates.not_number"),
    (10, None, "longitude", "coordinates.longitude_missing"),
    ("", 10, "latitude", "coordinates.latitude_missing"),
])
def test_bad_coordinates_are_refused_naming_the_field(lat, lng, field, reason):
    with pytest.raises(ValidationFailed) as refused:
        check_coordinates(lat, lng)
    assert refused.value.reason == reason and field in refused.value.fields


def test_good_coordinates_are_read_as_numbers():
    assert check_coordinates(None, "") == (None, None)
    assert check_coordinates("51,3397", " 12.3731 ") == (51.3397, 12.3731)
    assert check_coordinates(-90, 180) == (-90.0, 180.0)


def test_the_api_takes_and_shows_coordinates_and_names_bad_ones(client, session):
    user = make_organiser(session)
    headers = bearer(make_token(session, user))
    session.commit()
    created = client.post("/api/v1/events", json={**EVENT, "latitude": 5.55, "longitude": -0.2}, headers=headers)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert (body["latitude"], body["longitude"]) == (5.55, -0.2)
    event_id = body["id"]
    for payload, field in (({"latitude": 95}, "latitude"), ({"longitude": -181}, "longitude"),
                           ({"latitude": None}, "latitude"), ({"latitude": "5.5"}, "latitude")):
        response = client.patch(f"/api/v1/events/{event_id}", json=payload, headers=headers)
        assert response.status_code == 422, payload
        assert field in response.get_json()["error"]["fields"], payload
    cleared = client.patch(f"/api/v1/events/{event_id}", json={"latitude": None, "longitude": None}, headers=headers)
    assert cleared.status_code == 200 and cleared.get_json()["latitude"] is None
    stop = client.post(f"/api/v1/events/{event_id}/sessions", headers=headers, json={
        "title": "Water works", "starts_at": "2031-06-01T10:00", "ends_at": "2031-06-01T11:00", "latitude": 5.6,
        "longitude": -0.19})
    assert stop.status_code == 201, stop.get_json()
    assert (stop.get_json()["latitude"], stop.get_json()["longitude"]) == (5.6, -0.19)
    alone = client.post(f"/api/v1/events/{event_id}/sessions", headers=headers, json={
        "title": "Half a place", "starts_at": "2031-06-01T12:00", "ends_at": "2031-06-01T13:00", "latitude": 5.6})
    assert alone.status_code == 422 and "longitude" in alone.get_json()["error"]["fields"]
    assert session.scalar(sa.select(sa.func.count()).select_from(EventSession)) == 1
    listed = client.get("/api/v1/events?per_page=5").get_json()  # a draft is not listed; the shape is
    assert all("latitude" in item for item in listed["items"])


def test_the_forms_take_coordinates_and_name_bad_ones(client, session, auth):
    organiser = make_organiser(session, email="o@example.org")
    event = make_event(session, organisers=[organiser], format="information_trip")
    session.commit()
    auth.login("o@example.org")
    form = {"title": event.title, "format": "information_trip", "summary": "", "description": "", "languages": "en",
            "timezone": "Europe/Berlin", "starts_at": event.starts_at.astimezone().strftime("%Y-%m-%dT09:00"),
            "ends_at": event.starts_at.astimezone().strftime("%Y-%m-%dT17:00"), "venue": "Rathaus", "city": "Leipzig",
            "country": "DE", "waitlist_mode": "auto", "offer_hours": "48", "min_attendance_percent": "100",
            "organisers": [str(organiser.id)]}
    page = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert 'name="latitude"' in page and 'name="longitude"' in page
    assert 'name="latitude"' in client.get(f"/events/{event.id}/agenda").get_data(as_text=True)
    bad = post_form(client, f"/events/{event.id}/edit", {**form, "latitude": "51.34", "longitude": ""})
    assert bad.status_code == 200 and "Longitude is missing" in bad.get_data(as_text=True)
    bad = post_form(client, f"/events/{event.id}/edit", {**form, "latitude": "100", "longitude": "12"})
    assert "Latitude must lie between -90 and 90 degrees." in bad.get_data(as_text=True)
    session.expire_all()
    assert session.get(Event, event.id).latitude is None
    good = post_form(client, f"/events/{event.id}/edit", {**form, "latitude": "51.34", "longitude": "12.37"})
    assert good.status_code == 302, good.get_data(as_text=True)[:2000]
    session.expire_all()
    assert (session.get(Event, event.id).latitude, session.get(Event, event.id).longitude) == (51.34, 12.37)

    stop = {"title": "Water works", "starts_at": event.starts_at.astimezone().strftime("%Y-%m-%dT10:00"),
            "ends_at": event.starts_at.astimezone().strftime("%Y-%m-%dT11:00"), "location": "", "address": "",
            "speakers": "", "description": ""}
    bad = post_form(client, f"/events/{event.id}/agenda", {**stop, "latitude": "", "longitude": "12.3"})
    assert bad.status_code == 200 and "Latitude is missing" in bad.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(EventSession)) == 0
    good = post_form(client, f"/events/{event.id}/agenda", {**stop, "latitude": "51.3", "longitude": "12.3"})
    assert good.status_code == 302
    item = session.scalar(sa.select(EventSession))
    assert (item.latitude, item.longitude) == (51.3, 12.3)
    assert 'data-stops=' in client.get(f"/events/{event.id}").get_data(as_text=True)
