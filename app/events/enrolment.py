"""Enrolment: enrol, cancel, reject, approve, promote, offers of seats and their expiry; the waiting list
that fills freed seats; the notifications each change of status sends."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

import app.events.messages  # noqa: F401  (the catalogue of the reasons raised here)
from app.errors import Conflict, Forbidden, NotFound, TryAgain
from app.events import signals
from app.events.inputs import _text, new_ticket_code
from app.events.locking import _flush, _is_lock_error, lock_event
from app.events.models import ACTIVE_STATUSES, SEAT_STATUSES, Enrolment, Event, EventNotification
from app.events.queries import SeatCounts, _enrolment, _user, can_manage, get_enrolment_for, get_event


class RegistrationClosed(Conflict):
    """The event does not take enrolments now."""

    reason = "enrolment.closed"


class AlreadyEnrolled(Conflict):
    """One enrolment per person and event."""

    reason = "enrolment.already_enrolled_race"


# ---------------------------------------------------------------------------------------------------
# Notifications of enrolments


def _notify_enrolment(session: Session, enrolment: Enrolment, *, old_status: str | None, now: datetime,
                      reason: str | None = None, actor_id: int | None = None) -> EventNotification:
    payload = {"old_status": old_status, "status": enrolment.status, "actor_id": actor_id}
    if enrolment.status == "offered" and enrolment.offer_expires_at:
        payload["offer_expires_at"] = enrolment.offer_expires_at.isoformat()
    if reason:
        payload["reason"] = reason
    kind = {
        "confirmed": "enrolment_confirmed", "pending": "enrolment_pending", "waitlisted": "enrolment_waitlisted",
        "offered": "enrolment_offered", "expired": "offer_expired", "cancelled": "enrolment_cancelled",
        "rejected": "enrolment_rejected",
    }[enrolment.status]
    notification = EventNotification(kind=kind, event_id=enrolment.event_id, enrolment_id=enrolment.id,
                                     user_id=enrolment.user_id, payload=payload, created_at=now)
    session.add(notification)
    _flush(session)
    signals.enrolment_status_changed.send(enrolment, session=session, now=now, old_status=old_status,
                                          notification=notification)
    return notification


def _set_status(session: Session, enrolment: Enrolment, status: str, *, now: datetime, reason: str | None = None,
                actor_id: int | None = None) -> EventNotification:
    old = enrolment.status
    enrolment.status = status
    enrolment.updated_at = now
    if status == "confirmed":
        enrolment.confirmed_at = now
        enrolment.offer_expires_at = None
    elif status in ("cancelled", "rejected"):
        enrolment.cancelled_at = now
        enrolment.cancel_reason = reason
        enrolment.offer_expires_at = None
    elif status == "expired":
        pass  # keep offer_expires_at as the record of the deadline that passed
    _flush(session)
    return _notify_enrolment(session, enrolment, old_status=old, now=now, reason=reason, actor_id=actor_id)


# ---------------------------------------------------------------------------------------------------
# Seats and the waiting list


def _next_seq(session: Session, event_id: int) -> int:
    top = session.scalar(sa.select(sa.func.max(Enrolment.waitlist_seq)).where(Enrolment.event_id == event_id))
    return int(top or 0) + 1


def _taken(session: Session, event_id: int) -> int:
    return int(session.scalar(sa.select(sa.func.count()).select_from(Enrolment).where(
        Enrolment.event_id == event_id, Enrolment.status.in_(SEAT_STATUSES))) or 0)


def _fill_seats(session: Session, event: Event, *, now: datetime) -> list[Enrolment]:
    """Give free seats to the first people waiting (call with the event locked)."""
    if event.status == "cancelled":
        return []
    promoted = []
    free = None if event.capacity is None else event.capacity - _taken(session, event.id)
    if free is not None and free <= 0:
        return []
    stmt = (sa.select(Enrolment).where(Enrolment.event_id == event.id, Enrolment.status == "waitlisted")
            .order_by(Enrolment.waitlist_seq))
    if free is not None:
        stmt = stmt.limit(free)
    for enrolment in session.scalars(stmt).all():
        if event.waitlist_mode == "offer":
            enrolment.offer_expires_at = now + timedelta(hours=event.offer_hours or 48)
            _set_status(session, enrolment, "offered", now=now)
        else:
            _set_status(session, enrolment, "confirmed", now=now)
        promoted.append(enrolment)
    return promoted


def registration_refusal(event: Event, *, now: datetime) -> RegistrationClosed | None:
    """Why participants may not enrol now (an error to raise or show), or None while registration is open."""
    if event.status == "draft":
        return RegistrationClosed("enrolment.not_published", field="event_id")
    if event.status == "cancelled":
        return RegistrationClosed("event.cancelled", field="event_id")
    if event.ends_at <= now:
        return RegistrationClosed("event.past", field="event_id")
    if event.registration_opens_at and now < event.registration_opens_at:
        opens_at = event.registration_opens_at.astimezone(ZoneInfo(event.timezone))
        return RegistrationClosed("enrolment.not_open_yet", field="event_id", opens_at=opens_at,
                                  opens_on=opens_at.strftime("%d %b %Y, %H:%M"), timezone=event.timezone)
    if event.registration_closes_at and now >= event.registration_closes_at:
        return RegistrationClosed("enrolment.closed", field="event_id")
    return None


def registration_state(event: Event, *, now: datetime, counts: SeatCounts | None = None) -> tuple[bool, str]:
    """Whether participants may enrol now, and the reason (in English) when they may not; the pages and the API
    use registration_refusal, which leaves the sentence to them."""
    refusal = registration_refusal(event, now=now)
    return (True, "") if refusal is None else (False, refusal.message)


# ---------------------------------------------------------------------------------------------------
# Enrolment


def enrol(session: Session, *, event_id: int, user_id: int, now: datetime, actor_id: int | None = None,
          override_capacity: bool = False, note: str = "") -> Enrolment:
    """Enrol a person: pending, confirmed, or waitlisted; organisers may enrol others, late and over capacity."""
    user = _user(session, user_id)
    actor = _user(session, actor_id, field="actor_id") if actor_id is not None else None
    event = get_event(session, event_id)
    by_organiser = actor is not None and can_manage(event, actor)
    if actor is not None and actor.id != user.id and not by_organiser:
        if event.status == "draft":
            raise NotFound("event.not_found", field="event_id")
        raise Forbidden("enrolment.others_organisers_only")
    if override_capacity and not by_organiser:
        raise Forbidden("enrolment.over_capacity_organisers_only", field="override_capacity")
    if actor is not None and actor.id == user.id:
        actor = None  # enrolling oneself
    note = _text({"note": note}, "note", 500)

    event = lock_event(session, event_id)
    if event.status == "draft":
        if not can_manage(event, actor or user):
            raise NotFound("event.not_found", field="event_id")
        raise RegistrationClosed("enrolment.draft_event", field="event_id")
    if event.status == "cancelled":
        raise RegistrationClosed("event.cancelled", field="event_id")
    if not by_organiser:
        refusal = registration_refusal(event, now=now)
        if refusal is not None:
            raise refusal

    enrolment = session.scalar(
        sa.select(Enrolment).where(Enrolment.event_id == event.id, Enrolment.user_id == user.id)
    )
    if enrolment is not None:
        if enrolment.status in ACTIVE_STATUSES:
            if actor is None:
                raise AlreadyEnrolled("enrolment.already_enrolled_self", field="user_id", status=enrolment.status)
            raise AlreadyEnrolled("enrolment.already_enrolled", field="user_id", name=user.name,
                                  status=enrolment.status)
        if enrolment.status == "rejected" and not by_organiser:
            raise RegistrationClosed("enrolment.declined", field="event_id")
    old_status = enrolment.status if enrolment is not None else None
    if enrolment is None:
        enrolment = Enrolment(event_id=event.id, user_id=user.id, ticket_code=new_ticket_code(), created_at=now)
        session.add(enrolment)
    enrolment.enrolled_by_id = actor.id if actor is not None else None
    enrolment.note = note
    enrolment.cancel_reason = None
    enrolment.cancelled_at = None
    enrolment.offer_expires_at = None
    enrolment.is_over_capacity = False
    enrolment.confirmed_at = None  # a re-enrolment after a cancellation starts afresh
    enrolment.waitlist_seq = None
    enrolment.updated_at = now

    with session.no_autoflush:
        if event.requires_approval and not by_organiser:
            status = "pending"
        else:
            taken = _taken(session, event.id)
            waiting = session.scalar(sa.select(sa.func.count()).select_from(Enrolment).where(
                Enrolment.event_id == event.id, Enrolment.status == "waitlisted"))
            if event.capacity is None or (taken < event.capacity and not waiting):
                status = "confirmed"
            elif override_capacity:
                status = "confirmed"
                enrolment.is_over_capacity = True
            else:
                status = "waitlisted"
                enrolment.waitlist_seq = _next_seq(session, event.id)
        enrolment.status = status
        if status == "confirmed":
            enrolment.confirmed_at = now
    try:
        session.flush()
    except sa.exc.IntegrityError as exc:
        raise AlreadyEnrolled("enrolment.already_enrolled_race", field="user_id") from exc
    except sa.exc.OperationalError as exc:
        if _is_lock_error(exc):
            raise TryAgain("event.busy") from exc
        raise
    _notify_enrolment(session, enrolment, old_status=old_status, now=now, actor_id=actor_id)
    return enrolment


def _refuse_if_cancelled(event: Event) -> None:
    if event.status == "cancelled":
        raise Conflict("event.cancelled", field="event_id")


def _leave(session: Session, enrolment: Enrolment, status: str, *, now: datetime, reason: str | None,
           actor_id: int | None) -> Enrolment:
    event = lock_event(session, enrolment.event_id)
    session.refresh(enrolment)
    if enrolment.status not in ACTIVE_STATUSES:
        raise Conflict("enrolment.already_inactive", field="enrolment_id", status=enrolment.status)
    held_seat = enrolment.status in SEAT_STATUSES
    _set_status(session, enrolment, status, now=now, reason=reason, actor_id=actor_id)
    if held_seat:
        _fill_seats(session, event, now=now)
    return enrolment


def cancel_enrolment(session: Session, *, enrolment_id: int, actor_id: int, now: datetime,
                     reason: str | None = None) -> Enrolment:
    """The participant or an organiser cancels; a freed seat goes to the first person waiting."""
    actor = _user(session, actor_id, field="actor_id")
    enrolment = get_enrolment_for(session, enrolment_id, actor)
    reason = _text({"reason": reason}, "reason", 500) or None
    if enrolment.user_id == actor.id and not can_manage(enrolment.event, actor) and enrolment.event.is_past(now):
        raise Conflict("enrolment.cancel_after_event", field="enrolment_id")
    return _leave(session, enrolment, "cancelled", now=now, reason=reason, actor_id=actor_id)


def reject_enrolment(session: Session, *, enrolment_id: int, actor_id: int, now: datetime,
                     reason: str | None = None) -> Enrolment:
    """An organiser declines an enrolment; a freed seat goes to the first person waiting."""
    actor = _user(session, actor_id, field="actor_id")
    enrolment = get_enrolment_for(session, enrolment_id, actor)
    if not can_manage(enrolment.event, actor):
        raise Forbidden("enrolment.reject_organisers_only")
    reason = _text({"reason": reason}, "reason", 500) or None
    return _leave(session, enrolment, "rejected", now=now, reason=reason, actor_id=actor_id)


def approve_enrolment(session: Session, *, enrolment_id: int, actor_id: int, now: datetime) -> Enrolment:
    """An organiser approves a pending enrolment: confirmed while seats remain, else waitlisted."""
    actor = _user(session, actor_id, field="actor_id")
    enrolment = get_enrolment_for(session, enrolment_id, actor)
    if not can_manage(enrolment.event, actor):
        raise Forbidden("enrolment.approve_organisers_only")
    event = lock_event(session, enrolment.event_id)
    session.refresh(enrolment)
    _refuse_if_cancelled(event)
    if enrolment.status != "pending":
        raise Conflict("enrolment.approve_not_pending", field="enrolment_id", status=enrolment.status)
    waiting = session.scalar(sa.select(sa.func.count()).select_from(Enrolment).where(
        Enrolment.event_id == event.id, Enrolment.status == "waitlisted"))
    if event.capacity is None or (_taken(session, event.id) < event.capacity and not waiting):
        _set_status(session, enrolment, "confirmed", now=now, actor_id=actor_id)
    else:
        enrolment.waitlist_seq = _next_seq(session, event.id)
        _set_status(session, enrolment, "waitlisted", now=now, actor_id=actor_id)
    return enrolment


def promote_enrolment(session: Session, *, enrolment_id: int, actor_id: int, now: datetime) -> Enrolment:
    """An organiser confirms someone waiting (or pending) now, beyond capacity when no seat is free."""
    actor = _user(session, actor_id, field="actor_id")
    enrolment = get_enrolment_for(session, enrolment_id, actor)
    if not can_manage(enrolment.event, actor):
        raise Forbidden("enrolment.promote_organisers_only")
    event = lock_event(session, enrolment.event_id)
    session.refresh(enrolment)
    _refuse_if_cancelled(event)
    if enrolment.status not in ("waitlisted", "offered", "pending"):
        raise Conflict("enrolment.promote_not_waiting", field="enrolment_id", status=enrolment.status)
    taken = _taken(session, event.id) - (1 if enrolment.status == "offered" else 0)
    enrolment.is_over_capacity = event.capacity is not None and taken >= event.capacity
    _set_status(session, enrolment, "confirmed", now=now, actor_id=actor_id)
    return enrolment


def accept_offer(session: Session, *, enrolment_id: int, user_id: int, now: datetime) -> Enrolment:
    """The person offered a seat takes it before the deadline."""
    user = _user(session, user_id)
    enrolment = _enrolment(session, enrolment_id)
    if enrolment.user_id != user.id:
        raise NotFound("enrolment.not_found", field="enrolment_id")
    event = lock_event(session, enrolment.event_id)
    session.refresh(enrolment)
    if enrolment.status != "offered":
        raise Conflict("enrolment.no_open_offer", field="enrolment_id", status=enrolment.status)
    _refuse_if_cancelled(event)
    if event.is_past(now):
        raise Conflict("event.past", field="enrolment_id")
    if enrolment.offer_expires_at is not None and enrolment.offer_expires_at <= now:
        raise Conflict("enrolment.offer_expired", field="enrolment_id")
    _set_status(session, enrolment, "confirmed", now=now, actor_id=user_id)
    return enrolment


def expire_offers(session: Session, *, now: datetime) -> int:
    """Offers past their deadline expire and their seats go to the next people waiting; returns how many."""
    event_ids = list(session.scalars(
        sa.select(Enrolment.event_id).where(Enrolment.status == "offered", Enrolment.offer_expires_at <= now)
        .distinct().order_by(Enrolment.event_id)
    ))
    expired = 0
    for event_id in event_ids:
        event = lock_event(session, event_id)
        due = session.scalars(sa.select(Enrolment).where(
            Enrolment.event_id == event_id, Enrolment.status == "offered", Enrolment.offer_expires_at <= now)
            .order_by(Enrolment.waitlist_seq)).all()
        for enrolment in due:
            _set_status(session, enrolment, "expired", now=now)
            expired += 1
        _fill_seats(session, event, now=now)
    return expired
