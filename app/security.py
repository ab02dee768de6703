"""HTTP security headers on every response."""

from __future__ import annotations

from urllib.parse import urlsplit

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


HSTS = ("Strict-Transport-Security", "max-age=31536000")


def tile_origin(url: str | None) -> str | None:
    """The CSP source of a map tile server ("https://{s}.tile.example.org/{z}/{x}/{y}.png" ->
    "https://*.tile.example.org"); None without one or for anything but http(s)."""
    if not url:
        return None
    parts = urlsplit(url.replace("{s}", "*"))
    if parts.scheme not in ("http", "https") or not parts.netloc or "{" in parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def _headers(app: Flask) -> dict[str, str]:
    headers = dict(HEADERS)
    origin = tile_origin(app.config.get("MAP_TILE_URL"))
    if origin:  # the maps load their tiles from there (the offline base map needs nothing outside)
        headers["Content-Security-Policy"] = headers["Content-Security-Policy"].replace(
            "img-src 'self' data:", f"img-src 'self' data: {origin}")
    return headers


def init_security_headers(app: Flask) -> None:
    hide_dev_server_version()
    # built once: a view's own value of a header still wins (as with setdefault), checked in one pass
    plain = tuple(_headers(app).items())
    secure = (*plain, HSTS)
    names = {name.lower() for name, _ in secure}

    @app.after_request
    def add_security_headers(response):
        headers = response.headers
        wanted = secure if app.config.get("SESSION_COOKIE_SECURE") else plain
        if any(key.lower() in names for key in headers.keys()):
            present = {key.lower() for key in headers.keys()}
            headers.extend([(name, value) for name, value in wanted if name.lower() not in present])
        else:
            headers.extend(wanted)
        return response
