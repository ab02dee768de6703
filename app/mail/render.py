"""Email bodies from the app's templates without Flask: a plain Jinja2 environment over the same folder.

Services, signal receivers and jobs build mails here, so they work with or without an application (no
current_app, no request): everything a template shows comes in its context.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _in_zone(value: datetime | None, zone: str | None = None, fmt: str = "%a %d %b %Y, %H:%M") -> str:
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(zone) if zone else ZoneInfo("UTC")).strftime(fmt)


@cache
def environment() -> Environment:
    """The mail templates' environment (HTML autoescaped, as Flask does for .html; text files not)."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "htm", "xml"], default_for_string=False),
    )
    env.filters["in_zone"] = _in_zone
    return env


def render_mail(template: str, **context) -> str:
    """One mail body from app/templates/<template>."""
    return environment().get_template(template).render(**context)
