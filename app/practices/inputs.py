"""Reading a practice's data: a dict whose keys are the JSON field names of the API, checked and normalised.

Every problem is a ValidationFailed naming the field. Cross-field rules (coordinates as a pair, end year after
start year, a subdivision of the country) are checked against the practice's current values on a partial
update, so a PATCH of one field cannot leave the practice inconsistent.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import datetime

import pycountry
import sqlalchemy as sa
from sqlalchemy.orm import Session

import app.practices.messages  # noqa: F401  (the catalogue of the reasons raised here)
from app.auth.models import User
from app.directory.models import Organisation, Topic
from app.directory.services import normalise_country
from app.errors import ValidationFailed
from app.events.models import Event
from app.language import LANGUAGES
from app.learning.models import Module, Programme
from app.practices.limits import (
    CITY_MAX,
    FIRST_YEAR,
    INDICATOR_TEXT_MAX,
    MAX_INDICATORS,
    SECTION_MAX,
    SECTIONS,
    STAGES,
    SUMMARY_MAX,
    TITLE_MAX,
    TRANSLATABLE,
)
from app.practices.models import Practice
from app.practices.sdg import GOALS, goal_of, normalise_target, target_sort_key
from app.validation import MAX_ID, clean_text

# what a client may write, by its JSON name
WRITABLE = ("title", "summary", "organisation_id", "city", "country", "subdivision", "latitude", "longitude",
            "topics", "sdg_goals", "sdg_targets", "stage", "started_year", "ended_year", *SECTIONS, "indicators",
            "contact_id", "event_ids", "module_ids", "language", "translations")
# what the practice's JSON also holds: a client may send it back unchanged; it is ignored
READ_ONLY = ("id", "slug", "status", "region", "contact", "documents", "images", "interest_count",
             "published_at", "updated_at", "last_verified_at", "url")
TEXT_LIMITS = {"title": TITLE_MAX, "summary": SUMMARY_MAX, "city": CITY_MAX, **dict.fromkeys(SECTIONS, SECTION_MAX)}
INDICATOR_FIELDS = ("indicator", "unit", "baseline", "value", "year", "source")


def label(name: str) -> str:
    """A field's data name as the start of a sentence ("started_year" -> "Started year")."""
    return name.replace("_", " ").capitalize()


def slugify(text: str) -> str:
    value = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    value = re.sub(r"[^a-z0-9]+", "-", value).strip("-")
    return value[:80].strip("-") or "practice"


def text(value, name: str, *, limit: int | None = None, required: bool = False) -> str:
    return clean_text(value, field=name, limit=limit or TEXT_LIMITS[name], label=label(name), required=required,
                      strip_bidi=name in ("title", "city"))


def whole(value, name: str, *, allow_none: bool = True) -> int | None:
    if value is None or value == "":
        if allow_none:
            return None
        raise ValidationFailed("practice.field.required", field=name, label=label(name))
    if isinstance(value, bool):
        raise ValidationFailed("practice.field.whole_number", field=name, label=label(name))
    if isinstance(value, str):
        stripped = value.strip()
        if not re.fullmatch(r"[+-]?\d{1,12}", stripped):
            raise ValidationFailed("practice.field.whole_number", field=name, label=label(name))
        value = int(stripped)
    if isinstance(value, float):
        if not value.is_integer():
            raise ValidationFailed("practice.field.whole_number", field=name, label=label(name))
        value = int(value)
    if not isinstance(value, int):
        raise ValidationFailed("practice.field.whole_number", field=name, label=label(name))
    return value


def number(value, name: str) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationFailed("practice.field.number", field=name, label=label(name))
    try:
        result = float(value.strip().replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise ValidationFailed("practice.field.number", field=name, label=label(name)) from exc
    if not math.isfinite(result) or abs(result) > 1e15:
        raise ValidationFailed("practice.field.number", field=name, label=label(name))
    return result


def year(value, name: str, *, now: datetime) -> int | None:
    result = whole(value, name)
    if result is not None and not FIRST_YEAR <= result <= now.year + 1:
        raise ValidationFailed("practice.year_range", field=name, label=label(name), minimum=FIRST_YEAR,
                               maximum=now.year + 1)
    return result


def listing(value, name: str) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list | tuple):
        raise ValidationFailed("practice.field.list", field=name, label=label(name))
    return list(value)


def identifier(value, name: str) -> int:
    result = whole(value, name, allow_none=False)
    if not 0 < result <= MAX_ID:
        raise ValidationFailed("practice.field.whole_number", field=name, label=label(name))
    return result


def language(value, name: str = "language") -> str:
    code = value.strip().lower().replace("-", "_") if isinstance(value, str) else None
    if code not in LANGUAGES:
        raise ValidationFailed("practice.language_invalid", field=name, value=str(value)[:20],
                               languages=", ".join(LANGUAGES))
    return code


def subdivision(value, country: str | None) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    code = value.strip().upper() if isinstance(value, str) else ""
    found = pycountry.subdivisions.get(code=code) if re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", code) else None
    if found is None or found.country_code != country:
        raise ValidationFailed("practice.subdivision_invalid", field="subdivision", code=str(value)[:20],
                               country=country or "?")
    return code


def sdg_goals(value) -> set[int]:
    goals = set()
    for item in listing(value, "sdg_goals"):
        try:
            goal = whole(item, "sdg_goals", allow_none=False)
        except ValidationFailed:
            goal = None
        if goal not in GOALS:
            raise ValidationFailed("practice.sdg_goal_invalid", field="sdg_goals", value=str(item)[:20])
        goals.add(goal)
    return goals


def sdg_targets(value) -> list[str]:
    targets = []
    for item in listing(value, "sdg_targets"):
        code = normalise_target(item) if isinstance(item, str | int | float) and not isinstance(item, bool) else None
        if code is None:
            raise ValidationFailed("practice.sdg_target_invalid", field="sdg_targets", value=str(item)[:20])
        if code not in targets:
            targets.append(code)
    return sorted(targets, key=target_sort_key)


def indicators(value, *, now: datetime) -> list[dict]:
    rows = listing(value, "indicators") if not isinstance(value, str) else None
    if rows is None:
        raise ValidationFailed("practice.field.list", field="indicators", label=label("indicators"))
    if len(rows) > MAX_INDICATORS:
        raise ValidationFailed("practice.indicators_too_many", field="indicators", maximum=MAX_INDICATORS)
    result = []
    for position, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise ValidationFailed("practice.field.object", field="indicators", label=label("indicators"))
        if all(value in (None, "") or (isinstance(value, str) and not value.strip()) for value in row.values()):
            continue  # an empty row of a form
        unknown = sorted(set(row) - set(INDICATOR_FIELDS))
        if unknown:
            raise ValidationFailed("practice.field.unknown", field="indicators", names=", ".join(unknown))
        name = clean_text(row.get("indicator"), field="indicators", limit=INDICATOR_TEXT_MAX, label=label("indicator"))
        if not name:
            raise ValidationFailed("practice.indicator_name_required", field="indicators", position=position)
        result.append({
            "indicator": name,
            "unit": clean_text(row.get("unit"), field="indicators", limit=INDICATOR_TEXT_MAX, label=label("unit")),
            "baseline": number(row.get("baseline"), "indicators"),
            "value": number(row.get("value"), "indicators"),
            "year": year(row.get("year"), "indicators", now=now),
            "source": clean_text(row.get("source"), field="indicators", limit=INDICATOR_TEXT_MAX,
                                 label=label("source")),
        })
    return result


def translation_fields(value, lang: str, *, partial: bool = False) -> dict[str, str]:
    """The title, summary and sections of one translation (title required unless partial)."""
    if not isinstance(value, dict):
        raise ValidationFailed("practice.field.object", field="translations", label=label("translations"))
    unknown = sorted(set(value) - set(TRANSLATABLE))
    if unknown:
        raise ValidationFailed("practice.field.unknown", field="translations", names=", ".join(unknown))
    result = {}
    for name in TRANSLATABLE:
        if name in value or not partial:
            result[name] = clean_text(value.get(name), field="translations", limit=TEXT_LIMITS[name],
                                      label=f"{label(name)} ({lang})", required=(name == "title"),
                                      strip_bidi=(name == "title"))
    return result


def translations(value, original: str) -> dict[str, dict | None]:
    """{language: fields, or None to remove that translation}."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationFailed("practice.field.object", field="translations", label=label("translations"))
    result: dict[str, dict | None] = {}
    for key, fields in value.items():
        lang = language(key, "translations")
        if lang == original:
            raise ValidationFailed("practice.translation_same_language", field="translations", language=lang)
        result[lang] = None if fields is None else translation_fields(fields, lang)
    return result


def _ids(value, name: str) -> list[int]:
    ids = []
    for item in listing(value, name):
        item_id = identifier(item, name)
        if item_id not in ids:
            ids.append(item_id)
    return ids


def topics(session: Session, value) -> list[Topic]:
    slugs = [s.strip().lower() for s in listing(value, "topics") if isinstance(s, str) and s.strip()]
    if len(slugs) != len(listing(value, "topics")):
        raise ValidationFailed("practice.field.list", field="topics", label=label("topics"))
    if not slugs:
        return []
    found = list(session.scalars(sa.select(Topic).where(Topic.slug.in_(slugs))))
    missing = sorted(set(slugs) - {t.slug for t in found})
    if missing:
        raise ValidationFailed("practice.topics_unknown", field="topics", slugs=", ".join(s[:40] for s in missing))
    return found


def events(session: Session, value, current: list[Event]) -> list[Event]:
    """Published events (one already linked stays allowed even if it changed since)."""
    ids = _ids(value, "event_ids")
    if not ids:
        return []
    found = {e.id: e for e in session.scalars(sa.select(Event).where(Event.id.in_(ids)))}
    linked = {e.id for e in current}
    missing = [i for i in ids if i not in found or (found[i].status != "published" and i not in linked)]
    if missing:
        raise ValidationFailed("practice.events_unknown", field="event_ids", ids=", ".join(map(str, missing)))
    return [found[i] for i in ids]


def modules(session: Session, value, current: list[Module]) -> list[Module]:
    """Modules of published programmes (one already linked stays allowed)."""
    ids = _ids(value, "module_ids")
    if not ids:
        return []
    rows = session.execute(sa.select(Module, Programme.status).join(Programme, Module.programme_id == Programme.id)
                           .where(Module.id.in_(ids))).all()
    found = {module.id: (module, status) for module, status in rows}
    linked = {m.id for m in current}
    missing = [i for i in ids if i not in found or (found[i][1] != "published" and i not in linked)]
    if missing:
        raise ValidationFailed("practice.modules_unknown", field="module_ids", ids=", ".join(map(str, missing)))
    return [found[i][0] for i in ids]


def parse_practice(session: Session, data, *, practice: Practice | None, now: datetime) -> dict:
    """The given fields checked and normalised (relations as loaded objects); `practice` is None on creation.

    Keys absent from `data` are absent from the result, except the cross-field consequences: a changed
    country re-checks the subdivision, targets add their goals."""
    if not isinstance(data, dict):
        raise ValidationFailed("practice.data_not_object")
    unknown = sorted(str(k)[:40] for k in set(data) - set(WRITABLE) - set(READ_ONLY))
    if unknown:
        raise ValidationFailed("practice.field.unknown", field=unknown[0], names=", ".join(unknown))
    data = {k: v for k, v in data.items() if k in WRITABLE}
    creating = practice is None
    out: dict = {}

    def current(name, default=None):
        return default if practice is None else getattr(practice, name)

    if creating or "title" in data:
        out["title"] = text(data.get("title"), "title", required=True)
    for name in ("summary", "city", *SECTIONS):
        if name in data:
            out[name] = text(data[name], name)
    if creating or "country" in data:
        out["country"] = normalise_country(data.get("country") if isinstance(data.get("country"), str) else None,
                                           field="country", required=True)
    country = out.get("country", current("country"))
    if "subdivision" in data or ("country" in out and current("subdivision")):
        out["subdivision"] = subdivision(data.get("subdivision", current("subdivision")), country)
    if "latitude" in data or "longitude" in data:
        lat = number(data.get("latitude", current("latitude")), "latitude")
        lon = number(data.get("longitude", current("longitude")), "longitude")
        if lat is not None and not -90 <= lat <= 90:
            raise ValidationFailed("practice.latitude_range", field="latitude")
        if lon is not None and not -180 <= lon <= 180:
            raise ValidationFailed("practice.longitude_range", field="longitude")
        if (lat is None) != (lon is None):
            raise ValidationFailed("practice.coordinates_pair", field="latitude" if lat is None else "longitude")
        out["latitude"], out["longitude"] = lat, lon
    if "stage" in data:
        if data["stage"] not in STAGES:
            raise ValidationFailed("practice.stage_invalid", field="stage", stages=", ".join(STAGES))
        out["stage"] = data["stage"]
    if "started_year" in data or "ended_year" in data:
        start = year(data.get("started_year", current("started_year")), "started_year", now=now)
        end = year(data.get("ended_year", current("ended_year")), "ended_year", now=now)
        if start is not None and end is not None and end < start:
            raise ValidationFailed("practice.years_in_order", field="ended_year")
        out["started_year"], out["ended_year"] = start, end
    if "topics" in data:
        out["topics"] = topics(session, data["topics"])
    if "sdg_goals" in data or "sdg_targets" in data:
        targets = sdg_targets(data["sdg_targets"]) if "sdg_targets" in data else list(current("sdg_targets", []))
        goals = sdg_goals(data["sdg_goals"]) if "sdg_goals" in data else set(current("sdg_goals", []))
        out["sdg_targets"] = targets
        out["sdg_goals"] = sorted(goals | {goal_of(t) for t in targets})
    if "indicators" in data:
        out["indicators"] = indicators(data["indicators"], now=now)
    if "contact_id" in data:
        contact_id = None if data["contact_id"] is None else identifier(data["contact_id"], "contact_id")
        if contact_id is not None:
            contact = session.get(User, contact_id)
            if contact is None or not contact.is_active_account:
                raise ValidationFailed("practice.contact_not_found", field="contact_id")
        out["contact_id"] = contact_id
    if "organisation_id" in data:
        organisation_id = identifier(data["organisation_id"], "organisation_id")
        if session.get(Organisation, organisation_id) is None:
            raise ValidationFailed("practice.organisation_not_found", field="organisation_id")
        out["organisation_id"] = organisation_id
    if "event_ids" in data:
        out["event_ids"] = events(session, data["event_ids"], current("events", []))
    if "module_ids" in data:
        out["module_ids"] = modules(session, data["module_ids"], current("modules", []))
    if creating or "language" in data:
        out["language"] = language(data.get("language") or "en")
    if "translations" in data:
        out["translations"] = translations(data["translations"], out.get("language", current("language", "en")))
    elif "language" in out and not creating:
        # the original's language changed: a translation into it would now duplicate the original
        if any(t.language == out["language"] for t in practice.translations):
            raise ValidationFailed("practice.translation_same_language", field="language", language=out["language"])
    return out
