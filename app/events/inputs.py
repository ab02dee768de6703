"""Reading what people and clients send: text, numbers, dates and times in a zone, lists, slugs, ticket codes,
and the filters of the events list. Bad input is a ValidationFailed naming the field."""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

import app.events.messages  # noqa: F401  (the catalogue of the reasons raised here)
from app.auth.services import TIMEZONES
from app.directory.services import normalise_country
from app.errors import ValidationFailed
from app.events.limits import MAX_LANGUAGES
from app.events.models import EVENT_FORMATS, Event
from app.validation import MAX_YEAR, check_year, clean_text

TICKET_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
TICKET_LENGTH = 10
MAX_INT = 2_147_483_647


def field_label(name: str) -> str:
    """A field's data name as the start of a sentence ("starts_at" -> "Starts at")."""
    return name.replace("_", " ").capitalize()


def _text(data: dict, name: str, limit: int, *, required: bool = False, label: str | None = None) -> str:
    return clean_text(data.get(name), field=name, limit=limit, label=label, required=required,
                      strip_bidi=(name == "title"))


def _int(value, name: str, *, minimum: int = 0, maximum: int = MAX_INT, allow_none: bool = False) -> int | None:
    if value is None or value == "":
        if allow_none:
            return None
        raise ValidationFailed("event.field.required", field=name, label=field_label(name))
    if isinstance(value, bool):
        raise ValidationFailed("event.field.whole_number", field=name, name=name)
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError as exc:
            raise ValidationFailed("event.field.whole_number", field=name, name=name) from exc
    if isinstance(value, float):
        if not value.is_integer():
            raise ValidationFailed("event.field.whole_number", field=name, name=name)
        value = int(value)
    if not isinstance(value, int):
        raise ValidationFailed("event.field.whole_number", field=name, name=name)
    if value < minimum:
        raise ValidationFailed("event.field.at_least", field=name, label=field_label(name), minimum=minimum)
    if value > maximum:
        raise ValidationFailed("event.field.at_most", field=name, label=field_label(name), maximum=maximum)
    return value


def _id(value, name: str) -> int:
    return _int(value, name, minimum=1)


def _bool(value, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "1", "yes", "on", "y"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "0", "no", "off", "n", ""):
        return False
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise ValidationFailed("event.field.boolean", field=name, name=name)


def check_zone(zone, *, field: str = "timezone") -> str:
    if not isinstance(zone, str) or zone not in TIMEZONES:
        raise ValidationFailed("event.timezone_unknown", field=field, zone=zone)
    return zone


def parse_datetime(value, *, zone: str, field: str, allow_none: bool = False, maximum: int = 2200) -> datetime | None:
    """An aware UTC datetime from ISO 8601 text or a datetime; without an offset it means local time in `zone`."""
    if value is None or value == "":
        if allow_none:
            return None
        raise ValidationFailed("event.field.required", field=field, label=field_label(field))
    if isinstance(value, str):
        text = value.strip()
        try:
            value = datetime.fromisoformat(text)
        except ValueError as exc:
            raise ValidationFailed("event.field.datetime_format", field=field, name=field) from exc
    elif isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time.min)
    if not isinstance(value, datetime):
        raise ValidationFailed("event.field.datetime_type", field=field, name=field)
    # before any time zone arithmetic, which overflows at the ends of the calendar (year 1, year 9999)
    check_year(value, field=field, maximum=maximum)
    if value.tzinfo is None:
        local = value.replace(tzinfo=ZoneInfo(zone))
        # a wall-clock time skipped when the clocks go forward does not exist; refuse it rather than
        # silently moving it by an hour (a time that occurs twice takes its first occurrence)
        if local.astimezone(ZoneInfo("UTC")).astimezone(ZoneInfo(zone)).replace(tzinfo=None) != value:
            raise ValidationFailed("event.time_skipped", field=field, local=value.strftime("%d %b %Y, %H:%M"),
                                   zone=zone, moment=value)
        value = local
    try:
        result = value.astimezone(ZoneInfo("UTC"))
    except (OverflowError, ValueError) as exc:
        raise ValidationFailed("event.field.out_of_range", field=field, name=field) from exc
    return check_year(result, field=field, maximum=maximum)


def _decimal(value, name: str, *, maximum: Decimal) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationFailed("event.field.number", field=name, name=name)
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed("event.field.number", field=name, name=name) from exc
    if not number.is_finite() or number < 0 or number > maximum:
        raise ValidationFailed("event.field.between", field=name, label=name.capitalize(), maximum=maximum)
    return number.quantize(Decimal("0.01"))


def _list(value, name: str) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list | tuple):
        raise ValidationFailed("event.field.list", field=name, name=name)
    return list(value)


_LANG_RE = re.compile(r"^[a-z]{2}$")


def _languages(value) -> list[str]:
    items = _list(value, "languages")
    result = []
    for item in items:
        code = item.strip().lower() if isinstance(item, str) else None
        if not code or not _LANG_RE.match(code):
            raise ValidationFailed("event.languages_invalid", field="languages")
        if code not in result:
            result.append(code)
    if len(result) > MAX_LANGUAGES:
        raise ValidationFailed("event.languages_too_many", field="languages", maximum=MAX_LANGUAGES)
    return result


def slugify(text: str) -> str:
    value = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    value = re.sub(r"[^a-z0-9]+", "-", value).strip("-")
    return value[:180] or "event"


def _unique_slug(session: Session, base: str, *, exclude_id: int | None = None) -> str:
    base = slugify(base)
    taken = set(session.scalars(sa.select(Event.slug).where(
        sa.or_(Event.slug == base, Event.slug.like(base + "-%")), Event.id != (exclude_id or 0))))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def new_ticket_code() -> str:
    return "".join(secrets.choice(TICKET_ALPHABET) for _ in range(TICKET_LENGTH))


def normalise_ticket_code(code: str | None) -> str:
    return re.sub(r"[^0-9A-Z]", "", (code or "").upper())[:32]


@dataclass
class EventFilters:
    format: str | None = None
    topic: str | None = None
    country: str | None = None
    city: str | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    language: str | None = None
    q: str | None = None

    def as_dict(self) -> dict:
        return {"format": self.format or "", "topic": self.topic or "", "country": self.country or "",
                "city": self.city or ""}


def parse_filters(args) -> EventFilters:
    """Filters from query parameters (format, topic, country, city, from, to, language, q); bad ones are 422."""
    def get(name):
        value = args.get(name)
        value = value.strip() if isinstance(value, str) else None
        if value and ("\x00" in value or len(value) > 200):
            raise ValidationFailed("event.filter.invalid", field=name, name=name)
        return value or None

    fmt = get("format")
    if fmt and fmt not in EVENT_FORMATS:
        raise ValidationFailed("event.filter.format", field="format", formats=", ".join(EVENT_FORMATS))
    country = get("country")
    if country:
        country = normalise_country(country, required=False)
    result = EventFilters(format=fmt, topic=get("topic"), country=country, city=get("city"),
                          language=(get("language") or "").lower() or None, q=get("q"))
    for name, attr in (("from", "date_from"), ("to", "date_to")):
        raw = get(name)
        if not raw:
            continue
        if len(raw) == 10:
            try:
                day = date.fromisoformat(raw)
            except ValueError as exc:
                raise ValidationFailed("event.filter.date", field=name, name=name) from exc
            check_year(day, field=name)
            value = datetime.combine(day if name == "from" else day + timedelta(days=1), time.min,
                                     ZoneInfo("UTC"))
        else:
            value = parse_datetime(raw, zone="UTC", field=name, maximum=MAX_YEAR)
        setattr(result, attr, value)
    if result.language and not _LANG_RE.match(result.language):
        raise ValidationFailed("event.filter.language", field="language")
    return result
