"""Reading events: lookups with their permissions, seat counts and waiting-list positions, and the lists
(events, my enrolments, participants)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

import app.events.messages  # noqa: F401  (the catalogue of the reasons raised here)
from app.auth.models import User
from app.directory.models import Topic
from app.errors import Forbidden, NotFound
from app.events.inputs import MAX_INT, EventFilters, normalise_ticket_code
from app.events.limits import EVENT_TRANSLATION_LIMITS
from app.events.models import ACTIVE_STATUSES, SEAT_STATUSES, Enrolment, Event, EventTranslation, event_topic
from app.search.query import matching_ids
from app.sqltypes import utcnow

# statuses of people in the waiting list (an offered seat keeps its place until accepted)
WAITING_STATUSES = ("waitlisted", "offered")


# ---------------------------------------------------------------------------------------------------
# Lookups and permissions


def get_event(session: Session, event_id) -> Event:
    """The event, or NotFound."""
    if not isinstance(event_id, int) or isinstance(event_id, bool) or not 0 < event_id <= MAX_INT:
        raise NotFound("event.not_found", field="event_id")
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound("event.not_found", field="event_id")
    return event


def can_manage(event: Event, user: User | None) -> bool:
    """Admins and the event's organisers manage it."""
    return event.is_organised_by(user)


def _user(session: Session, user_id, *, field: str = "user_id") -> User:
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not 0 < user_id <= MAX_INT:
        raise NotFound("event.user_not_found", field=field)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("event.user_not_found", field=field)
    return user


def visible_event(session: Session, event_id: int, user: User | None) -> Event:
    """The event if this user may see it: drafts only for their organisers (others get NotFound)."""
    event = get_event(session, event_id)
    if event.status == "draft" and not can_manage(event, user):
        raise NotFound("event.not_found", field="event_id")
    return event


def managed_event(session: Session, event_id: int, actor_id: int) -> Event:
    """The event if the actor manages it; NotFound for drafts of others, Forbidden otherwise."""
    actor = _user(session, actor_id, field="actor_id")
    event = get_event(session, event_id)
    if not can_manage(event, actor):
        if event.status == "draft":
            raise NotFound("event.not_found", field="event_id")
        raise Forbidden("event.organisers_only")
    return event


def _enrolment(session: Session, enrolment_id) -> Enrolment:
    if not isinstance(enrolment_id, int) or isinstance(enrolment_id, bool) or not 0 < enrolment_id <= MAX_INT:
        raise NotFound("enrolment.not_found", field="enrolment_id")
    enrolment = session.get(Enrolment, enrolment_id)
    if enrolment is None:
        raise NotFound("enrolment.not_found", field="enrolment_id")
    return enrolment


def get_enrolment_for(session: Session, enrolment_id: int, user: User) -> Enrolment:
    """The enrolment if it is the user's own or the user manages its event; NotFound otherwise."""
    enrolment = _enrolment(session, enrolment_id)
    if enrolment.user_id != user.id and not can_manage(enrolment.event, user):
        raise NotFound("enrolment.not_found", field="enrolment_id")
    return enrolment


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


# ---------------------------------------------------------------------------------------------------
# Lists


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


def _filtered(session: Session, stmt, filters: EventFilters):
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
        # the site's one search (app/search): accents and case do not matter, words match as prefixes, and an
        # event is found by any of its titles (the original's or a translation's: its search document has them all)
        stmt = stmt.where(Event.id.in_(matching_ids(session, filters.q, "event")))
    return stmt


def list_events(session: Session, *, now: datetime, filters: EventFilters | None = None, past: bool = False,
                page: int = 1, per_page: int = 20, with_people: bool = False) -> EventPage:
    """Published upcoming (or past) events matching the filters, one page, with their translations and seat
    counts (5-7 queries)."""
    filters = filters or EventFilters()
    stmt = sa.select(Event).where(Event.status == "published")
    stmt = stmt.where(Event.ends_at <= now) if past else stmt.where(Event.ends_at > now)
    stmt = _filtered(session, stmt, filters)
    total = session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    order = (Event.starts_at.desc(), Event.id.desc()) if past else (Event.starts_at, Event.id)
    items = list(session.scalars(stmt.order_by(*order).limit(per_page).offset((max(page, 1) - 1) * per_page)))
    _load_collections(session, items, ("topics", "hosts", "organisers") if with_people else ("topics",))
    load_translations(session, items)
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


def load_translations(session: Session, events: list[Event]) -> None:
    """Eager-load the translations of a page of events in one query (none when all are loaded already)."""
    pending = [e for e in events if "translations" not in e.__dict__]
    if not pending:
        return
    groups: dict[int, list[EventTranslation]] = {e.id: [] for e in pending}
    for row in session.scalars(sa.select(EventTranslation).where(EventTranslation.event_id.in_(list(groups)))
                               .order_by(EventTranslation.event_id, EventTranslation.language)):
        groups[row.event_id].append(row)
    for event in pending:
        set_committed_value(event, "translations", groups[event.id])


# the columns of an event the API's list shows (app/events/api.py event_row_json)
EVENT_LIST_COLUMNS = (
    "id", "slug", "title", "format", "summary", "description", "status", "cancel_reason", "starts_at", "ends_at",
    "timezone", "venue", "address", "city", "country", "online_url", "capacity", "requires_approval",
    "waitlist_mode", "offer_hours", "registration_opens_at", "registration_closes_at", "hours",
    "min_attendance_percent", "languages", "revision", "language", "latitude", "longitude",
)


@dataclass
class EventRowPage:
    """One page of events as rows (EVENT_LIST_COLUMNS), with their collections by event id."""

    rows: list
    total: int
    page: int
    per_page: int
    counts: dict[int, SeatCounts]
    topics: dict[int, list[str]]  # topic slugs
    hosts: dict[int, list]  # rows of (id, name, city, country)
    organisers: dict[int, list]  # rows of (id, name)
    translations: dict[int, dict[str, dict[str, str]]]  # {"fr": {"title": …, "summary": …, "description": …}}


@lru_cache(maxsize=1)
def _row_stmts():
    """The narrow statements of list_event_rows, built once: (id, name) -> (event id, *columns) rows."""
    from app.directory.models import Organisation
    from app.events.models import event_host, event_organiser

    def collection(table, target, columns, order):
        link = next(c for c in table.c if c.name != "event_id")
        target = target.__table__
        return (
            sa.select(table.c.event_id, *(target.c[name] for name in columns))
            .join(target, target.c.id == link)
            .where(table.c.event_id.in_(sa.bindparam("event_ids", expanding=True)))
            .order_by(table.c.event_id, target.c[order], target.c.id)
        )

    return {
        "topics": collection(event_topic, Topic, ("slug",), "name"),
        "hosts": collection(event_host, Organisation, ("id", "name", "city", "country"), "name"),
        "organisers": collection(event_organiser, User, ("id", "name"), "name"),
    }


def list_event_rows(session: Session, *, now: datetime, filters: EventFilters | None = None, past: bool = False,
                    page: int = 1, per_page: int = 20) -> EventRowPage:
    """What list_events finds, with topics, hosts and organisers, read as plain rows of only the columns the
    API shows (no ORM objects: building them cost more than the queries); 7 queries."""
    filters = filters or EventFilters()
    table = Event.__table__
    stmt = sa.select(*(table.c[name] for name in EVENT_LIST_COLUMNS)).where(table.c.status == "published")
    stmt = stmt.where(table.c.ends_at <= now) if past else stmt.where(table.c.ends_at > now)
    stmt = _filtered(session, stmt, filters)
    connection = session.connection()
    total = connection.scalar(sa.select(sa.func.count()).select_from(stmt.with_only_columns(table.c.id).subquery()))
    order = (table.c.starts_at.desc(), table.c.id.desc()) if past else (table.c.starts_at, table.c.id)
    rows = connection.execute(stmt.order_by(*order).limit(per_page).offset((max(page, 1) - 1) * per_page)).all()
    ids = [row.id for row in rows]
    collections = {}
    for name, collection_stmt in _row_stmts().items():
        groups: dict[int, list] = {event_id: [] for event_id in ids}
        if ids:
            for row in connection.execute(collection_stmt, {"event_ids": ids}).all():
                groups[row[0]].append(row[1] if name == "topics" else row[1:])
        collections[name] = groups
    translations: dict[int, dict[str, dict[str, str]]] = {event_id: {} for event_id in ids}
    if ids:
        T = EventTranslation.__table__.c
        fields = tuple(EVENT_TRANSLATION_LIMITS)
        for event_id, language, *texts in connection.execute(
                sa.select(T.event_id, T.language, *(T[name] for name in fields))
                .where(T.event_id.in_(ids)).order_by(T.event_id, T.language)).all():
            translations[event_id][language] = dict(zip(fields, texts, strict=True))
    collections["translations"] = translations
    return EventRowPage(rows=rows, total=int(total or 0), page=page, per_page=per_page,
                        counts=seat_counts_for(session, ids), **collections)


def managed_events(session: Session, *, user: User) -> list[Event]:
    """Events the user organises (all events for admins), newest first."""
    from app.events.models import event_organiser

    stmt = sa.select(Event).order_by(Event.starts_at.desc(), Event.id.desc())
    if not user.is_admin:
        stmt = stmt.where(Event.id.in_(sa.select(event_organiser.c.event_id)
                                       .where(event_organiser.c.user_id == user.id)))
    return list(session.scalars(stmt.limit(500)))


def my_enrolments(session: Session, *, user_id: int) -> tuple[list[Enrolment], dict[int, int]]:
    """The user's enrolments with their events and the events' translations, and waiting-list positions
    (4 queries)."""
    enrolments = list(session.scalars(
        sa.select(Enrolment).join(Event, Event.id == Enrolment.event_id).where(Enrolment.user_id == user_id)
        .options(selectinload(Enrolment.event).selectinload(Event.translations)).order_by(Event.starts_at)
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
    """The next published events for the home page (with their translations: titles in the reader's language)."""
    return list(session.scalars(
        sa.select(Event).where(Event.status == "published", Event.ends_at > utcnow())
        .options(selectinload(Event.translations))
        .order_by(Event.starts_at, Event.id).limit(limit)
    ))
