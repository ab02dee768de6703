"""Small helpers for the emails jobs write: public URLs without a request, local times, places."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, url_for
from werkzeug.routing import BuildError

from app.directory.services import country_name


def public_url(config, endpoint: str, fallback_path: str, **values) -> str:
    """BASE_URL + the endpoint's path (a job has no request); the fallback path if it is not routed."""
    base = (config.get("BASE_URL") or "").rstrip("/")
    try:
        with current_app.test_request_context("/"):
            path = url_for(endpoint, **values)
    except (BuildError, RuntimeError):
        path = fallback_path
    return base + path


def local_span(starts_at: datetime, ends_at: datetime, zone: str) -> str:
    """'Mon 12 May 2025, 09:00–17:00 (Europe/Berlin)', with both dates when it spans days."""
    tz = ZoneInfo(zone)
    start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
    if start.date() == end.date():
        return f"{start:%a %d %b %Y, %H:%M}–{end:%H:%M} ({zone})"
    return f"{start:%a %d %b %Y, %H:%M} – {end:%a %d %b %Y, %H:%M} ({zone})"


def place_lines(event) -> list[str]:
    """Where: venue, address, city and country; empty for online-only events."""
    parts = [event.venue, event.address, event.city, country_name(event.country) if event.country else ""]
    where = ", ".join(p for p in parts if p)
    return [where] if where else []
