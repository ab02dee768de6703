"""GET /api/v1/programmes/<id>/stats: fields as counted by hand, who may read it, and a constant query count."""

from __future__ import annotations

import pytest

from tests.dashboards import programme_data
from tests.factories import bearer, make_admin, make_organiser, make_programme, make_token, make_user

URL = "/api/v1/programmes/{}/stats"


def test_figures_as_counted_by_hand(client, session):
    demo = programme_data.build(session)
    headers = bearer(make_token(session, demo.organiser))
    session.commit()
    response = client.get(URL.format(demo.programme.id), headers=headers)
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"programme_id", "participants", "completed", "median_days_to_complete",
                         "submissions_waiting", "modules", "completions_over_time"}
    assert (body["participants"], body["completed"], body["median_days_to_complete"],
            body["submissions_waiting"]) == (7, 3, 10.0, 2)
    m1, m2, m3 = demo.modules
    assert body["modules"] == [
        {"module_id": m1.id, "title": "Foundations", "position": 1, "completion": "event", "required": True,
         "started": 5, "completed": 5, "continued": 4, "submissions_waiting": 0},
        {"module_id": m2.id, "title": "Reflection", "position": 2, "completion": "self_study", "required": True,
         "started": 5, "completed": 3, "continued": 3, "submissions_waiting": 1},
        {"module_id": m3.id, "title": "Site visit", "position": 3, "completion": "event", "required": True,
         "started": 4, "completed": 3, "continued": None, "submissions_waiting": 0},
    ]
    assert body["completions_over_time"] == [{"date": "2027-01-11", "count": 2, "cumulative": 2},
                                             {"date": "2027-01-21", "count": 1, "cumulative": 3}]


def test_empty_programme(client, session):
    organiser = make_organiser(session)
    programme = make_programme(session, organisers=[organiser], status="draft")
    headers = bearer(make_token(session, organiser))
    session.commit()
    body = client.get(URL.format(programme.id), headers=headers).get_json()
    assert body == {"programme_id": programme.id, "participants": 0, "completed": 0,
                    "median_days_to_complete": None, "submissions_waiting": 0, "modules": [],
                    "completions_over_time": []}


@pytest.mark.parametrize(("who", "status"), [
    ("organiser", 200), ("admin", 200), ("other organiser", 403), ("participant", 403), ("nobody", 401)])
def test_who_may_read_a_published_programme(client, session, who, status):
    demo = programme_data.build(session)
    user = {"organiser": demo.organiser, "admin": make_admin(session), "other organiser": make_organiser(session),
            "participant": demo.people["A"], "nobody": None}[who]
    headers = bearer(make_token(session, user)) if user is not None else {}
    session.commit()
    response = client.get(URL.format(demo.programme.id), headers=headers)
    assert response.status_code == status
    if status >= 400:
        assert "error" in response.get_json()


def test_a_draft_or_unknown_programme_is_not_found(client, session):
    draft = make_programme(session, status="draft")
    headers = bearer(make_token(session, make_user(session)))
    session.commit()
    assert client.get(URL.format(draft.id), headers=headers).status_code == 404
    assert client.get(URL.format(999_999), headers=headers).status_code == 404
    assert client.get(URL.format(2**40), headers=headers).status_code == 404


def test_constant_number_of_queries(client, session, count_queries):
    demo = programme_data.build(session)
    headers = bearer(make_token(session, demo.organiser))
    session.commit()
    url = URL.format(demo.programme.id)
    client.get(url, headers=headers)  # the token's first use is recorded once
    with count_queries() as small:
        assert client.get(url, headers=headers).status_code == 200
    programme_data.grow(session, demo.programme, demo.modules, participants=40)
    session.commit()
    with count_queries() as bigger:
        assert client.get(url, headers=headers).get_json()["participants"] == 47
    assert small.count == bigger.count
