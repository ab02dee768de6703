"""Template filters and globals: safe Markdown, dates in a given zone, navigation helpers."""

from __future__ import annotations

import re
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
               ("practices.index", _l("Good practices")),
               ("organisations.index", _l("Organisations")), ("people.index", _l("People")),
               ("map.index", _l("Map"))],  # "Verify a certificate" is in every page's footer
    "participant": [
        ("events.my_events", _l("My events")), ("learning.my_programmes", _l("My learning")),
        ("certificates.mine", _l("My certificates")), ("people.match", _l("Find peers")),
    ],
    "organiser": [("events.manage", _l("Manage events")), ("learning.manage", _l("Manage programmes")),
                  ("practices.review_queue", _l("Review practices"))],
    "admin": [("mail.admin_outbox", _l("Outbox")), ("jobs.admin_jobs", _l("Scheduled jobs"))],
}


def localised(item, fields=("title", "summary", "description")):
    """An event's, programme's or module's text in the page's language where translated (app.content_language),
    the original with ?original=1."""
    from flask import request
    from flask_babel import get_locale

    from app.content_language import localise

    return localise(item, str(get_locale() or "en"), fields=fields, original=request.args.get("original") == "1")


def init_templating(app: Flask) -> None:
    app.jinja_env.globals["localised"] = localised
    from app.content_forms import FIELD_LABELS, language_choices, translated_fields
    from app.language import LANGUAGES

    app.jinja_env.globals.update(translation_fields=translated_fields, translation_field_labels=FIELD_LABELS,
                                 translation_language_choices=language_choices, language_names=LANGUAGES)
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["in_zone"] = format_in_zone
    app.jinja_env.globals["forms_with_errors"] = forms_with_errors

    app.jinja_env.globals["country_options"] = country_options
    app.jinja_env.globals["country_name"] = page_country_name
    app.jinja_env.globals["is_default_http_message"] = is_default_http_message
    app.jinja_env.filters["topic_text"] = topic_text
    app.jinja_env.filters["language_names"] = language_names

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


def _page_locale() -> str:
    from app.i18n import _page_locale

    return _page_locale()


def country_options(selected: str | None = None, locale: str | None = None) -> Markup:
    """The <option>s of a country filter (249 of them) in the page's language (or `locale`), escaped once per
    locale; `selected` marked."""
    return Markup("".join(
        f"{head}selected{tail}" if code == selected else f"{head}{tail}"
        for code, head, tail in _country_option_tags(locale or _page_locale())
    ))


def page_country_name(code: str | None) -> str:
    """A country's name in the page's language (templates: country_name(event.country))."""
    from app.directory.services import country_name

    return country_name(code, _page_locale())


def is_default_http_message(status: int, message: str | None) -> bool:
    """Whether an HTTP error carries no sentence of ours: none, Werkzeug's English description (what abort(404)
    carries) or Flask-Limiter's limit ("5 per 1 minute"). The error pages then say their own translated one."""
    from werkzeug.exceptions import default_exceptions

    if not message:
        return True
    message = str(message)  # a lazily translated sentence (a limit's own message) is a sentence of ours
    error = default_exceptions.get(status)
    if error is not None and message == error.description:
        return True
    return status == 429 and re.fullmatch(r"\d+ per .*", message) is not None


def topic_text(text: str | None) -> str:
    """A topic's name or description in the page's language: the network's own themes are in the catalogue
    (directory.services.DEFAULT_TOPICS); a topic an admin added or renamed shows as written."""
    from app.i18n import page_gettext

    return page_gettext(text) if text else ""


def language_names(codes) -> str:
    """ISO 639-1 codes as a list of language names in the page's language ("anglais et français"), by Babel."""
    from babel import Locale
    from babel.lists import format_list

    from app.i18n import PSEUDO_LOCALE

    identifier = _page_locale()
    locale = Locale.parse("en" if identifier == PSEUDO_LOCALE else identifier)
    names = [locale.languages.get(code, code) for code in codes or []]
    text = format_list(names, locale=locale) if names else ""
    # the pseudo-locale marks what follows the page's language (CLDR's names here, the catalogue elsewhere)
    return f"⟦{text}⟧" if text and identifier == PSEUDO_LOCALE else text
