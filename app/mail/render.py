"""Email bodies from the app's templates without Flask: a plain Jinja2 environment over the same folder.

Services, signal receivers and jobs build mails here, so they work with or without an application (no
current_app, no request): everything a template shows comes in its context. Each language has its own
environment with the catalogue of that language installed (`{{ _('…') }}` in a mail template is the
recipient's language, never the request's), `in_zone` formats dates the way that language writes them, and
`bdi` isolates user text inside a translated sentence (a Latin title in an Arabic mail).
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from app.language import catalogue, known_language, translator

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# the strftime shapes mail templates name, as (date skeleton, time skeleton) in the reader's locale
_SHAPES = {"%a %d %b %Y, %H:%M": ("yMMMEd", "Hm"), "%a %d %b %Y": ("yMMMEd", None), "%d %b %Y": ("yMMMd", None),
           "%H:%M": ("Hm", None), "%a %d %b, %H:%M": ("MMMEd", "Hm"), "%d %b %Y, %H:%M": ("yMMMd", "Hm")}


def bdi(value) -> Markup:
    """User text (a title, a name) isolated inside a translated sentence of an HTML mail: `name|bdi`."""
    return Markup("<bdi>%s</bdi>") % value


@cache
def environment(language: str = "en") -> Environment:
    """The mail templates' environment for one language (HTML autoescaped, as Flask does; text not)."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "htm", "xml"], default_for_string=False),
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(catalogue(language), newstyle=True)
    t = translator(language)

    def in_zone(value: datetime | None, zone: str | None = None, fmt: str = "%a %d %b %Y, %H:%M") -> str:
        if value is None:
            return ""
        shape = _SHAPES.get(fmt)
        if shape is None:
            return t.when(value, zone, "yMMMEd", "Hm")
        return t.when(value, zone, *shape)

    env.filters["in_zone"] = in_zone
    env.filters["number"] = t.number
    env.filters["bdi"] = bdi
    env.globals.update(lang=t.html_lang, dir=t.direction)
    return env


def render_mail(template: str, language: str | None = None, **context) -> str:
    """One mail body from app/templates/<template>, in `language` (the recipient's; English when none)."""
    return environment(known_language(language)).get_template(template).render(**context)
