"""Every string a certificate or its email shows, one dict per language; add a language by adding a dict."""

from __future__ import annotations

import gettext
import re
from datetime import date
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

DEFAULT_LANGUAGE = "en"

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "holder_withheld": "Holder withheld",
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
        "holder_withheld": "Name auf Wunsch nicht angezeigt",
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
    "fr": {
        "holder_withheld": "Titulaire non communiqué",
        "title.event": "Attestation de participation",
        "title.programme": "Certificat de réussite",
        "certify": "Nous certifions que",
        "lead.event": "a participé à",
        "lead.programme": "a suivi avec succès le programme de formation",
        "format.conference": "Conférence",
        "format.workshop": "Atelier",
        "format.training": "Formation",
        "format.information_trip": "Voyage d’étude",
        "format.programme": "Programme de formation",
        "online": "En ligne",
        "hours.one": "{hours} heure",
        "hours.other": "{hours} heures",
        "total_hours": "Durée\u00a0: {hours}",
        "modules": "Modules validés",
        "more_modules": "… et {count} autres modules",
        "completed_on": "Achevé le {date}",
        "issuer": "Délivré par",
        "issued_on": "Délivré le {date}",
        "code": "Code du certificat",
        "verify": "Vérifiez ce certificat sur",
        "mail.subject": "Votre certificat\u00a0: {title}",
        "mail.body": (
            "Bonjour {name},\n\n"
            "nous avons délivré votre {kind} pour «\u00a0{title}\u00a0».\n\n"
            "Téléchargement (après connexion)\u00a0: {pdf_url}\n"
            "Vérification publique\u00a0: {verify_url}\n"
            "Code du certificat\u00a0: {code}\n\n"
            "{network}"
        ),
        "mail.kind.event": "attestation de participation",
        "mail.kind.programme": "certificat de réussite",
    },
    "es": {
        "holder_withheld": "Titular no divulgado",
        "title.event": "Certificado de asistencia",
        "title.programme": "Certificado de finalización",
        "certify": "Por la presente se certifica que",
        "lead.event": "participó en",
        "lead.programme": "completó con éxito el programa de aprendizaje",
        "format.conference": "Conferencia",
        "format.workshop": "Taller",
        "format.training": "Capacitación",
        "format.information_trip": "Viaje de estudio",
        "format.programme": "Programa de aprendizaje",
        "online": "En línea",
        "hours.one": "{hours} hora",
        "hours.other": "{hours} horas",
        "total_hours": "Duración total: {hours}",
        "modules": "Módulos completados",
        "more_modules": "… y {count} módulos más",
        "completed_on": "Completado el {date}",
        "issuer": "Expedido por",
        "issued_on": "Expedido el {date}",
        "code": "Código del certificado",
        "verify": "Verifique este certificado en",
        "mail.subject": "Su certificado: {title}",
        "mail.body": (
            "Hola, {name}:\n\n"
            "hemos expedido su {kind} de «{title}».\n\n"
            "Descárguelo (después de iniciar sesión): {pdf_url}\n"
            "Cualquier persona puede verificarlo en: {verify_url}\n"
            "Código del certificado: {code}\n\n"
            "{network}"
        ),
        "mail.kind.event": "certificado de asistencia",
        "mail.kind.programme": "certificado de finalización",
    },
    "pt": {
        "holder_withheld": "Titular não divulgado",
        "title.event": "Certificado de participação",
        "title.programme": "Certificado de conclusão",
        "certify": "Certificamos que",
        "lead.event": "participou de",
        "lead.programme": "concluiu com êxito o programa de aprendizagem",
        "format.conference": "Conferência",
        "format.workshop": "Oficina",
        "format.training": "Capacitação",
        "format.information_trip": "Viagem de estudos",
        "format.programme": "Programa de aprendizagem",
        "online": "Online",
        "hours.one": "{hours} hora",
        "hours.other": "{hours} horas",
        "total_hours": "Carga horária: {hours}",
        "modules": "Módulos concluídos",
        "more_modules": "… e mais {count} módulos",
        "completed_on": "Concluído em {date}",
        "issuer": "Emitido por",
        "issued_on": "Emitido em {date}",
        "code": "Código do certificado",
        "verify": "Verifique este certificado em",
        "mail.subject": "Seu certificado: {title}",
        "mail.body": (
            "Olá, {name},\n\n"
            "emitimos o seu {kind} de “{title}”.\n\n"
            "Baixe-o (depois de entrar): {pdf_url}\n"
            "Qualquer pessoa pode verificá-lo em: {verify_url}\n"
            "Código do certificado: {code}\n\n"
            "{network}"
        ),
        "mail.kind.event": "certificado de participação",
        "mail.kind.programme": "certificado de conclusão",
    },
    "ar": {
        "holder_withheld": "اسم الحامل محجوب",
        "title.event": "شهادة حضور",
        "title.programme": "شهادة إتمام",
        "certify": "تُمنح هذه الشهادة إلى",
        "lead.event": "للمشاركة في",
        "lead.programme": "لإتمام برنامج التعلّم التالي بنجاح",
        "format.conference": "مؤتمر",
        "format.workshop": "ورشة عمل",
        "format.training": "دورة تدريبية",
        "format.information_trip": "رحلة دراسية",
        "format.programme": "برنامج تعلّم",
        "online": "عبر الإنترنت",
        "hours.zero": "{hours} ساعة",
        "hours.one": "ساعة واحدة",
        "hours.two": "ساعتان",
        "hours.few": "{hours} ساعات",
        "hours.many": "{hours} ساعة",
        "hours.other": "{hours} ساعة",
        "total_hours": "المدة الإجمالية: {hours}",
        "modules": "الوحدات المنجزة",
        "more_modules": "… وعدد الوحدات الأخرى: {count}",
        "completed_on": "تاريخ الإتمام: {date}",
        "issuer": "صادرة عن",
        "issued_on": "تاريخ الإصدار: {date}",
        "code": "رمز الشهادة",
        "verify": "للتحقق من هذه الشهادة:",
        "mail.subject": "شهادتك: {title}",
        "mail.body": (
            "مرحبًا {name}،\n\n"
            "صدرت {kind} الخاصة بك عن «{title}».\n\n"
            "للتنزيل (بعد تسجيل الدخول): {pdf_url}\n"
            "يمكن لأي شخص التحقق منها على: {verify_url}\n"
            "رمز الشهادة: {code}\n\n"
            "{network}"
        ),
        "mail.kind.event": "شهادة الحضور",
        "mail.kind.programme": "شهادة الإتمام",
    },
}

# The certificate's languages, in the order an organiser is offered them, each named in itself.
LANGUAGES = ("en", "de", "fr", "es", "pt", "ar")
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español", "pt": "Português",
                  "ar": "العربية"}
RTL_LANGUAGES = frozenset({"ar"})
# Babel locale per language: day-month-year English for an international network (as the certificates always had)
BABEL_LOCALES = {"en": "en_GB"}
_MONTH = re.compile(r"(?<![ML])([ML])\1\1(?![ML])")  # MMM / LLL, not MMMM


def is_rtl(lang: str) -> bool:
    return lang in RTL_LANGUAGES


def _locale(lang: str) -> Locale:
    return Locale.parse(BABEL_LOCALES.get(lang, lang if lang in STRINGS else DEFAULT_LANGUAGE))


def language_for(preferred: str | None) -> str:
    """The certificate language for a person's preferred language (English unless we have theirs)."""
    code = (preferred or "").replace("_", "-").split("-")[0].lower()
    return code if code in STRINGS else DEFAULT_LANGUAGE


def text(lang: str, key: str, **values) -> str:
    strings = STRINGS.get(lang, STRINGS[DEFAULT_LANGUAGE])
    template = strings.get(key) or STRINGS[DEFAULT_LANGUAGE][key]
    return template.format(**values) if values else template


def format_date(value: date, lang: str) -> str:
    """The date in full, by Babel in the language's locale: '4 March 2025', '4. März 2025', '4 mars 2025'."""
    return babel_dates.format_date(value, "long", locale=_locale(lang))


def format_date_range(start: date, end: date, lang: str) -> str:
    """'4–5 March 2025', '4. März – 2. April 2025', '4–5 de marzo de 2025': Babel's interval pattern for
    year-month-day with the month written out (fields widened to the asked width, as CLDR's matching says)."""
    if end <= start:
        return format_date(start, lang)
    locale = _locale(lang)
    skeleton = babel_dates.match_skeleton("yMMMMd", locale.interval_formats)
    if skeleton is None:
        return f"{format_date(start, lang)} – {format_date(end, lang)}"
    field = "y" if start.year != end.year else "M" if start.month != end.month else "d"
    patterns = locale.interval_formats[skeleton].get(field)
    if not patterns or len(patterns) != 2:
        return f"{format_date(start, lang)} – {format_date(end, lang)}"
    return "".join(babel_dates.parse_pattern(_MONTH.sub(r"\1\1\1\1", pattern)).apply(value, locale)
                   for value, pattern in zip((start, end), patterns, strict=True))


def _plain_number(value: float) -> float | int | Decimal:
    rounded = round(float(value), 2)
    return int(rounded) if rounded == int(rounded) else Decimal(str(rounded))


def format_number(value: float, lang: str) -> str:
    """8 -> '8', 7.5 -> '7.5' ('7,5' in German), at most two decimals, by Babel."""
    return babel_numbers.format_decimal(_plain_number(value), "#,##0.##", locale=_locale(lang))


def format_hours(value: float, lang: str) -> str:
    """'1 hour', '14.5 hours', '7,5 Stunden', 'ساعتان': the language's plural rule picks the form."""
    number = _plain_number(value)
    category = _locale(lang).plural_form(number)
    strings = STRINGS.get(lang, STRINGS[DEFAULT_LANGUAGE])
    key = f"hours.{category}" if f"hours.{category}" in strings else "hours.other"
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
