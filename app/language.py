"""Text in a chosen reader's language, without Flask: emails, PDFs, calendar text and jobs.

Pages follow the request (app/i18n.py, Flask-Babel); an email follows its recipient. Services, receivers and
jobs build their text through ``translator(user.language)``, which reads the same compiled catalogues
(app/translations/<lang>/LC_MESSAGES/messages.mo) and formats dates and numbers with Babel in that locale.
Extraction (`make translations`) finds ``t.gettext("…")`` and ``t.ngettext("…", "…", n)`` like any call.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import format_skeleton
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
# each language named in itself, as the switcher and the profile show it
LANGUAGES: dict[str, str] = {
    "en": "English", "de": "Deutsch", "fr": "Français", "es": "Español", "pt": "Português", "ar": "العربية",
}
RTL_LANGUAGES = frozenset({"ar"})
# a test-only language: every catalogue string visibly marked (scripts/pseudo_locale.py writes it)
PSEUDO_LOCALE = "en_US_POSIX"


def known_language(code: str | None) -> str:
    """One of LANGUAGES (or the pseudo-locale) for a stored or asked code; English otherwise."""
    if not code:
        return "en"
    code = str(code).strip().replace("-", "_")
    if code == PSEUDO_LOCALE or code in LANGUAGES:
        return code
    base = code.split("_")[0].lower()
    return base if base in LANGUAGES else "en"


@functools.lru_cache(maxsize=16)
def catalogue(language: str) -> NullTranslations:
    """The compiled catalogue of a language (NullTranslations for English: the source is English)."""
    if language == "en":
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS), [language], domain="messages")


def _babel_locale(language: str) -> str:
    return "en_GB" if language in ("en", PSEUDO_LOCALE) else language


@dataclass(frozen=True)
class Translator:
    """gettext, ngettext and Babel formatting bound to one reader's language."""

    language: str

    @property
    def direction(self) -> str:
        return "rtl" if self.language in RTL_LANGUAGES else "ltr"

    @property
    def html_lang(self) -> str:
        return self.language.replace("_", "-")

    def gettext(self, text: str, **params) -> str:
        translated = catalogue(self.language).ugettext(text)
        return translated % params if params else translated

    def ngettext(self, singular: str, plural: str, num: int, **params) -> str:
        translated = catalogue(self.language).ungettext(singular, plural, num)
        return translated % {"num": num, **params}

    def when(self, value: datetime | date | None, zone: str | None = None, skeleton: str = "yMMMEd",
             time_skeleton: str | None = "Hm") -> str:
        """A date (and time, unless time_skeleton is None) in this language's shape, in `zone` (UTC when
        none or unknown): "Fri 8 Jan 2027, 09:30", "ven. 8 janv. 2027, 09:30"."""
        if value is None:
            return ""
        if isinstance(value, datetime) and value.tzinfo is not None:
            try:
                value = value.astimezone(ZoneInfo(zone) if zone else ZoneInfo("UTC"))
            except (ZoneInfoNotFoundError, ValueError):
                value = value.astimezone(ZoneInfo("UTC"))
        if not isinstance(value, datetime):
            value = datetime(value.year, value.month, value.day)
        naive, locale = value.replace(tzinfo=None), _babel_locale(self.language)
        text = format_skeleton(skeleton, naive, locale=locale, fuzzy=True)
        if not time_skeleton:
            return text
        return f"{text}{'، ' if self.language == 'ar' else ', '}{format_skeleton(time_skeleton, naive, locale=locale)}"

    def number(self, value) -> str:
        return format_decimal(value, locale=_babel_locale(self.language), numbering_system="default")

    def language_name(self, code: str) -> str:
        """A language's name in this reader's language ("allemand" for "de" in French)."""
        try:
            return Locale.parse(code).get_display_name(_babel_locale(self.language)) or code
        except (ValueError, TypeError, LookupError):
            return code


@functools.lru_cache(maxsize=16)
def translator(language: str | None) -> Translator:
    """The translator for a reader's stored language (unknown or empty: English)."""
    return Translator(known_language(language))
