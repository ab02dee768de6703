"""Input checks the services share: text fields that are stored as given, within their limits; ids; dates."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from app import validation_messages  # noqa: F401  (the catalogue entries of these checks)
from app.errors import ValidationFailed

# Primary keys are INTEGER columns: 32-bit on PostgreSQL, and SQLite cannot even bind 2**63 or more.
MAX_ID = 2_147_483_647
# Dates people may give: a year of four digits with room on both sides, so that adding a day or moving to
# another time zone can never overflow Python's datetime (years 1 to 9999).
MIN_YEAR = 1900
MAX_YEAR = 9998

# A lone UTF-16 surrogate (JSON allows "\ud800") cannot be encoded as UTF-8, so no database can store it.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Directional overrides, embeddings and isolates: they let a name or title display as something else
# ("\u202egnp.exe" shows as "exe.png"); the page isolates user text with dir="auto" and <bdi> instead.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Spaces, controls, format characters (zero-width space, joiners, BOM) and marks with nothing to sit on
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Mn"})
# Letters that render as nothing (Hangul fillers, the braille blank)
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def has_visible_text(value: str) -> bool:
    """Whether some character of the text would show: not only spaces, format or control characters."""
    return any(ch not in _BLANK_LETTERS and unicodedata.category(ch) not in _INVISIBLE_CATEGORIES for ch in value)


def _refuse_unstorable(value: str, *, field: str, label: str) -> None:
    if "\x00" in value:
        raise ValidationFailed("text.nul", field=field, field_name=field, label=label)
    if _SURROGATE.search(value):
        raise ValidationFailed("text.surrogate", field=field, field_name=field, label=label)


def clean_text(value, *, field: str, limit: int, label: str | None = None, required: bool = False,
               strip_bidi: bool = False) -> str:
    """Stripped text of at most `limit` characters; a clear error naming the field otherwise.

    NUL and lone surrogates are refused here because no database stores them alike (PostgreSQL refuses
    NUL, neither stores a surrogate), so both databases agree. Text with nothing visible counts as empty.
    """
    label = label or field.replace("_", " ").capitalize()
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationFailed("text.not_text", field=field, field_name=field, label=label)
    _refuse_unstorable(value, field=field, label=label)
    given = bool(value.strip())
    if strip_bidi:
        value = _BIDI_CONTROLS.sub("", value)
    value = value.strip()
    if given and not has_visible_text(value):
        if required:
            raise ValidationFailed("text.invisible", field=field, field_name=field, label=label)
        value = ""
    if required and not value:
        raise ValidationFailed("text.required", field=field, field_name=field, label=label)
    if len(value) > limit:
        raise ValidationFailed("text.too_long", field=field, field_name=field, label=label, limit=limit,
                               length=len(value))
    return value


def clean_name(value, *, field: str, limit: int, label: str | None = None, required: bool = False) -> str:
    """clean_text for names and titles: also without bidi override, embedding or isolate controls."""
    return clean_text(value, field=field, limit=limit, label=label, required=required, strip_bidi=True)


# No number a client sends may exceed what the databases store (SQLite cannot even bind 2**63).
_MAX_JSON_INT = 2**63 - 1


def _problem(value) -> str | None:
    """'text' or 'number' if something inside value (a parsed JSON value) cannot be stored; None if all can."""
    if isinstance(value, str):
        return "text" if "\x00" in value or _SURROGATE.search(value) else None
    if isinstance(value, int) and not isinstance(value, bool):
        return "number" if abs(value) > _MAX_JSON_INT else None
    if isinstance(value, dict):
        items = [*value.keys(), *value.values()]
    elif isinstance(value, (list, tuple)):
        items = value
    else:
        return None
    return next((found for found in map(_problem, items) if found), None)


def check_storable(data) -> None:
    """Refuse a parsed JSON body holding text or numbers no database can store, naming the top-level field.

    The services check each field; this catches what reaches a query unchecked (slugs, list items, keys, ids).
    """
    entries = data.items() if isinstance(data, dict) else [("", data)]
    for key, item in entries:
        found = _problem(key) or _problem(item)
        if not found:
            continue
        field = printable(key) if isinstance(key, str) else str(key)
        if not field:
            raise ValidationFailed("request.out_of_range" if found == "number" else "request.not_allowed_character")
        label = field.replace("_", " ").capitalize()
        reason = "value.out_of_range" if found == "number" else "value.not_allowed_character"
        raise ValidationFailed(reason, field=field, field_name=field, label=label)


def printable(text: str) -> str:
    """Text with lone surrogates replaced, safe to put in a JSON reply or a log line."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def as_id(value) -> int | None:
    """A positive id that fits the database's INTEGER primary keys, or None (the caller answers 404/422)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text.isascii() or not text.isdigit() or len(text) > 10:
            return None
        value = int(text)
    if not isinstance(value, int):
        return None
    return value if 0 < value <= MAX_ID else None


def page_number(value, *, maximum: int = 100_000) -> int:
    """A list page number from a query string: whole, at least 1, at most `maximum` (beyond is an empty page)."""
    return min(max(value, 1), maximum) if isinstance(value, int) and not isinstance(value, bool) else 1


def check_year(value: date, *, field: str, label: str | None = None, minimum: int = MIN_YEAR,
               maximum: int = MAX_YEAR) -> date:
    """The date (or datetime) if its year lies within minimum..maximum; a clear error naming the field otherwise."""
    if not minimum <= value.year <= maximum:
        label = label or field.replace("_", " ").capitalize()
        raise ValidationFailed("date.year_out_of_range", field=field, field_name=field, label=label, minimum=minimum,
                               maximum=maximum)
    return value



def _coordinate(value, *, field: str, label: str, limit: int) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValidationFailed("coordinates.not_number", field=field, field_name=field, label=label)
    try:
        number = float(value.strip().replace(",", ".") if isinstance(value, str) else value)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed("coordinates.not_number", field=field, field_name=field, label=label) from exc
    if number != number or not -limit <= number <= limit:  # NaN compares unequal to itself
        raise ValidationFailed("coordinates.out_of_range", field=field, field_name=field, label=label,
                               minimum=-limit, maximum=limit)
    return round(number, 6)  # about 10 cm: more is noise


def check_coordinates(latitude, longitude, *, latitude_field: str = "latitude",
                      longitude_field: str = "longitude") -> tuple[float | None, float | None]:
    """A place as (latitude, longitude) in decimal degrees, both or neither; a clear error naming the field."""
    lat = _coordinate(latitude, field=latitude_field, label="Latitude", limit=90)
    lng = _coordinate(longitude, field=longitude_field, label="Longitude", limit=180)
    if (lat is None) != (lng is None):
        if lat is None:
            raise ValidationFailed("coordinates.latitude_missing", field=latitude_field)
        raise ValidationFailed("coordinates.longitude_missing", field=longitude_field)
    return lat, lng
