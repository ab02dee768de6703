"""GET /api/v1/network/stats: the contract's fields, public vs admin detail, filters, bad input, query count."""

from __future__ import annotations

import pytest

from tests.dashboards.network_data import build_network, grow
from tests.factories import bearer, make_admin, make_token, make_user

URL = "/api/v1/network/stats"


def test_public_figures(client, session):
    net = build_network(session)
    session.commit()
    response = client.get(URL)
    assert response.status_code == 200
    body = response.get_json()
    assert body["detail"] == "public"
    assert [(f["from_organisation_id"], f["to_organisation_id"], f["people"]) for f in body["flows"]] == [
        (net.bonn.id, net.irbid.id, 2), (net.irbid.id, net.bonn.id, 1), (net.tunis.id, net.bonn.id, 1),
        (net.tunis.id, net.irbid.id, 1)]
    assert body["flows"][0]["from_organisation_name"] == "Bonn"
    assert body["events_by_year"][0] == {"year": 2025, "format": "workshop", "events": 1}
    assert body["reach_by_topic"]["sustainable-transport"] == {"events": 2, "practices": 1, "people": 1}
    assert body["reach_by_sdg"]["11"] == {"events": 0, "practices": 1, "people": 2}
    assert [p["organisations"] for p in body["practices_most_wanted"]] == [2, 1]
    assert body["cities"][0]["name"] == "Bonn" and body["cities"][0]["activity"] == 4
    assert body["filters"] == {"from": None, "to": None, "format": None, "topic": None, "region": None}
    # counts only: no person's name or address anywhere
    text = response.get_data(as_text=True)
    assert "Person" not in text and "@" not in text


def test_admin_token_sees_drafts_others_do_not(client, session):
    build_network(session)
    admin_token = make_token(session, make_admin(session))
    member_token = make_token(session, make_user(session))
    session.commit()
    admin = client.get(URL, headers=bearer(admin_token)).get_json()
    assert admin["detail"] == "admin" and admin["flow_pairs"] == 5
    assert admin["reach_by_topic"]["sustainable-transport"] == {"events": 2, "practices": 2, "people": 2}
    member = client.get(URL, headers=bearer(member_token)).get_json()
    assert member["detail"] == "public" and member["flow_pairs"] == 4


def test_filters_are_applied_and_echoed(client, session):
    build_network(session)
    session.commit()
    body = client.get(URL, query_string={"from": "2026-01-01", "to": "2026-12-31", "format": "conference",
                                         "topic": "sustainable-transport", "region": "155"}).get_json()
    assert body["filters"] == {"from": "2026-01-01", "to": "2026-12-31", "format": "conference",
                               "topic": "sustainable-transport", "region": "155"}
    assert [(f["from_organisation_name"], f["to_organisation_name"], f["people"]) for f in body["flows"]] == [
        ("Irbid", "Bonn", 1), ("Tunis", "Bonn", 1)]
    assert body["events_by_year"] == [{"year": 2026, "format": "conference", "events": 1}]


@pytest.mark.parametrize(("args", "field"), [
    ({"from": "31/12/2026"}, "from"), ({"to": "2026-02-30"}, "to"), ({"from": "2026-05-01", "to": "2026-04-01"}, "to"),
    ({"format": "party"}, "format"), ({"topic": "no-such-topic"}, "topic"), ({"region": "EU"}, "region"),
    ({"region": "x" * 5000}, "region"),
])
def test_bad_filters_are_400_naming_the_parameter(client, args, field):
    response = client.get(URL, query_string=args)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "bad_request" and field in error["fields"] and error["message"]


def test_constant_number_of_queries(client, session, count_queries):
    build_network(session)
    session.commit()
    with count_queries() as small:
        assert client.get(URL).status_code == 200
    grow(session, 10)
    session.commit()
    with count_queries() as big:
        assert client.get(URL).status_code == 200
    assert small.count == big.count
