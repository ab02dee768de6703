"""Finding one practice, one user, with the permission each use case needs; and recording revisions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

import app.practices.messages  # noqa: F401  (the catalogue of the reasons raised here)
from app.auth.models import User
from app.auth.rules import can_edit_practice, can_review_practice, can_see_practice
from app.errors import Forbidden, NotFound, msg
from app.practices.models import Practice, PracticeRevision
from app.validation import as_id

# what a revision records (PracticeRevision.action), with the label a page shows (translate it with gettext);
# its `fields` are the JSON names of what changed ("translations.fr" for one translation)
REVISION_ACTIONS = {
    "created": msg("Drafted"),
    "edited": msg("Edited"),
    "edited_for_review": msg("Edited; back to review"),
    "submitted": msg("Submitted for review"),
    "published": msg("Published"),
    "returned": msg("Returned with comments"),
    "archived": msg("Archived"),
    "file_added": msg("File added"),
    "file_changed": msg("File caption or credit changed"),
    "file_removed": msg("File removed"),
    "verified": msg("Confirmed as still current"),  # by the contact person (app/practices/verification.py)
}


def get_practice(session: Session, practice_id) -> Practice:
    """The practice, whatever its status; NotFound when there is none."""
    key = as_id(practice_id)
    practice = session.get(Practice, key) if key is not None else None
    if practice is None:
        raise NotFound("practice.not_found", field="practice_id")
    return practice


def user_or_none(session: Session, user_id) -> User | None:
    key = as_id(user_id)
    return session.get(User, key) if key is not None else None


def actor(session: Session, actor_id) -> User:
    user = user_or_none(session, actor_id)
    if user is None or not user.is_active_account:
        raise NotFound("practice.user_not_found", field="actor_id")
    return user


def visible_practice(session: Session, practice_id, viewer) -> Practice:
    """The practice if the viewer may see it; strangers get NotFound for anything not published.

    `viewer` is a User, None, or an anonymous user object (anything without an id is a stranger)."""
    practice = get_practice(session, practice_id)
    if not can_see_practice(viewer, practice):
        raise NotFound("practice.not_found", field="practice_id")
    return practice


def editable_practice(session: Session, practice_id, actor_id) -> tuple[Practice, User]:
    """The practice and the actor if the actor may change it: NotFound if they may not even see it."""
    user = actor(session, actor_id)
    practice = visible_practice(session, practice_id, user)
    if not can_edit_practice(user, practice):
        if practice.status == "archived":
            raise Forbidden("practice.archived_locked")
        raise Forbidden("practice.edit_forbidden")
    return practice, user


def reviewed_practice(session: Session, practice_id, actor_id, *, reason: str = "practice.review_reviewers_only"
                      ) -> tuple[Practice, User]:
    """The practice and the actor if the actor is a reviewer (organiser or admin)."""
    user = actor(session, actor_id)
    practice = visible_practice(session, practice_id, user)
    if not can_review_practice(user):
        raise Forbidden(reason)
    return practice, user


def record_revision(session: Session, practice: Practice, *, action: str, actor_id: int | None, now: datetime,
                    fields=(), comment: str = "") -> PracticeRevision:
    """One revision: the counter goes up, and who did what, when, to which fields is kept."""
    practice.revision = (practice.revision or 0) + 1
    practice.updated_at = now
    revision = PracticeRevision(practice_id=practice.id, number=practice.revision, actor_id=actor_id, action=action,
                                fields=sorted(fields), comment=comment, created_at=now)
    session.add(revision)
    return revision
