"""Events, their agenda, enrolments, check-ins and the notification records other packages act on."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.auth.rules import can_manage_event
from app.content_language import DEFAULT_LANGUAGE, LANGUAGE_MAX, guard_translations
from app.directory.models import Organisation, Topic
from app.events.limits import EVENT_TEXT_LIMITS, ONLINE_URL_MAX, SESSION_TEXT_LIMITS
from app.extensions import db
from app.sqltypes import UTCDateTime, utcnow

__all__ = [
    "Event", "EventTranslation", "EventSession", "Enrolment", "Checkin", "EventNotification",
    "event_topic", "event_organiser", "event_host",
    "EVENT_FORMATS", "EVENT_STATUSES", "ENROLMENT_STATUSES", "ACTIVE_STATUSES", "SEAT_STATUSES",
]

EVENT_FORMATS = ("conference", "workshop", "training", "information_trip")
EVENT_STATUSES = ("draft", "published", "cancelled")
WAITLIST_MODES = ("auto", "offer")
ENROLMENT_STATUSES = ("pending", "confirmed", "waitlisted", "offered", "expired", "cancelled", "rejected")
# statuses that hold a seat against capacity
SEAT_STATUSES = ("confirmed", "offered")
# statuses of a live enrolment (the person is still in the event's lists)
ACTIVE_STATUSES = ("pending", "confirmed", "waitlisted", "offered")

event_topic = sa.Table(
    "event_topic",
    db.metadata,
    sa.Column("event_id", sa.ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("topic_id", sa.ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True, index=True),
)

event_organiser = sa.Table(
    "event_organiser",
    db.metadata,
    sa.Column("event_id", sa.ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True),
)

event_host = sa.Table(
    "event_host",
    db.metadata,
    sa.Column("event_id", sa.ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("organisation_id", sa.ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True,
              index=True),
)


class Event(db.Model):
    __tablename__ = "event"
    __table_args__ = (
        sa.CheckConstraint("format IN ('conference','workshop','training','information_trip')", name="format"),
        sa.CheckConstraint("status IN ('draft','published','cancelled')", name="status"),
        sa.CheckConstraint("waitlist_mode IN ('auto','offer')", name="waitlist_mode"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
        sa.CheckConstraint("offer_hours > 0", name="offer_hours_positive"),
        sa.CheckConstraint("hours IS NULL OR hours >= 0", name="hours_not_negative"),
        sa.CheckConstraint("min_attendance_percent BETWEEN 1 AND 100", name="min_attendance_range"),
        sa.CheckConstraint(
            "registration_closes_at IS NULL OR registration_opens_at IS NULL "
            "OR registration_closes_at > registration_opens_at",
            name="registration_window",
        ),
        sa.Index("ix_event_status_starts_at", "status", "starts_at"),
        sa.CheckConstraint("latitude IS NULL OR (latitude >= -90 AND latitude <= 90)", name="latitude_range"),
        sa.CheckConstraint("longitude IS NULL OR (longitude >= -180 AND longitude <= 180)", name="longitude_range"),
        sa.CheckConstraint("(latitude IS NULL) = (longitude IS NULL)", name="coordinates_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(220), unique=True)
    title: Mapped[str] = mapped_column(sa.String(EVENT_TEXT_LIMITS["title"]))
    format: Mapped[str] = mapped_column(sa.String(20))
    summary: Mapped[str] = mapped_column(sa.String(EVENT_TEXT_LIMITS["summary"]), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown, rendered safely
    status: Mapped[str] = mapped_column(sa.String(12), default="draft", server_default="draft")
    cancel_reason: Mapped[str | None] = mapped_column(sa.Text)
    languages: Mapped[list] = mapped_column(sa.JSON, default=list)  # ISO 639-1 codes, e.g. ["en", "de"]
    # the language title, summary and description are written in; translations are EventTranslation rows
    language: Mapped[str] = mapped_column(sa.String(LANGUAGE_MAX), default=DEFAULT_LANGUAGE,
                                          server_default=DEFAULT_LANGUAGE)
    timezone: Mapped[str] = mapped_column(sa.String(64))  # IANA zone of the venue
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    venue: Mapped[str] = mapped_column(sa.String(EVENT_TEXT_LIMITS["venue"]), default="")
    address: Mapped[str] = mapped_column(sa.String(EVENT_TEXT_LIMITS["address"]), default="")
    city: Mapped[str] = mapped_column(sa.String(EVENT_TEXT_LIMITS["city"]), default="", index=True)
    country: Mapped[str | None] = mapped_column(sa.String(2), index=True)
    # the venue on the map (optional; both or neither)
    latitude: Mapped[float | None] = mapped_column(sa.Float)
    longitude: Mapped[float | None] = mapped_column(sa.Float)
    online_url: Mapped[str | None] = mapped_column(sa.String(ONLINE_URL_MAX))
    capacity: Mapped[int | None] = mapped_column(sa.Integer)  # None = unlimited
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    requires_approval: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    waitlist_mode: Mapped[str] = mapped_column(sa.String(8), default="auto", server_default="auto")
    offer_hours: Mapped[int] = mapped_column(sa.Integer, default=48, server_default="48")
    hours: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 2))  # declared hours, for certificates
    min_attendance_percent: Mapped[int] = mapped_column(sa.Integer, default=100, server_default="100")
    auto_certificates: Mapped[bool] = mapped_column(sa.Boolean, default=True, server_default=sa.true())
    # reminder offsets before the start, in hours (the scheduler's default: 7 days and 1 day)
    reminder_offsets_hours: Mapped[list] = mapped_column(sa.JSON, default=lambda: [168, 24])
    # rises whenever time, place or status changes: the iCalendar SEQUENCE
    revision: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    # bumped by every enrolment change: the row lock that serialises seat allocation on both databases
    lock_version: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    duplicated_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("event.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    topics: Mapped[list[Topic]] = relationship(secondary=event_topic, order_by=Topic.name)
    organisers: Mapped[list[User]] = relationship(secondary=event_organiser, order_by=User.name)
    hosts: Mapped[list[Organisation]] = relationship(secondary=event_host, order_by=Organisation.name)
    sessions: Mapped[list[EventSession]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventSession.starts_at"
    )
    enrolments: Mapped[list[Enrolment]] = relationship(
        back_populates="event", cascade="all, delete-orphan", passive_deletes=True
    )
    translations: Mapped[list[EventTranslation]] = relationship(
        back_populates="event", cascade="all, delete-orphan", passive_deletes=True,
        order_by="EventTranslation.language"
    )

    def is_past(self, now: datetime) -> bool:
        return self.ends_at <= now

    def is_organised_by(self, user: User | None) -> bool:
        """Whether the user may manage this event (see app.auth.rules: role and membership)."""
        return can_manage_event(user, self)

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.title!r}>"


class EventTranslation(db.Model):
    """The event's title, summary and description in another language than its original one (the services
    refuse a translation into the original language)."""

    __tablename__ = "event_translation"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "language", name="uq_event_translation_event_language"),
        sa.CheckConstraint("language <> ''", name="language_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(sa.String(LANGUAGE_MAX))
    title: Mapped[str] = mapped_column(sa.String(EVENT_TEXT_LIMITS["title"]))
    summary: Mapped[str] = mapped_column(sa.String(EVENT_TEXT_LIMITS["summary"]), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown, rendered safely

    event: Mapped[Event] = relationship(back_populates="translations")


guard_translations(EventTranslation.__table__, "event_id", "event")


class EventSession(db.Model):
    """An agenda item; for information trips, a stop of the itinerary."""

    __tablename__ = "event_session"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("latitude IS NULL OR (latitude >= -90 AND latitude <= 90)", name="latitude_range"),
        sa.CheckConstraint("longitude IS NULL OR (longitude >= -180 AND longitude <= 180)", name="longitude_range"),
        sa.CheckConstraint("(latitude IS NULL) = (longitude IS NULL)", name="coordinates_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(SESSION_TEXT_LIMITS["title"]))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    location: Mapped[str] = mapped_column(sa.String(SESSION_TEXT_LIMITS["location"]), default="")  # room, or the site visited
    address: Mapped[str] = mapped_column(sa.String(SESSION_TEXT_LIMITS["address"]), default="")
    speakers: Mapped[str] = mapped_column(sa.String(SESSION_TEXT_LIMITS["speakers"]), default="")
    # an itinerary stop on the map (optional; both or neither): an information trip's route joins them
    latitude: Mapped[float | None] = mapped_column(sa.Float)
    longitude: Mapped[float | None] = mapped_column(sa.Float)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event: Mapped[Event] = relationship(back_populates="sessions")


class Enrolment(db.Model):
    __tablename__ = "enrolment"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "user_id", name="uq_enrolment_event_user"),
        # a waiting-list ticket number is never given twice in an event; positions derive from it
        sa.UniqueConstraint("event_id", "waitlist_seq", name="uq_enrolment_event_waitlist_seq"),
        sa.CheckConstraint(
            "status IN ('pending','confirmed','waitlisted','offered','expired','cancelled','rejected')",
            name="status",
        ),
        sa.CheckConstraint("status NOT IN ('waitlisted','offered') OR waitlist_seq IS NOT NULL",
                           name="waitlist_has_seq"),
        sa.CheckConstraint("status <> 'offered' OR offer_expires_at IS NOT NULL", name="offer_has_deadline"),
        sa.Index("ix_enrolment_event_status", "event_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(sa.String(12))
    waitlist_seq: Mapped[int | None] = mapped_column(sa.Integer)
    offer_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # short opaque code for the ticket and its QR code; never the database id
    ticket_code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    is_over_capacity: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    enrolled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    cancel_reason: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event: Mapped[Event] = relationship(back_populates="enrolments")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    checkins: Mapped[list[Checkin]] = relationship(
        back_populates="enrolment", cascade="all, delete-orphan", passive_deletes=True
    )


class Checkin(db.Model):
    """Attendance: one per enrolment and session, or per enrolment and local day for events without sessions."""

    __tablename__ = "checkin"
    __table_args__ = (
        sa.UniqueConstraint("enrolment_id", "session_id", name="uq_checkin_enrolment_session"),
        sa.UniqueConstraint("enrolment_id", "day", name="uq_checkin_enrolment_day"),
        sa.CheckConstraint("(session_id IS NULL) <> (day IS NULL)", name="session_xor_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolment.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("event_session.id", ondelete="CASCADE"),
                                                   index=True)
    day: Mapped[date | None] = mapped_column(sa.Date)  # the event's local date
    method: Mapped[str] = mapped_column(sa.String(12), default="search")  # search | code | api | sheet
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    checked_in_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))

    enrolment: Mapped[Enrolment] = relationship(back_populates="checkins")
    session: Mapped[EventSession | None] = relationship()


class EventNotification(db.Model):
    """What happened, recorded in the same transaction, for mail and calendar work to act on."""

    __tablename__ = "event_notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    # enrolment_confirmed | enrolment_pending | enrolment_waitlisted | enrolment_offered | offer_expired |
    # enrolment_cancelled | enrolment_rejected | event_published | event_updated | event_cancelled
    kind: Mapped[str] = mapped_column(sa.String(40), index=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    enrolment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("enrolment.id", ondelete="CASCADE"),
                                                     index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    payload: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
