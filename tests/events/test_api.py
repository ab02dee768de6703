"""JSON API of events: the same services behind Bearer tokens; shapes, errors, query counts."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app.events import services
from app.sqltypes import utcnow
from tests.factories import bearer, make_event, make_organiser, make_session, make_token, make_user


@pytest.fixture
def organiser(session):
    user = make_organiser(session, email="org@example.org")
    return user, bearer(make_token(session, user))


@pytest.fixture
def person(session):
    user = make_user(session, email="p@example.org")
    return user, bearer(make_token(session, user))


EVENT = {"title": "Accra resilience conference", "format": "conference", "timezone": "Africa/Accra",
         "starts_at": "2031-06-01T09:00", "ends_at": "2031-06-03T17:00+00:00", "venue": "Accra City Hall",
         "city": "Accra", "country": "GH", "capacity": 2, "topics": ["climate-friendly-urban-development"],
         "hours": 18, "min_attendance_percent": 60, "languages": ["en", "fr"]}


def test_create_publish_get_patch_cancel(client, session, organiser, person):
    user, headers = organiser
    session.commit()
    response = client.post("/api/v1/events", json=EVENT, headers=headers)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "draft" and body["starts_at"] == "2031-06-01T09:00:00+00:00"
    assert body["ical_url"] == f"http://cc.test/calendar/events/{body['id']}.ics"
    assert body["url"] == f"http://cc.test/events/{body['id']}"
    assert body["seats_left"] == 2 and body["waitlist_length"] == 0 and body["hours"] == 18.0
    assert body["topics"] == ["climate-friendly-urban-development"] and response.headers["Location"]
    event_id = body["id"]
    # a draft is invisible to others
    assert client.get(f"/api/v1/events/{event_id}", headers=person[1]).status_code == 404
    assert client.post(f"/api/v1/events/{event_id}/enrolments", headers=person[1]).status_code == 404
    assert client.post(f"/api/v1/events/{event_id}/publish", headers=headers).get_json()["status"] == "published"
    patched = client.patch(f"/api/v1/events/{event_id}", json={"venue": "Kempinski", "summary": "<b>hi</b>"},
                           headers=headers)
    assert patched.status_code == 200 and patched.get_json()["venue"] == "Kempinski"
    assert patched.get_json()["revision"] == 2  # published, then the place changed
    assert client.patch(f"/api/v1/events/{event_id}", json={"venue": "x"}, headers=person[1]).status_code == 403
    missing = client.post(f"/api/v1/events/{event_id}/cancel", json={}, headers=headers)
    assert missing.status_code == 422 and "reason" in missing.get_json()["error"]["fields"]
    cancelled = client.post(f"/api/v1/events/{event_id}/cancel", json={"reason": "Flooding"}, headers=headers)
    assert cancelled.get_json()["status"] == "cancelled" and cancelled.get_json()["cancel_reason"] == "Flooding"
    closed = client.post(f"/api/v1/events/{event_id}/enrolments", headers=person[1])
    assert closed.status_code == 409 and "cancelled" in closed.get_json()["error"]["message"]


@pytest.mark.parametrize("overrides, field, status", [
    ({"ends_at": "2031-06-01T08:00"}, "ends_at", 422),
    ({"timezone": "Europe/Atlantis"}, "timezone", 422),
    ({"capacity": -3}, "capacity", 422),
    ({"capacity": True}, "capacity", 422),
    ({"title": "t" * 500}, "title", 422),
    ({"summary": 5}, "summary", 422),
    ({"starts_at": "31/12/2031"}, "starts_at", 422),
    ({"hosts": [999999]}, "hosts", 422),
    ({"registration_closes_at": "2031-05-01T00:00", "registration_opens_at": "2031-05-02T00:00"},
     "registration_closes_at", 422),
])
def test_create_bad_input(client, session, organiser, overrides, field, status):
    session.commit()
    response = client.post("/api/v1/events", json={**EVENT, **overrides}, headers=organiser[1])
    assert response.status_code == status, response.get_json()
    assert field in response.get_json()["error"]["fields"]


def test_create_requires_organiser_and_json(client, session, person, organiser):
    session.commit()
    assert client.post("/api/v1/events", json=EVENT, headers=person[1]).status_code == 403
    assert client.post("/api/v1/events", json=EVENT).status_code == 401
    response = client.post("/api/v1/events", data="[1,2]", content_type="application/json", headers=organiser[1])
    assert response.status_code == 400


def test_list_filters_pagination_and_constant_queries(client, session, count_queries):
    org = make_organiser(session)
    for i in range(5):
        make_event(session, organisers=[org], title=f"Leipzig {i}", topics=["energy-efficiency"], capacity=10)
    make_event(session, organisers=[org], title="Da Nang trip", format="information_trip", city="Da Nang",
               country="VN", timezone="Asia/Ho_Chi_Minh")
    session.commit()
    body = client.get("/api/v1/events?per_page=2&page=2").get_json()
    assert body["total"] == 6 and body["page"] == 2 and body["per_page"] == 2 and len(body["items"]) == 2
    assert [e["title"] for e in client.get("/api/v1/events?country=VN").get_json()["items"]] == ["Da Nang trip"]
    assert client.get("/api/v1/events?format=information_trip&city=da%20nang").get_json()["total"] == 1
    assert client.get("/api/v1/events?topic=energy-efficiency&q=leipzig").get_json()["total"] == 5
    assert client.get("/api/v1/events?from=2099-01-01").get_json()["total"] == 0
    for bad, field in (("per_page=101", "per_page"), ("page=0", "page"), ("from=tomorrow", "from"),
                       ("format=party", "format"), ("country=ZZ", "country")):
        response = client.get(f"/api/v1/events?{bad}")
        assert response.status_code == 422 and field in response.get_json()["error"]["fields"], bad
    with count_queries() as few:
        assert len(client.get("/api/v1/events?per_page=100").get_json()["items"]) == 6
    for _ in range(44):
        event = make_event(session, organisers=[org, make_organiser(session)], topics=["circular-economy"],
                           capacity=1)
        services.enrol(session, event_id=event.id, user_id=make_user(session).id, now=utcnow())
    session.commit()
    with count_queries() as many:
        assert len(client.get("/api/v1/events?per_page=100").get_json()["items"]) == 50
    assert many.count == few.count


def test_enrolment_flow(client, session, organiser, person):
    org_user, org_headers = organiser
    user, headers = person
    event = make_event(session, organisers=[org_user], capacity=1, waitlist_mode="offer")
    first = make_user(session)
    session.commit()
    first_headers = bearer(make_token(session, first))
    session.commit()
    response = client.post(f"/api/v1/events/{event.id}/enrolments", headers=first_headers)
    assert response.status_code == 201 and response.get_json()["status"] == "confirmed"
    first_id = response.get_json()["id"]
    response = client.post(f"/api/v1/events/{event.id}/enrolments", headers=headers)
    body = response.get_json()
    assert response.status_code == 201 and (body["status"], body["waitlist_position"]) == ("waitlisted", 1)
    again = client.post(f"/api/v1/events/{event.id}/enrolments", headers=headers)
    assert again.status_code == 409 and "already enrolled" in again.get_json()["error"]["message"]
    # only organisers list enrolments, approve, or enrol others
    assert client.get(f"/api/v1/events/{event.id}/enrolments", headers=headers).status_code == 403
    other = client.post(f"/api/v1/events/{event.id}/enrolments", json={"user_id": first.id}, headers=headers)
    assert other.status_code == 403
    listing = client.get(f"/api/v1/events/{event.id}/enrolments", headers=org_headers).get_json()["items"]
    assert {e["user"]["email"] for e in listing} == {first.email, "p@example.org"}
    # someone else's enrolment is 404; cancelling one's own frees the seat as an offer
    assert client.post(f"/api/v1/enrolments/{first_id}/cancel", headers=headers).status_code == 404
    assert client.post(f"/api/v1/enrolments/{first_id}/cancel", json={"reason": "ill"},
                       headers=first_headers).get_json()["status"] == "cancelled"
    mine = client.get("/api/v1/me/enrolments", headers=headers).get_json()["items"]
    assert mine[0]["status"] == "offered" and mine[0]["waitlist_position"] == 1 and mine[0]["offer_expires_at"]
    accepted = client.post(f"/api/v1/enrolments/{mine[0]['id']}/accept", headers=headers)
    assert accepted.status_code == 200 and accepted.get_json()["status"] == "confirmed"
    # organiser: walk-in beyond capacity, reject
    walk_in = client.post(f"/api/v1/events/{event.id}/enrolments",
                          json={"user_id": first.id, "override_capacity": True}, headers=org_headers)
    assert walk_in.status_code == 201 and walk_in.get_json()["status"] == "confirmed"
    rejected = client.post(f"/api/v1/enrolments/{walk_in.get_json()['id']}/reject", json={"reason": "dup"},
                           headers=org_headers)
    assert rejected.get_json()["status"] == "rejected"
    assert client.post(f"/api/v1/events/{event.id}/enrolments", json={"user_id": 987654},
                       headers=org_headers).status_code == 404
    assert client.post("/api/v1/events/987654/enrolments", headers=headers).status_code == 404
    assert client.post(f"/api/v1/events/{event.id}/enrolments", json={"user_id": "x"},
                       headers=org_headers).status_code == 422


def test_enrolment_refused_when_closed_or_past(client, session, person):
    now = utcnow()
    past = make_event(session, starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=1))
    closed = make_event(session, registration_closes_at=now - timedelta(hours=1))
    not_yet = make_event(session, registration_opens_at=now + timedelta(days=1))
    session.commit()
    for event, words in ((past, "already taken place"), (closed, "closed"), (not_yet, "opens")):
        response = client.post(f"/api/v1/events/{event.id}/enrolments", headers=person[1])
        assert response.status_code == 409 and words in response.get_json()["error"]["message"]


def test_sessions_and_checkins(client, session, organiser, person):
    org_user, org_headers = organiser
    event = make_event(session, organisers=[org_user])
    item = make_session(session, event, title="Opening")
    session.commit()
    outside = client.post(f"/api/v1/events/{event.id}/sessions", headers=org_headers, json={
        "title": "Late", "starts_at": (event.ends_at).isoformat(), "ends_at": (event.ends_at + timedelta(hours=1)).isoformat()})
    assert outside.status_code == 422 and "within the event" in outside.get_json()["error"]["message"]
    local_start = event.starts_at.astimezone(datetime.now().astimezone().tzinfo)
    created = client.post(f"/api/v1/events/{event.id}/sessions", headers=org_headers, json={
        "title": "Lunch talk", "starts_at": (event.starts_at + timedelta(hours=3)).isoformat(),
        "ends_at": (event.starts_at + timedelta(hours=4)).isoformat(), "speakers": "Ana"})
    assert created.status_code == 201 and local_start
    session_id = created.get_json()["id"]
    assert client.patch(f"/api/v1/sessions/{session_id}", json={"location": "Room 2"},
                        headers=org_headers).get_json()["location"] == "Room 2"
    assert client.patch(f"/api/v1/sessions/{session_id}", json={"location": "x"},
                        headers=person[1]).status_code == 403
    assert [s["title"] for s in client.get(f"/api/v1/events/{event.id}/sessions").get_json()["items"]] == [
        "Opening", "Lunch talk"]
    enrolled = client.post(f"/api/v1/events/{event.id}/enrolments", headers=person[1]).get_json()
    mine = client.get("/api/v1/me/enrolments", headers=person[1]).get_json()["items"][0]
    early = client.post(f"/api/v1/events/{event.id}/checkins", headers=org_headers,
                        json={"ticket_code": mine["ticket_code"], "session_id": item.id})
    assert early.status_code == 409 and early.get_json()["error"]["code"] == "checkin_before_event"
    assert early.get_json()["error"]["fields"]["confirm"].endswith("Confirm to check in anyway.")
    assert client.post(f"/api/v1/events/{event.id}/checkins", headers=org_headers,
                       json={"ticket_code": mine["ticket_code"], "session_id": item.id,
                             "confirm": "yes"}).status_code == 422
    response = client.post(f"/api/v1/events/{event.id}/checkins", headers=org_headers,
                           json={"ticket_code": mine["ticket_code"], "session_id": item.id, "confirm": True})
    assert response.status_code == 201 and response.get_json()["session_id"] == item.id
    duplicate = client.post(f"/api/v1/events/{event.id}/checkins", headers=org_headers,
                            json={"enrolment_id": enrolled["id"], "session_id": item.id})
    assert duplicate.status_code == 409
    assert client.post(f"/api/v1/events/{event.id}/checkins", headers=person[1],
                       json={"enrolment_id": enrolled["id"], "session_id": session_id}).status_code == 403
    assert client.post(f"/api/v1/events/{event.id}/checkins", headers=org_headers,
                       json={"ticket_code": "NOPE"}).status_code == 404
    attendance = client.get(f"/api/v1/events/{event.id}/attendance", headers=org_headers).get_json()["items"]
    assert attendance[0]["attended"] == ["Opening"] and attendance[0]["share"] == 0.5
    checkin_id = response.get_json()["id"]
    assert client.delete(f"/api/v1/checkins/{checkin_id}", headers=person[1]).status_code == 404
    assert client.delete(f"/api/v1/checkins/{checkin_id}", headers=org_headers).status_code == 204
    assert client.delete(f"/api/v1/sessions/{session_id}", headers=org_headers).status_code == 204


def test_enrol_someone_with_a_missing_user_id_names_the_field(client, session):
    from tests.factories import bearer, make_event, make_organiser, make_token

    organiser = make_organiser(session)
    event = make_event(session, organisers=[organiser])
    token = make_token(session, organiser)
    session.commit()
    for bad in (0, 999999):
        response = client.post(f"/api/v1/events/{event.id}/enrolments", json={"user_id": bad},
                               headers=bearer(token))
        assert response.status_code == 404, (bad, response.get_json())
        assert "user_id" in response.get_json()["error"].get("fields", {})
    listing = client.get(f"/api/v1/events/{event.id}/enrolments?status=bogus", headers=bearer(token))
    assert listing.status_code == 422 and "status" in listing.get_json()["error"]["fields"]


def _varied_events(session):
    """Events with every kind of value the list shows: nulls, decimals, links, collections in name order,
    seats taken, waiting and pending, past and upcoming."""
    from decimal import Decimal

    from tests.factories import make_organisation

    ada, bo = make_organiser(session, name="Ada Ndlovu"), make_organiser(session, name="Bo Müller")
    zed = make_organisation(session, name="Zürich", city="Zürich", country="CH")
    acc = make_organisation(session, name="Accra", city="Accra", country="GH")
    now = utcnow()
    events = [
        make_event(session, organisers=[bo, ada], topics=["energy-efficiency", "circular-economy"],
                   hosts=[zed, acc], capacity=1, hours=Decimal("7.50"), online_url="https://meet.example.org/x",
                   languages=["en", "fr"], registration_opens_at=now - timedelta(days=1),
                   registration_closes_at=now + timedelta(days=5), revision=3, title="Ünïcode “quotes” 🌍"),
        make_event(session, organisers=[ada], capacity=None, hours=None, country=None, languages=[],
                   waitlist_mode="offer", offer_hours=12, min_attendance_percent=60, format="conference",
                   timezone="Asia/Ho_Chi_Minh", city="Da Nang", description="**Markdown** <b>raw</b>\n"),
        make_event(session, organisers=[bo], topics=["energy-efficiency"], capacity=0, requires_approval=True,
                   hours=Decimal("2"), cancel_reason="moved"),
        make_event(session, organisers=[ada, bo], hosts=[acc], capacity=3,
                   starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=2)),
        make_event(session, organisers=[ada], starts_at=now - timedelta(days=30),
                   ends_at=now - timedelta(days=29), hours=Decimal("0.25")),
    ]
    for _ in range(3):
        services.enrol(session, event_id=events[0].id, user_id=make_user(session).id, now=now)
    services.enrol(session, event_id=events[2].id, user_id=make_user(session).id, now=now)
    for _ in range(2):
        services.enrol(session, event_id=events[1].id, user_id=make_user(session).id, now=now)
    session.commit()
    return events


def test_list_answers_the_same_bytes_as_the_event_serialiser(app, client, session):
    from app.apikit.contract import respond
    from app.events.api import EventPage, event_json
    from app.extensions import db

    _varied_events(session)
    for query in ("per_page=50", "per_page=2&page=2", "past=1", "past=1&per_page=1&page=2",
                  "topic=energy-efficiency", "country=DE&q=workshop", "page=9"):
        response = client.get(f"/api/v1/events?{query}")
        assert response.status_code == 200
        with app.test_request_context(f"/api/v1/events?{query}"):
            from flask import request

            args = request.args
            page, per_page = int(args.get("page", 1)), int(args.get("per_page", 20))
            result = services.list_events(db.session, now=utcnow(), filters=services.parse_filters(args),
                                          past=args.get("past") == "1", page=page, per_page=per_page,
                                          with_people=True)
            expected = respond(EventPage, {"items": [event_json(e, result.counts[e.id]) for e in result.items],
                                           "total": result.total, "page": page, "per_page": per_page})
            db.session.remove()
        assert response.get_data() == expected.get_data(), query
        assert response.headers["Content-Type"] == expected.headers["Content-Type"]


def test_list_reads_rows_not_event_objects(client, session):
    import sqlalchemy as sa

    from app.auth.models import User
    from app.directory.models import Organisation, Topic
    from app.events.models import Event

    _varied_events(session)
    loaded = []

    def record(target, context):
        loaded.append(target)

    classes = (Event, Topic, Organisation, User)
    for cls in classes:
        sa.event.listen(cls, "load", record)
    try:
        body = client.get("/api/v1/events?per_page=50").get_json()
    finally:
        for cls in classes:
            sa.event.remove(cls, "load", record)
    assert len(body["items"]) == 3 and loaded == []
