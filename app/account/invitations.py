"""Organisers invite people without an account to an event or a programme by email.

The link carries a token signed with the secret key (itsdangerous, so a forged or altered one fails before any
query) and dated (so it expires); its SHA-256 is stored, so it is used once and a database copy is no key.
The invitee has no profile, hence no language: the organiser picks the email's language (default English).
An address that already has an account is enrolled directly (the person hears through the usual enrolment
mail), and the organiser is told only that.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from app.account import data_messages  # noqa: F401  (the reasons raised here)
from app.account.invitation_models import Invitation
from app.auth import services as auth_services
from app.auth.models import User
from app.auth.rules import can_manage_event, can_manage_programme
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.events import enrolment as enrolment_services
from app.events.models import Enrolment, Event
from app.i18n import LANGUAGES
from app.language import translator
from app.learning import progress as learning_progress
from app.learning.models import Programme, ProgrammeParticipant
from app.mail.services import queue_email

SALT = "invitation"
DEFAULT_MAX_AGE = 14 * 24 * 3600  # INVITATION_MAX_AGE overrides (seconds)
NAME_MAX = 200


@dataclass
class InviteResult:
    outcome: str  # "invited" (email with a link) | "enrolled" (an existing account, enrolled directly)
    email: str
    invitation: Invitation | None = None
    enrolment: Enrolment | None = None
    participant: ProgrammeParticipant | None = None
    link: str | None = None


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_email(email: str | None) -> str:
    try:
        return auth_services.normalise_email(email)
    except ValidationFailed as exc:
        raise ValidationFailed("invitation.email_invalid", field="email") from exc


def _check_name(name: str | None) -> str:
    name = " ".join((name or "").split())
    if len(name) > NAME_MAX:
        raise ValidationFailed("invitation.name_too_long", field="name", limit=NAME_MAX)
    if any(ord(ch) < 32 for ch in name):
        raise ValidationFailed("invitation.name_control_characters", field="name")
    return name


def _target(session: Session, inviter: User, *, event_id: int | None, programme_id: int | None,
            now: datetime) -> Event | Programme:
    if (event_id is None) == (programme_id is None):
        raise ValidationFailed("invitation.invalid")
    if event_id is not None:
        event = session.get(Event, event_id)
        if event is None:
            raise NotFound("event.not_found", field="event_id")
        if not can_manage_event(inviter, event):
            raise Forbidden("invitation.not_allowed")
        if event.status == "cancelled" or event.ends_at <= now:
            raise Conflict("invitation.closed", field="event_id")
        return event
    programme = session.get(Programme, programme_id)
    if programme is None:
        raise NotFound("learning.programme_not_found", field="programme_id")
    if not can_manage_programme(inviter, programme):
        raise Forbidden("invitation.not_allowed")
    if programme.status == "archived":
        raise Conflict("invitation.programme_closed", field="programme_id")
    return programme


def invite(session: Session, *, inviter_id: int, email: str, name: str = "", event_id: int | None = None,
           programme_id: int | None = None, language: str = "en", base_url: str, network: str, secret_key: str,
           now: datetime, max_age: int = DEFAULT_MAX_AGE) -> InviteResult:
    """Invite by email; an address with an account is enrolled (or joined) directly instead."""
    inviter = auth_services.get_user(session, inviter_id)
    target = _target(session, inviter, event_id=event_id, programme_id=programme_id, now=now)
    address = _check_email(email)
    name = _check_name(name)
    if language not in LANGUAGES:
        raise ValidationFailed("invitation.language_unsupported", field="language")

    existing = auth_services.find_user_by_email(session, address)
    if existing is not None:
        if event_id is not None:
            enrolment = enrolment_services.enrol(session, event_id=target.id, user_id=existing.id, now=now,
                                                 actor_id=inviter.id)
            return InviteResult("enrolled", address, enrolment=enrolment)
        participant = learning_progress.join_programme(session, programme_id=target.id, user_id=existing.id, now=now)
        return InviteResult("enrolled", address, participant=participant)

    # one open invitation per address and target: inviting again sends a fresh link and voids the old one
    invitation = session.scalar(sa.select(Invitation).where(
        Invitation.email == address, Invitation.accepted_at.is_(None),
        Invitation.event_id == event_id if event_id is not None else Invitation.programme_id == programme_id))
    if invitation is None:
        invitation = Invitation(event_id=event_id, programme_id=programme_id, email=address)
        session.add(invitation)
    invitation.name = name
    invitation.language = language
    invitation.invited_by_id = inviter.id
    invitation.created_at = now
    invitation.expires_at = now + timedelta(seconds=max_age)
    invitation.token_hash = _hash(secrets.token_hex(16))  # placeholder until the id is known
    session.flush()
    token = _serializer(secret_key).dumps({"i": invitation.id, "n": secrets.token_urlsafe(12)})
    invitation.token_hash = _hash(token)
    link = f"{base_url}/account/invitations/{token}"
    queue_email(session, to=address, to_name=name or None, now=now, kind="invitation",
                **_invitation_mail(invitation, target, inviter, link=link, network=network))
    session.flush()
    return InviteResult("invited", address, invitation=invitation, link=link)


def _invitation_mail(invitation: Invitation, target: Event | Programme, inviter: User, *, link: str,
                     network: str) -> dict[str, str]:
    """Subject and text in the language the organiser chose."""
    t = translator(invitation.language)
    if isinstance(target, Event):
        what = t.gettext("%(inviter)s invites you to “%(title)s” (%(when)s) on %(network)s.", inviter=inviter.name,
                         title=target.title, when=t.when(target.starts_at, target.timezone), network=network)
    else:
        what = t.gettext("%(inviter)s invites you to the learning programme “%(title)s” on %(network)s.",
                         inviter=inviter.name, title=target.title, network=network)
    greeting = (t.gettext("Hello %(name)s,", name=invitation.name) if invitation.name
                else t.gettext("Hello,"))
    paragraphs = [
        greeting,
        what,
        t.gettext("Create your account with this link to take part; your place is booked when you finish "
                  "(the link works once, until %(date)s):", date=t.when(invitation.expires_at, "UTC")),
        link,
        t.gettext("If you do not want to take part, ignore this email: nothing happens without you."),
    ]
    return {"subject": t.gettext("Invitation: “%(title)s”", title=target.title),
            "text": "\n\n".join(paragraphs) + "\n"}


def invitation_for_token(session: Session, token: str, *, secret_key: str, now: datetime) -> Invitation:
    """The open invitation this link stands for; invitation.invalid / expired / used otherwise."""
    try:
        data = _serializer(secret_key).loads(token)
    except SignatureExpired as exc:
        raise Conflict("invitation.expired") from exc
    except BadSignature as exc:
        raise NotFound("invitation.invalid") from exc
    invitation = session.get(Invitation, data.get("i")) if isinstance(data, dict) else None
    if invitation is None:
        raise NotFound("invitation.invalid")
    if invitation.accepted_at is not None:
        raise Conflict("invitation.used")
    if not secrets.compare_digest(invitation.token_hash, _hash(token)):
        raise NotFound("invitation.invalid")  # a newer invitation replaced this link
    if invitation.expires_at <= now:
        raise Conflict("invitation.expired")
    return invitation


def accept_invitation(session: Session, token: str, *, name: str, password: str, country: str | None,
                      organisation_id: int | None, timezone: str, language: str, secret_key: str, now: datetime,
                      hash_method: str | None = None) -> tuple[User, Enrolment | ProgrammeParticipant]:
    """Create the invitee's account with the invited address and make the enrolment, in one transaction."""
    invitation = invitation_for_token(session, token, secret_key=secret_key, now=now)
    if auth_services.find_user_by_email(session, invitation.email) is not None:
        raise Conflict("invitation.account_exists")
    user = auth_services.register_user(
        session, email=invitation.email, name=name, password=password, organisation_id=organisation_id,
        country=country, timezone=timezone, language=language, hash_method=hash_method)
    if invitation.event_id is not None:
        # through the enrolment service, on the organiser's behalf: capacity holds, a full event waitlists
        inviter = session.get(User, invitation.invited_by_id) if invitation.invited_by_id else None
        actor_id = inviter.id if inviter is not None and inviter.is_active_account else None
        joined = enrolment_services.enrol(session, event_id=invitation.event_id, user_id=user.id, now=now,
                                          actor_id=actor_id)
    else:
        joined = learning_progress.join_programme(session, programme_id=invitation.programme_id, user_id=user.id,
                                                  now=now)
    invitation.accepted_at = now
    invitation.user_id = user.id
    session.flush()
    return user, joined


def invited_user_ids(session: Session, user_ids: list[int]) -> set[int]:
    """Which of these accounts came through an organiser's invitation (the contact rules exempt them)."""
    if not user_ids:
        return set()
    return set(session.scalars(sa.select(Invitation.user_id).where(
        Invitation.user_id.in_(user_ids), Invitation.accepted_at.is_not(None))))
