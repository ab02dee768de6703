"""BASE_URL names the site in mail, feeds and calendar files; warn once when the app is reached by another host."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Flask, current_app, request

log = logging.getLogger(__name__)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_warned = False


def _host_and_port(scheme: str, netloc: str) -> tuple[str, int | None]:
    parts = urlsplit(f"{scheme}://{netloc}")
    return (parts.hostname or "").lower(), parts.port or _DEFAULT_PORTS.get(scheme)


def reset_host_warning() -> None:
    """Forget that the warning was given (tests; the warning is once per process)."""
    global _warned
    _warned = False


def _check_host() -> None:
    global _warned
    if _warned or request.path == "/healthz":  # health probes reach the app by its internal address
        return
    base = urlsplit(current_app.config.get("BASE_URL") or "")
    if not base.netloc:
        return
    expected = _host_and_port(base.scheme or "http", base.netloc)
    # compare host and port only: behind a TLS proxy the request's own scheme is often http
    seen = _host_and_port(base.scheme or "http", request.host)
    if seen == expected:
        return
    _warned = True
    log.warning(
        "This request came to %s, but BASE_URL is %s: links in mail, calendar feeds and certificates point "
        "there. Set BASE_URL to the address people use (this warning is shown once).",
        request.host, current_app.config["BASE_URL"])


def init_host_check(app: Flask) -> None:
    app.before_request(_check_host)
