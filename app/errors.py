"""Domain errors and the handlers that turn them into HTML pages or JSON under /api."""

from __future__ import annotations

import logging

from flask import Flask, has_request_context, jsonify, render_template, request
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

from app.extensions import db

log = logging.getLogger(__name__)


def msg(template: str) -> str:
    """Mark a message template for the catalogue (extracted for translation); returns it unchanged."""
    return template


def _english(text: str) -> str:
    return text


# reason -> message template with named placeholders ("%(capacity)s"); filled by each domain's messages module
_CATALOGUE: dict[str, str] = {}


def register_messages(messages: dict[str, str]) -> None:
    """Add a domain's message templates to the catalogue (called once at import by each messages module)."""
    for reason, template in messages.items():
        if _CATALOGUE.get(reason, template) != template:
            raise ValueError(f"message reason {reason!r} registered twice with different texts")
        _CATALOGUE[reason] = template


# placeholder name -> {stored code: label}: a status or role put into a sentence reads as a word of the reader's
# language ("cette inscription est annulée"), never as the raw code; English outside a request keeps the code
_VALUE_LABELS: dict[str, dict[str, str]] = {}


def register_value_labels(placeholder: str, labels: dict[str, str]) -> None:
    """Words for the codes a placeholder may carry (e.g. "status": {"waitlisted": msg("on the waiting list")})."""
    table = _VALUE_LABELS.setdefault(placeholder, {})
    for code, label in labels.items():
        if table.get(code, label) != label:
            raise ValueError(f"value label {placeholder}={code!r} registered twice with different texts")
        table[code] = label


def _labelled(params: dict, translate) -> dict:
    out = dict(params)
    for name, value in params.items():
        label = _VALUE_LABELS.get(name, {}).get(value) if isinstance(value, str) else None
        if label is not None:
            out[name] = translate(label)
    return out


def message_template(reason: str) -> str | None:
    return _CATALOGUE.get(reason)


def render_message(reason: str, params: dict | None = None, translate=None) -> str:
    """The human sentence for a reason and its values, through translate (gettext) when given; without it,
    in the language of the page being answered (a request's locale), else English (CLI, logs, jobs).

    A reason that is not in the catalogue is returned as it is (plain text from older code)."""
    template = _CATALOGUE.get(reason)
    if template is None:
        return reason
    if translate is None:
        translate = _page_translate()
    if translate is not None:
        template = translate(template)
        if params:
            params = _labelled(params, translate)
    try:
        return template % dict(params or {}) if params else template.replace("%%", "%")
    except (KeyError, ValueError, TypeError):
        log.warning("message %r could not be filled with %r", reason, params)
        return template


def _page_translate():
    """gettext in the current request's language; None outside a request (English)."""
    if not has_request_context():
        return None
    from app.i18n import page_gettext

    return page_gettext


class DomainError(Exception):
    """A business rule refused the action: a stable reason (a catalogue key) and the values that explain it.

    ``code`` is the API's ``error.code`` (stable, per class); ``reason`` picks the sentence, which is made at
    the edge in the reader's language (``message_for``); ``params`` fill its placeholders. ``fields`` maps a
    field's data name to a reason (or a (reason, params) pair) for errors that belong to one field.
    """

    status = 422
    code = "invalid"
    reason = "invalid"

    def __init__(self, reason: str | None = None, /, *, field: str | None = None, fields: dict | None = None,
                 **params):
        self.reason = reason or type(self).reason
        self.params = params
        self.fields = dict(fields or {})
        if field:
            self.fields.setdefault(field, (self.reason, params) if params else self.reason)
        super().__init__(self.reason)

    def message_for(self, translate=None) -> str:
        """The sentence in the language of translate (a gettext function); English without it."""
        return render_message(self.reason, self.params, translate)

    def fields_for(self, translate=None) -> dict[str, str]:
        out = {}
        for name, value in self.fields.items():
            reason, params = value if isinstance(value, tuple) else (value, None)
            out[name] = render_message(reason, params, translate)
        return out

    @property
    def message(self) -> str:
        """English sentence, for logs, the CLI and tests."""
        return self.message_for(_english)

    def __str__(self) -> str:
        return self.message_for()


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


# how long a client should wait before retrying a 503 (a lock wait ran out, or the database is away)
RETRY_AFTER_SECONDS = 30

# the handlers' own sentences, rendered at the edge like every domain's
register_messages({
    "errors.unavailable": msg("The service is temporarily unavailable; please try again in a moment."),
    "errors.clash": msg("This clashed with a change made at the same moment; please reload and try again."),
    "errors.unstorable": msg(
        "A value could not be stored: it contains characters or numbers the database does not accept."),
    "errors.unexpected": msg("An unexpected error occurred."),
})
UNAVAILABLE_MESSAGE = render_message("errors.unavailable")  # English, for logs and older callers


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

    @app.after_request
    def add_retry_after(response):
        # every 503 (a lock wait, the database away, a proxy's HTTPException) says when to come back
        if response.status_code == 503 and "Retry-After" not in response.headers:
            response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    @app.errorhandler(DomainError)
    def handle_domain_error(exc: DomainError):
        db.session.rollback()
        if wants_json():
            return json_error(exc.status, exc.code, exc.message_for(), exc.fields_for())
        return render_template("errors/error.html", status=exc.status, message=exc.message_for()), exc.status

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
        message = render_message("errors.unavailable")
        if wants_json():
            return json_error(503, "try_again", message)
        return render_template("errors/error.html", status=503, message=message), 503

    @app.errorhandler(IntegrityError)
    def handle_constraint_race(exc: IntegrityError):
        # services check rules first; reaching a constraint means a concurrent request won the race
        db.session.rollback()
        log.warning("constraint violation on %s %s: %s", request.method, request.path, exc.orig)
        message = render_message("errors.clash")
        if wants_json():
            return json_error(409, "conflict", message)
        return render_template("errors/error.html", status=409, message=message), 409

    @app.errorhandler(DataError)
    def handle_unstorable_value(exc: DataError):
        # a value the database refuses (a NUL character, a number out of range) is bad input, not a crash
        db.session.rollback()
        log.warning("database refused a value on %s %s: %s", request.method, request.path, exc.orig)
        message = render_message("errors.unstorable")
        if wants_json():
            return json_error(422, "validation_failed", message)
        return render_template("errors/error.html", status=422, message=message), 422

    @app.errorhandler(UnicodeEncodeError)
    @app.errorhandler(OverflowError)
    def handle_unstorable_input(exc: Exception):
        # backstop: input checks (app.validation, the URL converters) refuse these first, naming the field;
        # text that cannot be encoded (a lone surrogate) or a number too large to bind is still bad input
        db.session.rollback()
        log.warning("unstorable value on %s %s: %r", request.method, request.path, exc, exc_info=exc)
        message = render_message("errors.unstorable")
        if wants_json():
            return json_error(422, "validation_failed", message)
        return render_template("errors/error.html", status=422, message=message), 422

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception):
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        message = render_message("errors.unexpected")
        if wants_json():
            return json_error(500, "server_error", message)
        return render_template("errors/500.html", status=500, message=message), 500
