"""Revoking a certificate (with the reason shown to anyone who verifies it) and re-issuing it with a new code."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.auth.models import User
from app.certificates.issuing import (
    Candidate,
    _attendance_summary,
    _completions,
    _create,
    _flush_or_conflict,
    _hours,
    _issue_programme_one,
    _issuer,
    event_snapshot,
)
from app.certificates.lookups import (
    CertificateSettings,
    _load_event,
    _programme_organisers,
    _require_actor,
    can_manage_certificate,
    current_settings,
    get_programme,
    new_code,
    normalise_code,
)
from app.certificates.messages import Day
from app.certificates.models import Certificate
from app.errors import Conflict, NotFound, ValidationFailed
from app.events.models import Enrolment

REVOKE_REASON_MAX = 500


# Revoking and re-issuing -----------------------------------------------------------------------------

def _lock_certificate(session: Session, code: str) -> Certificate:
    canonical = normalise_code(code)
    certificate = None
    if canonical is not None:
        certificate = session.scalar(
            sa.select(Certificate).where(Certificate.code == canonical).with_for_update()
        )
    if certificate is None:
        raise NotFound("certificate.not_found", field="code")
    return certificate


def revoke_certificate(session: Session, *, code: str, actor_id: int | None, reason: str | None,
                       now: datetime) -> Certificate:
    """Revoke a valid certificate, with a reason shown on the verification page."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("certificate.revoke_reason_missing", field="reason")
    if len(reason) > REVOKE_REASON_MAX:
        raise ValidationFailed("certificate.revoke_reason_too_long", field="reason", maximum=REVOKE_REASON_MAX)
    certificate = _lock_certificate(session, code)
    _require_actor(session, actor_id, lambda user: can_manage_certificate(session, certificate, user))
    if certificate.revoked_at is not None:
        raise Conflict("certificate.already_revoked", code=certificate.code, revoked_on=Day(certificate.revoked_at.date()))
    certificate.revoked_at = now
    certificate.revoke_reason = reason
    certificate.revoked_by_id = actor_id
    session.flush()
    return certificate


def reissue_certificate(session: Session, *, code: str, actor_id: int | None, now: datetime,
                        settings: CertificateSettings | None = None) -> Certificate:
    """A new certificate (new code) from today's data, e.g. after a name correction; the old one is revoked."""
    settings = current_settings(settings)
    old = _lock_certificate(session, code)
    actor = _require_actor(session, actor_id, lambda user: can_manage_certificate(session, old, user))
    if old.replaced_by is not None:
        raise Conflict("certificate.already_replaced", code=old.code, replacement=old.replaced_by.code)
    holder = session.get(User, old.holder_id)
    valid_other = session.scalar(
        sa.select(Certificate.code).where(
            Certificate.holder_id == old.holder_id, Certificate.revoked_at.is_(None), Certificate.id != old.id,
            Certificate.event_id == old.event_id if old.kind == "event"
            else Certificate.programme_id == old.programme_id,
        )
    )
    if valid_other is not None:
        raise Conflict("certificate.holder_has_valid", holder=holder.name, code=valid_other)
    code_new = new_code()
    if old.revoked_at is None:
        old.revoked_at = now
        old.revoked_by_id = actor_id
        old.revoke_reason = f"Replaced by {code_new}"
    session.flush()  # the old one is no longer valid before the new one takes its place
    if old.kind == "event":
        event = _load_event(session, old.event_id)
        hours = old.hours
        if event.hours is not None:
            hours = event.hours
        else:
            enrolment_id = session.scalar(sa.select(Enrolment.id).where(
                Enrolment.event_id == event.id, Enrolment.user_id == holder.id))
            attendance = _attendance_summary(session, event.id).get(enrolment_id)
            if attendance is not None and attendance.hours_attended:
                hours = attendance.hours_attended
        snapshot = event_snapshot(event=event, holder=holder, hours=_hours(hours), code=code_new,
                                  issuer=_issuer(actor, event.organisers, settings), now=now, settings=settings)
        new = _create(session, kind="event", holder=holder, snapshot=snapshot, hours=_hours(hours), actor=actor,
                      now=now, settings=settings, event_id=event.id, replaces=old)
    else:
        programme = get_programme(session, old.programme_id)
        completion = next(iter(_completions(session, programme.id, [holder.id])), None)
        hours = completion.hours if completion is not None else old.hours
        candidate = Candidate(user=holder, eligible=True, hours=_hours(hours), completion=completion)
        new = _issue_programme_one(session, programme=programme, candidate=candidate, actor=actor,
                                   issuer=_issuer(actor, _programme_organisers(programme), settings), now=now,
                                   settings=settings, replaces=old)
    _flush_or_conflict(session)
    return new
