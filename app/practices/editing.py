"""Drafting and changing practices and their translations. Every change is a revision naming its fields.

Editing a published practice: the network's editorial team (organisers, admins) may correct it in place. A
member's edit of a published practice's content sends it back to review (status `submitted`): the text
the public reads has always passed the review checklist (no personal data, credited images), as URBACT does
with labelled practices. It leaves the public list until a reviewer publishes it again; its first
publication date, its interest and its links are kept. Drafts, returned and submitted practices keep their
status when edited.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

import app.practices.messages  # noqa: F401  (the catalogue of the reasons raised here)
from app.auth.rules import can_review_practice
from app.errors import Forbidden, ValidationFailed
from app.practices import inputs
from app.practices.limits import SECTIONS, TRANSLATABLE
from app.practices.lookups import actor, editable_practice, record_revision
from app.practices.models import (
    Practice,
    PracticeIndicator,
    PracticeSdgGoal,
    PracticeSdgTarget,
    PracticeTranslation,
)

SCALARS = ("title", "summary", "city", "country", "subdivision", "latitude", "longitude", "stage", "started_year",
           "ended_year", *SECTIONS, "contact_id", "organisation_id", "language")


def _apply(session: Session, practice: Practice, values: dict) -> set[str]:
    """Set the parsed values on the practice; the JSON names of the fields that really changed."""
    changed: set[str] = set()
    for name in SCALARS:
        if name in values and getattr(practice, name) != values[name]:
            setattr(practice, name, values[name])
            changed.add(name)
    if "title" in changed or not practice.slug:
        practice.slug = inputs.slugify(practice.title)
    if "topics" in values and {t.id for t in practice.topics} != {t.id for t in values["topics"]}:
        practice.topics = list(values["topics"])
        changed.add("topics")
    if "sdg_targets" in values and practice.sdg_targets != values["sdg_targets"]:
        practice.target_rows = [PracticeSdgTarget(target=t) for t in values["sdg_targets"]]
        changed.add("sdg_targets")
    if "sdg_goals" in values and practice.sdg_goals != values["sdg_goals"]:
        practice.goal_rows = [PracticeSdgGoal(goal=g) for g in values["sdg_goals"]]
        changed.add("sdg_goals")
    if "indicators" in values:
        old = [{name: getattr(row, name) for name in inputs.INDICATOR_FIELDS} for row in practice.indicators]
        if old != values["indicators"]:
            practice.indicators = [PracticeIndicator(position=i, **row) for i, row in enumerate(values["indicators"])]
            changed.add("indicators")
    if "event_ids" in values and [e.id for e in practice.events] != [e.id for e in values["event_ids"]]:
        practice.events = list(values["event_ids"])
        changed.add("event_ids")
    if "module_ids" in values and [m.id for m in practice.modules] != [m.id for m in values["module_ids"]]:
        practice.modules = list(values["module_ids"])
        changed.add("module_ids")
    if values.get("translations"):
        changed |= _apply_translations(practice, values["translations"])
    return changed


def _apply_translations(practice: Practice, given: dict[str, dict | None]) -> set[str]:
    by_language = {t.language: t for t in practice.translations}
    changed = set()
    for lang, fields in given.items():
        existing = by_language.get(lang)
        if fields is None:
            if existing is not None:
                practice.translations.remove(existing)
                changed.add(f"translations.{lang}")
            continue
        if existing is None:
            practice.translations.append(PracticeTranslation(language=lang, **fields))
            changed.add(f"translations.{lang}")
            continue
        for name, value in fields.items():
            if getattr(existing, name) != value:
                setattr(existing, name, value)
                changed.add(f"translations.{lang}")
    return changed


def create_practice(session: Session, *, data: dict, actor_id: int, now: datetime) -> Practice:
    """A draft practice by the actor for their organisation (reviewers may name any organisation)."""
    user = actor(session, actor_id)
    data = dict(data) if isinstance(data, dict) else data
    values = inputs.parse_practice(session, data, practice=None, now=now)
    organisation_id = values.get("organisation_id")
    if organisation_id is None:
        if user.organisation_id is None:
            raise ValidationFailed("practice.needs_organisation", field="organisation_id")
        values["organisation_id"] = user.organisation_id
    elif organisation_id != user.organisation_id and not can_review_practice(user):
        raise Forbidden("practice.other_organisation", field="organisation_id")
    values.setdefault("contact_id", user.id)  # who drafts it answers questions until they name someone else
    practice = Practice(status="draft", author_id=user.id, created_at=now, updated_at=now, revision=0)
    session.add(practice)
    _apply(session, practice, values)
    session.flush()
    record_revision(session, practice, action="created", actor_id=user.id, now=now,
                    fields=[name for name in inputs.WRITABLE if name in data or name in values])
    session.flush()
    return practice


def update_practice(session: Session, *, practice_id: int, data: dict, actor_id: int, now: datetime) -> Practice:
    """Change some fields; a revision names those that changed (none changed: no revision)."""
    practice, user = editable_practice(session, practice_id, actor_id)
    values = inputs.parse_practice(session, data, practice=practice, now=now)
    if "organisation_id" in values and values["organisation_id"] != practice.organisation_id \
            and not can_review_practice(user) and values["organisation_id"] != user.organisation_id:
        raise Forbidden("practice.other_organisation", field="organisation_id")
    changed = _apply(session, practice, values)
    if not changed:
        return practice
    action = "edited"
    if practice.status == "published" and not can_review_practice(user):
        practice.status = "submitted"
        practice.submitted_at = now
        action = "edited_for_review"
    record_revision(session, practice, action=action, actor_id=user.id, now=now, fields=changed)
    session.flush()
    return practice


def set_translation(session: Session, *, practice_id: int, language: str, fields: dict | None, actor_id: int,
                    now: datetime) -> Practice:
    """Add or replace the practice's translation into `language` (None removes it)."""
    practice = update_practice(session, practice_id=practice_id, actor_id=actor_id, now=now,
                               data={"translations": {language: fields}})
    return practice


def translatable_fields(practice: Practice) -> dict[str, str]:
    """The original's title, summary and sections (what a translation has to say again)."""
    return {name: getattr(practice, name) or "" for name in TRANSLATABLE}


def linked_practice_ids(session: Session, *, event_id: int | None = None, module_id: int | None = None) -> list[int]:
    """Ids of the published practices presented at an event or taught by a module."""
    from app.practices.queries import linked_practices

    return [p.id for p in linked_practices(session, event_id=event_id, module_id=module_id)]
