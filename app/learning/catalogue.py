"""What a programme offers: input checks, programmes, modules with prerequisites and order, links to events.

Plain functions: they take ids and `now`, flush and never commit, and raise app.errors domain errors.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from app.auth.models import User
from app.content_language import apply_translations
from app.directory.services import find_topics
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.events.models import Event, EventSession
from app.learning.limits import (
    MAX_HOURS,
    MAX_TEXT,
    MODULE_FIELDS,
    MODULE_TRANSLATION_LIMITS,
    PROGRAMME_FIELDS,
    PROGRAMME_TRANSLATION_LIMITS,
    SUMMARY_MAX,
    TITLE_MAX,
)
from app.learning.lookups import _flush_or_conflict, _require_manager, _user, get_module, get_programme
from app.learning.messages import title_path
from app.learning.models import (
    COMPLETION_KINDS,
    Module,
    ModuleCompletion,
    ModuleLink,
    ModuleTranslation,
    Programme,
    ProgrammeTranslation,
    Submission,
)
from app.learning.progress import _refresh_completions, _sync_attendance
from app.validation import as_id, clean_name, clean_text

RESERVED_SLUGS = frozenset({"mine", "manage", "new"})


# Input checks ---------------------------------------------------------------------------------------

def parse_hours(value, *, field: str = "hours") -> Decimal:
    """Estimated hours: a number from 0 to 9999.99."""
    if value is None or value == "":
        return Decimal(0)
    if isinstance(value, bool):
        raise ValidationFailed("learning.hours_not_number", field=field, label="Hours")
    try:
        hours = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValidationFailed("learning.hours_not_number", field=field, label="Hours") from exc
    if not hours.is_finite():
        raise ValidationFailed("learning.hours_not_number", field=field, label="Hours")
    if hours < 0:
        raise ValidationFailed("learning.hours_negative", field=field, label="Hours")
    if hours > MAX_HOURS:
        raise ValidationFailed("learning.hours_too_many", field=field, label="Hours", maximum=MAX_HOURS)
    return hours.quantize(Decimal("0.01"))


def _bool(value, *, field: str, reason: str) -> bool:
    if isinstance(value, bool):
        return value
    raise ValidationFailed(reason, field=field)


def _id_list(value, *, field: str, reason: str) -> list[int]:
    if value is None:
        return []
    if not isinstance(value, list | tuple) or any(isinstance(v, bool) or not isinstance(v, int) for v in value):
        raise ValidationFailed(reason, field=field)
    return list(dict.fromkeys(value))


def _slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:200] or "programme"


def _unique_slug(session: Session, title: str, *, exclude_id: int | None = None) -> str:
    base = _slugify(title)
    taken = set(session.scalars(
        sa.select(Programme.slug).where(Programme.slug.like(f"{base}%"),
                                        Programme.id != (exclude_id or 0))
    ))
    taken |= RESERVED_SLUGS
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


# Programmes -----------------------------------------------------------------------------------------



def _apply_programme_data(session: Session, programme: Programme, data: dict, *, partial: bool) -> None:
    if not isinstance(data, dict):
        raise ValidationFailed("learning.programme_not_object")
    unknown = sorted(set(data) - PROGRAMME_FIELDS)
    if unknown:
        raise ValidationFailed("learning.unknown_fields", field=unknown[0], names=", ".join(unknown))
    if not partial or "title" in data:
        programme.title = clean_name(data.get("title"), field="title", label="Title", limit=TITLE_MAX, required=True)
    if not partial or "summary" in data:
        programme.summary = clean_text(data.get("summary"), field="summary", label="Summary", limit=SUMMARY_MAX)
    if not partial or "description" in data:
        programme.description = clean_text(data.get("description"), field="description", label="Description",
                                      limit=MAX_TEXT)
    if "topics" in data:
        slugs = data.get("topics") or []
        if not isinstance(slugs, list | tuple) or not all(
                isinstance(s, str) and "\x00" not in s and len(s) <= 200 for s in slugs):
            raise ValidationFailed("learning.topics_not_slugs", field="topics")
        programme.topics = find_topics(session, list(slugs))
    if "organisers" in data:
        ids = _id_list(data.get("organisers"), field="organisers", reason="learning.organisers_not_ids")
        users = list(session.scalars(sa.select(User).where(User.id.in_(ids)))) if ids else []
        if len(users) != len(ids) or any(u.role not in ("organiser", "admin") for u in users):
            raise ValidationFailed("learning.organisers_invalid", field="organisers")
        if not users:
            raise ValidationFailed("learning.organisers_missing", field="organisers")
        programme.organisers = users
    if "language" in data or "translations" in data:
        apply_translations(programme, data, limits=PROGRAMME_TRANSLATION_LIMITS, make_row=ProgrammeTranslation)


def create_programme(session: Session, *, data: dict, created_by_id: int, now: datetime) -> Programme:
    """A new draft programme; its creator becomes its first organiser."""
    creator = _user(session, created_by_id)
    if creator is None or not creator.is_organiser:
        raise Forbidden("learning.create_organisers_only")
    programme = Programme(status="draft", created_by_id=creator.id, created_at=now, updated_at=now)
    _apply_programme_data(session, programme, data, partial=False)
    if "organisers" not in data:
        programme.organisers = [creator]
    programme.slug = _unique_slug(session, programme.title)
    session.add(programme)
    session.flush()
    return programme


def update_programme(session: Session, *, programme_id: int, data: dict, actor_id: int, now: datetime) -> Programme:
    """Change the fields given (title, summary, description, topics, organisers)."""
    programme = get_programme(session, programme_id)
    _require_manager(session, programme, actor_id)
    _apply_programme_data(session, programme, data, partial=True)
    programme.updated_at = now
    session.flush()
    return programme


def publish_programme(session: Session, *, programme_id: int, actor_id: int, now: datetime) -> Programme:
    """Open a programme for joining; it needs at least one required module."""
    programme = get_programme(session, programme_id)
    _require_manager(session, programme, actor_id)
    if programme.status == "published":
        raise Conflict("learning.programme_already_published")
    if not any(m.is_required for m in programme.active_modules):
        raise ValidationFailed("learning.publish_needs_required_module", field="modules")
    programme.status = "published"
    programme.published_at = programme.published_at or now
    programme.archived_at = None
    programme.updated_at = now
    session.flush()
    return programme


def archive_programme(session: Session, *, programme_id: int, actor_id: int, now: datetime) -> Programme:
    """Close a programme: nobody joins any more; progress and completions stay."""
    programme = get_programme(session, programme_id)
    _require_manager(session, programme, actor_id)
    if programme.status == "archived":
        raise Conflict("learning.programme_already_archived")
    programme.status = "archived"
    programme.archived_at = now
    programme.updated_at = now
    session.flush()
    return programme


def _programme_options():
    return (
        selectinload(Programme.topics),
        selectinload(Programme.organisers),
        selectinload(Programme.translations),
        selectinload(Programme.modules).selectinload(Module.translations),
        selectinload(Programme.modules).selectinload(Module.prerequisites),
        selectinload(Programme.modules).selectinload(Module.links).joinedload(ModuleLink.event),
        selectinload(Programme.modules).selectinload(Module.links).joinedload(ModuleLink.session)
        .joinedload(EventSession.event),
    )


def load_programme(session: Session, programme_id: int) -> Programme:
    """A programme with its topics, organisers, modules, prerequisites and links loaded."""
    programme = session.scalar(sa.select(Programme).where(Programme.id == programme_id)
                               .options(*_programme_options()))
    if programme is None:
        raise NotFound("learning.programme_not_found")
    return programme


def list_programmes(session: Session, *, viewer: User | None = None, include_managed: bool = False) -> list[Programme]:
    """Published programmes (and, with include_managed, every programme the viewer organises)."""
    stmt = sa.select(Programme).options(*_programme_options()).order_by(Programme.title, Programme.id)
    condition = Programme.status == "published"
    if include_managed and viewer is not None and viewer.is_authenticated:
        if viewer.role == "admin":
            condition = sa.true()
        else:
            condition = sa.or_(condition, Programme.organisers.any(User.id == viewer.id))
    return list(session.scalars(stmt.where(condition)))


def managed_programmes(session: Session, *, actor_id: int) -> list[Programme]:
    """Every programme the actor organises (admins: all), drafts first."""
    actor = _user(session, actor_id)
    if actor is None or not actor.is_organiser:
        raise Forbidden("learning.manage_organisers_only")
    stmt = sa.select(Programme).options(selectinload(Programme.modules), selectinload(Programme.organisers))
    if actor.role != "admin":
        stmt = stmt.where(Programme.organisers.any(User.id == actor.id))
    order = sa.case({"draft": 0, "published": 1}, value=Programme.status, else_=2)
    return list(session.scalars(stmt.order_by(order, Programme.title)))


# Modules --------------------------------------------------------------------------------------------



def add_module(session: Session, *, programme_id: int, data: dict, actor_id: int, now: datetime) -> Module:
    """Append a module (title, description, objectives, hours, required, completion, prerequisites)."""
    programme = get_programme(session, programme_id)
    _require_manager(session, programme, actor_id)
    if programme.status == "archived":
        raise Conflict("learning.programme_archived")
    # validated before it joins the programme, so a refusal leaves nothing behind
    module = Module(created_at=now, updated_at=now, is_required=True, completion="event", hours=Decimal(0),
                    description="", objectives="")
    module.position = max((m.position for m in programme.modules), default=-1) + 1
    with session.no_autoflush:
        _apply_module_data(session, module, data, partial=False, programme=programme)
    programme.modules.append(module)
    session.flush()
    return module


def update_module(session: Session, *, module_id: int, data: dict, actor_id: int, now: datetime) -> Module:
    """Change the fields given; `position` (1-based) moves the module."""
    module = get_module(session, module_id)
    _require_manager(session, module.programme, actor_id)
    if module.archived_at is not None:
        raise Conflict("learning.module_archived")
    old_required, old_kind = module.is_required, module.completion
    _apply_module_data(session, module, data, partial=True, programme=module.programme)
    if module.completion != old_kind and module.completion == "self_study" and module.links:
        raise ValidationFailed("learning.self_study_has_links", field="completion")
    module.updated_at = now
    session.flush()
    if module.is_required != old_required:
        _refresh_completions(session, programme=module.programme, user_ids=None, now=now, allow_removal=False)
    return module


def _apply_module_data(session: Session, module: Module, data: dict, *, partial: bool,
                       programme: Programme) -> None:
    if not isinstance(data, dict):
        raise ValidationFailed("learning.module_not_object")
    unknown = sorted(set(data) - MODULE_FIELDS)
    if unknown:
        raise ValidationFailed("learning.unknown_fields", field=unknown[0], names=", ".join(unknown))
    if not partial or "title" in data:
        module.title = clean_name(data.get("title"), field="title", label="Title", limit=TITLE_MAX, required=True)
    if "description" in data:
        module.description = clean_text(data["description"], field="description", label="Description", limit=MAX_TEXT)
    if "objectives" in data:
        module.objectives = clean_text(data["objectives"], field="objectives", label="Learning objectives",
                                  limit=MAX_TEXT)
    if "hours" in data:
        module.hours = parse_hours(data["hours"])
    if "required" in data:
        module.is_required = _bool(data["required"], field="required", reason="learning.required_not_boolean")
    if "completion" in data:
        if data["completion"] not in COMPLETION_KINDS:
            raise ValidationFailed("learning.completion_kind_invalid", field="completion")
        module.completion = data["completion"]
    if "prerequisites" in data:
        ids = _id_list(data["prerequisites"], field="prerequisites", reason="learning.prerequisites_not_ids")
        _set_prerequisites(session, module, ids, programme)
    if "position" in data:
        position = data["position"]
        if isinstance(position, bool) or not isinstance(position, int) or position < 1:
            raise ValidationFailed("learning.position_invalid", field="position")
        _move_to(module, position - 1, programme)
    if "language" in data or "translations" in data:
        apply_translations(module, data, limits=MODULE_TRANSLATION_LIMITS, make_row=ModuleTranslation)


def _set_prerequisites(session: Session, module: Module, ids: list[int], programme: Programme) -> None:
    by_id = {m.id: m for m in programme.modules if m.archived_at is None and m.id is not None}
    if module.id is not None and module.id in ids:
        raise ValidationFailed("learning.prerequisite_is_itself", field="prerequisites")
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise ValidationFailed("learning.prerequisites_elsewhere", field="prerequisites",
                               ids=", ".join(str(i) for i in unknown))
    wanted = [by_id[i] for i in ids]
    if module.id is not None:
        cycle = _find_cycle(module, wanted, by_id)
        if cycle:
            raise ValidationFailed("learning.prerequisites_cycle", field="prerequisites",
                                   cycle=title_path(m.title for m in cycle))
    module.prerequisites = wanted


def _find_cycle(module: Module, wanted: list[Module], by_id: dict[int, Module]) -> list[Module] | None:
    """The path module → p → … → module if giving `module` the prerequisites `wanted` closes a loop."""
    graph = {mid: [p.id for p in m.prerequisites if p.id in by_id] for mid, m in by_id.items()}
    graph[module.id] = [m.id for m in wanted]

    def path_to_module(start: int, seen: set[int]) -> list[int] | None:
        if start == module.id:
            return [start]
        if start in seen:
            return None
        seen.add(start)
        for nxt in graph.get(start, []):
            rest = path_to_module(nxt, seen)
            if rest is not None:
                return [start, *rest]
        return None

    for prerequisite in wanted:
        path = path_to_module(prerequisite.id, set())
        if path is not None:
            return [module] + [by_id[i] for i in path]
    return None


def set_prerequisites(session: Session, *, module_id: int, prerequisite_ids: list[int], actor_id: int,
                      now: datetime) -> Module:
    """Replace a module's prerequisites (same programme; cycles refused naming the modules)."""
    module = get_module(session, module_id)
    _require_manager(session, module.programme, actor_id)
    _set_prerequisites(session, module, _id_list(prerequisite_ids, field="prerequisites",
                                                reason="learning.prerequisites_not_ids"),
                       module.programme)
    module.updated_at = now
    session.flush()
    return module


def _move_to(module: Module, index: int, programme: Programme) -> None:
    active = [m for m in programme.modules if m.archived_at is None and m is not module]
    active.sort(key=lambda m: (m.position, m.id or 0))
    index = max(0, min(index, len(active)))
    active.insert(index, module)
    for position, item in enumerate(active):
        item.position = position


def move_module(session: Session, *, module_id: int, direction: str, actor_id: int, now: datetime) -> Module:
    """Move a module one place up or down in its programme."""
    module = get_module(session, module_id)
    _require_manager(session, module.programme, actor_id)
    if direction not in ("up", "down"):
        raise ValidationFailed("learning.direction_invalid", field="direction")
    active = sorted((m for m in module.programme.modules if m.archived_at is None),
                    key=lambda m: (m.position, m.id))
    index = active.index(module) if module in active else 0
    _move_to(module, index - 1 if direction == "up" else index + 1, module.programme)
    session.flush()
    return module


def delete_module(session: Session, *, module_id: int, actor_id: int, now: datetime) -> str:
    """Delete a module, or archive it when someone completed or submitted it; returns 'deleted' or 'archived'."""
    module = get_module(session, module_id)
    programme = module.programme
    _require_manager(session, programme, actor_id)
    if module.archived_at is not None:
        raise Conflict("learning.module_already_archived")
    for other in programme.modules:
        if module in other.prerequisites:
            other.prerequisites.remove(module)
    used = session.scalar(sa.select(
        sa.exists().where(ModuleCompletion.module_id == module.id)
        | sa.exists().where(Submission.module_id == module.id)
    ))
    if used:
        module.archived_at = now
        module.prerequisites = []
        outcome = "archived"
    else:
        programme.modules.remove(module)  # delete-orphan: the flush deletes it with its links
        outcome = "deleted"
    active = sorted((m for m in programme.modules if m.archived_at is None), key=lambda m: (m.position, m.id))
    for position, item in enumerate(active):
        item.position = position
    programme.updated_at = now
    session.flush()
    _refresh_completions(session, programme=programme, user_ids=None, now=now, allow_removal=False)
    return outcome


# Links to events and sessions ----------------------------------------------------------------------

def link_module(session: Session, *, module_id: int, actor_id: int, now: datetime, event_id: int | None = None,
                session_id: int | None = None) -> ModuleLink:
    """Let a published event (any of its units) or one of its sessions teach an event-based module."""
    module = get_module(session, module_id)
    _require_manager(session, module.programme, actor_id)
    if module.archived_at is not None:
        raise Conflict("learning.module_archived")
    if module.completion != "event":
        raise ValidationFailed("learning.link_self_study", field="completion")
    if (event_id is None) == (session_id is None):
        raise ValidationFailed("learning.link_target_missing", field="event_id")
    for name, value in (("event_id", event_id), ("session_id", session_id)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise ValidationFailed("learning.link_id_not_whole", field=name, name=name)
    if session_id is not None:
        agenda_item = session.get(EventSession, session_id) if as_id(session_id) else None
        if agenda_item is None:
            raise NotFound("learning.session_not_found", field="session_id")
        event = agenda_item.event
        field_name = "session_id"
    else:
        event = session.get(Event, event_id) if as_id(event_id) else None
        if event is None:
            raise NotFound("learning.event_not_found", field="event_id")
        field_name = "event_id"
    if event.status == "draft":
        raise ValidationFailed("learning.link_event_draft", field=field_name, title=event.title)
    if event.status == "cancelled":
        raise ValidationFailed("learning.link_event_cancelled", field=field_name, title=event.title)
    duplicate = any((event_id is not None and link.event_id == event_id)
                    or (session_id is not None and link.session_id == session_id) for link in module.links)
    if duplicate:
        raise Conflict("learning.link_exists", field=field_name)
    link = ModuleLink(module=module, event_id=event_id, session_id=session_id, created_at=now,
                      created_by_id=actor_id)
    session.add(link)
    _flush_or_conflict(session, "learning.link_exists")
    # attendance recorded before the link counts too
    _sync_attendance(session, modules=[module], user_ids=None, now=now, remove=False)
    return link


def unlink_module(session: Session, *, link_id: int, actor_id: int, now: datetime) -> None:
    """Remove a link; completions already recorded through it stay (they happened)."""
    link = session.get(ModuleLink, link_id) if as_id(link_id) else None
    if link is None:
        raise NotFound("learning.link_not_found")
    _require_manager(session, link.module.programme, actor_id)
    link.module.links.remove(link)
    session.delete(link)
    session.flush()
