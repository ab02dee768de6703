"""Learning lookups shared by the other modules: programmes and modules by id, who may see and manage them,
the audit trail of progress changes, and the savepoint insert that lets concurrent requests race safely.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from app.auth.models import User
from app.errors import Conflict, Forbidden, NotFound
from app.learning import messages  # noqa: F401  (fills the catalogue whenever the services are used)
from app.learning.models import (
    LearningAudit,
    Module,
    Programme,
)
from app.validation import as_id

# Lookups and authorisation -------------------------------------------------------------------------

def can_manage(programme: Programme, user: User | None) -> bool:
    """Admins, and the programme's organisers."""
    return programme.is_organised_by(user)


def get_programme(session: Session, programme_id: int) -> Programme:
    programme = session.get(Programme, programme_id) if as_id(programme_id) else None
    if programme is None:
        raise NotFound("learning.programme_not_found")
    return programme


def get_programme_by_slug(session: Session, slug: str) -> Programme:
    if "\x00" in slug or len(slug) > 220:  # PostgreSQL refuses NUL in a query parameter
        raise NotFound("learning.programme_not_found")
    programme = session.scalar(sa.select(Programme).where(Programme.slug == slug))
    if programme is None:
        raise NotFound("learning.programme_not_found")
    return programme


def get_module(session: Session, module_id: int) -> Module:
    module = session.get(Module, module_id) if as_id(module_id) else None
    if module is None:
        raise NotFound("learning.module_not_found")
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
            raise Forbidden("learning.managers_only")
        raise NotFound("learning.programme_not_found")
    return actor


def _flush_or_conflict(session: Session, reason: str) -> None:
    """Flush; a unique constraint hit by a concurrent request becomes a clear 409 instead of a 500."""
    try:
        session.flush()
    except sa.exc.IntegrityError as exc:
        raise Conflict(reason) from exc


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
