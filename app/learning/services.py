"""Learning programmes: editing, joining, progress from attendance, self-study review, completion.

Plain functions: they take ids and `now`, flush and never commit, and raise app.errors domain errors.

Rules decided here (documented once):
- Attendance: any check-in of a programme participant on a linked event (any of its units: a session or
  a day) or on a linked agenda session completes the module. An event's minimum attendance share is for
  its attendance certificate, not for modules. Attendance counts even when it happened before the person
  joined the programme or before the link was made (every run of a yearly workshop counts).
- Undoing the last qualifying check-in un-completes an attendance-based completion, unless a valid
  certificate stands on the event or on the programme: then the completion stays and carries the reason.
- A programme is completed when every required, non-archived module is done; the hours are those of
  every done, non-archived module (optional ones included). The completion is removed again only when a
  required module is lost (un-completion), and never while a programme certificate stands on it. Later
  edits of the programme (a new required module) do not take away a recorded completion.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from app.auth.models import User
from app.directory.services import find_topics, normalise_url
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.events.models import Checkin, Enrolment, Event, EventSession
from app.learning.limits import (
    MAX_HOURS,
    MAX_SUBMISSION_TEXT,
    MAX_TEXT,
    MODULE_FIELDS,
    NOTE_MAX,
    PROGRAMME_FIELDS,
    SUMMARY_MAX,
    TITLE_MAX,
)
from app.learning.models import (
    COMPLETION_KINDS,
    LearningAudit,
    Module,
    ModuleCompletion,
    ModuleLink,
    Programme,
    ProgrammeCompletion,
    ProgrammeParticipant,
    Submission,
)
from app.learning.signals import programme_completed, programme_uncompleted
from app.spreadsheet import safe_cell as csv_safe
from app.validation import as_id, clean_name, clean_text

RESERVED_SLUGS = frozenset({"mine", "manage", "new"})


# Lookups and authorisation -------------------------------------------------------------------------

def can_manage(programme: Programme, user: User | None) -> bool:
    """Admins, and the programme's organisers."""
    return programme.is_organised_by(user)


def get_programme(session: Session, programme_id: int) -> Programme:
    programme = session.get(Programme, programme_id) if as_id(programme_id) else None
    if programme is None:
        raise NotFound("No such programme.")
    return programme


def get_programme_by_slug(session: Session, slug: str) -> Programme:
    if "\x00" in slug or len(slug) > 220:  # PostgreSQL refuses NUL in a query parameter
        raise NotFound("No such programme.")
    programme = session.scalar(sa.select(Programme).where(Programme.slug == slug))
    if programme is None:
        raise NotFound("No such programme.")
    return programme


def get_module(session: Session, module_id: int) -> Module:
    module = session.get(Module, module_id) if as_id(module_id) else None
    if module is None:
        raise NotFound("No such module.")
    return module


def can_view(programme: Programme, user: User | None) -> bool:
    """Published and archived programmes are public; drafts only for their organisers."""
    return programme.status != "draft" or can_manage(programme, user)


def _user(session: Session, user_id: int | None) -> User | None:
    return session.get(User, user_id) if as_id(user_id) else None


def _require_manager(session: Session, programme: Programme, actor_id: int | None) -> User:
    actor = _user(session, actor_id)
    if actor is None or not can_manage(programme, actor):
        if actor is not None and can_view(programme, actor):
            raise Forbidden("Only the programme's organisers can do that.")
        raise NotFound("No such programme.")
    return actor


def _certificate_reason(session: Session, *, user_id: int, event_id: int | None = None,
                        programme_id: int | None = None) -> str | None:
    """A higher layer's reason to keep a completion (certificates answer through the signal; learning never
    imports them)."""
    from app.learning.signals import completion_withdrawal_requested

    answers = completion_withdrawal_requested.send(None, session=session, user_id=user_id, event_id=event_id,
                                                   programme_id=programme_id)
    return next((answer for _, answer in answers if answer), None)


def _flush_or_conflict(session: Session, message: str) -> None:
    """Flush; a unique constraint hit by a concurrent request becomes a clear 409 instead of a 500."""
    try:
        session.flush()
    except sa.exc.IntegrityError as exc:
        raise Conflict(message) from exc


def _insert_new(session: Session, model: type, rows: list[dict]) -> list:
    """Insert rows in a savepoint; a row a concurrent request wrote first is skipped (theirs stands).

    The unique constraints answer the race; the savepoint keeps the caller's transaction (a check-in,
    a join) alive instead of failing it. One savepoint normally; one per row only after a clash.
    """
    if not rows:
        return []
    connection = session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        # pysqlite has not begun the transaction yet, so RELEASE would commit early: insert plainly
        # (SQLite serialises writers; a clash there is answered 409 by the global handler)
        objects = [model(**row) for row in rows]
        session.add_all(objects)
        session.flush()
        return objects
    try:
        with session.begin_nested():
            objects = [model(**row) for row in rows]
            session.add_all(objects)
        return objects
    except sa.exc.IntegrityError:
        pass
    added = []
    for row in rows:
        try:
            with session.begin_nested():
                obj = model(**row)
                session.add(obj)
        except sa.exc.IntegrityError:
            continue
        added.append(obj)
    return added


def recent_audit(session: Session, *, programme_id: int, actor_id: int, limit: int = 50) -> list[LearningAudit]:
    """The latest hand-made and review changes to people's progress in a programme (organisers only)."""
    _require_manager(session, get_programme(session, programme_id), actor_id)
    return list(session.scalars(
        sa.select(LearningAudit).where(LearningAudit.programme_id == programme_id)
        .options(joinedload(LearningAudit.actor), joinedload(LearningAudit.user), joinedload(LearningAudit.module))
        .order_by(LearningAudit.created_at.desc(), LearningAudit.id.desc()).limit(limit)))


def _audit(session: Session, *, programme_id: int, user_id: int, action: str, now: datetime,
           module_id: int | None = None, actor_id: int | None = None, note: str = "") -> None:
    session.add(LearningAudit(programme_id=programme_id, module_id=module_id, user_id=user_id,
                              actor_id=actor_id, action=action, note=note or "", created_at=now))


# Input checks ---------------------------------------------------------------------------------------

def parse_hours(value, *, field: str = "hours") -> Decimal:
    """Estimated hours: a number from 0 to 9999.99."""
    if value is None or value == "":
        return Decimal(0)
    if isinstance(value, bool):
        raise ValidationFailed("Hours must be a number.", field=field)
    try:
        hours = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValidationFailed("Hours must be a number.", field=field) from exc
    if not hours.is_finite():
        raise ValidationFailed("Hours must be a number.", field=field)
    if hours < 0:
        raise ValidationFailed("Hours cannot be negative.", field=field)
    if hours > MAX_HOURS:
        raise ValidationFailed(f"Hours are at most {MAX_HOURS}.", field=field)
    return hours.quantize(Decimal("0.01"))


def _bool(value, *, field: str, label: str) -> bool:
    if isinstance(value, bool):
        return value
    raise ValidationFailed(f"{label} must be true or false.", field=field)


def _id_list(value, *, field: str, label: str) -> list[int]:
    if value is None:
        return []
    if not isinstance(value, list | tuple) or any(isinstance(v, bool) or not isinstance(v, int) for v in value):
        raise ValidationFailed(f"{label} must be a list of ids.", field=field)
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
        raise ValidationFailed("Send the programme as an object.")
    unknown = sorted(set(data) - PROGRAMME_FIELDS)
    if unknown:
        raise ValidationFailed(f"Unknown field(s): {', '.join(unknown)}.", field=unknown[0])
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
            raise ValidationFailed("Topics must be a list of topic slugs.", field="topics")
        programme.topics = find_topics(session, list(slugs))
    if "organisers" in data:
        ids = _id_list(data.get("organisers"), field="organisers", label="Organisers")
        users = list(session.scalars(sa.select(User).where(User.id.in_(ids)))) if ids else []
        if len(users) != len(ids) or any(u.role not in ("organiser", "admin") for u in users):
            raise ValidationFailed("Organisers must be existing organiser or admin accounts.", field="organisers")
        if not users:
            raise ValidationFailed("A programme needs at least one organiser.", field="organisers")
        programme.organisers = users


def create_programme(session: Session, *, data: dict, created_by_id: int, now: datetime) -> Programme:
    """A new draft programme; its creator becomes its first organiser."""
    creator = _user(session, created_by_id)
    if creator is None or not creator.is_organiser:
        raise Forbidden("Only organisers can create programmes.")
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
        raise Conflict("The programme is already published.")
    if not any(m.is_required for m in programme.active_modules):
        raise ValidationFailed("Add at least one required module before publishing.", field="modules")
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
        raise Conflict("The programme is already archived.")
    programme.status = "archived"
    programme.archived_at = now
    programme.updated_at = now
    session.flush()
    return programme


def _programme_options():
    return (
        selectinload(Programme.topics),
        selectinload(Programme.organisers),
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
        raise NotFound("No such programme.")
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
        raise Forbidden("Only organisers manage programmes.")
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
        raise Conflict("The programme is archived; publish it again before adding modules.")
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
        raise Conflict("The module is archived.")
    old_required, old_kind = module.is_required, module.completion
    _apply_module_data(session, module, data, partial=True, programme=module.programme)
    if module.completion != old_kind and module.completion == "self_study" and module.links:
        raise ValidationFailed("Remove the module's event links before making it self-study.", field="completion")
    module.updated_at = now
    session.flush()
    if module.is_required != old_required:
        _refresh_completions(session, programme=module.programme, user_ids=None, now=now, allow_removal=False)
    return module


def _apply_module_data(session: Session, module: Module, data: dict, *, partial: bool,
                       programme: Programme) -> None:
    if not isinstance(data, dict):
        raise ValidationFailed("Send the module as an object.")
    unknown = sorted(set(data) - MODULE_FIELDS)
    if unknown:
        raise ValidationFailed(f"Unknown field(s): {', '.join(unknown)}.", field=unknown[0])
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
        module.is_required = _bool(data["required"], field="required", label="Required")
    if "completion" in data:
        if data["completion"] not in COMPLETION_KINDS:
            raise ValidationFailed("Completion must be 'event' or 'self_study'.", field="completion")
        module.completion = data["completion"]
    if "prerequisites" in data:
        ids = _id_list(data["prerequisites"], field="prerequisites", label="Prerequisites")
        _set_prerequisites(session, module, ids, programme)
    if "position" in data:
        position = data["position"]
        if isinstance(position, bool) or not isinstance(position, int) or position < 1:
            raise ValidationFailed("Position must be a whole number from 1.", field="position")
        _move_to(module, position - 1, programme)


def _set_prerequisites(session: Session, module: Module, ids: list[int], programme: Programme) -> None:
    by_id = {m.id: m for m in programme.modules if m.archived_at is None and m.id is not None}
    if module.id is not None and module.id in ids:
        raise ValidationFailed("A module cannot be its own prerequisite.", field="prerequisites")
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise ValidationFailed(
            "Prerequisites must be modules of the same programme (not: "
            f"{', '.join(str(i) for i in unknown)}).", field="prerequisites")
    wanted = [by_id[i] for i in ids]
    if module.id is not None:
        cycle = _find_cycle(module, wanted, by_id)
        if cycle:
            names = " → ".join(f"“{m.title}”" for m in cycle)
            raise ValidationFailed(
                f"These prerequisites would make a cycle ({names}; → means “needs”). "
                "Remove one of them.", field="prerequisites")
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
    _set_prerequisites(session, module, _id_list(prerequisite_ids, field="prerequisites", label="Prerequisites"),
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
        raise ValidationFailed("Direction must be up or down.", field="direction")
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
        raise Conflict("The module is already archived.")
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
        raise Conflict("The module is archived.")
    if module.completion != "event":
        raise ValidationFailed("Only event-based modules are linked to events; this one is self-study.",
                               field="completion")
    if (event_id is None) == (session_id is None):
        raise ValidationFailed("Give either an event_id or a session_id.", field="event_id")
    for name, value in (("event_id", event_id), ("session_id", session_id)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise ValidationFailed(f"{name} must be a whole number.", field=name)
    if session_id is not None:
        agenda_item = session.get(EventSession, session_id) if as_id(session_id) else None
        if agenda_item is None:
            raise NotFound("No such session.", field="session_id")
        event = agenda_item.event
        field_name = "session_id"
    else:
        event = session.get(Event, event_id) if as_id(event_id) else None
        if event is None:
            raise NotFound("No such event.", field="event_id")
        field_name = "event_id"
    if event.status == "draft":
        raise ValidationFailed(f"“{event.title}” is a draft; publish it before linking it.", field=field_name)
    if event.status == "cancelled":
        raise ValidationFailed(f"“{event.title}” is cancelled and cannot teach a module.", field=field_name)
    duplicate = any((event_id is not None and link.event_id == event_id)
                    or (session_id is not None and link.session_id == session_id) for link in module.links)
    if duplicate:
        raise Conflict("That link already exists.", field=field_name)
    link = ModuleLink(module=module, event_id=event_id, session_id=session_id, created_at=now,
                      created_by_id=actor_id)
    session.add(link)
    _flush_or_conflict(session, "That link already exists.")
    # attendance recorded before the link counts too
    _sync_attendance(session, modules=[module], user_ids=None, now=now, remove=False)
    return link


def unlink_module(session: Session, *, link_id: int, actor_id: int, now: datetime) -> None:
    """Remove a link; completions already recorded through it stay (they happened)."""
    link = session.get(ModuleLink, link_id) if as_id(link_id) else None
    if link is None:
        raise NotFound("No such link.")
    _require_manager(session, link.module.programme, actor_id)
    link.module.links.remove(link)
    session.delete(link)
    session.flush()


# Joining --------------------------------------------------------------------------------------------

def join_programme(session: Session, *, programme_id: int, user_id: int, now: datetime) -> ProgrammeParticipant:
    """Join a published programme (joining twice returns the same membership)."""
    programme = get_programme(session, programme_id)
    user = _user(session, user_id)
    if user is None:
        raise NotFound("No such user.")
    if programme.status != "published":
        if not can_view(programme, user):
            raise NotFound("No such programme.")
        raise Conflict("This programme is not open for joining.")
    existing = session.scalar(sa.select(ProgrammeParticipant).where(
        ProgrammeParticipant.programme_id == programme_id, ProgrammeParticipant.user_id == user_id))
    if existing is not None:
        return existing
    added = _insert_new(session, ProgrammeParticipant,
                        [{"programme_id": programme_id, "user_id": user_id, "joined_at": now}])
    if not added:  # a second click that raced the first: the same membership
        return session.scalars(sa.select(ProgrammeParticipant).where(
            ProgrammeParticipant.programme_id == programme_id, ProgrammeParticipant.user_id == user_id)).one()
    participant = added[0]
    _sync_attendance(session, modules=programme.active_modules, user_ids=[user_id], now=now, remove=False)
    return participant


def participant(session: Session, *, programme_id: int, user_id: int) -> ProgrammeParticipant | None:
    return session.scalar(sa.select(ProgrammeParticipant).where(
        ProgrammeParticipant.programme_id == programme_id, ProgrammeParticipant.user_id == user_id))


def _require_participant(session: Session, programme: Programme, user_id: int, *, who: str = "You") -> None:
    if participant(session, programme_id=programme.id, user_id=user_id) is None:
        raise Conflict(f"{who} must join “{programme.title}” first.")


# Attendance -----------------------------------------------------------------------------------------

def _qualifying(session: Session, *, module_ids: list[int], user_ids: list[int] | None,
                exclude: tuple[int, int | None, object] | None = None) -> dict[tuple[int, int], int]:
    """(module_id, user_id) -> event id of a check-in that completes the module for the user."""
    if not module_ids:
        return {}
    conditions = []
    if user_ids is not None:
        conditions.append(Enrolment.user_id.in_(user_ids))
    if exclude is not None:
        enrolment_id, session_id, day = exclude
        same_unit = (Checkin.session_id == session_id) if session_id is not None else (Checkin.day == day)
        conditions.append(sa.not_(sa.and_(Checkin.enrolment_id == enrolment_id, same_unit)))
    by_event = (
        sa.select(ModuleLink.module_id, Enrolment.user_id, Enrolment.event_id)
        .join(Enrolment, Enrolment.event_id == ModuleLink.event_id)
        .join(Checkin, Checkin.enrolment_id == Enrolment.id)
        .where(ModuleLink.module_id.in_(module_ids), *conditions)
    )
    by_session = (
        sa.select(ModuleLink.module_id, Enrolment.user_id, Enrolment.event_id)
        .join(Checkin, Checkin.session_id == ModuleLink.session_id)
        .join(Enrolment, Enrolment.id == Checkin.enrolment_id)
        .where(ModuleLink.module_id.in_(module_ids), *conditions)
    )
    found: dict[tuple[int, int], int] = {}
    for module_id, user_id, event_id in session.execute(sa.union_all(by_event, by_session)):
        found.setdefault((module_id, user_id), event_id)
    return found


def missing_prerequisites(module: Module, done_ids: set[int]) -> list[Module]:
    """The one prerequisite rule: a module can be completed (by attendance, review or an organiser) only once
    each of its active prerequisites is completed."""
    return [p for p in module.prerequisites if p.archived_at is None and p.id not in done_ids]


def _refuse_before_prerequisites(session: Session, module: Module, user_id: int, message: str) -> None:
    prereq_ids = [p.id for p in module.prerequisites if p.archived_at is None]
    missing = missing_prerequisites(module, _done_module_ids(session, user_id=user_id, module_ids=prereq_ids))
    if missing:
        raise Conflict(message + ", ".join(f"“{p.title}”" for p in missing) + ".", field="prerequisites")


def _sync_attendance(session: Session, *, modules: Iterable[Module], user_ids: list[int] | None, now: datetime,
                     remove: bool = True, exclude: tuple | None = None, cascade: bool = True) -> list[str]:
    """Record (and, with remove, retract) attendance completions; returns reasons for kept completions.
    Attendance on a module whose prerequisites are not done yet waits: it completes the module once they are
    (the completions gained here are followed through the programme's other attended modules)."""
    modules = [m for m in modules if m.completion == "event" and m.archived_at is None]
    if not modules:
        return []
    session.flush()
    programme_ids = {m.programme_id for m in modules}
    stmt = sa.select(ProgrammeParticipant.programme_id, ProgrammeParticipant.user_id).where(
        ProgrammeParticipant.programme_id.in_(programme_ids))
    if user_ids is not None:
        stmt = stmt.where(ProgrammeParticipant.user_id.in_(user_ids))
    members: dict[int, list[int]] = defaultdict(list)
    for programme_id, user_id in session.execute(stmt):
        members[programme_id].append(user_id)
    all_users = sorted({u for users in members.values() for u in users})
    if not all_users:
        return []
    module_ids = [m.id for m in modules]
    qualifying = _qualifying(session, module_ids=module_ids, user_ids=all_users, exclude=exclude)
    existing = {(c.module_id, c.user_id): c for c in session.scalars(sa.select(ModuleCompletion).where(
        ModuleCompletion.module_id.in_(module_ids), ModuleCompletion.user_id.in_(all_users)))}
    prereq_ids = sorted({p.id for m in modules for p in m.prerequisites})
    done: dict[int, set[int]] = defaultdict(set)
    if prereq_ids:
        for module_id, user_id in session.execute(sa.select(ModuleCompletion.module_id, ModuleCompletion.user_id)
                                                  .where(ModuleCompletion.module_id.in_(prereq_ids),
                                                         ModuleCompletion.user_id.in_(all_users))):
            done[user_id].add(module_id)
    gained: dict[int, set[int]] = defaultdict(set)
    lost: dict[int, set[int]] = defaultdict(set)
    kept: list[str] = []
    new_rows: list[dict] = []
    waiting: list[tuple[Module, int, int]] = []
    programme_of = {m.id: m.programme_id for m in modules}
    for module in modules:
        for user_id in members.get(module.programme_id, []):
            key = (module.id, user_id)
            event_id, completion = qualifying.get(key), existing.get(key)
            if event_id is not None and completion is None:
                waiting.append((module, user_id, event_id))
            elif event_id is not None and completion.retained_reason:
                completion.retained_reason = None
            elif (event_id is None and completion is not None and remove and completion.source == "attendance"
                  and not completion.retained_reason):
                reason = _certificate_reason(session, user_id=user_id, event_id=completion.event_id,
                                             programme_id=module.programme_id)
                if reason:
                    completion.retained_reason = reason
                    kept.append(reason)
                    _audit(session, programme_id=module.programme_id, module_id=module.id, user_id=user_id,
                           action="kept", now=now, note=reason)
                else:
                    session.delete(completion)
                    done[user_id].discard(module.id)
                    _audit(session, programme_id=module.programme_id, module_id=module.id, user_id=user_id,
                           action="uncompleted", now=now, note="The check-in was undone.")
                    lost[module.programme_id].add(user_id)
    # attended modules complete in prerequisite order; those whose prerequisites stay undone keep waiting
    progress = True
    while waiting and progress:
        progress = False
        for item in list(waiting):
            module, user_id, event_id = item
            if missing_prerequisites(module, done[user_id]):
                continue
            new_rows.append({"module_id": module.id, "user_id": user_id, "completed_at": now,
                             "source": "attendance", "event_id": event_id})
            done[user_id].add(module.id)
            waiting.remove(item)
            progress = True
    session.flush()
    # two check-ins of the same person at once (two doors, two sessions) may both complete the module
    for completion in _insert_new(session, ModuleCompletion, new_rows):
        gained[programme_of[completion.module_id]].add(completion.user_id)
    programmes = {m.programme_id: m.programme for m in modules}
    for programme_id, users in gained.items():
        _refresh_completions(session, programme=programmes[programme_id], user_ids=sorted(users), now=now,
                             allow_removal=False)
    for programme_id, users in lost.items():
        _refresh_completions(session, programme=programmes[programme_id], user_ids=sorted(users), now=now,
                             allow_removal=True)
    if cascade:
        for programme_id, users in gained.items():
            _complete_waiting(session, programme=programmes[programme_id], user_ids=sorted(users), now=now)
    return kept


def _complete_waiting(session: Session, *, programme: Programme, user_ids: list[int], now: datetime) -> None:
    """After a module is completed: attended modules that were waiting for it as a prerequisite complete now."""
    dependents = [m for m in programme.active_modules if m.completion == "event" and m.prerequisites]
    if dependents:
        _sync_attendance(session, modules=dependents, user_ids=user_ids, now=now, remove=False, cascade=False)


def modules_linked_to_event(session: Session, event_id: int) -> list[Module]:
    """Active modules taught by the event or by one of its sessions."""
    session_ids = sa.select(EventSession.id).where(EventSession.event_id == event_id)
    return list(session.scalars(
        sa.select(Module)
        .where(Module.archived_at.is_(None),
               Module.id.in_(sa.select(ModuleLink.module_id).where(
                   sa.or_(ModuleLink.event_id == event_id, ModuleLink.session_id.in_(session_ids)))))
        .options(joinedload(Module.programme))
    ))


def sync_attendance_for_event(session: Session, *, event_id: int, user_id: int, now: datetime,
                              exclude: tuple | None = None) -> list[str]:
    """Bring a person's attendance-based completions in line with their check-ins on an event."""
    modules = modules_linked_to_event(session, event_id)
    return _sync_attendance(session, modules=modules, user_ids=[user_id], now=now, exclude=exclude)


# Completion of a programme --------------------------------------------------------------------------

def _refresh_completions(session: Session, *, programme: Programme, user_ids: list[int] | None, now: datetime,
                         allow_removal: bool) -> None:
    """Record programme completions that are due and (with allow_removal) remove lost ones."""
    session.flush()
    active = programme.active_modules
    required = {m.id for m in active if m.is_required}
    hours_of = {m.id: m.hours for m in active}
    stmt = sa.select(ProgrammeParticipant.user_id).where(ProgrammeParticipant.programme_id == programme.id)
    if user_ids is not None:
        stmt = stmt.where(ProgrammeParticipant.user_id.in_(user_ids))
    members = list(session.scalars(stmt))
    if not members:
        return
    done: dict[int, set[int]] = defaultdict(set)
    if hours_of:
        for module_id, user_id in session.execute(
            sa.select(ModuleCompletion.module_id, ModuleCompletion.user_id).where(
                ModuleCompletion.module_id.in_(list(hours_of)), ModuleCompletion.user_id.in_(members))
        ):
            done[user_id].add(module_id)
    existing = {c.user_id: c for c in session.scalars(sa.select(ProgrammeCompletion).where(
        ProgrammeCompletion.programme_id == programme.id, ProgrammeCompletion.user_id.in_(members)))}
    for user_id in members:
        hours = sum((hours_of[m] for m in done[user_id]), Decimal(0))
        complete = bool(required) and required <= done[user_id]
        current = existing.get(user_id)
        if complete and current is None:
            added = _insert_new(session, ProgrammeCompletion, [{
                "programme_id": programme.id, "user_id": user_id, "completed_at": now, "hours": hours}])
            if not added:
                continue  # a concurrent request recorded (and announced) it
            completion = added[0]
            _audit(session, programme_id=programme.id, user_id=user_id, action="programme_completed", now=now,
                   note=f"{hours} hours")
            programme_completed.send(completion, session=session, now=now)
        elif complete:
            current.hours = hours
        elif current is not None and allow_removal and not (required <= done[user_id]):
            reason = _certificate_reason(session, user_id=user_id, programme_id=programme.id)
            if reason:
                _audit(session, programme_id=programme.id, user_id=user_id, action="kept", now=now, note=reason)
                continue
            programme_uncompleted.send(current, session=session, now=now)
            session.delete(current)
            _audit(session, programme_id=programme.id, user_id=user_id, action="programme_uncompleted", now=now)
    session.flush()


def programme_completion(session: Session, *, user_id: int, programme_id: int) -> ProgrammeCompletion | None:
    """The person's completion of the programme, if recorded."""
    return session.scalar(sa.select(ProgrammeCompletion).where(
        ProgrammeCompletion.programme_id == programme_id, ProgrammeCompletion.user_id == user_id))


def completed_modules(session: Session, *, user_id: int, programme_id: int) -> list[tuple[str, float]]:
    """(title, hours) of the person's done, non-archived modules of the programme, in programme order."""
    rows = session.execute(
        sa.select(Module.title, Module.hours).join(ModuleCompletion, ModuleCompletion.module_id == Module.id)
        .where(Module.programme_id == programme_id, Module.archived_at.is_(None),
               ModuleCompletion.user_id == user_id)
        .order_by(Module.position, Module.id)
    )
    return [(title, float(hours or 0)) for title, hours in rows]


# Self-study and manual completion -------------------------------------------------------------------

def _done_module_ids(session: Session, *, user_id: int, module_ids: list[int]) -> set[int]:
    if not module_ids:
        return set()
    return set(session.scalars(sa.select(ModuleCompletion.module_id).where(
        ModuleCompletion.user_id == user_id, ModuleCompletion.module_id.in_(module_ids))))


def submit_work(session: Session, *, module_id: int, user_id: int, now: datetime, text: str = "",
                link: str | None = None) -> Submission:
    """Hand in self-study evidence; refused before the prerequisites are done (naming them)."""
    module = get_module(session, module_id)
    programme = module.programme
    user = _user(session, user_id)
    if not can_view(programme, user):
        raise NotFound("No such module.")
    if module.archived_at is not None or programme.status != "published":
        raise Conflict("This module is not open for submissions.")
    if module.completion != "self_study":
        raise ValidationFailed("This module is completed by attending an event, not by a submission.",
                               field="completion")
    _require_participant(session, programme, user_id)
    text = clean_text(text, field="text", label="Text", limit=MAX_SUBMISSION_TEXT)
    if link is not None and (not isinstance(link, str) or "\x00" in link):
        raise ValidationFailed("The link must be text.", field="link")
    link = normalise_url(link, field="link")
    if not text and not link:
        raise ValidationFailed("Write a short reflection or give a link to your evidence.", field="text")
    if _done_module_ids(session, user_id=user_id, module_ids=[module.id]):
        raise Conflict("You have already completed this module.")
    _refuse_before_prerequisites(session, module, user_id, "Complete the prerequisites first: ")
    pending = session.scalar(sa.select(Submission.id).where(
        Submission.module_id == module.id, Submission.user_id == user_id, Submission.status == "submitted"))
    if pending is not None:
        raise Conflict("Your earlier submission is still waiting for review.")
    submission = Submission(module_id=module.id, user_id=user_id, text=text, link=link, status="submitted",
                            submitted_at=now)
    session.add(submission)
    session.flush()
    return submission


def _reviewable(session: Session, submission_id: int, actor_id: int) -> tuple[Submission, User]:
    submission = session.get(Submission, submission_id) if as_id(submission_id) else None
    if submission is None:
        raise NotFound("No such submission.")
    actor = _user(session, actor_id)
    programme = submission.module.programme
    if actor is None or not can_manage(programme, actor):
        if actor is not None and actor.id == submission.user_id:
            raise Forbidden("You cannot review your own submission.")
        raise NotFound("No such submission.")
    if submission.user_id == actor.id:
        raise Forbidden("You cannot approve or return your own submission; another organiser must review it.")
    if submission.status != "submitted":
        raise Conflict(f"This submission was already {submission.status}.")
    return submission, actor


def approve_submission(session: Session, *, submission_id: int, actor_id: int, now: datetime,
                       comment: str = "") -> Submission:
    """Accept self-study evidence: the module is done for its author."""
    submission, actor = _reviewable(session, submission_id, actor_id)
    comment = clean_text(comment, field="comment", label="Comment", limit=MAX_SUBMISSION_TEXT)
    submission.status, submission.reviewer_comment = "approved", comment
    submission.reviewed_by_id, submission.reviewed_at = actor.id, now
    module = submission.module
    existing = session.scalar(sa.select(ModuleCompletion).where(
        ModuleCompletion.module_id == module.id, ModuleCompletion.user_id == submission.user_id))
    if existing is None:
        _refuse_before_prerequisites(session, module, submission.user_id,
                                     "This module can be approved once its prerequisites are completed: ")
        session.add(ModuleCompletion(module_id=module.id, user_id=submission.user_id, completed_at=now,
                                     source="submission", submission_id=submission.id, recorded_by_id=actor.id,
                                     note=comment))
    _audit(session, programme_id=module.programme_id, module_id=module.id, user_id=submission.user_id,
           actor_id=actor.id, action="approved", now=now, note=comment)
    session.flush()
    _refresh_completions(session, programme=module.programme, user_ids=[submission.user_id], now=now,
                         allow_removal=False)
    _complete_waiting(session, programme=module.programme, user_ids=[submission.user_id], now=now)
    return submission


def return_submission(session: Session, *, submission_id: int, actor_id: int, comment: str,
                      now: datetime) -> Submission:
    """Send self-study evidence back with a comment saying what is missing."""
    submission, actor = _reviewable(session, submission_id, actor_id)
    comment = clean_text(comment, field="comment", label="Comment", limit=MAX_SUBMISSION_TEXT, required=True)
    submission.status, submission.reviewer_comment = "returned", comment
    submission.reviewed_by_id, submission.reviewed_at = actor.id, now
    _audit(session, programme_id=submission.module.programme_id, module_id=submission.module_id,
           user_id=submission.user_id, actor_id=actor.id, action="returned", now=now, note=comment)
    session.flush()
    return submission


def mark_module_done(session: Session, *, module_id: int, user_id: int, actor_id: int, note: str,
                     now: datetime) -> ModuleCompletion:
    """An organiser records a module as done for a participant, with a note (audited)."""
    module = get_module(session, module_id)
    programme = module.programme
    actor = _require_manager(session, programme, actor_id)
    if actor.id == user_id:
        raise Forbidden("You cannot mark your own modules as done; another organiser must do it.")
    if module.archived_at is not None:
        raise Conflict("The module is archived.")
    note = clean_text(note, field="note", label="Note", limit=NOTE_MAX, required=True)
    _require_participant(session, programme, user_id, who="The person")
    existing = session.scalar(sa.select(ModuleCompletion).where(
        ModuleCompletion.module_id == module.id, ModuleCompletion.user_id == user_id))
    if existing is not None:
        raise Conflict("The module is already done for this person.")
    _refuse_before_prerequisites(session, module, user_id,
                                 "Mark the prerequisites done first (a module is completed only after them): ")
    completion = ModuleCompletion(module_id=module.id, user_id=user_id, completed_at=now, source="manual",
                                  note=note, recorded_by_id=actor.id)
    session.add(completion)
    _audit(session, programme_id=programme.id, module_id=module.id, user_id=user_id, actor_id=actor.id,
           action="marked_done", now=now, note=note)
    _flush_or_conflict(session, "The module was completed for this person at the same moment; reload the page.")
    _refresh_completions(session, programme=programme, user_ids=[user_id], now=now, allow_removal=False)
    _complete_waiting(session, programme=programme, user_ids=[user_id], now=now)
    return completion


def unmark_module(session: Session, *, module_id: int, user_id: int, actor_id: int, note: str,
                  now: datetime) -> None:
    """An organiser withdraws a completion (refused while a certificate stands on it)."""
    module = get_module(session, module_id)
    programme = module.programme
    actor = _require_manager(session, programme, actor_id)
    note = clean_text(note, field="note", label="Note", limit=NOTE_MAX, required=True)
    completion = session.scalar(sa.select(ModuleCompletion).where(
        ModuleCompletion.module_id == module.id, ModuleCompletion.user_id == user_id))
    if completion is None:
        raise NotFound("The module is not done for this person.")
    reason = _certificate_reason(session, user_id=user_id, programme_id=programme.id)
    if reason:
        raise Conflict(reason)
    session.delete(completion)
    _audit(session, programme_id=programme.id, module_id=module.id, user_id=user_id, actor_id=actor.id,
           action="unmarked", now=now, note=note)
    session.flush()
    _refresh_completions(session, programme=programme, user_ids=[user_id], now=now, allow_removal=True)


def review_queue(session: Session, *, actor_id: int) -> list[Submission]:
    """Submissions waiting for review in the programmes the actor organises, oldest first."""
    actor = _user(session, actor_id)
    if actor is None or not actor.is_organiser:
        raise Forbidden("Only organisers review submissions.")
    stmt = (sa.select(Submission).join(Module, Module.id == Submission.module_id)
            .where(Submission.status == "submitted")
            .options(joinedload(Submission.user), joinedload(Submission.module).joinedload(Module.programme))
            .order_by(Submission.submitted_at, Submission.id))
    if actor.role != "admin":
        stmt = stmt.where(Module.programme.has(Programme.organisers.any(User.id == actor.id)))
    return list(session.scalars(stmt))


# Progress -------------------------------------------------------------------------------------------

@dataclass
class ModuleProgress:
    module: Module
    status: str  # done | submitted | returned | available | locked
    completion: ModuleCompletion | None = None
    submission: Submission | None = None  # the latest one
    missing: list[Module] = field(default_factory=list)  # prerequisites not done yet
    upcoming: list[tuple[Event, str | None]] = field(default_factory=list)  # events teaching it; my status

    @property
    def completed_at(self) -> datetime | None:
        return self.completion.completed_at if self.completion else None

    @property
    def is_done(self) -> bool:
        return self.completion is not None


@dataclass
class ProgrammeProgress:
    programme: Programme
    participant: ProgrammeParticipant | None
    modules: list[ModuleProgress]
    completion: ProgrammeCompletion | None

    @property
    def hours_total(self) -> Decimal:
        return sum((m.module.hours for m in self.modules), Decimal(0))

    @property
    def hours_done(self) -> Decimal:
        return sum((m.module.hours for m in self.modules if m.is_done), Decimal(0))

    @property
    def done_count(self) -> int:
        return sum(1 for m in self.modules if m.is_done)

    @property
    def required_total(self) -> int:
        return sum(1 for m in self.modules if m.module.is_required)

    @property
    def required_done(self) -> int:
        return sum(1 for m in self.modules if m.module.is_required and m.is_done)

    @property
    def percent(self) -> int:
        if self.completion is not None:
            return 100
        if not self.required_total:
            return 0
        return int(100 * self.required_done / self.required_total)

    @property
    def next_modules(self) -> list[ModuleProgress]:
        return [m for m in self.modules if m.status in ("available", "returned", "submitted")][:3]


def _module_status(module: Module, completion, submission, done_ids: set[int]) -> tuple[str, list[Module]]:
    missing = [p for p in module.prerequisites if p.archived_at is None and p.id not in done_ids]
    if completion is not None:
        return "done", missing
    if submission is not None and submission.status in ("submitted", "returned"):
        return submission.status, missing
    return ("locked" if missing else "available"), missing


def _build_progress(programme: Programme, member, completions: dict[int, ModuleCompletion],
                    submissions: dict[int, Submission], completion) -> ProgrammeProgress:
    done_ids = set(completions)
    items = []
    for module in programme.active_modules:
        status, missing = _module_status(module, completions.get(module.id), submissions.get(module.id), done_ids)
        items.append(ModuleProgress(module=module, status=status, completion=completions.get(module.id),
                                    submission=submissions.get(module.id), missing=missing))
    return ProgrammeProgress(programme=programme, participant=member, modules=items, completion=completion)


def _progress_for(session: Session, programmes: list[Programme], user_id: int) -> list[ProgrammeProgress]:
    ids = [p.id for p in programmes]
    if not ids:
        return []
    members = {m.programme_id: m for m in session.scalars(sa.select(ProgrammeParticipant).where(
        ProgrammeParticipant.user_id == user_id, ProgrammeParticipant.programme_id.in_(ids)))}
    completions = {c.module_id: c for c in session.scalars(
        sa.select(ModuleCompletion).join(Module, Module.id == ModuleCompletion.module_id)
        .where(ModuleCompletion.user_id == user_id, Module.programme_id.in_(ids))
        .options(joinedload(ModuleCompletion.recorded_by)))}
    submissions: dict[int, Submission] = {}
    for submission in session.scalars(
        sa.select(Submission).join(Module, Module.id == Submission.module_id)
        .where(Submission.user_id == user_id, Module.programme_id.in_(ids))
        .order_by(Submission.submitted_at, Submission.id)
    ):
        submissions[submission.module_id] = submission  # the latest wins
    finished = {c.programme_id: c for c in session.scalars(sa.select(ProgrammeCompletion).where(
        ProgrammeCompletion.user_id == user_id, ProgrammeCompletion.programme_id.in_(ids)))}
    result = []
    for programme in programmes:
        module_ids = {m.id for m in programme.modules}
        result.append(_build_progress(
            programme, members.get(programme.id),
            {k: v for k, v in completions.items() if k in module_ids},
            {k: v for k, v in submissions.items() if k in module_ids},
            finished.get(programme.id),
        ))
    return result


def programme_progress(session: Session, *, programme_id: int, user_id: int, viewer_id: int) -> ProgrammeProgress:
    """One person's progress; visible to that person and to the programme's organisers only."""
    programme = load_programme(session, programme_id)
    viewer = _user(session, viewer_id)
    if viewer is None or not can_view(programme, viewer):
        raise NotFound("No such programme.")
    if as_id(user_id) is None:
        raise NotFound("No such participant.", field="user_id")
    if user_id != viewer.id:
        if not can_manage(programme, viewer):
            raise NotFound("No such participant.")
        if participant(session, programme_id=programme.id, user_id=user_id) is None:
            raise NotFound("That person has not joined this programme.")
    return _progress_for(session, [programme], user_id)[0]


def my_programmes(session: Session, *, user_id: int, now: datetime) -> list[ProgrammeProgress]:
    """The person's programmes with progress, next modules and the upcoming events that teach them."""
    programme_ids = sa.select(ProgrammeParticipant.programme_id).where(ProgrammeParticipant.user_id == user_id)
    programmes = list(session.scalars(
        sa.select(Programme).where(Programme.id.in_(programme_ids)).options(*_programme_options())
        .order_by(Programme.title, Programme.id)))
    progress = _progress_for(session, programmes, user_id)
    wanted = {m.module.id: m for p in progress for m in p.next_modules}
    if wanted:
        events_by_module = upcoming_events_for_modules(session, module_ids=list(wanted), now=now)
        event_ids = {e.id for events in events_by_module.values() for e in events}
        statuses = dict(session.execute(sa.select(Enrolment.event_id, Enrolment.status).where(
            Enrolment.user_id == user_id, Enrolment.event_id.in_(event_ids))).all()) if event_ids else {}
        for module_id, item in wanted.items():
            item.upcoming = [(e, statuses.get(e.id)) for e in events_by_module.get(module_id, [])]
    return progress


def upcoming_events_for_modules(session: Session, *, module_ids: list[int], now: datetime,
                                limit_per_module: int = 3) -> dict[int, list[Event]]:
    """Published events that have not started yet and teach the modules (directly or by a session)."""
    if not module_ids:
        return {}
    event_id = sa.func.coalesce(ModuleLink.event_id, EventSession.event_id)
    rows = session.execute(
        sa.select(ModuleLink.module_id, Event)
        .select_from(ModuleLink)
        .outerjoin(EventSession, EventSession.id == ModuleLink.session_id)
        .join(Event, Event.id == event_id)
        .where(ModuleLink.module_id.in_(module_ids), Event.status == "published", Event.starts_at > now)
        .order_by(Event.starts_at, Event.id)
    )
    result: dict[int, list[Event]] = defaultdict(list)
    for module_id, event in rows:
        events = result[module_id]
        if len(events) < limit_per_module and all(e.id != event.id for e in events):
            events.append(event)
    return dict(result)


def learning_modules_for_event(session: Session, event_id: int) -> list[Module]:
    """Modules of published programmes the event (or one of its sessions) counts towards; .programme loaded."""
    session_ids = sa.select(EventSession.id).where(EventSession.event_id == event_id)
    return list(session.scalars(
        sa.select(Module).join(Programme, Programme.id == Module.programme_id)
        .where(Module.archived_at.is_(None), Programme.status == "published",
               Module.id.in_(sa.select(ModuleLink.module_id).where(
                   sa.or_(ModuleLink.event_id == event_id, ModuleLink.session_id.in_(session_ids)))))
        .options(joinedload(Module.programme))
        .order_by(Programme.title, Module.position, Module.id)
    ))


# The organisers' progress matrix ------------------------------------------------------------------

MATRIX_STATES = ("", "completed", "in_progress", "not_started")


@dataclass
class MatrixCell:
    status: str  # done | submitted | returned | open
    at: datetime | None = None
    source: str | None = None


@dataclass
class MatrixRow:
    member: ProgrammeParticipant
    cells: list[MatrixCell]
    completion: ProgrammeCompletion | None
    done_count: int
    hours: Decimal

    @property
    def state(self) -> str:
        if self.completion is not None:
            return "completed"
        return "in_progress" if self.done_count else "not_started"


@dataclass
class ProgressMatrix:
    programme: Programme
    modules: list[Module]
    rows: list[MatrixRow]
    total: int  # participants before filtering


def progress_matrix(session: Session, *, programme_id: int, actor_id: int, q: str = "", state: str = "",
                    module_id: int | None = None) -> ProgressMatrix:
    """Participants × modules with status and dates, filtered; a constant number of queries."""
    programme = session.scalar(sa.select(Programme).where(Programme.id == programme_id).options(
        selectinload(Programme.organisers), selectinload(Programme.modules)))
    if programme is None:
        raise NotFound("No such programme.")
    _require_manager(session, programme, actor_id)
    if state not in MATRIX_STATES:
        raise ValidationFailed("Unknown state filter.", field="state")
    modules = programme.active_modules
    if module_id is not None and module_id not in {m.id for m in modules}:
        raise ValidationFailed("No such module in this programme.", field="module_id")
    stmt = (sa.select(ProgrammeParticipant).join(User, User.id == ProgrammeParticipant.user_id)
            .where(ProgrammeParticipant.programme_id == programme.id)
            .options(joinedload(ProgrammeParticipant.user))
            .order_by(User.name, User.id))
    members = list(session.scalars(stmt))
    total = len(members)
    q = (q or "").strip().casefold()
    if q:
        members = [m for m in members if q in m.user.name.casefold() or q in m.user.email
                   or (m.user.organisation is not None and q in m.user.organisation.name.casefold())]
    module_ids = [m.id for m in modules]
    completions = {}
    if module_ids:
        completions = {(c.module_id, c.user_id): c for c in session.scalars(
            sa.select(ModuleCompletion).where(ModuleCompletion.module_id.in_(module_ids)))}
    latest: dict[tuple[int, int], Submission] = {}
    if module_ids:
        for s in session.scalars(sa.select(Submission).where(Submission.module_id.in_(module_ids))
                                 .order_by(Submission.submitted_at, Submission.id)):
            latest[(s.module_id, s.user_id)] = s
    finished = {c.user_id: c for c in session.scalars(
        sa.select(ProgrammeCompletion).where(ProgrammeCompletion.programme_id == programme.id))}
    rows = []
    for member in members:
        cells, done, hours = [], 0, Decimal(0)
        for module in modules:
            key = (module.id, member.user_id)
            completion, submission = completions.get(key), latest.get(key)
            if completion is not None:
                cells.append(MatrixCell("done", completion.completed_at, completion.source))
                done += 1
                hours += module.hours
            elif submission is not None and submission.status in ("submitted", "returned"):
                cells.append(MatrixCell(submission.status, submission.submitted_at))
            else:
                cells.append(MatrixCell("open"))
        row = MatrixRow(member=member, cells=cells, completion=finished.get(member.user_id), done_count=done,
                        hours=hours)
        if state and row.state != state:
            continue
        if module_id is not None and cells[module_ids.index(module_id)].status == "done":
            continue  # "who still needs this module"
        rows.append(row)
    return ProgressMatrix(programme=programme, modules=modules, rows=rows, total=total)


def matrix_csv_rows(matrix: ProgressMatrix) -> list[list[str]]:
    """The matrix as CSV rows (header first), every cell neutralised against formula injection."""
    header = ["Name", "Email", "Organisation", "Joined"] + [m.title for m in matrix.modules] + [
        "Modules done", "Hours done", "Programme completed"]
    rows = [header]
    for row in matrix.rows:
        user = row.member.user
        cells = [f"{c.status} {c.at:%Y-%m-%d}" if c.at else c.status for c in row.cells]
        rows.append([
            user.name, user.email, user.organisation.name if user.organisation else "",
            f"{row.member.joined_at:%Y-%m-%d}", *cells, str(row.done_count), f"{row.hours:.2f}",
            f"{row.completion.completed_at:%Y-%m-%d}" if row.completion else "",
        ])
    return [[csv_safe(cell) for cell in r] for r in rows]
