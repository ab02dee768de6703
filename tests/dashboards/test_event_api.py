"""`GET /api/v1/events/<id>/stats`: the contract's fields, who may read them, a constant number of queries."""

from __future__ import annotations

from pydantic import TypeAdapter

from app.dashboards.event_schemas import EventStatsOut
from tests.dashboards.test_event_stats import build_story
from tests.factories import bearer, make_admin, make_event, make_organiser, make_token, make_user


def test_organisers_read_the_contract_fields(client, session):
    event, (s1, s2), people = build_story(session)
    token = make_token(session, event.organisers[0])
    session.commit()

    reply = client.get(f"/api/v1/events/{event.id}/stats", headers=bearer(token))

    assert reply.status_code == 200, reply.get_data(as_text=True)
    data = reply.get_json()
    TypeAdapter(EventStatsOut).validate_python(data)
    assert {"registrations_over_time", "funnel", "by_country", "by_region", "attendance_by_session"} <= set(data)
    assert data["registrations_over_time"][:3] == [{"date": "2027-03-01", "count": 0, "cumulative": 0},
                                                  {"date": "2027-03-02", "count": 2, "cumulative": 2},
                                                  {"date": "2027-03-03", "count": 3, "cumulative": 5}]
    assert data["funnel"] == {"registered": 6, "confirmed": 5, "attended": 2, "certified": 1}
    assert data["by_country"] == {"DE": 1, "JO": 1, "unknown": 1}
    assert data["by_region"] == {"145": 1, "155": 1, "unknown": 1}
    assert [(a["session_id"], a["attended"]) for a in data["attendance_by_session"]] == [(s1.id, 2), (s2.id, 1)]
    assert data["waiting_list"]["offers_expired"] == 1 and data["capacity"] == 2
    assert data["timezone"] == "Europe/Berlin"


def test_admins_may_and_others_may_not(client, session):
    event = make_event(session)
    draft = make_event(session, status="draft", published_at=None)
    admin, participant, other_organiser = make_admin(session), make_user(session), make_organiser(session)
    tokens = {who: bearer(make_token(session, who)) for who in (admin, participant, other_organiser)}
    session.commit()

    assert client.get(f"/api/v1/events/{event.id}/stats", headers=tokens[admin]).status_code == 200
    assert client.get(f"/api/v1/events/{event.id}/stats", headers=tokens[participant]).status_code == 403
    assert client.get(f"/api/v1/events/{event.id}/stats", headers=tokens[other_organiser]).status_code == 403
    # someone else's draft does not exist for them, as everywhere else
    assert client.get(f"/api/v1/events/{draft.id}/stats", headers=tokens[participant]).status_code == 404
    reply = client.get(f"/api/v1/events/{event.id}/stats")
    assert reply.status_code == 401 and reply.get_json()["error"]["code"]
    assert client.get("/api/v1/events/987654/stats", headers=tokens[admin]).status_code == 404


def test_an_event_without_enrolments_answers_empty_figures(client, session):
    event = make_event(session)
    token = make_token(session, event.organisers[0])
    session.commit()
    data = client.get(f"/api/v1/events/{event.id}/stats", headers=bearer(token)).get_json()
    assert data["registrations_over_time"] == [] and data["by_country"] == {} and data["no_shows"] is None
    assert data["funnel"] == {"registered": 0, "confirmed": 0, "attended": 0, "certified": 0}
