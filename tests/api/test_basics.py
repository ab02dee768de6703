"""API basics: Bearer auth, /me, topics, organisations, JSON errors, /healthz."""

from __future__ import annotations

from app.directory.services import DEFAULT_TOPICS
from tests.factories import bearer, make_organisation, make_token, make_user


def test_me_with_token(client, session):
    org = make_organisation(session, name="eThekwini Municipality", country="ZA")
    user = make_user(session, email="t@example.org", name="Thandiwe", organisation_id=org.id, country="ZA",
                     timezone="Africa/Johannesburg")
    token = make_token(session, user)
    session.commit()
    response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 200
    body = response.get_json()
    assert {k: body[k] for k in ("id", "email", "name", "role", "country", "timezone", "language")} == {
        "id": user.id, "email": "t@example.org", "name": "Thandiwe", "role": "participant", "country": "ZA",
        "timezone": "Africa/Johannesburg", "language": "en"}
    assert body["organisation"] == {"id": org.id, "name": "eThekwini Municipality"}
    assert response.headers["Cache-Control"] == "no-store"


def test_me_without_or_with_bad_token_is_401_json(client):
    missing = client.get("/api/v1/me")
    assert missing.status_code == 401
    assert missing.get_json()["error"]["code"] == "unauthorized"
    bad = client.get("/api/v1/me", headers=bearer("cc_not-a-real-token"))
    assert bad.status_code == 401 and "not valid" in bad.get_json()["error"]["message"]
    malformed = client.get("/api/v1/me", headers={"Authorization": "Basic abc"})
    assert malformed.status_code == 401


def test_api_ignores_session_cookie(client, session, auth):
    make_user(session, email="ana@example.org")
    session.commit()
    auth.login("ana@example.org")
    assert client.get("/api/v1/me").status_code == 401


def test_topics_exist_and_list(client):
    response = client.get("/api/v1/topics")
    assert response.status_code == 200
    slugs = {t["slug"] for t in response.get_json()["items"]}
    assert slugs == {slug for slug, *_ in DEFAULT_TOPICS}


def test_organisations_list(client, session):
    make_organisation(session, name="City of Leipzig", city="Leipzig", country="DE")
    session.commit()
    items = client.get("/api/v1/organisations").get_json()["items"]
    assert items[0]["name"] == "City of Leipzig" and items[0]["country"] == "DE" and "id" in items[0]


def test_unknown_api_route_is_json_404(client):
    response = client.get("/api/v1/nowhere")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_checks_the_database_without_the_orm_session(client):
    import sqlalchemy as sa

    begun = []

    def record(session, transaction, connection):
        begun.append(session)

    sa.event.listen(sa.orm.Session, "after_begin", record)
    try:
        response = client.get("/healthz")
    finally:
        sa.event.remove(sa.orm.Session, "after_begin", record)
    assert response.status_code == 200 and response.get_json() == {"status": "ok", "database": "ok"}
    assert begun == []


def test_healthz_is_answered_in_front_of_the_flask_request_stack(app, client):
    # the probe runs every few seconds: no request context, session, user loading or after_request hooks
    from flask import request_started

    started = []

    def record(sender, **extra):
        started.append(sender)

    request_started.connect(record, app)
    try:
        response = client.get("/healthz")
        head = client.head("/healthz")
    finally:
        request_started.disconnect(record, app)
    assert started == []
    assert response.status_code == 200 and response.get_data() == b'{"database":"ok","status":"ok"}\n'
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Content-Length"] == "32"
    assert head.status_code == 200 and head.get_data() == b"" and head.headers["Content-Length"] == "32"
    # the security headers every response carries
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "Strict-Transport-Security" not in response.headers


def test_healthz_sends_hsts_when_cookies_are_secure(app, client):
    app.config["SESSION_COOKIE_SECURE"] = True
    try:
        response = client.get("/healthz")
    finally:
        app.config["SESSION_COOKIE_SECURE"] = False
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_healthz_other_methods_and_paths_still_reach_flask(client):
    assert client.post("/healthz").status_code == 405
    assert client.get("/healthz/").status_code == 404
