"""Event rules: planning, agenda, enrolment with capacity and waiting list, check-in and attendance.

Plain functions taking ids, data and `now`; they flush, never commit. Every change of enrolments runs
under a per-event lock (a first write on the event row), so capacity and waiting-list positions hold
under concurrent requests on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.auth.models import User
from app.auth.services import TIMEZONES
from app.directory.models import Organisation, Topic
from app.directory.services import find_topics, normalise_country, normalise_url
from app.errors import Conflict, Forbidden, NotFound, TryAgain, ValidationFailed
from app.events import signals
from app.events.limits import (
    EVENT_READ_ONLY,
    EVENT_REQUIRED,
    EVENT_TEXT_LIMITS,
    EVENT_WRITABLE,
    MAX_CAPACITY,
    MAX_HOURS,
    MAX_LANGUAGES,
    MAX_REMINDERS,
    MIN_ATTENDANCE_PERCENT,
    OFFER_HOURS,
    REMINDER_HOURS,
    SESSION_READ_ONLY,
    SESSION_REQUIRED,
    SESSION_TEXT_LIMITS,
    SLUG_MAX,
)
from app.events.models import (
    ACTIVE_STATUSES,
    EVENT_FORMATS,
    SEAT_STATUSES,
    WAITLIST_MODES,
    Checkin,
    Enrolment,
    Event,
    EventNotification,
    EventSession,
    event_topic,
)
from app.sqltypes import utcnow
from app.validation import MAX_YEAR, check_year, clean_text

# statuses of people in the waiting list (an offered seat keeps its place until accepted)
WAITING_STATUSES = ("waitlisted", "offered")
TICKET_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
TICKET_LENGTH = 10
LOCK_TIMEOUT_MS = 5000
MAX_INT = 2_147_483_647
TRY_AGAIN_MESSAGE = "Many people are enrolling right now; please try again in a moment."

TIME_FIELDS = ("starts_at", "ends_at", "timezone")
PLACE_FIELDS = ("venue", "address", "city", "country", "online_url")


class RegistrationClosed(Conflict):
    """The event does not take enrolments now."""


class AlreadyEnrolled(Conflict):
    """One enrolment per person and event."""


# ---------------------------------------------------------------------------------------------------
# Parsing helpers


def _text(data: dict, name: str, limit: int, *, required: bool = False, label: str | None = None) -> str:
    return clean_text(data.get(name), field=name, limit=limit, label=label, required=required,
                      strip_bidi=(name == "title"))


def _int(value, name: str, *, minimum: int = 0, maximum: int = MAX_INT, allow_none: bool = False) -> int | None:
    if value is None or value == "":
        if allow_none:
            return None
        raise ValidationFailed(f"{name.replace('_', ' ').capitalize()} is required.", field=name)
    if isinstance(value, bool):
        raise ValidationFailed(f"{name} must be a whole number.", field=name)
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError as exc:
            raise ValidationFailed(f"{name} must be a whole number.", field=name) from exc
    if isinstance(value, float):
        if not value.is_integer():
            raise ValidationFailed(f"{name} must be a whole number.", field=name)
        value = int(value)
    if not isinstance(value, int):
        raise ValidationFailed(f"{name} must be a whole number.", field=name)
    if value < minimum:
        raise ValidationFailed(f"{name.replace('_', ' ').capitalize()} must be at least {minimum}.", field=name)
    if value > maximum:
        raise ValidationFailed(f"{name.replace('_', ' ').capitalize()} must be at most {maximum}.", field=name)
    return value


def _id(value, name: str) -> int:
    return _int(value, name, minimum=1)


def _bool(value, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "1", "yes", "on", "y"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "0", "no", "off", "n", ""):
        return False
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise ValidationFailed(f"{name} must be true or false.", field=name)


def check_zone(zone, *, field: str = "timezone") -> str:
    if not isinstance(zone, str) or zone not in TIMEZONES:
        raise ValidationFailed(
            f"Unknown time zone {zone!r}; use an IANA name such as Europe/Berlin.", field=field
        )
    return zone


def parse_datetime(value, *, zone: str, field: str, allow_none: bool = False, maximum: int = 2200) -> datetime | None:
    """An aware UTC datetime from ISO 8601 text or a datetime; without an offset it means local time in `zone`."""
    if value is None or value == "":
        if allow_none:
            return None
        raise ValidationFailed(f"{field.replace('_', ' ').capitalize()} is required.", field=field)
    if isinstance(value, str):
        text = value.strip()
        try:
            value = datetime.fromisoformat(text)
        except ValueError as exc:
            raise ValidationFailed(
                f"{field} must be an ISO 8601 date and time such as 2026-05-04T09:00+02:00.", field=field
            ) from exc
    elif isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time.min)
    if not isinstance(value, datetime):
        raise ValidationFailed(f"{field} must be a date and time.", field=field)
    # before any time zone arithmetic, which overflows at the ends of the calendar (year 1, year 9999)
    check_year(value, field=field, maximum=maximum)
    if value.tzinfo is None:
        local = value.replace(tzinfo=ZoneInfo(zone))
        # a wall-clock time skipped when the clocks go forward does not exist; refuse it rather than
        # silently moving it by an hour (a time that occurs twice takes its first occurrence)
        if local.astimezone(ZoneInfo("UTC")).astimezone(ZoneInfo(zone)).replace(tzinfo=None) != value:
            raise ValidationFailed(
                f"{value:%d %b %Y, %H:%M} does not exist in {zone}: the clocks go forward then. "
                "Choose a time outside the change.", field=field)
        value = local
    try:
        result = value.astimezone(ZoneInfo("UTC"))
    except (OverflowError, ValueError) as exc:
        raise ValidationFailed(f"{field} is out of range.", field=field) from exc
    return check_year(result, field=field, maximum=maximum)


def _decimal(value, name: str, *, maximum: Decimal) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationFailed(f"{name} must be a number.", field=name)
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed(f"{name} must be a number.", field=name) from exc
    if not number.is_finite() or number < 0 or number > maximum:
        raise ValidationFailed(f"{name.capitalize()} must be between 0 and {maximum}.", field=name)
    return number.quantize(Decimal("0.01"))


def _list(value, name: str) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list | tuple):
        raise ValidationFailed(f"{name} must be a list.", field=name)
    return list(value)


_LANG_RE = re.compile(r"^[a-z]{2}$")


def _languages(value) -> list[str]:
    items = _list(value, "languages")
    result = []
    for item in items:
        code = item.strip().lower() if isinstance(item, str) else None
        if not code or not _LANG_RE.match(code):
            raise ValidationFailed("Languages are two-letter ISO 639-1 codes such as en, de, pt.",
                                   field="languages")
        if code not in result:
            result.append(code)
    if len(result) > MAX_LANGUAGES:
        raise ValidationFailed(f"At most {MAX_LANGUAGES} languages.", field="languages")
    return result


def slugify(text: str) -> str:
    value = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    value = re.sub(r"[^a-z0-9]+", "-", value).strip("-")
    return value[:180] or "event"


def _unique_slug(session: Session, base: str, *, exclude_id: int | None = None) -> str:
    base = slugify(base)
    taken = set(session.scalars(sa.select(Event.slug).where(
        sa.or_(Event.slug == base, Event.slug.like(base + "-%")), Event.id != (exclude_id or 0))))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def new_ticket_code() -> str:
    return "".join(secrets.choice(TICKET_ALPHABET) for _ in range(TICKET_LENGTH))


def normalise_ticket_code(code: str | None) -> str:
    return re.sub(r"[^0-9A-Z]", "", (code or "").upper())[:32]


# ---------------------------------------------------------------------------------------------------
# Lookups and permissions


def get_event(session: Session, event_id) -> Event:
    """The event, or NotFound."""
    if not isinstance(event_id, int) or isinstance(event_id, bool) or not 0 < event_id <= MAX_INT:
        raise NotFound("No such event.", field="event_id")
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound("No such event.", field="event_id")
    return event


def can_manage(event: Event, user: User | None) -> bool:
    """Admins and the event's organisers manage it."""
    return event.is_organised_by(user)


def _user(session: Session, user_id, *, field: str = "user_id") -> User:
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not 0 < user_id <= MAX_INT:
        raise NotFound("No such user.", field=field)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.", field=field)
    return user


def visible_event(session: Session, event_id: int, user: User | None) -> Event:
    """The event if this user may see it: drafts only for their organisers (others get NotFound)."""
    event = get_event(session, event_id)
    if event.status == "draft" and not can_manage(event, user):
        raise NotFound("No such event.", field="event_id")
    return event


def managed_event(session: Session, event_id: int, actor_id: int) -> Event:
    """The event if the actor manages it; NotFound for drafts of others, Forbidden otherwise."""
    actor = _user(session, actor_id, field="actor_id")
    event = get_event(session, event_id)
    if not can_manage(event, actor):
        if event.status == "draft":
            raise NotFound("No such event.", field="event_id")
        raise Forbidden("Only the event's organisers can do that.")
    return event


def _enrolment(session: Session, enrolment_id) -> Enrolment:
    if not isinstance(enrolment_id, int) or isinstance(enrolment_id, bool) or not 0 < enrolment_id <= MAX_INT:
        raise NotFound("No such enrolment.", field="enrolment_id")
    enrolment = session.get(Enrolment, enrolment_id)
    if enrolment is None:
        raise NotFound("No such enrolment.", field="enrolment_id")
    return enrolment


def get_enrolment_for(session: Session, enrolment_id: int, user: User) -> Enrolment:
    """The enrolment if it is the user's own or the user manages its event; NotFound otherwise."""
    enrolment = _enrolment(session, enrolment_id)
    if enrolment.user_id != user.id and not can_manage(enrolment.event, user):
        raise NotFound("No such enrolment.", field="enrolment_id")
    return enrolment


# ---------------------------------------------------------------------------------------------------
# Locking and notifications


def _is_lock_error(exc: sa.exc.DBAPIError) -> bool:
    orig = getattr(exc, "orig", None)
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if code in ("55P03", "40P01", "40001"):  # lock_not_available, deadlock, serialization failure
        return True
    return "database is locked" in str(exc).lower() or "lock timeout" in str(exc).lower()


def lock_event(session: Session, event_id: int) -> Event:
    """Serialise enrolment changes of one event: the first write of the transaction is on its row."""
    get_event(session, event_id)  # NotFound before any write
    try:
        connection = session.connection()
        if connection.dialect.name == "postgresql":
            session.execute(sa.text(f"SET LOCAL lock_timeout = '{int(LOCK_TIMEOUT_MS)}ms'"))
        session.execute(
            sa.update(Event.__table__)
            .where(Event.__table__.c.id == event_id)
            .values(lock_version=Event.__table__.c.lock_version + 1)
        )
    except sa.exc.OperationalError as exc:
        if _is_lock_error(exc):
            raise TryAgain(TRY_AGAIN_MESSAGE) from exc
        raise
    event = session.get(Event, event_id, populate_existing=True)
    return event


def _flush(session: Session) -> None:
    try:
        session.flush()
    except sa.exc.OperationalError as exc:
        if _is_lock_error(exc):
            raise TryAgain(TRY_AGAIN_MESSAGE) from exc
        raise


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


def _notify_event(session: Session, event: Event, *, changes: set[str], now: datetime, kind: str,
                  actor_id: int | None, old: dict | None = None, extra: dict | None = None
                  ) -> EventNotification:
    event.revision = (event.revision or 0) + 1
    event.updated_at = now
    payload = {"changes": sorted(changes), "revision": event.revision, "status": event.status,
               "actor_id": actor_id}
    if old:
        payload["old"] = old
    payload.update(extra or {})
    notification = EventNotification(kind=kind, event_id=event.id, payload=payload, created_at=now)
    session.add(notification)
    _flush(session)
    signals.event_changed.send(event, session=session, now=now, changes=set(changes), notification=notification)
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


@dataclass
class SeatCounts:
    taken: int = 0  # confirmed + offered
    waiting: int = 0  # waitlisted + offered
    pending: int = 0
    confirmed: int = 0

    def seats_left(self, capacity: int | None) -> int | None:
        return None if capacity is None else max(capacity - self.taken, 0)


@lru_cache(maxsize=1)
def _counts_stmt():
    """Built once (its CASE expressions cost more to build than to run); the ids are bound per call."""
    e = Enrolment
    return (
        sa.select(
            e.event_id,
            sa.func.sum(sa.case((e.status.in_(SEAT_STATUSES), 1), else_=0)),
            sa.func.sum(sa.case((e.status.in_(WAITING_STATUSES), 1), else_=0)),
            sa.func.sum(sa.case((e.status == "pending", 1), else_=0)),
            sa.func.sum(sa.case((e.status == "confirmed", 1), else_=0)),
        )
        .where(e.event_id.in_(sa.bindparam("event_ids", expanding=True)), e.status.in_(ACTIVE_STATUSES))
        .group_by(e.event_id)
    )


def seat_counts_for(session: Session, event_ids) -> dict[int, SeatCounts]:
    """Seat counts of several events in one query."""
    ids = list(event_ids)
    result = {i: SeatCounts() for i in ids}
    if not ids:
        return result
    for event_id, taken, waiting, pending, confirmed in session.execute(_counts_stmt(), {"event_ids": ids}):
        result[event_id] = SeatCounts(int(taken or 0), int(waiting or 0), int(pending or 0), int(confirmed or 0))
    return result


def seat_counts(session: Session, event_id: int) -> SeatCounts:
    return seat_counts_for(session, [event_id])[event_id]


def waitlist_positions(session: Session, event_id: int) -> dict[int, int]:
    """Enrolment id -> position (1, 2, ...) of everyone in the event's waiting list."""
    ids = session.scalars(
        sa.select(Enrolment.id)
        .where(Enrolment.event_id == event_id, Enrolment.status.in_(WAITING_STATUSES))
        .order_by(Enrolment.waitlist_seq)
    )
    return {enrolment_id: n for n, enrolment_id in enumerate(ids, start=1)}


def waitlist_position(session: Session, enrolment: Enrolment) -> int | None:
    """The enrolment's position in the waiting list, or None when it is not waiting."""
    if enrolment.status not in WAITING_STATUSES or enrolment.waitlist_seq is None:
        return None
    ahead = session.scalar(
        sa.select(sa.func.count()).select_from(Enrolment).where(
            Enrolment.event_id == enrolment.event_id, Enrolment.status.in_(WAITING_STATUSES),
            Enrolment.waitlist_seq < enrolment.waitlist_seq)
    )
    return 1 + int(ahead or 0)


def positions_for_user(session: Session, user_id: int) -> dict[int, int]:
    """Enrolment id -> waiting-list position for every waiting enrolment of one user (one query)."""
    ranked = (
        sa.select(
            Enrolment.id.label("id"), Enrolment.user_id.label("user_id"),
            sa.func.row_number().over(partition_by=Enrolment.event_id, order_by=Enrolment.waitlist_seq)
            .label("position"),
        )
        .where(
            Enrolment.status.in_(WAITING_STATUSES),
            Enrolment.event_id.in_(sa.select(Enrolment.event_id).where(
                Enrolment.user_id == user_id, Enrolment.status.in_(WAITING_STATUSES))),
        )
        .subquery()
    )
    rows = session.execute(sa.select(ranked.c.id, ranked.c.position).where(ranked.c.user_id == user_id))
    return {row.id: int(row.position) for row in rows}


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


def registration_state(event: Event, *, now: datetime, counts: SeatCounts | None = None) -> tuple[bool, str]:
    """Whether participants may enrol now, and the reason when they may not."""
    if event.status == "draft":
        return False, "This event is not published yet."
    if event.status == "cancelled":
        return False, "This event was cancelled."
    if event.ends_at <= now:
        return False, "This event has already taken place."
    if event.registration_opens_at and now < event.registration_opens_at:
        return False, f"Registration opens on {event.registration_opens_at.astimezone(ZoneInfo(event.timezone)):%d %b %Y, %H:%M} ({event.timezone})."
    if event.registration_closes_at and now >= event.registration_closes_at:
        return False, "Registration is closed."
    return True, ""


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
            raise NotFound("No such event.", field="event_id")
        raise Forbidden("Only the event's organisers can enrol other people.")
    if override_capacity and not by_organiser:
        raise Forbidden("Only the event's organisers can enrol beyond capacity.", field="override_capacity")
    if actor is not None and actor.id == user.id:
        actor = None  # enrolling oneself
    note = _text({"note": note}, "note", 500)

    event = lock_event(session, event_id)
    if event.status == "draft":
        if not can_manage(event, actor or user):
            raise NotFound("No such event.", field="event_id")
        raise RegistrationClosed("This event is not published yet; publish it before enrolling people.",
                                 field="event_id")
    if event.status == "cancelled":
        raise RegistrationClosed("This event was cancelled.", field="event_id")
    if not by_organiser:
        is_open, reason = registration_state(event, now=now)
        if not is_open:
            raise RegistrationClosed(reason, field="event_id")

    enrolment = session.scalar(
        sa.select(Enrolment).where(Enrolment.event_id == event.id, Enrolment.user_id == user.id)
    )
    if enrolment is not None:
        if enrolment.status in ACTIVE_STATUSES:
            who = "You are" if actor is None else f"{user.name} is"
            raise AlreadyEnrolled(f"{who} already enrolled in this event ({enrolment.status}).", field="user_id")
        if enrolment.status == "rejected" and not by_organiser:
            raise RegistrationClosed("The organisers declined your enrolment; contact them if this is a mistake.",
                                     field="event_id")
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
        raise AlreadyEnrolled("This person is already enrolled in this event.", field="user_id") from exc
    except sa.exc.OperationalError as exc:
        if _is_lock_error(exc):
            raise TryAgain(TRY_AGAIN_MESSAGE) from exc
        raise
    _notify_enrolment(session, enrolment, old_status=old_status, now=now, actor_id=actor_id)
    return enrolment


def _refuse_if_cancelled(event: Event) -> None:
    if event.status == "cancelled":
        raise Conflict("This event was cancelled.", field="event_id")


def _leave(session: Session, enrolment: Enrolment, status: str, *, now: datetime, reason: str | None,
           actor_id: int | None) -> Enrolment:
    event = lock_event(session, enrolment.event_id)
    session.refresh(enrolment)
    if enrolment.status not in ACTIVE_STATUSES:
        raise Conflict(f"This enrolment is already {enrolment.status}.", field="enrolment_id")
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
        raise Conflict("This event has already taken place; it can no longer be cancelled.", field="enrolment_id")
    return _leave(session, enrolment, "cancelled", now=now, reason=reason, actor_id=actor_id)


def reject_enrolment(session: Session, *, enrolment_id: int, actor_id: int, now: datetime,
                     reason: str | None = None) -> Enrolment:
    """An organiser declines an enrolment; a freed seat goes to the first person waiting."""
    actor = _user(session, actor_id, field="actor_id")
    enrolment = get_enrolment_for(session, enrolment_id, actor)
    if not can_manage(enrolment.event, actor):
        raise Forbidden("Only the event's organisers can reject enrolments.")
    reason = _text({"reason": reason}, "reason", 500) or None
    return _leave(session, enrolment, "rejected", now=now, reason=reason, actor_id=actor_id)


def approve_enrolment(session: Session, *, enrolment_id: int, actor_id: int, now: datetime) -> Enrolment:
    """An organiser approves a pending enrolment: confirmed while seats remain, else waitlisted."""
    actor = _user(session, actor_id, field="actor_id")
    enrolment = get_enrolment_for(session, enrolment_id, actor)
    if not can_manage(enrolment.event, actor):
        raise Forbidden("Only the event's organisers can approve enrolments.")
    event = lock_event(session, enrolment.event_id)
    session.refresh(enrolment)
    _refuse_if_cancelled(event)
    if enrolment.status != "pending":
        raise Conflict(f"Only pending enrolments can be approved; this one is {enrolment.status}.",
                       field="enrolment_id")
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
        raise Forbidden("Only the event's organisers can promote from the waiting list.")
    event = lock_event(session, enrolment.event_id)
    session.refresh(enrolment)
    _refuse_if_cancelled(event)
    if enrolment.status not in ("waitlisted", "offered", "pending"):
        raise Conflict(f"Only waiting or pending enrolments can be promoted; this one is {enrolment.status}.",
                       field="enrolment_id")
    taken = _taken(session, event.id) - (1 if enrolment.status == "offered" else 0)
    enrolment.is_over_capacity = event.capacity is not None and taken >= event.capacity
    _set_status(session, enrolment, "confirmed", now=now, actor_id=actor_id)
    return enrolment


def accept_offer(session: Session, *, enrolment_id: int, user_id: int, now: datetime) -> Enrolment:
    """The person offered a seat takes it before the deadline."""
    user = _user(session, user_id)
    enrolment = _enrolment(session, enrolment_id)
    if enrolment.user_id != user.id:
        raise NotFound("No such enrolment.", field="enrolment_id")
    event = lock_event(session, enrolment.event_id)
    session.refresh(enrolment)
    if enrolment.status != "offered":
        raise Conflict(f"There is no open offer on this enrolment (it is {enrolment.status}).", field="enrolment_id")
    _refuse_if_cancelled(event)
    if event.is_past(now):
        raise Conflict("This event has already taken place.", field="enrolment_id")
    if enrolment.offer_expires_at is not None and enrolment.offer_expires_at <= now:
        raise Conflict("The offer has expired; the seat goes to the next person waiting.", field="enrolment_id")
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


# ---------------------------------------------------------------------------------------------------
# Planning


def _apply_event_data(session: Session, event: Event, data: dict, *, creating: bool) -> set[str]:
    """Validate `data` and set it on the event; returns the names of the fields that changed."""
    if not isinstance(data, dict):
        raise ValidationFailed("The event data must be an object.")
    unknown = sorted(set(data) - set(EVENT_WRITABLE) - set(EVENT_READ_ONLY))
    if unknown:
        raise ValidationFailed(f"Unknown field(s): {', '.join(unknown)}.", field=unknown[0])
    data = {k: v for k, v in data.items() if k in EVENT_WRITABLE}
    required = EVENT_REQUIRED if creating else ()
    for name in required:
        if data.get(name) in (None, ""):
            raise ValidationFailed(f"{name.replace('_', ' ').capitalize()} is required.", field=name)
    changed: set[str] = set()

    def put(name, value):
        if getattr(event, name) != value:
            changed.add(name)
            setattr(event, name, value)

    for name, limit in EVENT_TEXT_LIMITS.items():
        if name in data:
            put(name, _text(data, name, limit, required=(name == "title")))
    if "format" in data:
        if data["format"] not in EVENT_FORMATS:
            raise ValidationFailed(f"Format must be one of {', '.join(EVENT_FORMATS)}.", field="format")
        put("format", data["format"])
    if "timezone" in data:
        put("timezone", check_zone(data["timezone"]))
    zone = event.timezone
    for name in ("starts_at", "ends_at"):
        if name in data:
            put(name, parse_datetime(data[name], zone=zone, field=name))
    for name in ("registration_opens_at", "registration_closes_at"):
        if name in data:
            put(name, parse_datetime(data[name], zone=zone, field=name, allow_none=True))
    if "country" in data:
        if data["country"] is not None and not isinstance(data["country"], str):
            raise ValidationFailed("Country must be a two-letter code.", field="country")
        put("country", normalise_country(data["country"], required=False))
    if "online_url" in data:
        if data["online_url"] is not None and not isinstance(data["online_url"], str):
            raise ValidationFailed("Online URL must be text.", field="online_url")
        put("online_url", normalise_url(data["online_url"], field="online_url"))
    if "capacity" in data:
        put("capacity", _int(data["capacity"], "capacity", minimum=0, maximum=MAX_CAPACITY, allow_none=True))
    if "requires_approval" in data:
        put("requires_approval", _bool(data["requires_approval"], "requires_approval"))
    if "auto_certificates" in data:
        put("auto_certificates", _bool(data["auto_certificates"], "auto_certificates"))
    if "waitlist_mode" in data:
        if data["waitlist_mode"] not in WAITLIST_MODES:
            raise ValidationFailed("Waiting-list mode must be auto or offer.", field="waitlist_mode")
        put("waitlist_mode", data["waitlist_mode"])
    if "offer_hours" in data:
        put("offer_hours", _int(data["offer_hours"] if data["offer_hours"] not in (None, "") else 48,
                                "offer_hours", minimum=OFFER_HOURS[0], maximum=OFFER_HOURS[1]))
    if "hours" in data:
        put("hours", _decimal(data["hours"], "hours", maximum=Decimal(MAX_HOURS)))
    if "min_attendance_percent" in data:
        value = data["min_attendance_percent"]
        put("min_attendance_percent", _int(value if value not in (None, "") else 100, "min_attendance_percent",
                                           minimum=MIN_ATTENDANCE_PERCENT[0], maximum=MIN_ATTENDANCE_PERCENT[1]))
    if "languages" in data:
        put("languages", _languages(data["languages"]))
    if "reminder_offsets_hours" in data:
        try:
            offsets = [_int(v, "reminder_offsets_hours", minimum=REMINDER_HOURS[0], maximum=REMINDER_HOURS[1])
                       for v in _list(data["reminder_offsets_hours"], "reminder_offsets_hours")]
        except ValidationFailed as exc:
            raise ValidationFailed(
                "Give each reminder as a whole number of hours before the start, between 1 and 2160 "
                "(90 days), separated by commas, such as 168, 24.", field="reminder_offsets_hours") from exc
        put("reminder_offsets_hours", sorted(set(offsets), reverse=True)[:MAX_REMINDERS])
    if "topics" in data:
        slugs = _list(data["topics"], "topics")
        if not all(isinstance(s, str) for s in slugs):
            raise ValidationFailed("Topics are given by their slugs.", field="topics")
        topics = find_topics(session, slugs)
        if {t.id for t in topics} != {t.id for t in event.topics}:
            event.topics = topics
            changed.add("topics")
    if "hosts" in data:
        ids = [_id(v, "hosts") for v in _list(data["hosts"], "hosts")]
        hosts = list(session.scalars(sa.select(Organisation).where(Organisation.id.in_(ids)))) if ids else []
        missing = sorted(set(ids) - {h.id for h in hosts})
        if missing:
            raise ValidationFailed(f"Unknown organisation id(s): {', '.join(map(str, missing))}.", field="hosts")
        if {h.id for h in hosts} != {h.id for h in event.hosts}:
            event.hosts = hosts
            changed.add("hosts")
    if "organisers" in data:
        ids = [_id(v, "organisers") for v in _list(data["organisers"], "organisers")]
        people = list(session.scalars(sa.select(User).where(User.id.in_(ids)))) if ids else []
        missing = sorted(set(ids) - {u.id for u in people})
        if missing:
            raise ValidationFailed(f"Unknown user id(s): {', '.join(map(str, missing))}.", field="organisers")
        not_organisers = [u.name for u in people if not u.is_organiser]
        if not_organisers:
            raise ValidationFailed(f"Only organisers can organise events: {', '.join(not_organisers)}.",
                                   field="organisers")
        if not people:
            raise ValidationFailed("An event needs at least one organiser.", field="organisers")
        if {u.id for u in people} != {u.id for u in event.organisers}:
            event.organisers = people
            changed.add("organisers")
    if "slug" in data and data["slug"] not in (None, ""):
        slug = slugify(_text(data, "slug", SLUG_MAX))
        clash = session.scalar(sa.select(Event.id).where(Event.slug == slug, Event.id != (event.id or 0)))
        if clash is not None:
            raise Conflict("Another event already uses that slug.", field="slug")
        put("slug", slug)

    # rules across fields
    if event.ends_at <= event.starts_at:
        raise ValidationFailed("The end must be after the start.", field="ends_at")
    if event.ends_at - event.starts_at > timedelta(days=60):
        raise ValidationFailed("An event lasts at most 60 days.", field="ends_at")
    if (event.registration_opens_at and event.registration_closes_at
            and event.registration_closes_at <= event.registration_opens_at):
        raise ValidationFailed("Registration must close after it opens.", field="registration_closes_at")
    if event.registration_opens_at and event.registration_opens_at >= event.ends_at:
        raise ValidationFailed("Registration must open before the event ends.", field="registration_opens_at")
    if not (event.city or event.venue or event.online_url):
        raise ValidationFailed("Give a venue and city, or an online URL.", field="city")
    return changed


def _flush_event(session: Session) -> None:
    """Flush an event's row; a slug taken by someone saving at the same moment is a Conflict, not a 500."""
    try:
        _flush(session)
    except sa.exc.IntegrityError as exc:
        raise Conflict("Another event was saved with the same web address at the same moment; please save again.",
                       field="slug") from exc


def _check_sessions_inside(event: Event) -> None:
    for item in event.sessions:
        if item.starts_at < event.starts_at or item.ends_at > event.ends_at:
            raise ValidationFailed(
                f"The agenda item {item.title!r} would lie outside the event; move or delete it first.",
                field="starts_at" if item.starts_at < event.starts_at else "ends_at",
            )


def create_event(session: Session, *, data: dict, created_by_id: int, now: datetime) -> Event:
    """A new draft event; the creator becomes one of its organisers."""
    creator = _user(session, created_by_id, field="created_by_id")
    if not creator.is_organiser:
        raise Forbidden("Only organisers can create events.")
    event = Event(status="draft", created_by_id=creator.id, created_at=now, updated_at=now, revision=0,
                  lock_version=0, offer_hours=48, min_attendance_percent=100, waitlist_mode="auto",
                  requires_approval=False, auto_certificates=True, languages=["en"], summary="", description="",
                  venue="", address="", city="", reminder_offsets_hours=[168, 24])
    event.topics, event.hosts, event.organisers = [], [], [creator]
    if not isinstance(data, dict):
        raise ValidationFailed("The event data must be an object.")
    # an explicit organiser list still includes the creator
    if "organisers" in data:
        data = {**data, "organisers": list({*_list(data["organisers"], "organisers"), creator.id})}
    with session.no_autoflush:
        _apply_event_data(session, event, data, creating=True)
        if not event.slug:
            event.slug = _unique_slug(session, f"{event.title} {event.starts_at.astimezone(ZoneInfo(event.timezone)).year}")
    session.add(event)
    _flush_event(session)
    return event


def _wall_clock(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def _move_agenda(event: Event, *, old_start: datetime, old_end: datetime, old_zone: str, now: datetime) -> None:
    """When start and end move by the same wall-clock offset (the event moves, it is not resized), move every
    agenda session by that offset too, keeping its local time in the event's zone (across a clock change)."""
    if event.timezone != old_zone or not event.sessions:
        return
    offset = _wall_clock(event.starts_at, old_zone) - _wall_clock(old_start, old_zone)
    if not offset or _wall_clock(event.ends_at, old_zone) - _wall_clock(old_end, old_zone) != offset:
        return
    for item in event.sessions:
        for name in ("starts_at", "ends_at"):
            try:
                moved = parse_datetime(_wall_clock(getattr(item, name), old_zone) + offset, zone=old_zone,
                                       field=name)
            except ValidationFailed as exc:
                raise ValidationFailed(f"The agenda item {item.title!r} cannot move with the event: {exc.message}",
                                       field=name) from exc
            setattr(item, name, moved)
        item.updated_at = now


def update_event(session: Session, *, event_id: int, data: dict, actor_id: int, now: datetime) -> Event:
    """Change an event; time, place or status changes bump the revision and send event_changed. Moving the event
    (start and end by the same offset) moves its agenda with it."""
    managed_event(session, event_id, actor_id)
    event = lock_event(session, event_id)
    old = {"starts_at": event.starts_at.isoformat(), "ends_at": event.ends_at.isoformat(),
           "timezone": event.timezone, "venue": event.venue, "address": event.address, "city": event.city,
           "country": event.country, "online_url": event.online_url}
    old_start, old_end, old_zone = event.starts_at, event.ends_at, event.timezone
    old_capacity = event.capacity
    with session.no_autoflush:
        changed = _apply_event_data(session, event, data, creating=False)
        if event.status == "cancelled" and changed - {"description", "summary"}:
            raise Conflict("A cancelled event can no longer be changed.", field="status")
        _move_agenda(event, old_start=old_start, old_end=old_end, old_zone=old_zone, now=now)
        _check_sessions_inside(event)
    if "capacity" in changed and event.capacity is not None:
        taken = _taken(session, event.id)
        if event.capacity < taken:
            raise ValidationFailed(
                f"Capacity cannot be below the {taken} confirmed or offered seats.", field="capacity")
    event.updated_at = now
    _flush_event(session)
    kinds = set()
    if changed & set(TIME_FIELDS):
        kinds.add("time")
    if changed & set(PLACE_FIELDS):
        kinds.add("place")
    if kinds:
        _notify_event(session, event, changes=kinds, now=now, kind="event_updated", actor_id=actor_id,
                      old={k: v for k, v in old.items() if k in changed})
    if "capacity" in changed and (event.capacity is None or (old_capacity is not None
                                                             and event.capacity > old_capacity)):
        _fill_seats(session, event, now=now)
    return event


def publish_event(session: Session, *, event_id: int, actor_id: int, now: datetime) -> Event:
    """Draft -> published."""
    event = managed_event(session, event_id, actor_id)
    if event.status != "draft":
        raise Conflict(f"Only drafts can be published; this event is {event.status}.", field="status")
    event.status = "published"
    event.published_at = now
    _notify_event(session, event, changes={"status"}, now=now, kind="event_published", actor_id=actor_id)
    return event


def cancel_event(session: Session, *, event_id: int, actor_id: int, reason: str, now: datetime) -> Event:
    """Published or draft -> cancelled, with a reason shown to everyone enrolled."""
    managed_event(session, event_id, actor_id)
    event = lock_event(session, event_id)
    reason = _text({"reason": reason}, "reason", 2000, required=True, label="Reason")
    if event.status == "cancelled":
        raise Conflict("This event is already cancelled.", field="status")
    event.status = "cancelled"
    event.cancel_reason = reason
    event.cancelled_at = now
    _notify_event(session, event, changes={"status"}, now=now, kind="event_cancelled", actor_id=actor_id,
                  extra={"reason": reason})
    return event


def delete_event(session: Session, *, event_id: int, actor_id: int, now: datetime) -> str:
    """Delete a draft (with its agenda); returns its title. A published event may be in people's calendars and
    have enrolments, attendance and certificates: it is cancelled instead, so everyone hears of it."""
    managed_event(session, event_id, actor_id)
    event = lock_event(session, event_id)
    if event.status != "draft":
        raise Conflict(f"Only drafts can be deleted; this event is {event.status}. "
                       "Cancel it instead, so that everyone enrolled is told.", field="status")
    title = event.title
    session.delete(event)
    _flush(session)
    return title


def duplicate_event(session: Session, *, event_id: int, actor_id: int, starts_at, now: datetime,
                    title: str | None = None) -> Event:
    """Plan it again: a draft copy with new dates (agenda and registration window shifted), no participants."""
    source = managed_event(session, event_id, actor_id)
    actor = _user(session, actor_id)
    new_start = parse_datetime(starts_at, zone=source.timezone, field="starts_at")
    delta = new_start - source.starts_at
    copy = Event(
        title=_text({"title": title or source.title}, "title", 200, required=True),
        format=source.format, summary=source.summary, description=source.description, status="draft",
        languages=list(source.languages or []), timezone=source.timezone, starts_at=source.starts_at + delta,
        ends_at=source.ends_at + delta, venue=source.venue, address=source.address, city=source.city,
        country=source.country, online_url=source.online_url, capacity=source.capacity,
        registration_opens_at=source.registration_opens_at + delta if source.registration_opens_at else None,
        registration_closes_at=source.registration_closes_at + delta if source.registration_closes_at else None,
        requires_approval=source.requires_approval, waitlist_mode=source.waitlist_mode,
        offer_hours=source.offer_hours, hours=source.hours, min_attendance_percent=source.min_attendance_percent,
        auto_certificates=source.auto_certificates,
        reminder_offsets_hours=list(source.reminder_offsets_hours or []), revision=0, lock_version=0,
        created_by_id=actor.id, duplicated_from_id=source.id, created_at=now, updated_at=now,
    )
    copy.topics = list(source.topics)
    copy.hosts = list(source.hosts)
    copy.organisers = list({u.id: u for u in [*source.organisers, actor]}.values())
    copy.slug = _unique_slug(session, f"{copy.title} {copy.starts_at.astimezone(ZoneInfo(copy.timezone)).year}")
    for item in source.sessions:
        copy.sessions.append(EventSession(
            title=item.title, starts_at=item.starts_at + delta, ends_at=item.ends_at + delta,
            location=item.location, address=item.address, speakers=item.speakers, description=item.description,
            created_at=now, updated_at=now))
    session.add(copy)
    _flush_event(session)
    return copy


# ---------------------------------------------------------------------------------------------------
# Agenda


def _apply_session_data(item: EventSession, event: Event, data: dict, *, creating: bool) -> None:
    if not isinstance(data, dict):
        raise ValidationFailed("The session data must be an object.")
    allowed = set(SESSION_TEXT_LIMITS) | {"starts_at", "ends_at", *SESSION_READ_ONLY}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ValidationFailed(f"Unknown field(s): {', '.join(unknown)}.", field=unknown[0])
    if creating:
        for name in SESSION_REQUIRED:
            if data.get(name) in (None, ""):
                raise ValidationFailed(f"{name.replace('_', ' ').capitalize()} is required.", field=name)
    for name, limit in SESSION_TEXT_LIMITS.items():
        if name in data:
            setattr(item, name, _text(data, name, limit, required=(name == "title")))
    for name in ("starts_at", "ends_at"):
        if name in data:
            setattr(item, name, parse_datetime(data[name], zone=event.timezone, field=name))
    if item.ends_at <= item.starts_at:
        raise ValidationFailed("The session must end after it starts.", field="ends_at")
    if item.starts_at < event.starts_at or item.ends_at > event.ends_at:
        zone = ZoneInfo(event.timezone)
        raise ValidationFailed(
            "Sessions must lie within the event "
            f"({event.starts_at.astimezone(zone):%d %b %H:%M} – {event.ends_at.astimezone(zone):%d %b %H:%M} "
            f"{event.timezone}).",
            field="starts_at" if item.starts_at < event.starts_at else "ends_at",
        )


def add_session(session: Session, *, event_id: int, data: dict, actor_id: int, now: datetime) -> EventSession:
    """Add an agenda item (an itinerary stop for information trips) inside the event's time."""
    event = managed_event(session, event_id, actor_id)
    if event.status == "cancelled":
        raise Conflict("This event was cancelled.", field="event_id")
    item = EventSession(created_at=now, updated_at=now, location="", address="", speakers="", description="")
    with session.no_autoflush:
        _apply_session_data(item, event, data, creating=True)
    item.event = event
    session.add(item)
    _flush(session)
    _agenda_changed(session, event, now=now, actor_id=actor_id)
    return item


def _agenda_changed(session: Session, event: Event, *, now: datetime, actor_id: int) -> None:
    """The agenda is part of the event: a session added, changed or removed is a revision (invitees updated)."""
    _notify_event(session, event, changes={"agenda"}, now=now, kind="event_updated", actor_id=actor_id)


def get_session(session: Session, session_id) -> EventSession:
    if not isinstance(session_id, int) or isinstance(session_id, bool) or not 0 < session_id <= MAX_INT:
        raise NotFound("No such session.", field="session_id")
    item = session.get(EventSession, session_id)
    if item is None:
        raise NotFound("No such session.", field="session_id")
    return item


def update_session(session: Session, *, session_id: int, data: dict, actor_id: int, now: datetime) -> EventSession:
    item = get_session(session, session_id)
    event = managed_event(session, item.event_id, actor_id)
    _refuse_if_cancelled(event)
    fields = ("title", "starts_at", "ends_at", *SESSION_TEXT_LIMITS)
    before = {name: getattr(item, name) for name in fields}
    with session.no_autoflush:
        _apply_session_data(item, event, data, creating=False)
    if all(getattr(item, name) == value for name, value in before.items()):
        return item  # saved unchanged: no revision, no mail
    item.updated_at = now
    _flush(session)
    _agenda_changed(session, event, now=now, actor_id=actor_id)
    return item


def delete_session(session: Session, *, session_id: int, actor_id: int, now: datetime) -> None:
    item = get_session(session, session_id)
    event = managed_event(session, item.event_id, actor_id)
    attended = session.scalar(sa.select(sa.func.count()).select_from(Checkin).where(Checkin.session_id == item.id))
    if attended:
        raise Conflict(f"{attended} check-in(s) are recorded for this session; undo them before deleting it.",
                       field="session_id")
    session.delete(item)
    _flush(session)
    _agenda_changed(session, event, now=now, actor_id=actor_id)


# ---------------------------------------------------------------------------------------------------
# Attendance


@dataclass(frozen=True)
class AttendanceUnit:
    """A session, or one local day of an event without sessions."""

    session_id: int | None
    day: date | None
    label: str
    starts_at: datetime
    ends_at: datetime
    hours: float

    @property
    def key(self) -> tuple:
        return ("s", self.session_id) if self.session_id is not None else ("d", self.day)


@dataclass
class Attendance:
    enrolment_id: int
    user_id: int
    attended: list[AttendanceUnit] = field(default_factory=list)
    total_units: int = 0
    share: float = 0.0
    meets_minimum: bool = False
    hours_attended: float = 0.0


def attendance_units(event: Event) -> list[AttendanceUnit]:
    """The event's sessions, or one unit per local day when it has none; hours split the declared hours."""
    declared = float(event.hours) if event.hours is not None else None
    if event.sessions:
        items = sorted(event.sessions, key=lambda s: (s.starts_at, s.id or 0))
        durations = [(s.ends_at - s.starts_at).total_seconds() / 3600 for s in items]
        total = sum(durations) or 1.0
        return [
            AttendanceUnit(session_id=s.id, day=None, label=s.title, starts_at=s.starts_at, ends_at=s.ends_at,
                           hours=declared * d / total if declared is not None else d)
            for s, d in zip(items, durations, strict=True)
        ]
    zone = ZoneInfo(event.timezone)
    first = event.starts_at.astimezone(zone).date()
    last = event.ends_at.astimezone(zone).date()
    days = []
    day = first
    while day <= last:
        day_start = datetime.combine(day, time.min, zone)
        day_end = datetime.combine(day + timedelta(days=1), time.min, zone)
        start, end = max(event.starts_at, day_start), min(event.ends_at, day_end)
        if end > start:
            days.append((day, start, end))
        day += timedelta(days=1)
    units = []
    for n, (day, start, end) in enumerate(days, start=1):
        duration = min((end - start).total_seconds() / 3600, 8.0)
        hours = declared / len(days) if declared is not None else duration
        label = f"Day {n} · {day:%a %d %b %Y}" if len(days) > 1 else f"{day:%a %d %b %Y}"
        units.append(AttendanceUnit(session_id=None, day=day, label=label, starts_at=start.astimezone(ZoneInfo("UTC")),
                                    ends_at=end.astimezone(ZoneInfo("UTC")), hours=hours))
    return units


def summarise_attendance(event: Event, enrolments: list[Enrolment], checkins: list[Checkin]) -> dict[int, Attendance]:
    units = attendance_units(event)
    by_key = {u.key: u for u in units}
    seen: dict[int, set] = {}
    for c in checkins:
        key = ("s", c.session_id) if c.session_id is not None else ("d", c.day)
        if key in by_key:
            seen.setdefault(c.enrolment_id, set()).add(key)
    result = {}
    for e in enrolments:
        keys = seen.get(e.id, set())
        attended = [u for u in units if u.key in keys]
        share = len(attended) / len(units) if units else 0.0
        result[e.id] = Attendance(
            enrolment_id=e.id, user_id=e.user_id, attended=attended, total_units=len(units), share=share,
            meets_minimum=bool(units) and share * 100 + 1e-9 >= event.min_attendance_percent,
            hours_attended=round(sum(u.hours for u in attended), 2),
        )
    return result


def attendance_summary(session: Session, event_id: int) -> dict[int, Attendance]:
    """Enrolment id -> attendance, for everyone confirmed or checked in at least once."""
    event = session.scalar(sa.select(Event).where(Event.id == event_id).options(selectinload(Event.sessions)))
    if event is None:
        raise NotFound("No such event.", field="event_id")
    checkins = list(session.scalars(
        sa.select(Checkin).join(Enrolment, Checkin.enrolment_id == Enrolment.id).where(Enrolment.event_id == event_id)
    ))
    with_checkins = {c.enrolment_id for c in checkins}
    enrolments = [e for e in session.scalars(sa.select(Enrolment).where(Enrolment.event_id == event_id)
                                             .order_by(Enrolment.id))
                  if e.status == "confirmed" or e.id in with_checkins]
    return summarise_attendance(event, enrolments, checkins)


def pick_unit(event: Event, units: list[AttendanceUnit], *, now: datetime, session_id, day) -> AttendanceUnit:
    if session_id not in (None, ""):
        session_id = _id(session_id, "session_id")
        for unit in units:
            if unit.session_id == session_id:
                return unit
        raise NotFound("That session is not part of this event.", field="session_id")
    if day not in (None, ""):
        if isinstance(day, str):
            try:
                day = date.fromisoformat(day.strip())
            except ValueError as exc:
                raise ValidationFailed("Day must be a date such as 2026-05-04.", field="day") from exc
        if not isinstance(day, date) or isinstance(day, datetime):
            raise ValidationFailed("Day must be a date such as 2026-05-04.", field="day")
        if event.sessions:
            raise ValidationFailed("This event has an agenda: check in per session.", field="session_id")
        for unit in units:
            if unit.day == day:
                return unit
        raise ValidationFailed("That day is not part of this event.", field="day")
    if len(units) == 1:
        return units[0]
    # the unit running now (or starting within the hour), else the only one on today's local date
    for unit in units:
        if unit.starts_at - timedelta(hours=1) <= now < unit.ends_at:
            return unit
    today = now.astimezone(ZoneInfo(event.timezone)).date()
    todays = [u for u in units if u.starts_at.astimezone(ZoneInfo(event.timezone)).date() == today]
    if len(todays) == 1:
        return todays[0]
    raise ValidationFailed("Choose the session (or day) to check in for.",
                           field="session_id" if event.sessions else "day")


class CheckinBeforeEvent(Conflict):
    """A check-in before the event's first (local) day: the desk must confirm it is meant."""

    code = "checkin_before_event"

    def __init__(self, *, name: str, first_day: date, enrolment_id: int):
        super().__init__(f"{name} is being checked in before the event: it starts on {first_day.isoformat()}. "
                         "Confirm to check in anyway.", field="confirm")
        self.name, self.first_day, self.enrolment_id = name, first_day, enrolment_id


def check_in(session: Session, *, event_id: int, actor_id: int, now: datetime, ticket_code: str | None = None,
             enrolment_id: int | None = None, session_id: int | None = None, day: date | None = None,
             method: str = "search", confirm_before_event: bool = False) -> Checkin:
    """Record attendance of a confirmed participant at one session (or local day).

    Before the event's first local day this raises CheckinBeforeEvent unless confirm_before_event; recording
    attendance afterwards (from the sign-in sheets) needs no confirmation."""
    event = managed_event(session, event_id, actor_id)
    if event.status == "cancelled":
        raise Conflict("This event was cancelled.", field="event_id")
    if ticket_code not in (None, ""):
        if not isinstance(ticket_code, str):
            raise ValidationFailed("The ticket code must be text.", field="ticket_code")
        code = normalise_ticket_code(ticket_code)
        enrolment = session.scalar(sa.select(Enrolment).where(Enrolment.ticket_code == code))
        if enrolment is None:
            raise NotFound(f"No ticket with the code {code or ticket_code!r}.", field="ticket_code")
        if enrolment.event_id != event.id:
            raise ValidationFailed("This ticket is for another event.", field="ticket_code")
        method = "code" if method == "search" else method
    elif enrolment_id not in (None, ""):
        enrolment = session.get(Enrolment, _id(enrolment_id, "enrolment_id"))
        if enrolment is None or enrolment.event_id != event.id:
            raise NotFound("No such enrolment in this event.", field="enrolment_id")
    else:
        raise ValidationFailed("Give a ticket code or choose a participant.", field="ticket_code")
    if enrolment.status != "confirmed":
        reasons = {
            "pending": "is waiting for approval", "waitlisted": "is on the waiting list",
            "offered": "has been offered a seat but has not accepted it yet", "expired": "let the offered seat expire",
            "cancelled": "cancelled the enrolment", "rejected": "was not accepted",
        }
        raise Conflict(f"{enrolment.user.name} {reasons.get(enrolment.status, 'is not confirmed')}: "
                       "only confirmed participants can be checked in.", field="enrolment_id")
    unit = pick_unit(event, attendance_units(event), now=now, session_id=session_id, day=day)
    existing = session.scalar(sa.select(Checkin).where(
        Checkin.enrolment_id == enrolment.id,
        Checkin.session_id == unit.session_id if unit.session_id is not None else Checkin.day == unit.day))
    if existing is not None:
        raise Conflict(f"{enrolment.user.name} is already checked in for {unit.label}.", field="enrolment_id")
    zone = ZoneInfo(event.timezone)
    first_day = event.starts_at.astimezone(zone).date()
    if now.astimezone(zone).date() < first_day and confirm_before_event is not True:
        raise CheckinBeforeEvent(name=enrolment.user.name, first_day=first_day, enrolment_id=enrolment.id)
    if method not in ("search", "code", "api", "sheet"):
        method = "search"
    checkin = Checkin(enrolment_id=enrolment.id, session_id=unit.session_id, day=unit.day, method=method,
                      checked_in_at=now, checked_in_by_id=actor_id)
    session.add(checkin)
    try:
        session.flush()
    except sa.exc.IntegrityError as exc:
        raise Conflict(f"{enrolment.user.name} is already checked in for {unit.label}.",
                       field="enrolment_id") from exc
    signals.checkin_recorded.send(checkin, session=session, now=now, enrolment=enrolment)
    return checkin


def undo_checkin(session: Session, *, checkin_id: int, actor_id: int, now: datetime) -> None:
    """Remove a check-in recorded by mistake (refused once a certificate rests on it)."""
    if not isinstance(checkin_id, int) or isinstance(checkin_id, bool) or not 0 < checkin_id <= MAX_INT:
        raise NotFound("No such check-in.", field="checkin_id")
    checkin = session.get(Checkin, checkin_id)
    if checkin is None:
        raise NotFound("No such check-in.", field="checkin_id")
    enrolment = checkin.enrolment
    actor = _user(session, actor_id, field="actor_id")
    if not can_manage(enrolment.event, actor):
        raise NotFound("No such check-in.", field="checkin_id")
    # higher layers (certificates) answer through the signal; events never imports them
    answers = signals.checkin_undo_requested.send(enrolment, session=session, user_id=enrolment.user_id,
                                                  event_id=enrolment.event_id)
    reason = next((answer for _, answer in answers if answer), None)
    if reason:
        raise Conflict(f"This attendance cannot be undone: {reason}", field="checkin_id")
    session_id, day = checkin.session_id, checkin.day
    session.delete(checkin)
    _flush(session)
    signals.checkin_undone.send(enrolment, session=session, now=now, session_id=session_id, day=day)


# ---------------------------------------------------------------------------------------------------
# Lists


@dataclass
class EventFilters:
    format: str | None = None
    topic: str | None = None
    country: str | None = None
    city: str | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    language: str | None = None
    q: str | None = None

    def as_dict(self) -> dict:
        return {"format": self.format or "", "topic": self.topic or "", "country": self.country or "",
                "city": self.city or ""}


@dataclass
class EventPage:
    items: list[Event]
    total: int
    page: int
    per_page: int
    counts: dict[int, SeatCounts]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _like(text: str) -> str:
    return "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def parse_filters(args) -> EventFilters:
    """Filters from query parameters (format, topic, country, city, from, to, language, q); bad ones are 422."""
    def get(name):
        value = args.get(name)
        value = value.strip() if isinstance(value, str) else None
        if value and ("\x00" in value or len(value) > 200):
            raise ValidationFailed(f"{name} is not valid.", field=name)
        return value or None

    fmt = get("format")
    if fmt and fmt not in EVENT_FORMATS:
        raise ValidationFailed(f"format must be one of {', '.join(EVENT_FORMATS)}.", field="format")
    country = get("country")
    if country:
        country = normalise_country(country, required=False)
    result = EventFilters(format=fmt, topic=get("topic"), country=country, city=get("city"),
                          language=(get("language") or "").lower() or None, q=get("q"))
    for name, attr in (("from", "date_from"), ("to", "date_to")):
        raw = get(name)
        if not raw:
            continue
        if len(raw) == 10:
            try:
                day = date.fromisoformat(raw)
            except ValueError as exc:
                raise ValidationFailed(f"{name} must be a date (YYYY-MM-DD) or an ISO 8601 date-time.",
                                       field=name) from exc
            check_year(day, field=name)
            value = datetime.combine(day if name == "from" else day + timedelta(days=1), time.min,
                                     ZoneInfo("UTC"))
        else:
            value = parse_datetime(raw, zone="UTC", field=name, maximum=MAX_YEAR)
        setattr(result, attr, value)
    if result.language and not _LANG_RE.match(result.language):
        raise ValidationFailed("language must be a two-letter code.", field="language")
    return result


def _filtered(stmt, filters: EventFilters):
    if filters.format:
        stmt = stmt.where(Event.format == filters.format)
    if filters.topic:
        stmt = stmt.where(Event.id.in_(
            sa.select(event_topic.c.event_id).join(Topic, Topic.id == event_topic.c.topic_id)
            .where(Topic.slug == filters.topic)))
    if filters.country:
        stmt = stmt.where(Event.country == filters.country)
    if filters.city:
        stmt = stmt.where(sa.func.lower(Event.city) == filters.city.lower())
    if filters.date_from:
        stmt = stmt.where(Event.ends_at >= filters.date_from)
    if filters.date_to:
        stmt = stmt.where(Event.starts_at < filters.date_to)
    if filters.language:
        stmt = stmt.where(sa.cast(Event.languages, sa.String).like(f'%"{filters.language}"%'))
    if filters.q:
        like = _like(filters.q)
        stmt = stmt.where(sa.or_(
            sa.func.lower(Event.title).like(like, escape="\\"), sa.func.lower(Event.summary).like(like, escape="\\"),
            sa.func.lower(Event.city).like(like, escape="\\")))
    return stmt


def list_events(session: Session, *, now: datetime, filters: EventFilters | None = None, past: bool = False,
                page: int = 1, per_page: int = 20, with_people: bool = False) -> EventPage:
    """Published upcoming (or past) events matching the filters, one page, with seat counts (4-6 queries)."""
    filters = filters or EventFilters()
    stmt = sa.select(Event).where(Event.status == "published")
    stmt = stmt.where(Event.ends_at <= now) if past else stmt.where(Event.ends_at > now)
    stmt = _filtered(stmt, filters)
    total = session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    order = (Event.starts_at.desc(), Event.id.desc()) if past else (Event.starts_at, Event.id)
    items = list(session.scalars(stmt.order_by(*order).limit(per_page).offset((max(page, 1) - 1) * per_page)))
    _load_collections(session, items, ("topics", "hosts", "organisers") if with_people else ("topics",))
    counts = seat_counts_for(session, [e.id for e in items])
    return EventPage(items=items, total=int(total), page=page, per_page=per_page, counts=counts)


@lru_cache(maxsize=8)
def _collection_stmt(name: str):
    """(event id, item) rows of one of an event's many-to-many collections, in the relationship's order."""
    relationship = getattr(Event, name).property
    table, target = relationship.secondary, relationship.mapper.class_
    link = next(c for c in table.c if c.name != "event_id")
    return (
        sa.select(table.c.event_id, target).join(target, target.id == link)
        .where(table.c.event_id.in_(sa.bindparam("event_ids", expanding=True)))
        .order_by(table.c.event_id, *relationship.order_by, target.id)
    )


def _load_collections(session: Session, events: list[Event], names: tuple[str, ...]) -> None:
    """Eager-load collections of a page of events, one prepared query each (what selectinload does, cheaper)."""
    for name in names:
        pending = [e for e in events if name not in e.__dict__]  # as selectinload: loaded ones stay
        if not pending:
            continue
        groups: dict[int, list] = {e.id: [] for e in pending}
        for event_id, item in session.execute(_collection_stmt(name), {"event_ids": list(groups)}):
            groups[event_id].append(item)
        for event in pending:
            set_committed_value(event, name, groups[event.id])


def managed_events(session: Session, *, user: User) -> list[Event]:
    """Events the user organises (all events for admins), newest first."""
    from app.events.models import event_organiser

    stmt = sa.select(Event).order_by(Event.starts_at.desc(), Event.id.desc())
    if not user.is_admin:
        stmt = stmt.where(Event.id.in_(sa.select(event_organiser.c.event_id)
                                       .where(event_organiser.c.user_id == user.id)))
    return list(session.scalars(stmt.limit(500)))


def my_enrolments(session: Session, *, user_id: int) -> tuple[list[Enrolment], dict[int, int]]:
    """The user's enrolments with their events, and waiting-list positions (3 queries)."""
    enrolments = list(session.scalars(
        sa.select(Enrolment).join(Event, Event.id == Enrolment.event_id).where(Enrolment.user_id == user_id)
        .options(selectinload(Enrolment.event)).order_by(Event.starts_at)
    ))
    return enrolments, positions_for_user(session, user_id)


def participants(session: Session, *, event_id: int, status: str | None = None, q: str | None = None
                 ) -> list[Enrolment]:
    """Enrolments of an event with their people, optionally filtered by status or a name/email search."""
    stmt = (sa.select(Enrolment).join(User, User.id == Enrolment.user_id).where(Enrolment.event_id == event_id)
            .options(selectinload(Enrolment.user), selectinload(Enrolment.checkins)))
    if status:
        stmt = stmt.where(Enrolment.status == status)
    if q:
        like = _like(q)
        stmt = stmt.where(sa.or_(sa.func.lower(User.name).like(like, escape="\\"),
                                 User.email.like(like, escape="\\"), Enrolment.ticket_code == normalise_ticket_code(q)))
    order = sa.case((Enrolment.status.in_(WAITING_STATUSES), Enrolment.waitlist_seq), else_=0)
    return list(session.scalars(stmt.order_by(Enrolment.status, order, User.name)))


def upcoming_events_for_home(session: Session, *, limit: int) -> list[Event]:
    """The next published events for the home page."""
    return list(session.scalars(
        sa.select(Event).where(Event.status == "published", Event.ends_at > utcnow())
        .order_by(Event.starts_at, Event.id).limit(limit)
    ))
