"""Calendar feeds, downloads and feed tokens.

Feeds are answered in two steps. `*_feed_state` runs one cheap aggregate query (count, latest change,
revision sum) and gives the ETag and Last-Modified, so a conditional request ends there with a 304.
`*_feed_bytes` then reads each event's cached VEVENT bytes together with the key they were built from;
only events whose key changed are loaded and serialised with icalendar, and their bytes are stored back.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.auth.models import User
from app.calendar import (
    ical,
    messages,  # noqa: F401  (the catalogue entries of the reasons raised here)
)
from app.calendar.ical import EventData, SessionData
from app.calendar.models import CalendarVeventCache
from app.calendar.site import Site
from app.content_language import DEFAULT_LANGUAGE, reader_language
from app.directory.models import Topic
from app.errors import NotFound, ValidationFailed
from app.events.models import (
    ACTIVE_STATUSES,
    EVENT_FORMATS,
    Enrolment,
    Event,
    EventSession,
    EventTranslation,
    event_organiser,
    event_topic,
)
from app.sqltypes import UTCDateTime

PUBLIC_WINDOW_DAYS = 30
PERSONAL_WINDOW_DAYS = 365
FEED_STATUSES = ("published", "cancelled")
TENTATIVE_STATUSES = ("pending", "waitlisted", "offered")
_CHUNK = 500


# Feed tokens -----------------------------------------------------------------------------------------

def feed_urls(user: User, *, base_url: str) -> dict[str, str]:
    """The personal feed URL and its webcal:// twin."""
    feed_url = f"{base_url.rstrip('/')}/calendar/feed/{user.calendar_token}.ics"
    return {"feed_url": feed_url, "webcal_url": "webcal://" + feed_url.split("://", 1)[1]}


def _new_token() -> str:
    return secrets.token_urlsafe(32)  # 256 random bits, unrelated to the password


def rotate_calendar_token(session: Session, *, user_id: int) -> str:
    """Give the user a new feed token; the old feed URL answers 404 from now on."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("calendar.user_not_found", user_id=user_id)
    user.calendar_token = _new_token()
    session.flush()
    return user.calendar_token


def ensure_calendar_token(session: Session, *, user_id: int) -> str:
    """The user's feed token, created on first need."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("calendar.user_not_found", user_id=user_id)
    if not user.calendar_token:
        user.calendar_token = _new_token()
        session.flush()
    return user.calendar_token


@dataclass(frozen=True)
class FeedOwner:
    id: int
    name: str
    language: str = DEFAULT_LANGUAGE  # the feed shows events in it where they are translated


def user_for_feed_token(session: Session, token: str) -> FeedOwner:
    """The owner of a feed token (NotFound for unknown or rotated tokens, and for disabled accounts)."""
    if not token or len(token) > 64:
        raise NotFound("calendar.feed_not_found")
    row = session.execute(
        sa.select(User.id, User.name, User.language)
        .where(User.calendar_token == token, User.is_active_account.is_(True))
    ).first()
    if row is None:
        raise NotFound("calendar.feed_not_found")
    return FeedOwner(id=row.id, name=row.name, language=reader_language(row.language))


# Loading plain data ----------------------------------------------------------------------------------

@lru_cache(maxsize=512)
def _country_name(code: str | None) -> str:
    from app.directory.services import country_name

    return country_name(code)


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i: i + _CHUNK]


def _event_columns() -> list:
    """The event columns an EventData is made of, in _make_event's order (table columns: plain Core rows)."""
    E = Event.__table__.c
    return [E.id, E.slug, E.title, E.format, E.status, E.timezone, E.starts_at, E.ends_at, E.revision, E.summary,
            E.description, E.venue, E.address, E.city, E.country, E.online_url, E.created_at, E.updated_at,
            E.cancel_reason]


_EVENT_COLUMN_COUNT = len(_event_columns())


def _id_batches(session: Session, column, ids: Sequence[int]):
    """WHERE clauses selecting `ids`: one array parameter on PostgreSQL (much cheaper to bind than a long
    IN list), IN lists of 500 elsewhere."""
    if not ids:
        return []
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY

        return [column == sa.any_(sa.literal(list(ids), ARRAY(sa.Integer)))]
    return [column.in_(chunk) for chunk in _chunks(ids)]


def _load_extras(session: Session, ids: Sequence[int]) -> tuple[dict[int, list[str]], dict[int, list[SessionData]]]:
    """Topic names and agenda sessions of these events (two queries; more only for huge id lists on SQLite)."""
    S = EventSession.__table__.c
    topics: dict[int, list[str]] = {}
    agenda: dict[int, list[SessionData]] = {}
    for where in _id_batches(session, event_topic.c.event_id, ids):
        for event_id, name in session.execute(
            sa.select(event_topic.c.event_id, Topic.name)
            .join(Topic, Topic.id == event_topic.c.topic_id)
            .where(where)
            .order_by(Topic.name)
        ).all():
            topics.setdefault(event_id, []).append(name)
    for where in _id_batches(session, S.event_id, ids):
        for event_id, *fields in session.execute(
            sa.select(S.event_id, S.id, S.title, S.starts_at, S.ends_at, S.location, S.address, S.speakers,
                      S.description)
            .where(where)
            .order_by(S.starts_at, S.id)
        ).all():
            agenda.setdefault(event_id, []).append(SessionData(*fields))
    return topics, agenda


def _make_event(columns: Sequence, topics: dict, agenda: dict, site: Site) -> EventData:
    (event_id, slug, title, fmt, status, zone, starts_at, ends_at, revision, summary, description, venue,
     address, city, country, online_url, created_at, updated_at, cancel_reason) = columns
    return EventData(
        event_id, title, fmt, status, zone, starts_at, ends_at, site.event_url(event_id, slug), site.host,
        revision or 0, summary or "", description or "", venue or "", address or "", city or "",
        _country_name(country), online_url, created_at, updated_at, cancel_reason,
        tuple(topics.get(event_id, ())), tuple(agenda.get(event_id, ())),
    )


def _translated_texts(session: Session, ids: Sequence[int], language: str | None) -> dict[int, tuple]:
    """(title, summary, description) of these events' translations into `language` (one query; none for None)."""
    if not language or not ids:
        return {}
    T = EventTranslation.__table__.c
    result = {}
    for where in _id_batches(session, T.event_id, ids):
        for event_id, *texts in session.execute(
                sa.select(T.event_id, T.title, T.summary, T.description).where(where, T.language == language)):
            result[event_id] = tuple(texts)
    return result


def _in_language(data: EventData, texts: tuple | None, language: str | None) -> EventData:
    """The event with its translated title, summary and description (an empty one keeps the original's)."""
    if texts is None:
        return data
    title, summary, description = texts
    return replace(data, title=title or data.title, summary=summary or data.summary,
                   description=description or data.description)


def load_event_data(session: Session, event_ids: Iterable[int], *, site: Site,
                    language: str | None = None) -> dict[int, EventData]:
    """EventData for these events in three queries per 500 events (rows, topics, sessions), no ORM objects;
    with a `language`, in that language where the event is translated into it (one query more)."""
    ids = sorted(set(event_ids))
    topics, agenda = _load_extras(session, ids)
    texts = _translated_texts(session, ids, language)
    result: dict[int, EventData] = {}
    for where in _id_batches(session, Event.__table__.c.id, ids):
        for row in session.execute(sa.select(*_event_columns()).where(where)).all():
            result[row[0]] = _in_language(_make_event(row, topics, agenda, site), texts.get(row[0]), language)
    return result


def event_data(session: Session, event_id: int, *, site: Site, include_drafts: bool = False) -> EventData:
    """EventData of one event; drafts are NotFound unless asked for."""
    data = load_event_data(session, [event_id], site=site).get(event_id)
    if data is None or (data.status == "draft" and not include_drafts):
        raise NotFound("calendar.event_not_found", event_id=event_id)
    return data


# Feed state (for ETag / Last-Modified) -----------------------------------------------------------------

@dataclass(frozen=True)
class FeedState:
    etag: str
    last_modified: datetime | None


@dataclass(frozen=True)
class FeedFilters:
    """The public feed's filters: the same names as the events API."""

    format: str | None = None
    topic: str | None = None
    country: str | None = None
    city: str | None = None

    @classmethod
    def from_args(cls, args) -> FeedFilters:
        """Validate query arguments (ValidationFailed naming the field)."""
        def clean(name: str, limit: int) -> str | None:
            value = (args.get(name) or "").strip()
            if len(value) > limit:
                raise ValidationFailed("calendar.filter_too_long", field=name, name=name, limit=limit)
            return value or None

        fmt = clean("format", 40)
        if fmt is not None and fmt not in EVENT_FORMATS:
            raise ValidationFailed("calendar.format_invalid", field="format", formats=", ".join(EVENT_FORMATS))
        country = clean("country", 2)
        if country is not None:
            if len(country) != 2 or not country.isalpha():
                raise ValidationFailed("calendar.country_invalid", field="country")
            country = country.upper()
        return cls(format=fmt, topic=clean("topic", 100), country=country, city=clean("city", 120))

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in (("format", self.format), ("topic", self.topic), ("country", self.country),
                                  ("city", self.city)) if v}


def window_start(now: datetime, days: int) -> datetime:
    """Midnight UTC `days` ago: a feed's content only moves on at day boundaries."""
    day = (now.astimezone(UTC) - timedelta(days=days)).date()
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


# Statements are built once per shape and cached; requests only bind values (the 304 path stays tiny).
_CUTOFF = "cutoff"


def _public_conditions(shape: tuple[bool, bool, bool, bool]) -> list:
    has_format, has_topic, has_country, has_city = shape
    conditions = [
        Event.status.in_(FEED_STATUSES),
        Event.published_at.is_not(None) | (Event.status == "published"),
        Event.ends_at >= sa.bindparam(_CUTOFF, type_=UTCDateTime()),
    ]
    if has_format:
        conditions.append(Event.format == sa.bindparam("format"))
    if has_country:
        conditions.append(Event.country == sa.bindparam("country"))
    if has_city:
        conditions.append(sa.func.lower(Event.city) == sa.bindparam("city"))
    if has_topic:
        conditions.append(Event.id.in_(
            sa.select(event_topic.c.event_id).join(Topic, Topic.id == event_topic.c.topic_id)
            .where(Topic.slug == sa.bindparam("topic"))
        ))
    return conditions


def _public_query(filters: FeedFilters, now: datetime) -> tuple[tuple[bool, bool, bool, bool], dict]:
    shape = (bool(filters.format), bool(filters.topic), bool(filters.country), bool(filters.city))
    params = {_CUTOFF: window_start(now, PUBLIC_WINDOW_DAYS)}
    for name in ("format", "topic", "country"):
        if getattr(filters, name):
            params[name] = getattr(filters, name)
    if filters.city:
        params["city"] = filters.city.lower()
    return shape, params


def _personal_conditions() -> list:
    user_id = sa.bindparam("user_id")
    # driven from the person's rows (a union of ids), so the database looks events up by key
    mine = sa.union(
        sa.select(Enrolment.event_id).where(Enrolment.user_id == user_id, Enrolment.status.in_(ACTIVE_STATUSES)),
        sa.select(event_organiser.c.event_id).where(event_organiser.c.user_id == user_id),
    )
    return [
        Event.id.in_(mine),
        Event.status.in_(FEED_STATUSES),
        Event.ends_at >= sa.bindparam(_CUTOFF, type_=UTCDateTime()),
    ]


def _event_conditions() -> list:
    return [Event.id == sa.bindparam("event_id"), Event.status.in_(FEED_STATUSES)]


def _conditions(kind: str, shape: tuple) -> list:
    if kind == "public":
        return _public_conditions(shape)
    if kind == "personal":
        return _personal_conditions()
    return _event_conditions()


@lru_cache(maxsize=64)
def _state_statement(kind: str, shape: tuple = ()):
    """count / latest change / revision sum of the events, their sessions (and the person's enrolments)."""
    conditions = _conditions(kind, shape)
    events_agg = (
        sa.select(sa.func.count(Event.id).label("n"), sa.func.max(Event.updated_at).label("updated"),
                  sa.func.coalesce(sa.func.sum(Event.revision), 0).label("revisions"),
                  sa.func.coalesce(sa.func.sum(Event.id), 0).label("ids"))
        .where(*conditions)
        .subquery()
    )
    sessions_agg = (
        sa.select(sa.func.count(EventSession.id).label("n"), sa.func.max(EventSession.updated_at).label("updated"))
        .join(Event, Event.id == EventSession.event_id)
        .where(*conditions)
        .subquery()
    )
    joined = events_agg.join(sessions_agg, sa.true())
    columns = [events_agg, sessions_agg]
    if kind == "personal":
        enrolments_agg = (
            sa.select(sa.func.count(Enrolment.id).label("n"), sa.func.max(Enrolment.updated_at).label("updated"),
                      sa.func.coalesce(sa.func.sum(Enrolment.id), 0).label("ids"))
            .where(Enrolment.user_id == sa.bindparam("user_id"))
            .subquery()
        )
        joined = joined.join(enrolments_agg, sa.true())
        columns.append(enrolments_agg)
    return sa.select(*columns).select_from(joined)


def _state(session: Session, kind: str, shape: tuple, params: dict, *, extra: tuple, site: Site) -> FeedState:
    row = tuple(session.execute(_state_statement(kind, shape), params).one())
    stamps = [v for v in row if isinstance(v, datetime)]
    last_modified = max(stamps).replace(microsecond=0) if stamps else None
    raw = repr((ical.FORMAT_VERSION, site.key, kind, extra, tuple(
        v.isoformat() if isinstance(v, datetime) else v for v in row
    )))
    return FeedState(etag=hashlib.sha1(raw.encode()).hexdigest(), last_modified=last_modified)


def public_feed_state(session: Session, *, filters: FeedFilters, now: datetime, site: Site) -> FeedState:
    """ETag and Last-Modified of the public feed, from one aggregate query."""
    shape, params = _public_query(filters, now)
    return _state(session, "public", shape, params, site=site,
                  extra=(sorted(filters.as_dict().items()), params[_CUTOFF].date().isoformat()))


def personal_feed_state(session: Session, *, user_id: int, now: datetime, site: Site,
                        language: str | None = None) -> FeedState:
    """ETag and Last-Modified of a person's feed (their enrolments count too), from one aggregate query."""
    params = {"user_id": user_id, _CUTOFF: window_start(now, PERSONAL_WINDOW_DAYS)}
    return _state(session, "personal", (), params, site=site,
                  extra=(user_id, params[_CUTOFF].date().isoformat(), language))


# Feed bytes ------------------------------------------------------------------------------------------

@lru_cache(maxsize=64)
def _rows_statement(kind: str, shape: tuple = ()):
    """The feed's events with their cache key and cached bytes (for the person's variant)."""
    C, S = CalendarVeventCache, EventSession
    sessions_count = (
        sa.select(sa.func.count(S.id)).where(S.event_id == Event.id).correlate(Event).scalar_subquery()
    )
    sessions_updated_at = sa.type_coerce(
        sa.select(sa.func.max(S.updated_at)).where(S.event_id == Event.id).correlate(Event).scalar_subquery(),
        S.updated_at.type,
    )
    if kind == "personal":
        user_id = sa.bindparam("user_id")
        is_organiser = Event.id.in_(
            sa.select(event_organiser.c.event_id).where(event_organiser.c.user_id == user_id)
        )
        variant = sa.case(
            (Event.status == "cancelled", "public"),
            (is_organiser, "public"),
            (Enrolment.status.in_(TENTATIVE_STATUSES), Enrolment.status),
            else_="public",
        )
    else:
        variant = sa.literal("public", sa.String)
    # the event's own columns come first (enough to build a missed VEVENT without reading the event again)
    stmt = sa.select(
        *_event_columns(),
        sessions_count.label("sessions_count"), sessions_updated_at.label("sessions_updated_at"),
        variant.label("variant"),
        C.revision.label("c_revision"), C.source_updated_at.label("c_updated"),
        C.sessions_count.label("c_sessions_count"), C.sessions_updated_at.label("c_sessions_updated"),
        C.site_key.label("c_site"), C.ics.label("c_ics"),
    ).select_from(Event)
    if kind == "personal":
        stmt = stmt.outerjoin(Enrolment, sa.and_(
            Enrolment.event_id == Event.id, Enrolment.user_id == user_id, Enrolment.status.in_(ACTIVE_STATUSES),
        ))
    return (
        stmt.outerjoin(C, sa.and_(C.event_id == Event.id, C.variant == variant))
        .where(*_conditions(kind, shape))
        .order_by(Event.starts_at, Event.id)
    )


def _assemble(session: Session, rows, *, name: str, site: Site, language: str | None = None) -> bytes:
    """Reuse valid cached VEVENTs, build and store the rest, and join everything into one calendar. Events
    translated into `language` are built in it each time (the cache holds the originals)."""
    texts = _translated_texts(session, [row.id for row in rows], language)
    site_key = site.key
    chunks: list[bytes | None] = []
    misses: list[tuple[int, object]] = []
    timezones: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        span = timezones.get(row.timezone)
        if span is None:
            timezones[row.timezone] = [row.starts_at.year, row.ends_at.year]
        else:
            if row.starts_at.year < span[0]:
                span[0] = row.starts_at.year
            if row.ends_at.year > span[1]:
                span[1] = row.ends_at.year
        if (
            row.c_ics is not None
            and row.id not in texts
            and row.c_revision == row.revision
            and row.c_updated == row.updated_at
            and row.c_sessions_count == row.sessions_count
            and row.c_sessions_updated == row.sessions_updated_at
            and row.c_site == site_key
        ):
            chunks.append(bytes(row.c_ics))
        else:
            chunks.append(None)
            misses.append((index, row))
    if misses:
        topics, agenda = _load_extras(session, sorted({row.id for _, row in misses}))
        entries = []
        for index, row in misses:
            event = _make_event(row[:_EVENT_COLUMN_COUNT], topics, agenda, site)
            body = ical.vevent_bytes(_in_language(event, texts.get(row.id), language), variant=row.variant)
            chunks[index] = body
            if row.id in texts:
                continue  # not the original: the cache keeps the original
            entries.append({
                "event_id": row.id, "variant": row.variant, "revision": row.revision,
                "source_updated_at": row.updated_at, "sessions_count": row.sessions_count,
                "sessions_updated_at": row.sessions_updated_at, "site_key": site_key, "ics": body,
            })
        _store(session, entries)
    spans = {tzid: (first - 1, last + 1) for tzid, (first, last) in timezones.items()}
    return ical.assemble_calendar(chunks, name=name, timezones=spans)  # type: ignore[arg-type]


def _store(session: Session, entries: list[dict]) -> None:
    """Upsert cache rows (in id order, so concurrent writers take row locks in the same order)."""
    if not entries:
        return
    now = datetime.now(UTC)
    unique = {(e["event_id"], e["variant"]): {**e, "built_at": now} for e in entries}
    rows = [unique[key] for key in sorted(unique)]
    table = CalendarVeventCache.__table__
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        stmt = insert(table)
        columns = ("revision", "source_updated_at", "sessions_count", "sessions_updated_at", "site_key", "ics",
                   "built_at")
        stmt = stmt.on_conflict_do_update(
            index_elements=["event_id", "variant"], set_={c: stmt.excluded[c] for c in columns}
        )
        session.execute(stmt, rows)
    else:  # pragma: no cover - other databases
        for row in rows:
            session.execute(sa.delete(table).where(table.c.event_id == row["event_id"],
                                                   table.c.variant == row["variant"]))
        session.execute(sa.insert(table), rows)


def public_feed_name(site: Site, filters: FeedFilters) -> str:
    label = ", ".join(filters.as_dict().values())
    return f"{site.network_name} events" + (f" ({label})" if label else "")


def public_feed_bytes(session: Session, *, filters: FeedFilters, now: datetime, site: Site) -> bytes:
    """The public feed: published (and cancelled) events from 30 days ago onward, filtered."""
    shape, params = _public_query(filters, now)
    rows = session.execute(_rows_statement("public", shape), params).all()
    return _assemble(session, rows, name=public_feed_name(site, filters), site=site)


def personal_feed_bytes(session: Session, *, user: User | FeedOwner, now: datetime, site: Site) -> bytes:
    """A person's feed: confirmed (CONFIRMED), pending/waiting/offered (TENTATIVE) and organised events, in the
    person's language where an event is translated into it."""
    params = {"user_id": user.id, _CUTOFF: window_start(now, PERSONAL_WINDOW_DAYS)}
    rows = session.execute(_rows_statement("personal"), params).all()
    return _assemble(session, rows, name=f"{site.network_name} — {user.name}", site=site,
                     language=reader_language(getattr(user, "language", None)))


# Single events ---------------------------------------------------------------------------------------

def event_state(session: Session, *, event_id: int, with_sessions: bool, site: Site) -> FeedState:
    """ETag / Last-Modified of one published event's .ics (NotFound for drafts and unknown ids)."""
    state = _state(session, "event", (), {"event_id": event_id}, site=site, extra=(event_id, with_sessions))
    if state.last_modified is None:
        raise NotFound("calendar.event_not_found", event_id=event_id)
    return state


def event_ics(session: Session, *, event_id: int, with_sessions: bool, site: Site) -> tuple[bytes, EventData]:
    """The .ics download of one published (or cancelled) event."""
    data = event_data(session, event_id, site=site)
    return ical.event_ics_bytes(data, with_sessions=with_sessions, name=f"{data.title} — {site.network_name}"), data


def build_reminder_ics(session: Session, event: Event, *, site: Site) -> bytes:
    """The .ics the scheduler attaches to reminders: the event as a PUBLISH file, same UID as everywhere."""
    data = event_data(session, event.id, site=site, include_drafts=True)
    return ical.event_ics_bytes(data, name=data.title)


def warm_cache(session: Session, *, now: datetime, site: Site) -> int:
    """Build the public feed's cache (for `flask calendar warm`); returns the number of events in it."""
    shape, params = _public_query(FeedFilters(), now)
    rows = session.execute(_rows_statement("public", shape), params).all()
    _assemble(session, rows, name="warm", site=site)
    return len(rows)
