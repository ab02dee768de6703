"""HTTP security headers on every response."""

from __future__ import annotations

from flask import Flask

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    # pages are never framed (clickjacking on the organiser and admin buttons)
    "X-Frame-Options": "DENY",
    # URLs can carry secrets (personal feed tokens, reset links): never send them to other sites
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(), microphone=()",
    # scripts and styles come from the app's own files only: no inline code, so injected markup cannot run
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
}


def hide_dev_server_version() -> None:
    """The development server names itself "Werkzeug" without versions (gunicorn already says just "gunicorn")."""
    from werkzeug.serving import WSGIRequestHandler

    WSGIRequestHandler.version_string = lambda self: "Werkzeug"


def init_security_headers(app: Flask) -> None:
    hide_dev_server_version()
    @app.after_request
    def add_security_headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
