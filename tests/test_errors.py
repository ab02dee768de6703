"""Error pages and JSON errors: what people see when the database is down or input cannot be stored."""

from __future__ import annotations

import pytest

from app import create_app
from config import TestingConfig


@pytest.fixture
def app_without_database(tmp_path):
    class Config(TestingConfig):
        # a database file in a directory that does not exist: every connection attempt fails
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'missing' / 'gone.sqlite'}"

    return create_app(Config)


def test_database_down_is_503_temporarily_unavailable_with_retry_after(app_without_database):
    client = app_without_database.test_client()
    page = client.get("/events/")
    assert page.status_code == 503
    text = page.get_data(as_text=True)
    assert "temporarily unavailable" in text and "busy" not in text
    assert int(page.headers["Retry-After"]) > 0
    api = client.get("/api/v1/events")
    assert api.status_code == 503 and int(api.headers["Retry-After"]) > 0
    error = api.get_json()["error"]
    assert error["code"] == "try_again" and "temporarily unavailable" in error["message"]
    health = client.get("/healthz")
    assert health.status_code == 503 and int(health.headers["Retry-After"]) > 0
    assert health.get_json() == {"status": "error", "database": "OperationalError"}
    assert health.headers["X-Frame-Options"] == "DENY"


@pytest.fixture
def probe_app(database_url):
    """A second app on the test database with routes that raise what no real route should reach."""
    import sqlalchemy as sa
    from flask import Blueprint

    from app.errors import TryAgain
    from app.extensions import db

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url

    application = create_app(Config)
    probe = Blueprint("probe", __name__)

    @probe.get("/api/v1/_probe/try-again")
    def try_again():
        raise TryAgain("Many people are enrolling right now; please try again in a moment.")

    @probe.get("/api/v1/_probe/surrogate")
    def surrogate():
        db.session.execute(sa.text("SELECT :x"), {"x": "a\ud800"})
        return "unreachable"

    @probe.get("/_probe/huge")
    def huge():
        db.session.execute(sa.text("SELECT :x"), {"x": 2**70})
        return "stored"

    application.register_blueprint(probe)
    yield application
    with application.app_context():
        db.engine.dispose()


def test_try_again_carries_retry_after(probe_app):
    # a lock wait that ran out is the other 503: it says so, and when to come back
    response = probe_app.test_client().get("/api/v1/_probe/try-again")
    assert response.status_code == 503 and int(response.headers["Retry-After"]) > 0


def test_unstorable_values_reaching_the_database_are_422_not_500(probe_app):
    """The services refuse them first; this is the backstop for input that skips a check."""
    client = probe_app.test_client()
    response = client.get("/api/v1/_probe/surrogate")
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "validation_failed"
    assert client.get("/_probe/huge").status_code in (200, 422)  # PostgreSQL compares numerics: no error
