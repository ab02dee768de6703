"""Domain errors and the handlers that turn them into HTML pages or JSON under /api."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

from app.extensions import db

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A business rule refused the action; the message is safe to show to the user."""

    status = 422
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        self.fields = dict(fields or {})
        if field:
            self.fields.setdefault(field, message)


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class TryAgain(DomainError):
    """A lock wait ran out; the client may retry."""

    status = 503
    code = "try_again"


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def json_error(status: int, code: str, message: str, fields: dict | None = None):
    body = {"error": {"code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    return jsonify(body), status


HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "validation_failed",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}


def register_errorhandlers(app: Flask) -> None:
    """Answer errors as JSON under /api and as HTML pages elsewhere."""

    @app.errorhandler(DomainError)
    def handle_domain_error(exc: DomainError):
        db.session.rollback()
        if wants_json():
            return json_error(exc.status, exc.code, exc.message, exc.fields)
        return render_template("errors/error.html", status=exc.status, message=exc.message), exc.status

    @app.errorhandler(HTTPException)
    def handle_http(exc: HTTPException):
        status = exc.code or 500
        if status >= 500:
            db.session.rollback()
        message = exc.description or exc.name
        # a 405 names the methods the resource does take (RFC 9110)
        allow = {"Allow": ", ".join(exc.valid_methods)} if getattr(exc, "valid_methods", None) else {}
        if wants_json():
            response = json_error(status, HTTP_CODES.get(status, "error"), message)
            if status == 401:
                response[0].headers["WWW-Authenticate"] = 'Bearer realm="api"'
            response[0].headers.update(allow)
            return response
        template = f"errors/{status}.html" if status in (400, 403, 404, 429, 500) else "errors/error.html"
        return render_template(template, status=status, message=message), status, allow

    @app.errorhandler(OperationalError)
    def handle_db_unavailable(exc: OperationalError):
        db.session.rollback()
        log.warning("database operational error: %s", exc)
        message = "The database is busy; please try again in a moment."
        if wants_json():
            return json_error(503, "try_again", message)
        return render_template("errors/error.html", status=503, message=message), 503

    @app.errorhandler(IntegrityError)
    def handle_constraint_race(exc: IntegrityError):
        # services check rules first; reaching a constraint means a concurrent request won the race
        db.session.rollback()
        log.warning("constraint violation on %s %s: %s", request.method, request.path, exc.orig)
        message = "This clashed with a change made at the same moment; please reload and try again."
        if wants_json():
            return json_error(409, "conflict", message)
        return render_template("errors/error.html", status=409, message=message), 409

    @app.errorhandler(DataError)
    def handle_unstorable_value(exc: DataError):
        # a value the database refuses (a NUL character, a number out of range) is bad input, not a crash
        db.session.rollback()
        log.warning("database refused a value on %s %s: %s", request.method, request.path, exc.orig)
        message = "A value could not be stored: it contains characters or numbers the database does not accept."
        if wants_json():
            return json_error(422, "validation_failed", message)
        return render_template("errors/error.html", status=422, message=message), 422

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception):
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        if wants_json():
            return json_error(500, "server_error", "An unexpected error occurred.")
        return render_template("errors/500.html", status=500, message="An unexpected error occurred."), 500
