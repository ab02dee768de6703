"""GET/HEAD /healthz answered by a small WSGI middleware in front of the Flask app.

Load balancers ask every few seconds; the full request stack (request context, session, user loading,
hooks, the JSON provider) cost more than the check itself. The answer is the one the /healthz view gives:
the same JSON, status codes, Retry-After on 503 and the security headers every response carries.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from app.errors import RETRY_AFTER_SECONDS
from app.extensions import db
from app.security import HEADERS, HSTS

_METHODS = frozenset(("GET", "HEAD"))
_PLAIN = tuple(HEADERS.items())
_SECURE = (*_PLAIN, HSTS)


class HealthCheck:
    """Answers GET/HEAD /healthz itself; every other request goes on to the Flask app."""

    def __init__(self, app: Flask, wsgi_app) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self._engine = None
        self._ok: bytes | None = None

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != "/healthz" or environ.get("REQUEST_METHOD") not in _METHODS:
            return self.wsgi_app(environ, start_response)
        failure = self._check_database()
        if failure is None:
            status, body = "200 OK", self._ok_body()
            extra = ()
        else:
            status, body = "503 SERVICE UNAVAILABLE", self._body({"status": "error", "database": failure})
            extra = (("Retry-After", str(RETRY_AFTER_SECONDS)),)
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body))), *extra,
                   *(_SECURE if self.app.config.get("SESSION_COOKIE_SECURE") else _PLAIN)]
        start_response(status, headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]

    def _check_database(self) -> str | None:
        """None when the database answers SELECT 1 on a pooled connection, else the error's class name."""
        engine = self._engine
        if engine is None:
            with self.app.app_context():
                engine = self._engine = db.engine
        errors = (sa.exc.SQLAlchemyError, engine.dialect.loaded_dbapi.Error)
        try:
            # the pool's connection as it is (pre-pinged on checkout); not the ORM session, whose set-up
            # and teardown cost more than the check
            connection = engine.raw_connection()
        except errors as exc:
            return type(exc).__name__
        try:
            cursor = connection.cursor()
            try:
                cursor.execute("SELECT 1")
                cursor.fetchall()
            finally:
                cursor.close()
        except errors as exc:
            connection.invalidate()
            return type(exc).__name__
        finally:
            connection.close()
        return None

    def _body(self, payload: dict) -> bytes:
        return self.app.json.response(payload).get_data()  # as jsonify writes it

    def _ok_body(self) -> bytes:
        if self._ok is None:
            self._ok = self._body({"status": "ok", "database": "ok"})
        return self._ok


def init_health_check(app: Flask) -> None:
    app.wsgi_app = HealthCheck(app, app.wsgi_app)
