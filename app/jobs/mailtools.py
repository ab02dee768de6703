"""Small helpers for the emails jobs write: public URLs without a request, local times, places."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel import Locale
from flask import current_app, url_for
from werkzeug.routing import BuildError

from app.directory.services import country_name
from app.language import LANGUAGES, Translator, translator


def public_url(config, endpoint: str, fallback_path: str, **values) -> str:
    """BASE_URL + the endpoint's path (a job has no request); the fallback path if it is not routed."""
    base = (config.get("BASE_URL") or "").rstrip("/")
    try:
        with current_app.test_request_context("/"):
            path = url_for(endpoint, **values)
    except (BuildError, RuntimeError):
        path = fallback_path
    return base + path


def local_span(starts_at: datetime, ends_at: datetime, zone: str, t: Translator | None = None) -> str:
    """'Mon 12 May 2025, 09:00–17:00 (Europe/Berlin)' in the reader's language (English without a
    translator), with both dates when it spans days."""
    t = t or translator("en")
    tz = ZoneInfo(zone)
    start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
    if start.date() == end.date():
        return f"{t.when(start, zone)}–{t.when(end, zone, 'Hm', None)} ({zone})"
    return f"{t.when(start, zone)} – {t.when(end, zone)} ({zone})"


def place_lines(event, t: Translator | None = None) -> list[str]:
    """Where: venue, address, city and country (named in the reader's language); empty for online-only events."""
    parts = [event.venue, event.address, event.city, _country(event.country, t) if event.country else ""]
    where = ", ".join(p for p in parts if p)
    return [where] if where else []


def _country(code: str, t: Translator | None) -> str:
    if t is None or t.language not in LANGUAGES or t.language == "en":
        return country_name(code)
    try:
        return Locale.parse(t.language).territories.get(code.upper()) or country_name(code)
    except (ValueError, LookupError):
        return country_name(code)
