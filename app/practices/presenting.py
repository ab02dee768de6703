"""A practice as plain data: the API's JSON (the contract's field names) and the text in the reader's language.

Pure functions of loaded objects: no queries, no Flask (the caller passes the base URL and counts).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.practices.limits import SECTIONS, TRANSLATABLE
from app.practices.models import Practice, PracticeFile


def _iso(value):
    return value.isoformat() if value is not None else None


def practice_path(practice_id: int, slug: str = "") -> str:
    """The practice page's path (/practices/<id>-<slug>; the id alone also answers)."""
    return f"/practices/{practice_id}-{slug}" if slug else f"/practices/{practice_id}"


def file_path(practice_id: int, file_id: int) -> str:
    """The download route of a practice's file (the pages' route, which checks who may see it)."""
    return f"/practices/{practice_id}/files/{file_id}"


def document_json(item: PracticeFile, base_url: str) -> dict:
    return {"id": item.id, "name": item.name, "size": item.size,
            "url": base_url + file_path(item.practice_id, item.id)}


def image_json(item: PracticeFile, base_url: str) -> dict:
    return {"id": item.id, "url": base_url + file_path(item.practice_id, item.id), "caption": item.caption,
            "credit": item.credit}


def translations_json(practice: Practice) -> dict[str, dict[str, str]]:
    return {t.language: {name: getattr(t, name) or "" for name in TRANSLATABLE} for t in practice.translations}


def practice_json(practice: Practice, *, base_url: str, interest_count: int) -> dict:
    """The practice as the API shows it (relations must be loaded; the contact's email is never included)."""
    return {
        "id": practice.id, "slug": practice.slug, "title": practice.title, "summary": practice.summary,
        "status": practice.status, "organisation_id": practice.organisation_id, "city": practice.city,
        "country": practice.country, "subdivision": practice.subdivision, "region": practice.region or None,
        "latitude": practice.latitude, "longitude": practice.longitude,
        "topics": [t.slug for t in practice.topics], "sdg_goals": practice.sdg_goals,
        "sdg_targets": practice.sdg_targets, "stage": practice.stage, "started_year": practice.started_year,
        "ended_year": practice.ended_year,
        **{name: getattr(practice, name) or "" for name in SECTIONS},
        "indicators": [{"indicator": row.indicator, "unit": row.unit, "baseline": row.baseline, "value": row.value,
                        "year": row.year, "source": row.source} for row in practice.indicators],
        "contact": {"id": practice.contact.id, "name": practice.contact.name} if practice.contact else None,
        "documents": [document_json(f, base_url) for f in practice.documents],
        "images": [image_json(f, base_url) for f in practice.images],
        "event_ids": [e.id for e in practice.events], "module_ids": [m.id for m in practice.modules],
        "interest_count": interest_count, "language": practice.language,
        "translations": translations_json(practice),
        "published_at": _iso(practice.published_at), "updated_at": _iso(practice.updated_at),
        "last_verified_at": _iso(practice.last_verified_at),
        "url": base_url + practice_path(practice.id, practice.slug),
    }


@dataclass(frozen=True)
class Shown:
    """The text a reader sees: the translation into their language if there is one, else the original."""

    fields: dict[str, str]
    language: str  # of the text shown
    original_language: str
    is_translation: bool  # the page then says "Translated from … · show original"


def pick_translation(practice: Practice, language: str | None, *, original: bool = False) -> Shown:
    """The title, summary and sections in the reader's language when a translation exists (a translation's
    empty section falls back to the original's); `original=True` (the "show original" link) forces it."""
    base = {name: getattr(practice, name) or "" for name in TRANSLATABLE}
    wanted = (language or "").split("_")[0].lower()
    if not original and wanted and wanted != practice.language:
        for translation in practice.translations:
            if translation.language == wanted:
                fields = {name: (getattr(translation, name) or "") or base[name] for name in TRANSLATABLE}
                return Shown(fields, wanted, practice.language, True)
    return Shown(base, practice.language, practice.language, False)
