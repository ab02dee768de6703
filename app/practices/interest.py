""""We want to try this": an organisation registers its interest in adopting a published practice.

One registration per organisation (a second one by any of its members updates the note); the count is
public, who registered is shown to the practice's contact person, its organisation and reviewers.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

import app.practices.messages  # noqa: F401  (the catalogue of the reasons raised here)
from app.errors import Conflict, NotFound, ValidationFailed
from app.practices.limits import INTEREST_NOTE_MAX
from app.practices.lookups import actor, visible_practice
from app.practices.models import PracticeInterest
from app.validation import clean_text


def register_interest(session: Session, *, practice_id: int, user_id: int, note: str = "",
                      now: datetime) -> PracticeInterest:
    """Register (or update) the user's organisation's interest in a published practice."""
    user = actor(session, user_id)
    practice = visible_practice(session, practice_id, user)
    note = clean_text(note, field="note", limit=INTEREST_NOTE_MAX)
    if practice.status != "published":
        raise Conflict("practice.interest.not_published")
    if user.organisation_id is None:
        raise ValidationFailed("practice.interest.needs_organisation", field="organisation_id")
    if user.organisation_id == practice.organisation_id:
        raise Conflict("practice.interest.own_organisation")
    interest = session.scalar(sa.select(PracticeInterest).where(
        PracticeInterest.practice_id == practice.id, PracticeInterest.organisation_id == user.organisation_id))
    if interest is None:
        interest = PracticeInterest(practice_id=practice.id, organisation_id=user.organisation_id, user_id=user.id,
                                    note=note, created_at=now)
        session.add(interest)
    else:
        interest.note = note
        interest.user_id = user.id
    session.flush()
    return interest


def withdraw_interest(session: Session, *, practice_id: int, user_id: int, now: datetime) -> None:
    """Withdraw the user's organisation's interest."""
    user = actor(session, user_id)
    practice = visible_practice(session, practice_id, user)
    interest = None
    if user.organisation_id is not None:
        interest = session.scalar(sa.select(PracticeInterest).where(
            PracticeInterest.practice_id == practice.id, PracticeInterest.organisation_id == user.organisation_id))
    if interest is None:
        raise NotFound("practice.interest.not_found")
    session.delete(interest)
    session.flush()


def interest_count(session: Session, practice_id: int) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(PracticeInterest)
                          .where(PracticeInterest.practice_id == practice_id)) or 0


def interest_counts(session: Session, practice_ids) -> dict[int, int]:
    """The number of interested organisations per practice (one query for a page of them)."""
    ids = list(practice_ids)
    counts = dict.fromkeys(ids, 0)
    if ids:
        counts.update(session.execute(
            sa.select(PracticeInterest.practice_id, sa.func.count()).where(PracticeInterest.practice_id.in_(ids))
            .group_by(PracticeInterest.practice_id)).all())
    return counts


def interested(session: Session, practice_id: int) -> list[PracticeInterest]:
    """Who wants to try it, newest first (organisation and member loaded); the caller checks who may see it."""
    return list(session.scalars(
        sa.select(PracticeInterest).where(PracticeInterest.practice_id == practice_id)
        .options(selectinload(PracticeInterest.organisation), selectinload(PracticeInterest.user))
        .order_by(PracticeInterest.created_at.desc(), PracticeInterest.id.desc())))


def interest_of(session: Session, practice_id: int, organisation_id: int | None) -> PracticeInterest | None:
    """The organisation's registration for the practice, if any (the page shows "withdraw" then)."""
    if organisation_id is None:
        return None
    return session.scalar(sa.select(PracticeInterest).where(
        PracticeInterest.practice_id == practice_id, PracticeInterest.organisation_id == organisation_id))


def new_interest_since(session: Session, since: datetime) -> list[PracticeInterest]:
    """Registrations since a moment, for the organiser digest."""
    return list(session.scalars(
        sa.select(PracticeInterest).where(PracticeInterest.created_at >= since)
        .options(selectinload(PracticeInterest.organisation))
        .order_by(PracticeInterest.created_at)))
