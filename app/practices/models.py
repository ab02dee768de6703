"""Good practices: what a member city did, what it cost and what came of it; their files, key figures,
revisions, translations and the cities that want to adopt them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.auth.models import User
from app.directory.models import Organisation, Topic
from app.directory.regions import region_of
from app.events.models import Event
from app.extensions import db
from app.learning.models import Module
from app.practices.limits import (
    CAPTION_MAX,
    CITY_MAX,
    COMMENT_MAX,
    CREDIT_MAX,
    INDICATOR_TEXT_MAX,
    INTEREST_NOTE_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
)
from app.sqltypes import UTCDateTime, utcnow

__all__ = [
    "Practice", "PracticeTranslation", "PracticeIndicator", "PracticeFile", "PracticeRevision", "PracticeInterest",
    "PracticeSdgGoal", "PracticeSdgTarget", "practice_topic", "practice_event", "practice_module",
]

practice_topic = sa.Table(
    "practice_topic",
    db.metadata,
    sa.Column("practice_id", sa.ForeignKey("practice.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("topic_id", sa.ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True, index=True),
)
# the events where the practice was presented
practice_event = sa.Table(
    "practice_event",
    db.metadata,
    sa.Column("practice_id", sa.ForeignKey("practice.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("event_id", sa.ForeignKey("event.id", ondelete="CASCADE"), primary_key=True, index=True),
)
# the learning modules that teach it
practice_module = sa.Table(
    "practice_module",
    db.metadata,
    sa.Column("practice_id", sa.ForeignKey("practice.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("module_id", sa.ForeignKey("learning_module.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class PracticeSdgGoal(db.Model):
    """A UN Sustainable Development Goal (1-17) the practice serves."""

    __tablename__ = "practice_sdg_goal"
    __table_args__ = (sa.CheckConstraint("goal BETWEEN 1 AND 17", name="goal_range"),)

    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practice.id", ondelete="CASCADE"), primary_key=True)
    goal: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True, index=True)


class PracticeSdgTarget(db.Model):
    """An official SDG target code such as "11.2" or "6.a" (app/practices/sdg.py lists the 169)."""

    __tablename__ = "practice_sdg_target"

    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practice.id", ondelete="CASCADE"), primary_key=True)
    target: Mapped[str] = mapped_column(sa.String(6), primary_key=True, index=True)


class Practice(db.Model):
    __tablename__ = "practice"
    __table_args__ = (
        sa.CheckConstraint("status IN ('draft','submitted','returned','published','archived')", name="status"),
        sa.CheckConstraint("stage IN ('idea','pilot','implemented','scaled')", name="stage"),
        sa.CheckConstraint("length(country) = 2", name="country_alpha2"),
        sa.CheckConstraint("latitude IS NULL OR (latitude >= -90 AND latitude <= 90)", name="latitude_range"),
        sa.CheckConstraint("longitude IS NULL OR (longitude >= -180 AND longitude <= 180)", name="longitude_range"),
        sa.CheckConstraint("(latitude IS NULL) = (longitude IS NULL)", name="coordinates_pair"),
        sa.CheckConstraint("started_year IS NULL OR started_year >= 1900", name="started_year_range"),
        sa.CheckConstraint("ended_year IS NULL OR ended_year >= 1900", name="ended_year_range"),
        sa.CheckConstraint("ended_year IS NULL OR started_year IS NULL OR ended_year >= started_year",
                           name="years_in_order"),
        sa.Index("ix_practice_status_published", "status", "published_at"),
        # what /match reads of every published practice (a covering index: the scan skips the wide rows)
        sa.Index("ix_practice_match", "status", "organisation_id", "region", "language", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(220), default="")
    status: Mapped[str] = mapped_column(sa.String(12), default="draft", server_default="draft", index=True)
    language: Mapped[str] = mapped_column(sa.String(16), default="en", server_default="en")  # of the original
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    summary: Mapped[str] = mapped_column(sa.String(SUMMARY_MAX), default="")
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)
    city: Mapped[str] = mapped_column(sa.String(CITY_MAX), default="")
    country: Mapped[str] = mapped_column(sa.String(2), index=True)  # ISO 3166-1 alpha-2
    subdivision: Mapped[str | None] = mapped_column(sa.String(6))  # ISO 3166-2, e.g. "DE-SN"
    region: Mapped[str] = mapped_column(sa.String(3), default="", index=True)  # UN M49 region, from the country
    latitude: Mapped[float | None] = mapped_column(sa.Float)
    longitude: Mapped[float | None] = mapped_column(sa.Float)
    stage: Mapped[str] = mapped_column(sa.String(12), default="implemented")
    started_year: Mapped[int | None] = mapped_column(sa.SmallInteger)
    ended_year: Mapped[int | None] = mapped_column(sa.SmallInteger)
    # the narrative (Markdown), see limits.SECTIONS
    challenge: Mapped[str] = mapped_column(sa.Text, default="")
    solution: Mapped[str] = mapped_column(sa.Text, default="")
    results: Mapped[str] = mapped_column(sa.Text, default="")
    costs_and_funding: Mapped[str] = mapped_column(sa.Text, default="")
    stakeholders: Mapped[str] = mapped_column(sa.Text, default="")
    success_factors: Mapped[str] = mapped_column(sa.Text, default="")
    obstacles: Mapped[str] = mapped_column(sa.Text, default="")
    transferability: Mapped[str] = mapped_column(sa.Text, default="")
    # a member of the platform; their address is never shown
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    review_comment: Mapped[str] = mapped_column(sa.String(COMMENT_MAX), default="")  # the last return's reason
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    verification_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revision: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")

    organisation: Mapped[Organisation] = relationship()
    contact: Mapped[User | None] = relationship(foreign_keys=[contact_id])
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    topics: Mapped[list[Topic]] = relationship(secondary=practice_topic, order_by=Topic.name)
    translations: Mapped[list[PracticeTranslation]] = relationship(
        back_populates="practice", cascade="all, delete-orphan", order_by="PracticeTranslation.language"
    )
    indicators: Mapped[list[PracticeIndicator]] = relationship(
        back_populates="practice", cascade="all, delete-orphan", order_by="PracticeIndicator.position"
    )
    files: Mapped[list[PracticeFile]] = relationship(
        back_populates="practice", cascade="all, delete-orphan", order_by="(PracticeFile.position, PracticeFile.id)"
    )
    # where it was presented and which modules teach it (rows of practice_event / practice_module)
    events: Mapped[list[Event]] = relationship(secondary=practice_event, order_by=Event.starts_at)
    modules: Mapped[list[Module]] = relationship(secondary=practice_module, order_by=Module.id)
    goal_rows: Mapped[list[PracticeSdgGoal]] = relationship(cascade="all, delete-orphan")
    target_rows: Mapped[list[PracticeSdgTarget]] = relationship(cascade="all, delete-orphan")

    @property
    def sdg_goals(self) -> list[int]:
        return sorted(row.goal for row in self.goal_rows)

    @property
    def sdg_targets(self) -> list[str]:
        from app.practices.sdg import target_sort_key

        return sorted((row.target for row in self.target_rows), key=target_sort_key)

    @property
    def documents(self) -> list[PracticeFile]:
        return [f for f in self.files if f.kind == "document"]

    @property
    def images(self) -> list[PracticeFile]:
        return [f for f in self.files if f.kind == "image"]

    @property
    def is_published(self) -> bool:
        return self.status == "published"

    @validates("country")
    def _country_sets_region(self, key: str, value: str) -> str:
        self.region = region_of(value)
        return value

    def __repr__(self) -> str:
        return f"<Practice {self.id} {self.title!r}>"


class PracticeTranslation(db.Model):
    """The title, summary and narrative in another language than the original."""

    __tablename__ = "practice_translation"
    __table_args__ = (
        sa.UniqueConstraint("practice_id", "language", name="one_per_language"),
        sa.CheckConstraint("language <> ''", name="language_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practice.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(sa.String(16))
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    summary: Mapped[str] = mapped_column(sa.String(SUMMARY_MAX), default="")
    challenge: Mapped[str] = mapped_column(sa.Text, default="")
    solution: Mapped[str] = mapped_column(sa.Text, default="")
    results: Mapped[str] = mapped_column(sa.Text, default="")
    costs_and_funding: Mapped[str] = mapped_column(sa.Text, default="")
    stakeholders: Mapped[str] = mapped_column(sa.Text, default="")
    success_factors: Mapped[str] = mapped_column(sa.Text, default="")
    obstacles: Mapped[str] = mapped_column(sa.Text, default="")
    transferability: Mapped[str] = mapped_column(sa.Text, default="")

    practice: Mapped[Practice] = relationship(back_populates="translations")


class PracticeIndicator(db.Model):
    """A key figure: indicator, unit, baseline, value, year and source."""

    __tablename__ = "practice_indicator"
    __table_args__ = (
        sa.CheckConstraint("year IS NULL OR year >= 1900", name="year_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practice.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    indicator: Mapped[str] = mapped_column(sa.String(INDICATOR_TEXT_MAX))
    unit: Mapped[str] = mapped_column(sa.String(INDICATOR_TEXT_MAX), default="")
    baseline: Mapped[float | None] = mapped_column(sa.Float)
    value: Mapped[float | None] = mapped_column(sa.Float)
    year: Mapped[int | None] = mapped_column(sa.SmallInteger)
    source: Mapped[str] = mapped_column(sa.String(INDICATOR_TEXT_MAX), default="")

    practice: Mapped[Practice] = relationship(back_populates="indicators")


class PracticeFile(db.Model):
    """A document (PDF) or an image (re-encoded JPEG/PNG/WebP), stored outside the web root by its key."""

    __tablename__ = "practice_file"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('document','image')", name="kind"),
        sa.CheckConstraint("size >= 0", name="size_not_negative"),
        sa.UniqueConstraint("storage_key", name="storage_key_unique"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practice.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    name: Mapped[str] = mapped_column(sa.String(200))  # the file name shown and offered for download
    content_type: Mapped[str] = mapped_column(sa.String(60))  # from the content, never from the name
    size: Mapped[int] = mapped_column(sa.Integer)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    storage_key: Mapped[str] = mapped_column(sa.String(80))  # random; the path under the storage folder
    width: Mapped[int | None] = mapped_column(sa.Integer)
    height: Mapped[int | None] = mapped_column(sa.Integer)
    caption: Mapped[str] = mapped_column(sa.String(CAPTION_MAX), default="")
    credit: Mapped[str] = mapped_column(sa.String(CREDIT_MAX), default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    practice: Mapped[Practice] = relationship(back_populates="files")


class PracticeRevision(db.Model):
    """One change: who, when, what (status change, fields changed), viewable by editors."""

    __tablename__ = "practice_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practice.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(sa.Integer)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(20))  # created, edited, submitted, published, returned, ...
    fields: Mapped[list] = mapped_column(sa.JSON, default=list)  # names of the fields that changed
    comment: Mapped[str] = mapped_column(sa.String(COMMENT_MAX), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor: Mapped[User | None] = relationship()


class PracticeInterest(db.Model):
    """An organisation wants to try the practice ("We want to try this"), registered by one of its members."""

    __tablename__ = "practice_interest"
    __table_args__ = (sa.UniqueConstraint("practice_id", "organisation_id", name="one_per_organisation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practice.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(sa.String(INTEREST_NOTE_MAX), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    organisation: Mapped[Organisation] = relationship()
    user: Mapped[User | None] = relationship()
