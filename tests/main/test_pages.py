"""The shell: home page, navigation by role, error pages."""

from __future__ import annotations

from tests.factories import make_admin, make_user


def test_home_lists_topics(client):
    body = client.get("/").get_data(as_text=True)
    assert "Closed-loop systems and circular economy" in body
    assert "/bootstrap/static/" in body  # Bootstrap served locally, no CDN
    assert "cdn.jsdelivr" not in body


def test_bootstrap_assets_served_locally(client):
    body = client.get("/").get_data(as_text=True)
    import re
    css = re.search(r'href="(/bootstrap/static/[^"]+\.css)"', body).group(1)
    response = client.get(css)
    assert response.status_code == 200
    response.close()


def test_404_page_is_html(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Not found" in response.get_data(as_text=True)


def test_admin_pages_forbidden_for_participants(client, session, auth):
    make_user(session, email="p@example.org")
    session.commit()
    auth.login("p@example.org")
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert "You may not do that" in response.get_data(as_text=True)


def test_navigation_by_role(client, session, auth):
    make_admin(session, email="a@example.org")
    session.commit()
    assert ">Admin<" not in client.get("/").get_data(as_text=True)
    auth.login("a@example.org")
    assert ">Admin<" in client.get("/").get_data(as_text=True)


def test_a_constraint_race_answers_409_not_500(app):
    """A unique constraint hit by a concurrent request is a clear conflict, never a server error."""
    import sqlalchemy as sa

    from app import create_app
    from app.extensions import db
    from config import TestingConfig

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]

    fresh = create_app(Config)

    def clash():
        db.session.execute(sa.text("INSERT INTO topic (slug, name, description) VALUES ('x', 'X', '')"))
        db.session.execute(sa.text("INSERT INTO topic (slug, name, description) VALUES ('x', 'X', '')"))
        return "unreachable"

    def unstorable():
        db.session.execute(sa.text("INSERT INTO topic (slug, name, description) VALUES ('y', 'Y', '')"))
        raise sa.exc.DataError("INSERT ...", {}, ValueError("invalid byte sequence: 0x00"))

    fresh.add_url_rule("/_test/integrity", "clash", clash)
    fresh.add_url_rule("/api/v1/_test/integrity", "api_clash", clash)
    fresh.add_url_rule("/api/v1/_test/data", "api_unstorable", unstorable)
    client = fresh.test_client()
    html = client.get("/_test/integrity")
    assert html.status_code == 409 and "try again" in html.get_data(as_text=True)
    api = client.get("/api/v1/_test/integrity")
    assert api.status_code == 409 and api.get_json()["error"]["code"] == "conflict"
    data = client.get("/api/v1/_test/data")
    assert data.status_code == 422 and data.get_json()["error"]["code"] == "validation_failed"
    with fresh.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM topic WHERE slug IN ('x', 'y')")) == 0
        db.session.remove()
        db.engine.dispose()


def test_security_headers_on_pages_and_api(client):
    for url in ("/", "/api/v1/topics", "/no/such/page"):
        response = client.get(url)
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_security_headers_keep_a_views_own_value_and_add_hsts_when_secure(app):
    from flask import Flask

    from app.security import init_security_headers

    bare = Flask(__name__)
    bare.config["SESSION_COOKIE_SECURE"] = True

    @bare.get("/framed")
    def framed():
        return "ok", 200, {"x-frame-options": "SAMEORIGIN"}

    init_security_headers(bare)
    response = bare.test_client().get("/framed")
    assert response.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    bare.config["SESSION_COOKIE_SECURE"] = False
    assert "Strict-Transport-Security" not in bare.test_client().get("/framed").headers


def test_cookie_session_serializer_is_built_once_per_key(app):
    interface = app.session_interface
    first = interface.get_signing_serializer(app)
    assert first is not None and interface.get_signing_serializer(app) is first
    signed = first.dumps({"a": 1})
    old_key = app.secret_key
    app.secret_key = "another-secret-key"
    try:
        rotated = interface.get_signing_serializer(app)
        assert rotated is not first and rotated.dumps({"a": 1}) != signed
    finally:
        app.secret_key = old_key
    assert interface.get_signing_serializer(app).loads(signed) == {"a": 1}


def test_no_rate_limiter_hook_on_every_request_when_only_views_declare_limits(app, client):
    from app.extensions import limiter

    # the decorated views (login, reset, verify) check their own limits; nothing else has one
    assert limiter._check_request_limit not in app.before_request_funcs.get(None, [])
    assert client.get("/healthz").status_code == 200
