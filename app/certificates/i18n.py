"""Every string a certificate or its email shows, one dict per language; add a language by adding a dict."""

from __future__ import annotations

import gettext
from datetime import date
from functools import lru_cache

DEFAULT_LANGUAGE = "en"

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "title.event": "Certificate of attendance",
        "title.programme": "Certificate of completion",
        "certify": "This is to certify that",
        "lead.event": "took part in",
        "lead.programme": "has successfully completed the learning programme",
        "format.conference": "Conference",
        "format.workshop": "Workshop",
        "format.training": "Training session",
        "format.information_trip": "Information trip",
        "format.programme": "Learning programme",
        "online": "Online",
        "hours.one": "{hours} hour",
        "hours.other": "{hours} hours",
        "total_hours": "Total: {hours}",
        "modules": "Modules completed",
        "more_modules": "… and {count} more modules",
        "completed_on": "Completed on {date}",
        "issuer": "Issued by",
        "issued_on": "Issued on {date}",
        "code": "Certificate code",
        "verify": "Verify this certificate at",
        "mail.subject": "Your certificate: {title}",
        "mail.body": (
            "Hello {name},\n\n"
            "your {kind} for \"{title}\" has been issued.\n\n"
            "Download it (sign in first): {pdf_url}\n"
            "Anyone can verify it at: {verify_url}\n"
            "Certificate code: {code}\n\n"
            "{network}"
        ),
        "mail.kind.event": "certificate of attendance",
        "mail.kind.programme": "certificate of completion",
    },
    "de": {
        "title.event": "Teilnahmebescheinigung",
        "title.programme": "Abschlusszertifikat",
        "certify": "Hiermit wird bestätigt, dass",
        "lead.event": "an folgender Veranstaltung teilgenommen hat:",
        "lead.programme": "das folgende Lernprogramm erfolgreich abgeschlossen hat:",
        "format.conference": "Konferenz",
        "format.workshop": "Workshop",
        "format.training": "Schulung",
        "format.information_trip": "Informationsreise",
        "format.programme": "Lernprogramm",
        "online": "Online",
        "hours.one": "{hours} Stunde",
        "hours.other": "{hours} Stunden",
        "total_hours": "Umfang: {hours}",
        "modules": "Abgeschlossene Module",
        "more_modules": "… und {count} weitere Module",
        "completed_on": "Abgeschlossen am {date}",
        "issuer": "Ausgestellt von",
        "issued_on": "Ausgestellt am {date}",
        "code": "Zertifikatscode",
        "verify": "Prüfen Sie dieses Zertifikat unter",
        "mail.subject": "Ihr Zertifikat: {title}",
        "mail.body": (
            "Guten Tag {name},\n\n"
            "Ihre {kind} für „{title}“ wurde ausgestellt.\n\n"
            "Herunterladen (nach der Anmeldung): {pdf_url}\n"
            "Jede und jeder kann sie prüfen unter: {verify_url}\n"
            "Zertifikatscode: {code}\n\n"
            "{network}"
        ),
        "mail.kind.event": "Teilnahmebescheinigung",
        "mail.kind.programme": "Abschlussbescheinigung",
    },
}

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"],
}
DECIMAL_SEPARATOR = {"en": ".", "de": ","}


def language_for(preferred: str | None) -> str:
    """The certificate language for a person's preferred language (English unless we have theirs)."""
    code = (preferred or "").split("-")[0].lower()
    return code if code in STRINGS else DEFAULT_LANGUAGE


def text(lang: str, key: str, **values) -> str:
    strings = STRINGS.get(lang, STRINGS[DEFAULT_LANGUAGE])
    template = strings.get(key) or STRINGS[DEFAULT_LANGUAGE][key]
    return template.format(**values) if values else template


def format_date(value: date, lang: str) -> str:
    months = MONTHS.get(lang, MONTHS[DEFAULT_LANGUAGE])
    if lang == "de":
        return f"{value.day}. {months[value.month - 1]} {value.year}"
    return f"{value.day} {months[value.month - 1]} {value.year}"


def format_date_range(start: date, end: date, lang: str) -> str:
    """'4 March 2025', '4–5 March 2025', '30 March – 2 April 2025' (German: '4.–5. März 2025')."""
    months = MONTHS.get(lang, MONTHS[DEFAULT_LANGUAGE])
    if end <= start:
        return format_date(start, lang)
    dot = "." if lang == "de" else ""
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}{dot}–{end.day}{dot} {months[end.month - 1]} {end.year}"
    if start.year == end.year:
        return f"{start.day}{dot} {months[start.month - 1]} – {format_date(end, lang)}"
    return f"{format_date(start, lang)} – {format_date(end, lang)}"


def format_number(value: float, lang: str) -> str:
    """8 -> '8', 7.5 -> '7.5' ('7,5' in German), at most two decimals."""
    rounded = round(float(value), 2)
    if rounded == int(rounded):
        out = str(int(rounded))
    else:
        out = f"{rounded:.2f}".rstrip("0")
    return out.replace(".", DECIMAL_SEPARATOR.get(lang, "."))


def format_hours(value: float, lang: str) -> str:
    key = "hours.one" if round(float(value), 2) == 1 else "hours.other"
    return text(lang, key, hours=format_number(value, lang))


@lru_cache(maxsize=16)
def _country_translation(lang: str):
    import pycountry

    if lang == "en":
        return None
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
    except OSError:
        return None


def country_name(code: str | None, lang: str) -> str:
    """The country's common name in the language (the code itself when unknown)."""
    if not code:
        return ""
    import pycountry

    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code.upper()
    name = getattr(country, "common_name", None) or country.name
    translation = _country_translation(lang)
    if translation is not None:
        translated = translation.gettext(name)
        if translated == name and name != country.name:
            translated = translation.gettext(country.name)
        return translated
    return name
