"""Fixtures: one app and schema per run on a real database, cleaned between tests.

SQLite (a temporary file) by default; PostgreSQL when TEST_DATABASE_URL is set. Never a mocked DB.
"""

from __future__ import annotations

import contextvars
import email
import email.policy
import os
import re
import socket
import threading
import time
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from app import create_app
from app.directory.services import ensure_default_topics
from app.extensions import db, limiter
from config import TestingConfig

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


class IsolatedClient(FlaskClient):
    """Runs each request in an empty context, so it never shares the test's app context, session or g."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


def _reset_schema(app) -> None:
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE"))
                conn.execute(sa.text("CREATE SCHEMA public"))
        db.create_all()


def _truncate_all(app) -> None:
    with app.app_context():
        db.session.remove()
        engine = db.engine
        tables = [t.name for t in db.metadata.sorted_tables]
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                quoted = ", ".join(f'"{name}"' for name in tables)
                conn.execute(sa.text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
            else:
                for name in reversed(tables):
                    conn.execute(sa.text(f'DELETE FROM "{name}"'))
                has_seq = conn.execute(
                    sa.text("SELECT name FROM sqlite_master WHERE name='sqlite_sequence'")
                ).first()
                if has_seq:
                    conn.execute(sa.text("DELETE FROM sqlite_sequence"))
        ensure_default_topics(db.session)
        db.session.commit()
        db.session.remove()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return _database_url(tmp_path_factory)


@pytest.fixture(scope="session")
def app(database_url):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        LOGIN_RATE_LIMIT = "1000 per minute"

    application = create_app(Config)
    application.test_client_class = IsolatedClient
    _reset_schema(application)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(app):
    _truncate_all(app)
    with app.app_context():
        limiter.reset()
        app.extensions.pop("calendar.feed_bodies", None)  # feed bodies by ETag: the ids start again
    yield
    with app.app_context():
        db.session.remove()


@pytest.fixture
def session(app):
    """db.session inside an app context; commit what requests must see before making them."""
    with app.app_context():
        yield db.session
        db.session.rollback()
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1) or match.group(2)


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = "correct-horse-battery"):
        page = self._client.get("/auth/login")
        token = csrf_from(page.get_data(as_text=True))
        return self._client.post(
            "/auth/login", data={"email": email, "password": password, "csrf_token": token}
        )

    def logout(self):
        page = self._client.get("/auth/profile")
        token = csrf_from(page.get_data(as_text=True))
        return self._client.post("/auth/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client):
    return AuthActions(client)


def post_form(client, page_url: str, data: dict, *, action: str | None = None, **kwargs):
    """GET a page, take its CSRF token, POST the data to the form's action (or the page itself)."""
    page = client.get(page_url)
    assert page.status_code == 200, page.status_code
    payload = {"csrf_token": csrf_from(page.get_data(as_text=True)), **data}
    return client.post(action or page_url, data=payload, **kwargs)


@pytest.fixture
def count_queries(app):
    """Context manager counting SQL statements: `with count_queries() as counter: ...; counter.count`."""

    @contextmanager
    def _count():
        class Counter:
            count = 0
            statements: list[str] = []

        counter = Counter()
        counter.statements = []

        def before(conn, cursor, statement, parameters, context, executemany):
            counter.count += 1
            counter.statements.append(statement)

        with app.app_context():
            engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            sa.event.remove(engine, "before_cursor_execute", before)

    return _count


# A real SMTP server on loopback ------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpSink:
    """aiosmtpd on 127.0.0.1 collecting every message it receives, parsed."""

    def __init__(self):
        self.port = _free_port()
        self.host = "127.0.0.1"
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._lock = threading.Lock()
        self._controller = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def start(self):
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname=self.host, port=self.port)
        self._controller.start()
        return self

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def wait_for(self, count: int, timeout: float = 5.0) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.02)
        return list(self.messages)


@pytest.fixture
def smtp_server():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def smtp_settings(smtp_server):
    from app.mail.services import SmtpSettings

    return SmtpSettings(server=smtp_server.host, port=smtp_server.port, sender="Connective Cities <noreply@cc.test>")
