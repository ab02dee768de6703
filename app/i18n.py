"""Languages of the interface: Flask-Babel, the choice of language and zone per request, the switcher.

The language of a page is, in order: `?lang=xx` on the URL (remembered in a cookie), the signed-in user's
profile language, the cookie set by the switcher, the browser's Accept-Language, English. The switcher
(a POST to /language, shown on every page) sets the cookie and, for a signed-in user, the profile too.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.numbers import format_decimal, format_percent
from flask import Blueprint, Flask, current_app, g, has_request_context, redirect, request
from flask_babel import Babel, format_date, format_datetime, get_locale, get_translations
from flask_babel import lazy_gettext as _l  # noqa: F401  (re-exported for forms and constants)
from flask_login import current_user

from app.language import LANGUAGES, PSEUDO_LOCALE, RTL_LANGUAGES  # noqa: E402,F401  (one list for the app)

COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 86400

babel = Babel()
bp = Blueprint("i18n", __name__)


def msg(text: str) -> str:
    """Mark a string for the catalogue without translating it now (error catalogues, constants)."""
    return text


def available_languages() -> tuple[str, ...]:
    if current_app.config.get("I18N_PSEUDO_LOCALE"):
        return (*LANGUAGES, PSEUDO_LOCALE)
    return tuple(LANGUAGES)


def _known(code: str | None) -> str | None:
    if not code:
        return None
    code = code.strip().replace("-", "_")
    languages = available_languages()
    if code in languages:
        return code
    base = code.split("_")[0].lower()
    return base if base in LANGUAGES else None


def select_locale() -> str | None:
    """The language of this request (see the module docstring for the order); None (English) outside one."""
    if not has_request_context():
        return None  # jobs and CLI: emails choose their reader's language with force_locale
    asked = _known(request.args.get("lang"))
    if asked:
        g.remember_language = asked
        return asked
    if request.path.startswith("/api/") and request.headers.get("Accept-Language"):
        # an integration says in each call which language its messages should be in
        return request.accept_languages.best_match(available_languages()) or "en"
    if current_user and current_user.is_authenticated:
        profile = _known(getattr(current_user, "language", None))
        if profile:
            return profile
    remembered = _known(request.cookies.get(COOKIE))
    if remembered:
        return remembered
    return request.accept_languages.best_match(LANGUAGES.keys()) or "en"


def viewer_timezone() -> str | None:
    """The signed-in user's IANA zone, or None for a visitor (pages then show the event's own zone)."""
    if has_request_context() and current_user and current_user.is_authenticated:
        return getattr(current_user, "timezone", None) or None
    return None


def select_timezone() -> str:
    return viewer_timezone() or "UTC"


def language_direction(code: str | None = None) -> str:
    code = str(code or get_locale() or "en")
    return "rtl" if code.split("_")[0] in RTL_LANGUAGES else "ltr"


def html_lang(code: str | None = None) -> str:
    """The BCP 47 tag for <html lang>; the pseudo-locale is English underneath."""
    code = str(code or get_locale() or "en")
    return code.replace("_", "-")


def _zone(zone: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(zone) if zone else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


# The strftime patterns the templates used, as CLDR skeletons or patterns that follow the locale's order.
_SKELETONS = {
    "%a %d %b %Y, %H:%M": ("datetime", "yMMMEd", "Hm"),
    "%a %d %b %Y %H:%M": ("datetime", "yMMMEd", "Hm"),
    "%a %d %b, %H:%M": ("datetime", "MMMEd", "Hm"),
    "%d %b %Y, %H:%M": ("datetime", "yMMMd", "Hm"),
    "%d %b %Y %H:%M": ("datetime", "yMMMd", "Hm"),
    "%a %d %b %Y, %H:%M:%S": ("datetime", "yMMMEd", "Hms"),
    "%d %b, %H:%M:%S": ("datetime", "MMMd", "Hms"),
    "%d %b %H:%M": ("datetime", "MMMd", "Hm"),
    "%d %b, %H:%M": ("datetime", "MMMd", "Hm"),
    "%A %d %B %Y": ("date", "yMMMMEEEEd", None),
    "%a %d %b %Y": ("date", "yMMMEd", None),
    "%d %b %Y": ("date", "yMMMd", None),
    "%d %B %Y": ("date", "yMMMMd", None),
    "%a %d %b": ("date", "MMMEd", None),
    "%a %H:%M": ("datetime", "EHm", None),
    "%H:%M": ("time", "Hm", None),
}


def format_when(value: datetime | date | None, zone: str | None = None, fmt: str = "%a %d %b %Y, %H:%M") -> str:
    """A date/time for people: in `zone` (UTC when none), in the page's locale, by Babel.

    `fmt` names the shape in strftime terms (what the templates always passed); machine formats such as
    '%Y-%m-%d' (comparisons, datetime attributes) stay exactly as strftime writes them.
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        local = value.astimezone(_zone(zone)) if value.tzinfo else value
    else:
        local = value
    shape = _SKELETONS.get(fmt)
    if shape is None:
        return local.strftime(fmt)
    kind, skeleton, time_skeleton = shape
    locale = _page_locale()
    if locale in ("en", PSEUDO_LOCALE):
        locale = "en_GB"  # the network writes English dates the British way: "Fri 8 Jan 2027"
    naive = local.replace(tzinfo=None) if isinstance(local, datetime) else local
    if isinstance(naive, date) and not isinstance(naive, datetime):
        naive = datetime(naive.year, naive.month, naive.day)
    elif isinstance(naive, time):
        naive = datetime.combine(date.today(), naive)
    return _format_local(naive, locale, skeleton, time_skeleton)


@functools.lru_cache(maxsize=4096)
def _format_local(naive: datetime, locale: str, skeleton: str, time_skeleton: str | None) -> str:
    """A local wall-clock time in a locale's shape (pure, so kept: list pages show the same events again)."""
    loc = _locale(locale)
    text = _skeleton_pattern(locale, skeleton).apply(naive, loc)
    if time_skeleton:
        time_text = _skeleton_pattern(locale, time_skeleton).apply(naive, loc)
        return f"{text}, {time_text}" if loc.language != "ar" else f"{text}، {time_text}"
    return text


def _translations():
    """Flask-Babel's catalogue for the current locale, kept on its own context namespace next to the locale
    it belongs to (so force_locale, which swaps that locale, is always honoured)."""
    if not g:
        return get_translations()
    ns = g.get("_flask_babel")
    locale = getattr(ns, "babel_locale", None) if ns is not None else None
    cached = getattr(ns, "cc_translations", None) if ns is not None else None
    if cached is not None and locale is not None and cached[0] is locale:
        return cached[1]
    translations = get_translations()
    ns = g.get("_flask_babel")
    if ns is not None:
        ns.cc_translations = (getattr(ns, "babel_locale", None), translations)
    return translations


def page_gettext(text: str) -> str:
    """gettext in the page's language (through the per-request cache)."""
    return _translations().ugettext(text)


def _page_locale() -> str:
    """The page's locale identifier, read where Flask-Babel keeps it once chosen."""
    if g:
        ns = g.get("_flask_babel")
        locale = getattr(ns, "babel_locale", None) if ns is not None else None
        if locale is not None:
            return str(locale)
    return str(get_locale() or "en")


@functools.lru_cache(maxsize=64)
def _locale(identifier: str) -> Locale:
    return Locale.parse(identifier)


@functools.lru_cache(maxsize=512)
def _skeleton_pattern(identifier: str, skeleton: str):
    """The parsed CLDR pattern a skeleton resolves to in a locale (what babel.dates.format_skeleton does on
    every call; resolved once here, since a list page formats hundreds of dates)."""
    from babel.dates import match_skeleton, parse_pattern

    locale = _locale(identifier)
    if skeleton not in locale.datetime_skeletons:
        skeleton = match_skeleton(skeleton, locale.datetime_skeletons) or skeleton
    return parse_pattern(locale.datetime_skeletons[skeleton])


def _number_locale() -> Locale:
    locale = get_locale() or Locale("en")
    return Locale("en", "GB") if str(locale) == PSEUDO_LOCALE else locale


def format_number(value, digits: int | None = None) -> str:
    """A number in the page's locale, with its own digits and separators ("1 234,5" in French)."""
    if value is None:
        return ""
    if digits is not None:
        value = round(value, digits)
    return _formatted_number(value, digits is not None, str(_number_locale()))


@lru_cache(maxsize=8192)
def _formatted_number(value, quantize: bool, locale: str) -> str:
    # a dashboard writes thousands of small counts; Babel's pattern formatting costs ~50 µs each
    return format_decimal(value, locale=locale, numbering_system="default", decimal_quantization=quantize)


def format_percentage(value, digits: int = 0) -> str:
    """`value` as a fraction (0.75 → "75 %" in French, "75%" in English)."""
    if value is None:
        return ""
    return format_percent(round(value, digits + 2), locale=_number_locale(), numbering_system="default",
                          decimal_quantization=False)


@bp.post("/language")
def switch_language():
    """The switcher: remember the language in a cookie and, when signed in, in the profile."""
    from app.extensions import db

    code = _known(request.form.get("lang")) or "en"
    target = request.form.get("next") or "/"
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    if current_user.is_authenticated and code in LANGUAGES and current_user.language != code:
        set_profile_language(db.session, user_id=current_user.id, language=code)
        db.session.commit()
    response = redirect(target, code=303)
    response.set_cookie(COOKIE, code, max_age=COOKIE_MAX_AGE, samesite="Lax",
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response


def set_profile_language(session, *, user_id: int, language: str) -> None:
    """Store a user's language (one of LANGUAGES); flush, the caller commits."""
    from app.auth.models import User

    if language not in LANGUAGES:
        raise ValueError(language)
    session.get(User, user_id).language = language
    session.flush()


def _remember_asked_language(response):
    code = g.get("remember_language")
    if code and request.cookies.get(COOKIE) != code:
        response.set_cookie(COOKIE, code, max_age=COOKIE_MAX_AGE, samesite="Lax",
                            secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response


def init_i18n(app: Flask) -> None:
    """Flask-Babel with our selectors, the template helpers and the switcher's route."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "UTC")
    app.config.setdefault("I18N_PSEUDO_LOCALE", bool(app.testing or app.debug))
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.register_blueprint(bp)
    app.after_request(_remember_asked_language)
    env = app.jinja_env
    # the same callables Flask-Babel installs, through a per-request cache of the catalogue: a list page
    # translates dozens of strings, and Flask-Babel looks the catalogue up again for each one
    env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )
    env.filters["in_zone"] = format_when
    env.filters["number"] = format_number
    env.filters["percent"] = format_percentage
    env.filters["date"] = lambda value: format_date(value, "medium") if value else ""
    env.filters["datetime"] = lambda value: format_datetime(value, "medium") if value else ""
    env.globals.update(
        languages=LANGUAGES,
        language_direction=language_direction,
        html_lang=html_lang,
        current_locale=lambda: str(get_locale() or "en"),
        viewer_timezone=viewer_timezone,
    )


# Countries with several zones: the zone most of their people live in (capital or largest city).
_MAIN_ZONE_OVERRIDES = {
    "AR": "America/Argentina/Buenos_Aires", "AU": "Australia/Sydney", "BR": "America/Sao_Paulo",
    "CA": "America/Toronto", "CD": "Africa/Kinshasa", "CL": "America/Santiago", "CN": "Asia/Shanghai",
    "DE": "Europe/Berlin", "EC": "America/Guayaquil", "ES": "Europe/Madrid", "ID": "Asia/Jakarta",
    "KZ": "Asia/Almaty", "MN": "Asia/Ulaanbaatar", "MX": "America/Mexico_City", "MY": "Asia/Kuala_Lumpur",
    "NZ": "Pacific/Auckland", "PT": "Europe/Lisbon", "RU": "Europe/Moscow", "UA": "Europe/Kyiv",
    "US": "America/New_York", "UZ": "Asia/Tashkent", "FM": "Pacific/Pohnpei", "KI": "Pacific/Tarawa",
    "PF": "Pacific/Tahiti", "GL": "America/Nuuk", "CY": "Asia/Nicosia", "PG": "Pacific/Port_Moresby",
}


def _zone_table() -> dict[str, str]:
    """Country code → first zone listed for it in the tz database's zone.tab (from the tzdata package)."""
    from importlib import resources

    try:
        text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        try:
            with open("/usr/share/zoneinfo/zone.tab", encoding="utf-8") as handle:
                text = handle.read()
        except OSError:
            text = ""
    table: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            parts = line.split("\t")
            if len(parts) >= 3:
                table.setdefault(parts[0], parts[2])
    return table


_ZONES_BY_COUNTRY: dict[str, str] | None = None


def main_zone_for_country(country: str | None) -> str | None:
    """The main IANA zone of a country (ISO 3166 alpha-2), always the same one; None when unknown."""
    global _ZONES_BY_COUNTRY
    if not country:
        return None
    if _ZONES_BY_COUNTRY is None:
        _ZONES_BY_COUNTRY = _zone_table()
    code = country.strip().upper()
    return _MAIN_ZONE_OVERRIDES.get(code) or _ZONES_BY_COUNTRY.get(code)


def valid_zone(zone: str | None) -> str | None:
    """`zone` when it names an IANA zone, else None."""
    if not zone or "/" not in zone and zone != "UTC":
        return None
    try:
        ZoneInfo(zone.strip())
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return zone.strip()
