"""Planning events: create, change, publish, cancel, delete and duplicate them, and their agenda (sessions).
A change of time, place, status or agenda is a new revision that everyone enrolled hears of."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

import app.events.messages  # noqa: F401  (the catalogue of the reasons raised here)
from app.auth.models import User
from app.content_language import apply_translations
from app.directory.models import Organisation
from app.directory.services import find_topics, normalise_country, normalise_url
from app.errors import Conflict, DomainError, Forbidden, NotFound, ValidationFailed, render_message
from app.events import signals
from app.events.enrolment import _fill_seats, _refuse_if_cancelled, _taken
from app.events.inputs import (
    MAX_INT,
    _bool,
    _decimal,
    _id,
    _int,
    _languages,
    _list,
    _text,
    _unique_slug,
    check_zone,
    field_label,
    parse_datetime,
    slugify,
)
from app.events.limits import (
    COORDINATES,
    EVENT_READ_ONLY,
    EVENT_REQUIRED,
    EVENT_TEXT_LIMITS,
    EVENT_TRANSLATION_LIMITS,
    EVENT_WRITABLE,
    MAX_CAPACITY,
    MAX_HOURS,
    MAX_REMINDERS,
    MIN_ATTENDANCE_PERCENT,
    OFFER_HOURS,
    REMINDER_HOURS,
    SESSION_READ_ONLY,
    SESSION_REQUIRED,
    SESSION_TEXT_LIMITS,
    SLUG_MAX,
)
from app.events.locking import _flush, lock_event
from app.events.models import (
    EVENT_FORMATS,
    WAITLIST_MODES,
    Checkin,
    Event,
    EventNotification,
    EventSession,
    EventTranslation,
)
from app.events.queries import _user, managed_event
from app.validation import check_coordinates

TIME_FIELDS = ("starts_at", "ends_at", "timezone")
PLACE_FIELDS = ("venue", "address", "city", "country", "online_url")
MAX_EVENT_DAYS = 60


class AgendaItemCannotMove(ValidationFailed):
    """Moving the event would put an agenda item on a time that does not exist; says which, and why."""

    reason = "agenda.item_cannot_move"

    def __init__(self, *, title: str, cause: DomainError, field: str):
        super().__init__(title=title)
        self.cause = cause
        self.fields = {field: self.reason}

    def message_for(self, translate=None) -> str:
        detail = self.cause.message_for(translate)
        return render_message(self.reason, {**self.params, "detail": detail}, translate)

    def fields_for(self, translate=None) -> dict[str, str]:
        return dict.fromkeys(self.fields, self.message_for(translate))

    @property
    def message(self) -> str:
        """English, the cause's sentence inside (logs, the CLI and tests)."""
        return render_message(self.reason, {**self.params, "detail": self.cause.message}, lambda text: text)


# ---------------------------------------------------------------------------------------------------
# Notifications of changes


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


# ---------------------------------------------------------------------------------------------------
# Planning


def _apply_event_data(session: Session, event: Event, data: dict, *, creating: bool) -> set[str]:
    """Validate `data` and set it on the event; returns the names of the fields that changed."""
    if not isinstance(data, dict):
        raise ValidationFailed("event.data_not_object")
    unknown = sorted(set(data) - set(EVENT_WRITABLE) - set(EVENT_READ_ONLY))
    if unknown:
        raise ValidationFailed("event.field.unknown", field=unknown[0], names=", ".join(unknown))
    data = {k: v for k, v in data.items() if k in EVENT_WRITABLE}
    required = EVENT_REQUIRED if creating else ()
    for name in required:
        if data.get(name) in (None, ""):
            raise ValidationFailed("event.field.required", field=name, label=field_label(name))
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
            raise ValidationFailed("event.format_invalid", field="format", formats=", ".join(EVENT_FORMATS))
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
            raise ValidationFailed("event.country_not_text", field="country")
        put("country", normalise_country(data["country"], required=False))
    if "online_url" in data:
        if data["online_url"] is not None and not isinstance(data["online_url"], str):
            raise ValidationFailed("event.online_url_not_text", field="online_url")
        put("online_url", normalise_url(data["online_url"], field="online_url"))
    if "latitude" in data or "longitude" in data:
        # one of the two changed alone keeps the other: the pair is checked as it will be stored
        latitude, longitude = check_coordinates(data.get("latitude", event.latitude),
                                                data.get("longitude", event.longitude))
        put("latitude", latitude)
        put("longitude", longitude)
    if "capacity" in data:
        put("capacity", _int(data["capacity"], "capacity", minimum=0, maximum=MAX_CAPACITY, allow_none=True))
    if "requires_approval" in data:
        put("requires_approval", _bool(data["requires_approval"], "requires_approval"))
    if "auto_certificates" in data:
        put("auto_certificates", _bool(data["auto_certificates"], "auto_certificates"))
    if "waitlist_mode" in data:
        if data["waitlist_mode"] not in WAITLIST_MODES:
            raise ValidationFailed("event.waitlist_mode_invalid", field="waitlist_mode")
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
            raise ValidationFailed("event.reminders_invalid", field="reminder_offsets_hours") from exc
        put("reminder_offsets_hours", sorted(set(offsets), reverse=True)[:MAX_REMINDERS])
    if "topics" in data:
        slugs = _list(data["topics"], "topics")
        if not all(isinstance(s, str) for s in slugs):
            raise ValidationFailed("event.topics_not_slugs", field="topics")
        topics = find_topics(session, slugs)
        if {t.id for t in topics} != {t.id for t in event.topics}:
            event.topics = topics
            changed.add("topics")
    if "hosts" in data:
        hosts = _rows_by_id(session, Organisation, data, "hosts", "event.hosts_unknown")
        if {h.id for h in hosts} != {h.id for h in event.hosts}:
            event.hosts = hosts
            changed.add("hosts")
    if "organisers" in data:
        people = _rows_by_id(session, User, data, "organisers", "event.organisers_unknown")
        not_organisers = [u.name for u in people if not u.is_organiser]
        if not_organisers:
            raise ValidationFailed("event.organisers_not_organisers", field="organisers",
                                   names=", ".join(not_organisers))
        if not people:
            raise ValidationFailed("event.organisers_none", field="organisers")
        if {u.id for u in people} != {u.id for u in event.organisers}:
            event.organisers = people
            changed.add("organisers")
    if "language" in data or "translations" in data:
        changed |= apply_translations(event, data, limits=EVENT_TRANSLATION_LIMITS, make_row=EventTranslation)
    if "slug" in data and data["slug"] not in (None, ""):
        slug = slugify(_text(data, "slug", SLUG_MAX))
        clash = session.scalar(sa.select(Event.id).where(Event.slug == slug, Event.id != (event.id or 0)))
        if clash is not None:
            raise Conflict("event.slug_taken", field="slug")
        put("slug", slug)

    # rules across fields
    if event.ends_at <= event.starts_at:
        raise ValidationFailed("event.end_before_start", field="ends_at")
    if event.ends_at - event.starts_at > timedelta(days=MAX_EVENT_DAYS):
        raise ValidationFailed("event.too_long", field="ends_at", days=MAX_EVENT_DAYS)
    if (event.registration_opens_at and event.registration_closes_at
            and event.registration_closes_at <= event.registration_opens_at):
        raise ValidationFailed("event.registration_closes_before_opening", field="registration_closes_at")
    if event.registration_opens_at and event.registration_opens_at >= event.ends_at:
        raise ValidationFailed("event.registration_opens_after_end", field="registration_opens_at")
    if not (event.city or event.venue or event.online_url):
        raise ValidationFailed("event.place_missing", field="city")
    return changed


def _flush_event(session: Session) -> None:
    """Flush an event's row; a slug taken by someone saving at the same moment is a Conflict, not a 500."""
    try:
        _flush(session)
    except sa.exc.IntegrityError as exc:
        raise Conflict("event.slug_race", field="slug") from exc


def _check_sessions_inside(event: Event) -> None:
    for item in event.sessions:
        if item.starts_at < event.starts_at or item.ends_at > event.ends_at:
            raise ValidationFailed("agenda.item_outside_event", title=item.title,
                                   field="starts_at" if item.starts_at < event.starts_at else "ends_at")


def create_event(session: Session, *, data: dict, created_by_id: int, now: datetime) -> Event:
    """A new draft event; the creator becomes one of its organisers."""
    creator = _user(session, created_by_id, field="created_by_id")
    if not creator.is_organiser:
        raise Forbidden("event.create_organisers_only")
    event = Event(status="draft", created_by_id=creator.id, created_at=now, updated_at=now, revision=0,
                  lock_version=0, offer_hours=48, min_attendance_percent=100, waitlist_mode="auto",
                  requires_approval=False, auto_certificates=True, languages=["en"], summary="", description="",
                  venue="", address="", city="", reminder_offsets_hours=[168, 24])
    event.topics, event.hosts, event.organisers = [], [], [creator]
    if not isinstance(data, dict):
        raise ValidationFailed("event.data_not_object")
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
                raise AgendaItemCannotMove(title=item.title, cause=exc, field=name) from exc
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
        if event.status == "cancelled" and changed - {"description", "summary", "language", "translations"}:
            raise Conflict("event.cancelled_unchangeable", field="status")
        _move_agenda(event, old_start=old_start, old_end=old_end, old_zone=old_zone, now=now)
        _check_sessions_inside(event)
    if "capacity" in changed and event.capacity is not None:
        taken = _taken(session, event.id)
        if event.capacity < taken:
            raise ValidationFailed("event.capacity_below_taken", field="capacity", taken=taken)
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
        raise Conflict("event.publish_not_draft", field="status", status=event.status)
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
        raise Conflict("event.already_cancelled", field="status")
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
        raise Conflict("event.delete_not_draft", field="status", status=event.status)
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
        language=source.language,
        languages=list(source.languages or []), timezone=source.timezone, starts_at=source.starts_at + delta,
        ends_at=source.ends_at + delta, venue=source.venue, address=source.address, city=source.city,
        country=source.country, online_url=source.online_url, capacity=source.capacity,
        latitude=source.latitude, longitude=source.longitude,
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
    copy.translations = [EventTranslation(language=t.language, title=t.title, summary=t.summary,
                                          description=t.description) for t in source.translations]
    copy.slug = _unique_slug(session, f"{copy.title} {copy.starts_at.astimezone(ZoneInfo(copy.timezone)).year}")
    for item in source.sessions:
        copy.sessions.append(EventSession(
            title=item.title, starts_at=item.starts_at + delta, ends_at=item.ends_at + delta,
            location=item.location, address=item.address, speakers=item.speakers, description=item.description,
            latitude=item.latitude, longitude=item.longitude, created_at=now, updated_at=now))
    session.add(copy)
    _flush_event(session)
    return copy


# ---------------------------------------------------------------------------------------------------
# Agenda


def _apply_session_data(item: EventSession, event: Event, data: dict, *, creating: bool) -> None:
    if not isinstance(data, dict):
        raise ValidationFailed("agenda.data_not_object")
    allowed = set(SESSION_TEXT_LIMITS) | {"starts_at", "ends_at", *COORDINATES, *SESSION_READ_ONLY}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ValidationFailed("event.field.unknown", field=unknown[0], names=", ".join(unknown))
    if creating:
        for name in SESSION_REQUIRED:
            if data.get(name) in (None, ""):
                raise ValidationFailed("event.field.required", field=name, label=field_label(name))
    for name, limit in SESSION_TEXT_LIMITS.items():
        if name in data:
            setattr(item, name, _text(data, name, limit, required=(name == "title")))
    for name in ("starts_at", "ends_at"):
        if name in data:
            setattr(item, name, parse_datetime(data[name], zone=event.timezone, field=name))
    if "latitude" in data or "longitude" in data:
        item.latitude, item.longitude = check_coordinates(data.get("latitude", item.latitude),
                                                          data.get("longitude", item.longitude))
    if item.ends_at <= item.starts_at:
        raise ValidationFailed("agenda.end_before_start", field="ends_at")
    if item.starts_at < event.starts_at or item.ends_at > event.ends_at:
        zone = ZoneInfo(event.timezone)
        raise ValidationFailed("agenda.outside_event", field="starts_at" if item.starts_at < event.starts_at else "ends_at",
                               starts=event.starts_at.astimezone(zone).strftime("%d %b %H:%M"),
                               ends=event.ends_at.astimezone(zone).strftime("%d %b %H:%M"), timezone=event.timezone,
                               starts_at=event.starts_at, ends_at=event.ends_at)  # for the page's own date format


def add_session(session: Session, *, event_id: int, data: dict, actor_id: int, now: datetime) -> EventSession:
    """Add an agenda item (an itinerary stop for information trips) inside the event's time."""
    event = managed_event(session, event_id, actor_id)
    if event.status == "cancelled":
        raise Conflict("event.cancelled", field="event_id")
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
        raise NotFound("agenda.not_found", field="session_id")
    item = session.get(EventSession, session_id)
    if item is None:
        raise NotFound("agenda.not_found", field="session_id")
    return item


def update_session(session: Session, *, session_id: int, data: dict, actor_id: int, now: datetime) -> EventSession:
    item = get_session(session, session_id)
    event = managed_event(session, item.event_id, actor_id)
    _refuse_if_cancelled(event)
    fields = ("title", "starts_at", "ends_at", *SESSION_TEXT_LIMITS, *COORDINATES)
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
        raise Conflict("agenda.has_checkins", field="session_id", count=attended)
    session.delete(item)
    _flush(session)
    _agenda_changed(session, event, now=now, actor_id=actor_id)


def _rows_by_id(session: Session, model, data: dict, name: str, unknown: str) -> list:
    """The rows whose ids data[name] lists; refused with the reason `unknown`, naming the ids not found."""
    ids = [_id(v, name) for v in _list(data[name], name)]
    rows = list(session.scalars(sa.select(model).where(model.id.in_(ids)))) if ids else []
    missing = sorted(set(ids) - {row.id for row in rows})
    if missing:
        raise ValidationFailed(unknown, field=name, ids=", ".join(map(str, missing)))
    return rows
