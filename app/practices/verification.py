"""The yearly "is this still current?": the contact person of a practice confirms it through a signed link.

A published practice whose last confirmation (last_verified_at, else published_at) is more than a year old,
and whose contact was not asked in the last 30 days, gets one email to its contact person in their
language, with a signed link that expires (itsdangerous, its own salt). The link opens
/practices/<id>/still-current/<token>: confirming records last_verified_at and a revision; "needs an
update" leads to the edit page. Asking records verification_requested_at, so a second run the same day (or
a second scheduler process) asks nobody twice; the outbox's dedupe key guards the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session, selectinload

from app.auth.models import User
from app.errors import NotFound, ValidationFailed, msg, register_messages
from app.language import translator
from app.mail.render import render_mail
from app.mail.services import queue_email
from app.practices.lookups import record_revision
from app.practices.models import Practice

VERIFY_EVERY = timedelta(days=365)
ASK_AGAIN_AFTER = timedelta(days=30)
LINK_VALID_FOR = timedelta(days=60)
TOKEN_SALT = "practice-still-current"  # a salt per purpose: a reset-link token is worth nothing here
LINK_INVALID = "practice.verification.link_invalid"
LINK_EXPIRED = "practice.verification.link_expired"
BATCH = 200  # practices asked per run; the next run continues (the job runs daily)

register_messages({
    "practice.verification.no_practice": msg("There is no published practice with the number %(practice_id)s."),
    LINK_INVALID: msg(
        "This link is not valid. Use the latest link we sent you, or update the practice from its page."),
    LINK_EXPIRED: msg(
        "This link has expired. We will send a new one; you can also update the practice from its page."),
})


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=TOKEN_SALT)


def make_token(secret_key: str, practice: Practice) -> str:
    """A signed token naming the practice and its contact (a new contact makes older links worthless)."""
    return _serializer(secret_key).dumps({"p": practice.id, "c": practice.contact_id})


def check_token(secret_key: str, token: str, practice: Practice, *, now: datetime,
                max_age: timedelta = LINK_VALID_FOR) -> None:
    """Raise ValidationFailed unless the token was made for this practice and its current contact, recently."""
    serializer = _serializer(secret_key)
    try:
        data, signed_at = serializer.loads(token, return_timestamp=True)
    except SignatureExpired:
        raise ValidationFailed(LINK_EXPIRED, field="token") from None
    except BadSignature:
        raise ValidationFailed(LINK_INVALID, field="token") from None
    # the age is checked against the `now` passed in (itsdangerous would use the wall clock)
    if signed_at is None or now - signed_at > max_age:
        raise ValidationFailed(LINK_EXPIRED, field="token")
    if not isinstance(data, dict) or data.get("p") != practice.id or data.get("c") != practice.contact_id:
        raise ValidationFailed(LINK_INVALID, field="token")


def practice_for_token(session: Session, practice_id: int) -> Practice:
    """The published practice a link names (NotFound otherwise: the link reveals nothing about drafts)."""
    practice = session.get(Practice, practice_id)
    if practice is None or practice.status != "published":
        raise NotFound("practice.verification.no_practice", practice_id=practice_id)
    return practice


def due_for_verification(session: Session, *, now: datetime, limit: int = BATCH) -> list[Practice]:
    """Published practices not confirmed for a year, whose active contact was not asked in the last 30 days."""
    confirmed = sa.func.coalesce(Practice.last_verified_at, Practice.published_at)
    return list(session.scalars(
        sa.select(Practice).join(User, User.id == Practice.contact_id)
        .where(Practice.status == "published", User.is_active_account.is_(True), confirmed < now - VERIFY_EVERY,
               sa.or_(Practice.verification_requested_at.is_(None),
                      Practice.verification_requested_at < now - ASK_AGAIN_AFTER))
        .options(selectinload(Practice.contact))
        .order_by(confirmed, Practice.id).limit(limit)
    ))


@dataclass(frozen=True)
class VerificationLinks:
    """How the job builds addresses without a request: confirmation link and practice page per practice."""

    confirm: Callable[[int, str], str]  # (practice id, token) -> absolute URL
    page: Callable[[int], str]  # practice id -> absolute URL


def request_verifications(session: Session, *, now: datetime, secret_key: str, links: VerificationLinks,
                          network_name: str = "Connective Cities") -> int:
    """Email each due contact person "is this still current?" in their language; returns how many were asked."""
    asked = 0
    for practice in due_for_verification(session, now=now):
        contact = practice.contact
        t = translator(contact.language)
        token = make_token(secret_key, practice)
        context = {
            "name": contact.name, "title": practice.title, "network_name": network_name,
            "confirm_url": links.confirm(practice.id, token), "practice_url": links.page(practice.id),
            "since": practice.last_verified_at or practice.published_at,
            "valid_until": now + LINK_VALID_FOR, "zone": contact.timezone,
        }
        queued = queue_email(
            session, to=contact.email, to_name=contact.name, now=now,
            subject=t.gettext("Is “%(title)s” still current?", title=practice.title),
            text=render_mail("practices/email/still_current.txt", language=contact.language, **context),
            html=render_mail("practices/email/still_current.html", language=contact.language, **context),
            kind="practice-verification", user_id=contact.id,
            dedupe_key=f"practice-verification:{practice.id}:{now.date().isoformat()}",
        )
        practice.verification_requested_at = now
        if queued is not None:
            asked += 1
    session.flush()
    return asked


def confirm_still_current(session: Session, *, practice_id: int, token: str, secret_key: str,
                          now: datetime) -> Practice:
    """The contact confirms: last_verified_at = now and a "verified" revision (by the contact)."""
    practice = practice_for_token(session, practice_id)
    check_token(secret_key, token, practice, now=now)
    practice.last_verified_at = now
    record_revision(session, practice, action="verified", actor_id=practice.contact_id, now=now,
                    fields=["last_verified_at"])
    session.flush()
    return practice
