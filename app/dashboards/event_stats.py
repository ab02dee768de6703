"""The numbers of one event's dashboard: registrations over time, the status funnel, the waiting list, attendance
per session (or local day) with no-shows, and who the participants are. A constant number of GROUP BY queries,
whatever the size of the event; never a row per person loaded into Python.

Who counts as a *participant* in the breakdowns (country, region, organisation kind, language): an enrolment
that is confirmed now (a seat held, over capacity or not). Cancelled, rejected, pending and waiting people are
not participants. A person's country is their own, else their organisation's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from app.auth.models import User
from app.certificates.models import Certificate
from app.directory.models import Organisation
from app.directory.regions import region_of
from app.errors import NotFound
from app.events.attendance import attendance_units
from app.events.models import Checkin, Enrolment, Event, EventNotification

__all__ = ["EventStats", "DayCount", "Funnel", "WaitingList", "UnitAttendance", "event_stats", "UNKNOWN"]

# the key of people whose country, organisation kind or language is not known
UNKNOWN = "unknown"
# every IANA zone's offset is a whole number of quarter hours, so a quarter-hour bucket of UTC time never
# straddles a local midnight: counting per bucket in SQL and summing buckets per local day in Python is exact
_BUCKET_SECONDS = 900


@dataclass(frozen=True)
class DayCount:
    date: date  # the event's local date
    count: int  # enrolments first made that day
    cumulative: int  # enrolments made up to and including that day


@dataclass(frozen=True)
class Funnel:
    registered: int  # every enrolment ever made, whatever its status now
    confirmed: int  # ever confirmed (confirmed_at set), even if cancelled since
    attended: int  # checked in at least once
    certified: int  # holding a valid (not revoked) certificate of the event


@dataclass(frozen=True)
class WaitingList:
    """From the enrolments' recorded status changes (EventNotification rows, kept for good)."""

    put_on_list: int  # times someone was put on the waiting list
    waiting_now: int
    promoted: int  # confirmed straight from the waiting list (automatic fill or an organiser's promotion)
    offers_made: int
    offers_accepted: int  # an offered seat confirmed (by the person, or by an organiser promoting them)
    offers_expired: int
    offers_declined: int  # an offered seat given up (cancelled or rejected while offered)
    offers_open: int


@dataclass(frozen=True)
class UnitAttendance:
    """A session, or one local day of an event without sessions."""

    session_id: int | None
    day: date | None
    title: str  # the session's title ("" for a day)
    starts_at: datetime
    ends_at: datetime
    attended: int  # people checked in (whatever their status now)
    expected: int | None  # confirmed now; None before the unit has ended
    no_shows: int | None  # confirmed now and not checked in at this unit; None before it has ended

    @property
    def is_past(self) -> bool:
        return self.expected is not None


@dataclass
class EventStats:
    event_id: int
    title: str
    timezone: str
    starts_at: datetime
    ends_at: datetime
    capacity: int | None
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    now: datetime
    registrations_over_time: list[DayCount]
    funnel: Funnel
    statuses: dict[str, int]  # enrolments by status now
    over_capacity: int  # confirmed beyond capacity by an organiser
    waiting_list: WaitingList
    attendance: list[UnitAttendance]  # in time order
    has_sessions: bool
    no_shows: int | None  # confirmed now and never checked in; None until the first session (or day) has ended
    participants: int  # confirmed now
    by_country: dict[str, int] = field(default_factory=dict)  # ISO 3166-1 alpha-2 (or UNKNOWN) -> people
    by_region: dict[str, int] = field(default_factory=dict)  # M49 sub-region code (or UNKNOWN) -> people
    by_organisation_kind: dict[str, int] = field(default_factory=dict)
    by_language: dict[str, int] = field(default_factory=dict)  # preferred interface language -> people

    @property
    def seats_taken(self) -> int:
        """Seats held now: confirmed people and open offers (what counts against capacity)."""
        return self.statuses.get("confirmed", 0) + self.statuses.get("offered", 0)

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.seats_taken, 0)

    @property
    def days_to_close(self) -> int | None:
        """Whole local days from today to the day registration closes (0 on that day); None if no deadline or
        already closed."""
        closes = self.registration_closes_at
        if closes is None or closes <= self.now:
            return None
        zone = ZoneInfo(self.timezone)
        return (closes.astimezone(zone).date() - self.now.astimezone(zone).date()).days

    @property
    def attendance_rate(self) -> float | None:
        """Of the people confirmed for the units that have ended, the share checked in (None before any)."""
        past = [u for u in self.attendance if u.is_past]
        expected = sum(u.expected or 0 for u in past)
        if not expected:
            return None
        return sum((u.expected or 0) - (u.no_shows or 0) for u in past) / expected

    @property
    def has_enrolments(self) -> bool:
        return self.funnel.registered > 0


def _bucket(session: Session, column):
    """Quarter-hour bucket number of a UTC datetime column, on SQLite and PostgreSQL alike."""
    if session.get_bind().dialect.name == "postgresql":
        return sa.cast(sa.func.floor(sa.extract("epoch", column) / _BUCKET_SECONDS), sa.BigInteger)
    return sa.cast(sa.func.strftime("%s", column), sa.Integer) / _BUCKET_SECONDS


def _registrations(session: Session, event: Event, zone: ZoneInfo, now: datetime) -> list[DayCount]:
    bucket = _bucket(session, Enrolment.created_at).label("bucket")
    rows = session.execute(
        sa.select(bucket, sa.func.count()).where(Enrolment.event_id == event.id).group_by(bucket)
    ).all()
    per_day: Counter[date] = Counter()
    for number, count in rows:
        when = datetime.fromtimestamp(int(number) * _BUCKET_SECONDS, UTC)
        per_day[when.astimezone(zone).date()] += count
    if not per_day:
        return []
    first = min(per_day)
    if event.registration_opens_at is not None:
        # from the opening of registration (its marker on the chart), when it is within three months of the first
        opens = event.registration_opens_at.astimezone(zone).date()
        if first - timedelta(days=92) <= opens < first:
            first = opens
    # to today (or the event's last day, once it is over); later enrolments made by organisers stay visible
    last = max(min(now, event.ends_at).astimezone(zone).date(), max(per_day))
    days, total, day = [], 0, first
    while day <= last:
        total += per_day[day]
        days.append(DayCount(date=day, count=per_day[day], cumulative=total))
        day += timedelta(days=1)
    return days


def _waiting_list(session: Session, event_id: int, statuses: dict[str, int]) -> WaitingList:
    old_status = EventNotification.payload["old_status"].as_string()
    rows = session.execute(
        sa.select(EventNotification.kind, old_status, sa.func.count())
        .where(EventNotification.event_id == event_id, EventNotification.enrolment_id.is_not(None),
               EventNotification.kind.in_(("enrolment_waitlisted", "enrolment_offered", "offer_expired",
                                           "enrolment_confirmed", "enrolment_cancelled", "enrolment_rejected")))
        .group_by(EventNotification.kind, old_status)
    ).all()
    counts = {(kind, old or None): n for kind, old, n in rows}

    def total(kind: str, old: str | None = "*") -> int:
        return sum(n for (k, o), n in counts.items() if k == kind and (old == "*" or o == old))

    return WaitingList(
        put_on_list=total("enrolment_waitlisted"),
        waiting_now=statuses.get("waitlisted", 0),
        promoted=total("enrolment_confirmed", "waitlisted"),
        offers_made=total("enrolment_offered"),
        offers_accepted=total("enrolment_confirmed", "offered"),
        offers_expired=total("offer_expired"),
        offers_declined=total("enrolment_cancelled", "offered") + total("enrolment_rejected", "offered"),
        offers_open=statuses.get("offered", 0),
    )


def _attendance(session: Session, event: Event, now: datetime, confirmed_now: int
                ) -> tuple[list[UnitAttendance], int, int | None]:
    """Per unit: people checked in and no-shows; and in all: people checked in at least once, no-shows."""
    is_confirmed = sa.case((Enrolment.status == "confirmed", 1), else_=0)
    per_unit = {
        (session_id, day): (attended, confirmed_attended)
        for session_id, day, attended, confirmed_attended in session.execute(
            sa.select(Checkin.session_id, Checkin.day, sa.func.count(), sa.func.sum(is_confirmed))
            .join(Enrolment, Enrolment.id == Checkin.enrolment_id)
            .where(Enrolment.event_id == event.id)
            .group_by(Checkin.session_id, Checkin.day)
        ).all()
    }
    attended_any, confirmed_attended_any = session.execute(
        sa.select(sa.func.count(sa.distinct(Checkin.enrolment_id)),
                  sa.func.count(sa.distinct(sa.case((Enrolment.status == "confirmed", Checkin.enrolment_id)))))
        .join(Enrolment, Enrolment.id == Checkin.enrolment_id)
        .where(Enrolment.event_id == event.id)
    ).one()
    units = []
    for unit in attendance_units(event):
        attended, confirmed_attended = per_unit.get((unit.session_id, unit.day), (0, 0))
        past = unit.ends_at <= now
        title = ""
        if unit.session_id is not None:
            title = next(s.title for s in event.sessions if s.id == unit.session_id)
        units.append(UnitAttendance(
            session_id=unit.session_id, day=unit.day, title=title, starts_at=unit.starts_at, ends_at=unit.ends_at,
            attended=attended, expected=confirmed_now if past else None,
            no_shows=confirmed_now - int(confirmed_attended or 0) if past else None))
    started = any(u.is_past for u in units)
    no_shows = confirmed_now - int(confirmed_attended_any or 0) if started else None
    return units, int(attended_any or 0), no_shows


def _participants(session: Session, event_id: int):
    country = sa.func.coalesce(User.country, Organisation.country).label("country")
    return session.execute(
        sa.select(country, Organisation.kind, User.language, sa.func.count())
        .select_from(Enrolment)
        .join(User, User.id == Enrolment.user_id)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .where(Enrolment.event_id == event_id, Enrolment.status == "confirmed")
        .group_by(country, Organisation.kind, User.language)
    ).all()


def _sorted(counter: Counter) -> dict[str, int]:
    """Most people first, then by key; the unknown last."""
    known = sorted(((k, n) for k, n in counter.items() if k != UNKNOWN), key=lambda item: (-item[1], item[0]))
    if counter.get(UNKNOWN):
        known.append((UNKNOWN, counter[UNKNOWN]))
    return dict(known)


def event_stats(session: Session, *, event_id: int, now: datetime, tz: str | None = None) -> EventStats:
    """Every figure of the event's dashboard, days counted in the event's zone (or `tz`); NotFound for no such
    event (whoever asks: the edges check who may see it)."""
    event = session.scalar(sa.select(Event).where(Event.id == event_id).options(selectinload(Event.sessions)))
    if event is None:
        raise NotFound("event.not_found", field="event_id")
    zone = ZoneInfo(tz or event.timezone)

    statuses, confirmed_ever, over_capacity = {}, 0, 0
    for status, count, confirmed, over in session.execute(
        sa.select(Enrolment.status, sa.func.count(), sa.func.count(Enrolment.confirmed_at),
                  sa.func.sum(sa.case((Enrolment.is_over_capacity & (Enrolment.status == "confirmed"), 1),
                                      else_=0)))
        .where(Enrolment.event_id == event.id).group_by(Enrolment.status)
    ).all():
        statuses[status] = count
        confirmed_ever += confirmed
        over_capacity += int(over or 0)
    confirmed_now = statuses.get("confirmed", 0)

    certified = session.scalar(
        sa.select(sa.func.count(sa.distinct(Certificate.holder_id)))
        .where(Certificate.event_id == event.id, Certificate.kind == "event", Certificate.revoked_at.is_(None))
    ) or 0
    units, attended, no_shows = _attendance(session, event, now, confirmed_now)

    countries: Counter[str] = Counter()
    regions: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    for country, kind, language, count in _participants(session, event.id):
        code = (country or "").upper()
        countries[code or UNKNOWN] += count
        regions[region_of(code) or UNKNOWN] += count
        kinds[kind or UNKNOWN] += count
        languages[language or UNKNOWN] += count

    return EventStats(
        event_id=event.id, title=event.title, timezone=zone.key, starts_at=event.starts_at,
        ends_at=event.ends_at, capacity=event.capacity, registration_opens_at=event.registration_opens_at,
        registration_closes_at=event.registration_closes_at, now=now,
        registrations_over_time=_registrations(session, event, zone, now),
        funnel=Funnel(registered=sum(statuses.values()), confirmed=confirmed_ever, attended=attended,
                      certified=certified),
        statuses=statuses, over_capacity=over_capacity,
        waiting_list=_waiting_list(session, event.id, statuses),
        attendance=units, has_sessions=bool(event.sessions), no_shows=no_shows, participants=confirmed_now,
        by_country=_sorted(countries), by_region=_sorted(regions), by_organisation_kind=_sorted(kinds),
        by_language=_sorted(languages),
    )
