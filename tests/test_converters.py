"""Ids too large for the database answer 404 on every `<int:...>` route, for anyone, never 500."""

from __future__ import annotations

import re

import pytest

from app.validation import MAX_ID
from tests.factories import bearer, make_admin, make_token

HUGE = (2**31, 2**63 - 1, 2**63, 2**64 + 5, 10**30)


def _int_routes(app):
    """(rule, methods, values) for every rule with an int converter (other arguments get a harmless value)."""
    routes = []
    for rule in app.url_map.iter_rules():
        converters = rule._converters
        if not any(type(c).__name__ == "IdConverter" or c.__class__.__name__ == "IntegerConverter"
                   for c in converters.values()):
            continue
        methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        routes.append((rule, methods))
    return routes


def _path(rule, number: int) -> str:
    path = re.sub(r"<int:[^>]+>", str(number), rule.rule)
    return re.sub(r"<(?:[a-z]+:)?[^>]+>", "x", path)


def test_every_int_route_uses_the_bounded_converter(app):
    routes = _int_routes(app)
    assert len(routes) > 40
    for rule, _ in routes:
        for name, converter in rule._converters.items():
            if isinstance(converter, type(app.url_map.converters["int"](app.url_map))):
                assert converter.max == MAX_ID, (rule.rule, name)


@pytest.mark.parametrize("as_admin", [False, True], ids=["anonymous", "admin"])
def test_huge_ids_answer_404_everywhere(app, client, session, auth, as_admin):
    headers = {}
    if as_admin:
        admin = make_admin(session, email="admin@example.org")
        headers = bearer(make_token(session, admin))
        session.commit()
        auth.login("admin@example.org")
    app.config["WTF_CSRF_ENABLED"] = False
    failures = []
    try:
        for rule, methods in _int_routes(app):
            for number in HUGE:
                path = _path(rule, number)
                for method in methods:
                    kwargs = {"headers": headers} if path.startswith("/api/") else {}
                    if method in ("POST", "PATCH", "PUT"):
                        kwargs["json" if path.startswith("/api/") else "data"] = {}
                    response = client.open(path, method=method, **kwargs)
                    if response.status_code >= 500 or (as_admin and response.status_code != 404):
                        failures.append((method, path, response.status_code))
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    assert failures == [], "\n".join(map(str, failures))


def test_ids_in_json_bodies_and_queries_are_bounded(client, session):
    from tests.factories import join_programme, make_event, make_module, make_organiser, make_programme

    organiser = make_organiser(session, email="o@example.org")
    headers = bearer(make_token(session, organiser))
    event = make_event(session, organisers=[organiser])
    programme = make_programme(session, organisers=[organiser])
    module = make_module(session, programme)
    join_programme(session, programme, organiser)
    session.commit()
    for number in HUGE:
        for url, body in (
            (f"/api/v1/events/{event.id}/enrolments", {"user_id": number}),
            (f"/api/v1/events/{event.id}/checkins", {"enrolment_id": number}),
            (f"/api/v1/events/{event.id}/checkins", {"enrolment_id": 1, "session_id": number}),
            (f"/api/v1/modules/{module.id}/links", {"event_id": number}),
            (f"/api/v1/modules/{module.id}/links", {"session_id": number}),
            ("/api/v1/events", {"title": "T", "format": "workshop", "timezone": "UTC",
                                "starts_at": "2031-01-01T09:00", "ends_at": "2031-01-01T10:00", "city": "Bonn",
                                "venue": "Hall", "hosts": [number]}),
            ("/api/v1/events", {"title": "T", "format": "workshop", "timezone": "UTC",
                                "starts_at": "2031-01-01T09:00", "ends_at": "2031-01-01T10:00", "city": "Bonn",
                                "venue": "Hall", "organisers": [number]}),
            ("/api/v1/programmes", {"title": "P", "organisers": [number]}),
            (f"/api/v1/programmes/{programme.id}/modules", {"title": "M", "prerequisites": [number]}),
        ):
            response = client.post(url, json=body, headers=headers)
            assert response.status_code in (404, 409, 422), (url, body, response.status_code)
        response = client.get(f"/api/v1/programmes/{programme.id}/progress", query_string={"user_id": number},
                              headers=headers)
        assert response.status_code in (404, 422), (number, response.status_code)
        for url in ("/api/v1/events", "/events/", "/api/v1/programmes", "/programmes/"):
            response = client.get(url, query_string={"page": number, "per_page": 10}, headers=headers)
            assert response.status_code < 500, (url, number, response.status_code)


def test_huge_numbers_in_query_strings_are_not_a_server_error(app, client, session, auth):
    admin = make_admin(session, email="admin@example.org")
    headers = bearer(make_token(session, admin))
    session.commit()
    auth.login("admin@example.org")
    plain = [rule.rule for rule in app.url_map.iter_rules()
             if "GET" in (rule.methods or ()) and not rule.arguments and not rule.rule.startswith("/static")]
    failures = []
    for path in plain:
        for number in HUGE:
            query = {name: number for name in ("page", "per_page", "module_id", "user_id", "event_id",
                                               "programme_id", "session_id")}
            response = client.get(path, query_string=query, headers=headers if path.startswith("/api/") else {})
            # list pages clamp the page number (an empty last page), they do not refuse it
            if response.status_code >= 500 or (path in ("/admin/users", "/admin/outbox", "/events/")
                                               and response.status_code != 200):
                failures.append((path, number, response.status_code))
    assert failures == [], "\n".join(map(str, failures))
