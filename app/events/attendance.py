"""Attendance: the units of an event (sessions, or local days), check-in and its undoing, and who attended
enough of the event."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

import app.events.messages  # noqa: F401  (the catalogue of the reasons raised here)
from app.errors import Conflict, NotFound, ValidationFailed
from app.events import signals
from app.events.inputs import MAX_INT, _id, normalise_ticket_code
from app.events.locking import _flush
from app.events.models import Checkin, Enrolment, Event
from app.events.queries import _user, can_manage, managed_event

# why someone not confirmed cannot be checked in, by the status of their enrolment
NOT_CONFIRMED = {
    "pending": "checkin.pending", "waitlisted": "checkin.waitlisted", "offered": "checkin.offered",
    "expired": "checkin.expired", "cancelled": "checkin.cancelled", "rejected": "checkin.rejected",
}


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
        raise NotFound("event.not_found", field="event_id")
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
        raise NotFound("checkin.session_not_in_event", field="session_id")
    if day not in (None, ""):
        if isinstance(day, str):
            try:
                day = date.fromisoformat(day.strip())
            except ValueError as exc:
                raise ValidationFailed("checkin.day_invalid", field="day") from exc
        if not isinstance(day, date) or isinstance(day, datetime):
            raise ValidationFailed("checkin.day_invalid", field="day")
        if event.sessions:
            raise ValidationFailed("checkin.per_session", field="session_id")
        for unit in units:
            if unit.day == day:
                return unit
        raise ValidationFailed("checkin.day_not_in_event", field="day")
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
    raise ValidationFailed("checkin.choose_unit", field="session_id" if event.sessions else "day")


class CheckinBeforeEvent(Conflict):
    """A check-in before the event's first (local) day: the desk must confirm it is meant."""

    code = "checkin_before_event"
    reason = "checkin.before_event"

    def __init__(self, *, name: str, first_day: date, enrolment_id: int):
        super().__init__(field="confirm", name=name, first_day=first_day.isoformat(), enrolment_id=enrolment_id)
        self.name, self.first_day, self.enrolment_id = name, first_day, enrolment_id


def check_in(session: Session, *, event_id: int, actor_id: int, now: datetime, ticket_code: str | None = None,
             enrolment_id: int | None = None, session_id: int | None = None, day: date | None = None,
             method: str = "search", confirm_before_event: bool = False) -> Checkin:
    """Record attendance of a confirmed participant at one session (or local day).

    Before the event's first local day this raises CheckinBeforeEvent unless confirm_before_event; recording
    attendance afterwards (from the sign-in sheets) needs no confirmation."""
    event = managed_event(session, event_id, actor_id)
    if event.status == "cancelled":
        raise Conflict("event.cancelled", field="event_id")
    if ticket_code not in (None, ""):
        if not isinstance(ticket_code, str):
            raise ValidationFailed("checkin.ticket_code_not_text", field="ticket_code")
        code = normalise_ticket_code(ticket_code)
        enrolment = session.scalar(sa.select(Enrolment).where(Enrolment.ticket_code == code))
        if enrolment is None:
            raise NotFound("checkin.no_ticket_with_code", field="ticket_code", code=code or ticket_code)
        if enrolment.event_id != event.id:
            raise ValidationFailed("checkin.ticket_for_other_event", field="ticket_code")
        method = "code" if method == "search" else method
    elif enrolment_id not in (None, ""):
        enrolment = session.get(Enrolment, _id(enrolment_id, "enrolment_id"))
        if enrolment is None or enrolment.event_id != event.id:
            raise NotFound("checkin.enrolment_not_in_event", field="enrolment_id")
    else:
        raise ValidationFailed("checkin.nobody_chosen", field="ticket_code")
    if enrolment.status != "confirmed":
        raise Conflict(NOT_CONFIRMED.get(enrolment.status, "checkin.not_confirmed"), field="enrolment_id",
                       name=enrolment.user.name, status=enrolment.status)
    unit = pick_unit(event, attendance_units(event), now=now, session_id=session_id, day=day)
    existing = session.scalar(sa.select(Checkin).where(
        Checkin.enrolment_id == enrolment.id,
        Checkin.session_id == unit.session_id if unit.session_id is not None else Checkin.day == unit.day))
    if existing is not None:
        raise Conflict("checkin.already_checked_in", field="enrolment_id", name=enrolment.user.name, unit=unit.label)
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
        raise Conflict("checkin.already_checked_in", field="enrolment_id", name=enrolment.user.name,
                       unit=unit.label) from exc
    signals.checkin_recorded.send(checkin, session=session, now=now, enrolment=enrolment)
    return checkin


def undo_checkin(session: Session, *, checkin_id: int, actor_id: int, now: datetime) -> None:
    """Remove a check-in recorded by mistake (refused once a certificate rests on it)."""
    if not isinstance(checkin_id, int) or isinstance(checkin_id, bool) or not 0 < checkin_id <= MAX_INT:
        raise NotFound("checkin.not_found", field="checkin_id")
    checkin = session.get(Checkin, checkin_id)
    if checkin is None:
        raise NotFound("checkin.not_found", field="checkin_id")
    enrolment = checkin.enrolment
    actor = _user(session, actor_id, field="actor_id")
    if not can_manage(enrolment.event, actor):
        raise NotFound("checkin.not_found", field="checkin_id")
    # higher layers (certificates) answer through the signal; events never imports them
    answers = signals.checkin_undo_requested.send(enrolment, session=session, user_id=enrolment.user_id,
                                                  event_id=enrolment.event_id)
    reason = next((answer for _, answer in answers if answer), None)
    if reason:
        raise Conflict("checkin.undo_refused", field="checkin_id", detail=reason)
    session_id, day = checkin.session_id, checkin.day
    session.delete(checkin)
    _flush(session)
    signals.checkin_undone.send(enrolment, session=session, now=now, session_id=session_id, day=day)
