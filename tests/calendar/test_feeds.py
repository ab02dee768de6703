"""Downloads and feeds over HTTP: content, filters, personal feeds, HTTP caching, the VEVENT cache, queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import sqlalchemy as sa
import vobject

from app.calendar.models import CalendarVeventCache
from app.events import services as events
from app.sqltypes import utcnow
from tests.factories import make_event, make_session, make_user


def vevents(response) -> list:
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    data = response.get_data()
    vobject.readOne(data.decode("utf-8"))  # the second, independent parser accepts it
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar.get_missing_tzids() == set()
    return calendar.walk("VEVENT")


def feed_bodies_of(client):
    with client.application.app_context():
        from app.calendar.views import feed_bodies

        return feed_bodies()


def summaries(response) -> list[str]:
    return [str(v["SUMMARY"]) for v in vevents(response)]


def test_event_download(session, client):
    event = make_event(session, title="Green roofs", topics=["circular-economy"])
    make_session(session, event, title="Site visit")
    draft = make_event(session, status="draft", published_at=None)
    session.commit()
    response = client.get(f"/calendar/events/{event.id}.ics")
    assert response.headers["Content-Disposition"] == f'attachment; filename="event-{event.id}.ics"'
    assert response.headers["ETag"] and response.headers["Last-Modified"]
    items = vevents(response)
    assert [str(v["UID"]) for v in items] == [f"event-{event.id}@cc.test"]
    assert items[0].decoded("dtstart").astimezone(UTC) == event.starts_at
    assert "circular economy" in ",".join(items[0]["CATEGORIES"].cats)
    with_sessions = vevents(client.get(f"/calendar/events/{event.id}.ics?sessions=1"))
    assert [str(v["UID"]).split("-")[0] for v in with_sessions] == ["event", "session"]
    assert client.get(f"/calendar/events/{draft.id}.ics").status_code == 404
    assert client.get("/calendar/events/999999.ics").status_code == 404


def test_public_feed_filters_window_and_cancelled(session, client):
    now = utcnow()
    berlin = make_event(session, title="Berlin workshop", city="Berlin", topics=["circular-economy"])
    make_event(session, title="Durban conference", format="conference", city="Durban", country="ZA",
               timezone="Africa/Johannesburg")
    recent = make_event(session, title="Recent", starts_at=now - timedelta(days=21), ends_at=now - timedelta(days=20))
    make_event(session, title="Old", starts_at=now - timedelta(days=41), ends_at=now - timedelta(days=40))
    make_event(session, title="Draft", status="draft", published_at=None)
    gone = make_event(session, title="Called off")
    session.commit()
    events.cancel_event(session, event_id=gone.id, actor_id=gone.organisers[0].id, reason="Flood", now=now)
    session.commit()
    all_titles = summaries(client.get("/calendar/events.ics"))
    assert sorted(all_titles) == sorted(["Berlin workshop", "Durban conference", "Recent", "Called off"])
    cancelled = [v for v in vevents(client.get("/calendar/events.ics")) if str(v["SUMMARY"]) == "Called off"][0]
    assert str(cancelled["STATUS"]) == "CANCELLED" and cancelled["SEQUENCE"] == 1
    assert summaries(client.get("/calendar/events.ics?format=conference")) == ["Durban conference"]
    assert summaries(client.get("/calendar/events.ics?country=za")) == ["Durban conference"]
    assert summaries(client.get("/calendar/events.ics?city=berlin")) == ["Berlin workshop"]
    assert summaries(client.get("/calendar/events.ics?topic=circular-economy")) == ["Berlin workshop"]
    assert client.get("/calendar/events.ics?format=party").status_code == 422
    assert client.get("/calendar/events.ics?country=Germany").status_code == 422
    assert berlin.id and recent.id


def test_conditional_requests_answer_304(session, client):
    event = make_event(session)
    session.commit()
    first = client.get("/calendar/events.ics")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = client.get("/calendar/events.ics", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b"" and again.headers["ETag"] == etag
    assert client.get("/calendar/events.ics", headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get("/calendar/events.ics", headers={"If-None-Match": '"other"'}).status_code == 200
    one = client.get(f"/calendar/events/{event.id}.ics")
    assert client.get(f"/calendar/events/{event.id}.ics",
                      headers={"If-None-Match": one.headers["ETag"]}).status_code == 304
    # a title edit (no revision bump) changes the ETag and the content
    events.update_event(session, event_id=event.id, data={"title": "Renamed"}, actor_id=event.organisers[0].id,
                        now=utcnow() + timedelta(seconds=2))
    session.commit()
    changed = client.get("/calendar/events.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert summaries(changed) == ["Renamed"]
    # filtered feeds have their own ETags
    assert client.get("/calendar/events.ics?format=conference").headers["ETag"] != changed.headers["ETag"]


def test_cached_vevents_are_reused_until_their_source_changes(session, client):
    event = make_event(session, title="Cached")
    item = make_session(session, event, title="Morning")
    session.commit()
    vevents(client.get("/calendar/events.ics"))
    session.expire_all()
    row = session.scalar(sa.select(CalendarVeventCache).where(CalendarVeventCache.event_id == event.id))
    assert row is not None and row.variant == "public" and b"SUMMARY:Cached" in row.ics
    # the feed serves the stored bytes while the key matches (proved by tampering with them)
    row.ics = row.ics.replace(b"SUMMARY:Cached", b"SUMMARY:From cache")
    session.commit()
    feed_bodies_of(client).clear()  # the whole body is kept by its ETag too: look behind it
    assert summaries(client.get("/calendar/events.ics")) == ["From cache"]
    # a session edit (not the event's updated_at) invalidates the cached bytes
    events.update_session(session, session_id=item.id, data={"title": "Afternoon"}, actor_id=event.organisers[0].id,
                          now=utcnow() + timedelta(seconds=1))
    session.commit()
    items = vevents(client.get("/calendar/events.ics"))
    assert str(items[0]["SUMMARY"]) == "Cached" and "Afternoon" in str(items[0]["DESCRIPTION"])


def test_sequence_rises_on_time_place_status_changes_only(session, client):
    event = make_event(session)
    organiser_id = event.organisers[0].id
    session.commit()

    def sequence():
        return vevents(client.get(f"/calendar/events/{event.id}.ics"))[0]["SEQUENCE"]

    uid = str(vevents(client.get(f"/calendar/events/{event.id}.ics"))[0]["UID"])
    assert sequence() == 0
    later = utcnow()
    events.update_event(session, event_id=event.id, data={"title": "New title", "summary": "New summary"},
                        actor_id=organiser_id, now=later)
    session.commit()
    assert sequence() == 0
    events.update_event(session, event_id=event.id, data={"venue": "Other hall"}, actor_id=organiser_id, now=later)
    session.commit()
    assert sequence() == 1
    events.update_event(session, event_id=event.id,
                        data={"starts_at": (event.starts_at + timedelta(days=1)).isoformat(),
                              "ends_at": (event.ends_at + timedelta(days=1)).isoformat()},
                        actor_id=organiser_id, now=later)
    session.commit()
    assert sequence() == 2
    events.cancel_event(session, event_id=event.id, actor_id=organiser_id, reason="Strike", now=later)
    session.commit()
    assert sequence() == 3
    assert str(vevents(client.get(f"/calendar/events/{event.id}.ics"))[0]["UID"]) == uid


def test_personal_feed(session, client):
    now = utcnow()
    me = make_user(session)
    other = make_user(session)
    confirmed = make_event(session, title="Confirmed one")
    full = make_event(session, title="Full one", capacity=1)
    approval = make_event(session, title="Needs approval", requires_approval=True)
    mine = make_event(session, title="I organise", organisers=[me])
    make_event(session, title="Not mine")
    left = make_event(session, title="Left it")
    session.commit()
    events.enrol(session, event_id=confirmed.id, user_id=me.id, now=now)
    events.enrol(session, event_id=full.id, user_id=other.id, now=now)
    events.enrol(session, event_id=full.id, user_id=me.id, now=now)
    events.enrol(session, event_id=approval.id, user_id=me.id, now=now)
    gone = events.enrol(session, event_id=left.id, user_id=me.id, now=now)
    events.cancel_enrolment(session, enrolment_id=gone.id, actor_id=me.id, now=now)
    token = events_token = None
    from app.calendar.services import ensure_calendar_token

    token = ensure_calendar_token(session, user_id=me.id)
    session.commit()
    response = client.get(f"/calendar/feed/{token}.ics")
    assert response.headers["Cache-Control"].startswith("private")
    by_title = {str(v["SUMMARY"]): str(v["STATUS"]) for v in vevents(response)}
    assert by_title == {
        "Confirmed one": "CONFIRMED", "[Waiting list] Full one": "TENTATIVE",
        "[Awaiting approval] Needs approval": "TENTATIVE", "I organise": "CONFIRMED",
    }
    assert mine.id and events_token is None
    # a status change shows at once (new ETag), and cancelled events stay as CANCELLED
    etag = response.headers["ETag"]
    events.cancel_event(session, event_id=confirmed.id, actor_id=confirmed.organisers[0].id, reason="Rain",
                        now=now)
    session.commit()
    after = client.get(f"/calendar/feed/{token}.ics", headers={"If-None-Match": etag})
    assert after.status_code == 200
    assert {str(v["SUMMARY"]): str(v["STATUS"]) for v in vevents(after)}["Confirmed one"] == "CANCELLED"
    assert client.get(f"/calendar/feed/{token}.ics", headers={"If-None-Match": after.headers["ETag"]}
                      ).status_code == 304
    assert client.get("/calendar/feed/not-a-token.ics").status_code == 404


def test_feed_queries_are_constant(session, client, count_queries):
    def measure(path: str) -> tuple[int, int]:
        with count_queries() as cold:
            assert client.get(path).status_code == 200
        with count_queries() as warm:
            assert client.get(path).status_code == 200
        return cold.count, warm.count

    user = make_user(session)
    from app.calendar.services import ensure_calendar_token

    token = ensure_calendar_token(session, user_id=user.id)
    for _ in range(2):
        event = make_event(session, topics=["circular-economy"])
        make_session(session, event)
        session.flush()
        events.enrol(session, event_id=event.id, user_id=user.id, now=utcnow())
    session.commit()
    small_public = measure("/calendar/events.ics")
    small_personal = measure(f"/calendar/feed/{token}.ics")
    for _ in range(12):
        event = make_event(session, topics=["circular-economy", "sustainable-transport"])
        make_session(session, event)
        make_session(session, event)
        session.flush()
        events.enrol(session, event_id=event.id, user_id=user.id, now=utcnow())
    session.commit()
    assert measure("/calendar/events.ics") == small_public
    assert measure(f"/calendar/feed/{token}.ics") == small_personal
    # warm: the aggregate (ETag) query and one read of rows with their cached bytes, nothing per event
    assert small_public[1] <= 3, small_public


def test_tokens_rotate_from_the_profile_and_api(session, client, auth):
    from tests.conftest import post_form
    from tests.factories import bearer, make_token

    user = make_user(session, email="feed@example.org")
    api_token = make_token(session, user)
    session.commit()
    assert user.calendar_token is None
    auth.login("feed@example.org")
    # looking at the profile changes nothing (a GET never writes); the button makes the address
    page = client.get("/auth/profile").get_data(as_text=True)
    assert "Create my feed address" in page and "webcal://" not in page
    session.expire_all()
    assert session.get(type(user), user.id).calendar_token is None
    response = post_form(client, "/auth/profile", {}, action="/calendar/token/rotate")
    assert response.status_code == 302
    page = client.get("/auth/profile").get_data(as_text=True)
    session.expire_all()
    first = session.get(type(user), user.id).calendar_token
    assert first and len(first) >= 43  # 256 random bits, base64url
    assert f"/calendar/feed/{first}.ics" in page and "webcal://" in page
    assert client.get(f"/calendar/feed/{first}.ics").status_code == 200
    response = post_form(client, "/auth/profile", {}, action="/calendar/token/rotate")
    assert response.status_code == 302
    session.expire_all()
    second = session.get(type(user), user.id).calendar_token
    assert second != first
    assert client.get(f"/calendar/feed/{first}.ics").status_code == 404
    assert client.get(f"/calendar/feed/{second}.ics").status_code == 200
    # without a CSRF token nothing changes
    assert client.post("/calendar/token/rotate").status_code in (302, 400)
    session.expire_all()
    assert session.get(type(user), user.id).calendar_token == second
    # the API shows and rotates it too
    me = client.get("/api/v1/me", headers=bearer(api_token)).get_json()
    assert me["calendar_feed_url"] == f"http://cc.test/calendar/feed/{second}.ics"
    rotated = client.post("/api/v1/me/calendar-token", headers=bearer(api_token))
    assert rotated.status_code == 200
    body = rotated.get_json()
    assert body["feed_url"].startswith("http://cc.test/calendar/feed/") and body["feed_url"] != me["calendar_feed_url"]
    assert body["webcal_url"] == "webcal://" + body["feed_url"].split("://", 1)[1]
    assert client.get(me["calendar_feed_url"].replace("http://cc.test", "")).status_code == 404
    assert client.get(body["feed_url"].replace("http://cc.test", "")).status_code == 200
    assert client.post("/api/v1/me/calendar-token").status_code == 401


def test_api_me_gives_a_token_on_first_need(session, client):
    from tests.factories import bearer, make_token

    user = make_user(session)
    api_token = make_token(session, user)
    session.commit()
    url = client.get("/api/v1/me", headers=bearer(api_token)).get_json()["calendar_feed_url"]
    assert url and url.startswith("http://cc.test/calendar/feed/")
    assert client.get(url.replace("http://cc.test", "")).status_code == 200


def test_last_modified_is_a_real_date(session, client):
    make_event(session)
    session.commit()
    header = client.get("/calendar/events.ics").headers["Last-Modified"]
    parsed = datetime.strptime(header, "%a, %d %b %Y %H:%M:%S GMT")
    assert abs(parsed.replace(tzinfo=UTC) - utcnow()) < timedelta(minutes=5)


def test_renaming_a_topic_refreshes_the_feed(client, session):
    """CATEGORIES show topic names, so a rename must change the ETag and the cached VEVENT."""
    from app.directory.services import save_topic
    from app.sqltypes import utcnow
    from tests.factories import make_event, topic

    make_event(session, topics=["energy-efficiency"])
    session.commit()
    first = client.get("/calendar/events.ics")
    assert b"Energy efficiency" in first.data
    tag = first.headers["ETag"]
    save_topic(session, slug="energy-efficiency", name="Energy saving in buildings", description="",
               topic_id=topic(session, "energy-efficiency").id, now=utcnow())
    session.commit()
    second = client.get("/calendar/events.ics", headers={"If-None-Match": tag})
    assert second.status_code == 200
    assert second.headers["ETag"] != tag
    assert b"Energy saving in buildings" in second.data and b"Energy efficiency" not in second.data


def test_warm_feed_is_served_from_the_body_kept_for_its_etag(session, client, count_queries):
    """A plain request for an unchanged feed costs the ETag query only, not a read of every VEVENT."""
    user = make_user(session, name="Ada")
    from app.calendar.services import ensure_calendar_token

    token = ensure_calendar_token(session, user_id=user.id)
    event = make_event(session, title="Kept", topics=["circular-economy"])
    make_session(session, event)
    session.flush()
    events.enrol(session, event_id=event.id, user_id=user.id, now=utcnow())
    session.commit()
    # the ETag query (and the person's token look-up)
    for path, queries in (("/calendar/events.ics", 1), (f"/calendar/feed/{token}.ics", 2)):
        cold = client.get(path)
        with count_queries() as warm:
            again = client.get(path)
        assert again.status_code == 200 and again.get_data() == cold.get_data()
        assert again.headers["ETag"] == cold.headers["ETag"]
        assert warm.count == queries, (path, warm.statements)
    # a change gives a new ETag and so a new body; a renamed person gets their feed under the new name
    events.update_event(session, event_id=event.id, data={"title": "Changed"}, actor_id=event.organisers[0].id,
                        now=utcnow() + timedelta(seconds=1))
    user.name = "Ada Lovelace"
    session.commit()
    assert summaries(client.get("/calendar/events.ics")) == ["Changed"]
    assert "Ada Lovelace" in client.get(f"/calendar/feed/{token}.ics").get_data(as_text=True)
