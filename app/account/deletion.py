"""Deleting one's account: refused while the person alone organises something not over; else, in the
caller's one transaction, personal data removed or anonymised.

Why the account row stays as an anonymous tombstone instead of being deleted: enrolments, check-ins, module
completions and certificates point at it (certificates with RESTRICT, so they stay verifiable), and every
organiser and admin page (participants, progress matrix, certificates, exports) reads `enrolment.user.name`.
Keeping the row with its name, address, password, organisation and country erased keeps every count and
every page working with nothing personal left, where NULL foreign keys would break each of them.

Data of packages that arrive later (messages, interests, profile photos) is erased by functions registered
with `register_eraser`, called in the same transaction before the account is anonymised.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.account import data_messages  # noqa: F401  (the reasons raised here)
from app.account.invitation_models import Invitation
from app.auth import services as auth_services
from app.auth.models import ApiToken, User
from app.certificates.models import Certificate
from app.errors import Conflict, ValidationFailed
from app.events import enrolment as enrolment_services
from app.events.models import ACTIVE_STATUSES, Enrolment, Event, event_organiser
from app.learning.models import Programme, Submission, programme_organiser
from app.mail.models import OutboxMessage
from app.people.models import Profile
from app.practices.models import Practice, PracticeInterest

Eraser = Callable[..., None]  # fn(session, *, user_id, now)

ERASERS: dict[str, Eraser] = {}

# what stands where a deleted person's name was (language-neutral: pages label it "deleted account" where
# they know; a stored English word would show untranslated everywhere)
ERASED_NAME = "—"


def register_eraser(name: str, fn: Eraser) -> None:
    """Add (or replace) a step that removes one package's personal data of a person being deleted."""
    ERASERS[name] = fn


def erased_email(user_id: int) -> str:
    # unique (the column is), lower-case, and in the reserved .invalid domain: mail can never reach anyone
    return f"deleted-{user_id}@deleted.invalid"


def is_deleted(user: User) -> bool:
    return user.email == erased_email(user.id)


def sole_organiser_of(session: Session, user_id: int, *, now: datetime) -> dict[str, list[dict]]:
    """Events not over (and not cancelled) and programmes not archived that the person alone organises."""
    co = event_organiser.alias("co_organiser")
    others_event = sa.select(sa.func.count()).select_from(co).where(
        co.c.event_id == Event.id, co.c.user_id != user_id).scalar_subquery()
    events = session.execute(
        sa.select(Event.id, Event.title).join(event_organiser, event_organiser.c.event_id == Event.id)
        .where(event_organiser.c.user_id == user_id, Event.ends_at > now, Event.status != "cancelled",
               others_event == 0)
        .order_by(Event.starts_at, Event.id)
    ).all()
    cp = programme_organiser.alias("co_organiser")
    others_programme = sa.select(sa.func.count()).select_from(cp).where(
        cp.c.programme_id == Programme.id, cp.c.user_id != user_id).scalar_subquery()
    programmes = session.execute(
        sa.select(Programme.id, Programme.title)
        .join(programme_organiser, programme_organiser.c.programme_id == Programme.id)
        .where(programme_organiser.c.user_id == user_id, Programme.status != "archived", others_programme == 0)
        .order_by(Programme.id)
    ).all()
    return {"events": [{"id": i, "title": t} for i, t in events],
            "programmes": [{"id": i, "title": t} for i, t in programmes]}


def check_deletable(session: Session, user_id: int, *, now: datetime) -> None:
    """Raise account.sole_organiser naming what the person must hand over first."""
    sole = sole_organiser_of(session, user_id, now=now)
    titles = [item["title"] for item in sole["events"]] + [item["title"] for item in sole["programmes"]]
    if titles:
        raise Conflict("account.sole_organiser", titles="; ".join(f"“{t}”" for t in titles),
                       count=len(titles))


def delete_account(session: Session, *, user_id: int, password: str, keep_certificates_public: bool,
                   now: datetime, hash_method: str | None = None) -> User:
    """Check the password and the organiser rule, then erase; flushes, the caller commits once."""
    user = auth_services.get_user(session, user_id)
    if is_deleted(user):
        raise Conflict("account.already_deleted")
    if not (password or "").strip():
        raise ValidationFailed("account.password_required", field="password")
    if auth_services.authenticate(session, user.email, password, hash_method=hash_method) is None:
        raise ValidationFailed("account.password_wrong", field="password")
    check_deletable(session, user.id, now=now)
    erase_personal_data(session, user, keep_certificates_public=keep_certificates_public, now=now)
    return user


def erase_personal_data(session: Session, user: User, *, keep_certificates_public: bool, now: datetime) -> None:
    """Remove or anonymise everything personal about the user (no checks: delete_account makes them)."""
    user_id = user.id
    old_email = user.email

    # a place held in an event still to come goes to the next person waiting
    live = session.scalars(
        sa.select(Enrolment).join(Event, Event.id == Enrolment.event_id)
        .where(Enrolment.user_id == user_id, Enrolment.status.in_(ACTIVE_STATUSES), Event.ends_at > now)
    ).all()
    for enrolment in live:
        enrolment_services.cancel_enrolment(session, enrolment_id=enrolment.id, actor_id=user_id, now=now)

    for name, eraser in ERASERS.items():  # noqa: B007  (the name is for whoever debugs a failing one)
        eraser(session, user_id=user_id, now=now)

    # what the person wrote: enrolment notes and reasons, self-study texts, notes of interest
    session.execute(sa.update(Enrolment).where(Enrolment.user_id == user_id)
                    .values(note="", cancel_reason=None))
    session.execute(sa.delete(Submission).where(Submission.user_id == user_id))
    session.execute(sa.update(PracticeInterest).where(PracticeInterest.user_id == user_id)
                    .values(user_id=None, note=""))

    # practices stay with their organisation but lose their contact (ORM, so the search index follows)
    for practice in session.scalars(sa.select(Practice).where(
            sa.or_(Practice.contact_id == user_id, Practice.author_id == user_id))):
        if practice.contact_id == user_id:
            practice.contact_id = None
        if practice.author_id == user_id:
            practice.author_id = None

    # organiser of past or shared things only (check_deletable made sure): no longer listed as one
    session.execute(sa.delete(event_organiser).where(event_organiser.c.user_id == user_id))
    session.execute(sa.delete(programme_organiser).where(programme_organiser.c.user_id == user_id))

    # certificates stay verifiable by code; the printed name only if the person chose so
    if not keep_certificates_public:
        for certificate in session.scalars(sa.select(Certificate).where(Certificate.holder_id == user_id)):
            certificate.holder_withheld = True
            certificate.snapshot = {**certificate.snapshot, "holder_name": ERASED_NAME}

    profile = session.get(Profile, user_id)
    if profile is not None:
        session.delete(profile)
    session.execute(sa.delete(ApiToken).where(ApiToken.user_id == user_id))
    session.execute(sa.update(Invitation).where(Invitation.email == old_email, Invitation.accepted_at.is_(None))
                    .values(email=erased_email(user_id), name=""))
    session.execute(sa.update(Invitation).where(Invitation.user_id == user_id).values(name=""))
    # mail to or about the person, sent or waiting (including what this deletion just queued)
    session.execute(sa.delete(OutboxMessage).where(
        sa.or_(OutboxMessage.user_id == user_id, OutboxMessage.to_addr == old_email)))

    user.name = ERASED_NAME
    user.email = erased_email(user_id)
    user.password_hash = "!"  # no password hashes to this
    user.role = "participant"
    user.organisation_id = None
    user.country = None
    user.calendar_token = None
    user.is_active_account = False
    user.auth_version = (user.auth_version or 0) + 1  # every session and remember-me cookie ends
    session.flush()


def _erase_message_names(session: Session, *, user_id: int, now: datetime) -> None:
    """Messages stay with the other side but lose the deleted person's name."""
    from app.people.contact_models import Message

    session.execute(sa.update(Message).where(Message.sender_id == user_id).values(sender_name=""))
    session.execute(sa.update(Message).where(Message.recipient_id == user_id).values(recipient_name=""))


register_eraser("messages", _erase_message_names)
