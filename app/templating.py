"""Template filters and globals: safe Markdown, dates in a given zone, navigation helpers."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

import nh3
from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from jinja2 import pass_context
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}


def render_markdown(text: str | None) -> Markup:
    """Markdown to HTML with raw HTML disabled and the result sanitised (no scripts, no handlers)."""
    if not text:
        return Markup("")
    html = _md.render(text)
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)


def format_in_zone(value: datetime | None, zone: str | None = None, fmt: str = "%a %d %b %Y, %H:%M") -> str:
    """Format an aware datetime in an IANA zone (UTC when none is given), in the page's locale (Babel)."""
    from app.i18n import format_when

    return format_when(value, zone, fmt)


@pass_context
def forms_with_errors(context) -> list[FlaskForm]:
    """The forms handed to the page that carry errors, for the one error summary at the top (base.html)."""
    forms = [value for value in context.get_all().values() if isinstance(value, FlaskForm)]
    return [form for form in forms if form.errors or getattr(form, "form_errors", None)]


# Navigation entries by audience; an entry shows once its endpoint exists.
NAV = {
    "public": [("events.index", _l("Events")), ("learning.index", _l("Programmes")),
               ("organisations.index", _l("Organisations")), ("map.index", _l("Map")),
               ("certificates.verify", _l("Verify"))],
    "participant": [
        ("events.my_events", _l("My events")), ("learning.my_programmes", _l("My learning")),
        ("certificates.mine", _l("My certificates")),
    ],
    "organiser": [("events.manage", _l("Manage events")), ("learning.manage", _l("Manage programmes"))],
    "admin": [("mail.admin_outbox", _l("Outbox")), ("jobs.admin_jobs", _l("Scheduled jobs"))],
}


def init_templating(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["in_zone"] = format_in_zone
    app.jinja_env.globals["forms_with_errors"] = forms_with_errors

    app.jinja_env.globals["country_options"] = country_options

    def entries(section: str):
        return lambda: [(e, label) for e, label in NAV[section] if e in app.view_functions]

    # built once, not on every render
    navigation = {
        "nav_public": entries("public"),
        "nav_participant": entries("participant"),
        "nav_organiser": entries("organiser"),
        "admin_links": entries("admin"),
    }

    @app.context_processor
    def inject_globals():
        return {"network_name": app.config.get("NETWORK_NAME", "Connective Cities"), **navigation}


@lru_cache(maxsize=16)
def _country_option_tags(locale: str) -> tuple[tuple[str, str, str], ...]:
    from app.directory.services import country_choices

    return tuple((code, f'<option value="{escape(code)}" ', f">{escape(name)}</option>")
                 for code, name in country_choices(locale))


def country_options(selected: str | None = None, locale: str = "en") -> Markup:
    """The <option>s of a country filter (249 of them), escaped once per locale; `selected` marked."""
    return Markup("".join(
        f"{head}selected{tail}" if code == selected else f"{head}{tail}"
        for code, head, tail in _country_option_tags(locale)
    ))
