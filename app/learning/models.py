"""Learning programmes, their modules, who joined them, what each person completed and how."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.auth.rules import can_manage_programme
from app.content_language import DEFAULT_LANGUAGE, LANGUAGE_MAX, guard_translations
from app.directory.models import Topic
from app.extensions import db
from app.learning.limits import SUMMARY_MAX, TITLE_MAX
from app.sqltypes import UTCDateTime, utcnow

__all__ = [
    "Programme", "ProgrammeTranslation", "Module", "ModuleTranslation", "ModuleLink", "ProgrammeParticipant", "ModuleCompletion", "Submission",
    "ProgrammeCompletion", "LearningAudit",
    "programme_topic", "programme_organiser", "module_prerequisite",
    "PROGRAMME_STATUSES", "COMPLETION_KINDS", "COMPLETION_SOURCES", "SUBMISSION_STATUSES",
]

PROGRAMME_STATUSES = ("draft", "published", "archived")
COMPLETION_KINDS = ("event", "self_study")
COMPLETION_SOURCES = ("attendance", "submission", "manual")
SUBMISSION_STATUSES = ("submitted", "approved", "returned")

programme_topic = sa.Table(
    "programme_topic",
    db.metadata,
    sa.Column("programme_id", sa.ForeignKey("programme.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("topic_id", sa.ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True, index=True),
)

programme_organiser = sa.Table(
    "programme_organiser",
    db.metadata,
    sa.Column("programme_id", sa.ForeignKey("programme.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True),
)

# module_id needs prerequisite_id done first; both in the same programme (checked by the services)
module_prerequisite = sa.Table(
    "module_prerequisite",
    db.metadata,
    sa.Column("module_id", sa.ForeignKey("learning_module.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("prerequisite_id", sa.ForeignKey("learning_module.id", ondelete="CASCADE"), primary_key=True,
              index=True),
    sa.CheckConstraint("module_id <> prerequisite_id", name="not_self"),
)


class Programme(db.Model):
    __tablename__ = "programme"
    __table_args__ = (sa.CheckConstraint("status IN ('draft','published','archived')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(220), unique=True)
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    summary: Mapped[str] = mapped_column(sa.String(SUMMARY_MAX), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown, rendered safely
    # the language the text is written in; translations are ProgrammeTranslation rows
    language: Mapped[str] = mapped_column(sa.String(LANGUAGE_MAX), default=DEFAULT_LANGUAGE,
                                          server_default=DEFAULT_LANGUAGE)
    status: Mapped[str] = mapped_column(sa.String(12), default="draft", server_default="draft", index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    topics: Mapped[list[Topic]] = relationship(secondary=programme_topic, order_by=Topic.name)
    organisers: Mapped[list[User]] = relationship(secondary=programme_organiser, order_by=User.name)
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    modules: Mapped[list[Module]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", order_by="(Module.position, Module.id)"
    )
    translations: Mapped[list[ProgrammeTranslation]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", passive_deletes=True,
        order_by="ProgrammeTranslation.language"
    )

    def is_organised_by(self, user: User | None) -> bool:
        """Whether the user may manage this programme (see app.auth.rules: role and membership)."""
        return can_manage_programme(user, self)

    @property
    def active_modules(self) -> list[Module]:
        return [m for m in self.modules if m.archived_at is None]

    @property
    def total_hours(self) -> Decimal:
        return sum((m.hours for m in self.active_modules), Decimal(0))

    def __repr__(self) -> str:
        return f"<Programme {self.id} {self.title!r}>"


class Module(db.Model):
    __tablename__ = "learning_module"
    __table_args__ = (
        sa.CheckConstraint("hours >= 0", name="hours_not_negative"),
        sa.CheckConstraint("completion IN ('event','self_study')", name="completion"),
        sa.CheckConstraint("position >= 0", name="position_not_negative"),
        sa.Index("ix_learning_module_programme_position", "programme_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    description: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown
    objectives: Mapped[str] = mapped_column(sa.Text, default="")  # learning objectives, Markdown
    # the language the text is written in; translations are ModuleTranslation rows
    language: Mapped[str] = mapped_column(sa.String(LANGUAGE_MAX), default=DEFAULT_LANGUAGE,
                                          server_default=DEFAULT_LANGUAGE)
    hours: Mapped[Decimal] = mapped_column(sa.Numeric(6, 2), default=Decimal(0))
    is_required: Mapped[bool] = mapped_column(sa.Boolean, default=True, server_default=sa.true())
    completion: Mapped[str] = mapped_column(sa.String(12), default="event")  # event | self_study
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # a module somebody completed is archived instead of deleted, so progress and certificates keep it
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    programme: Mapped[Programme] = relationship(back_populates="modules")
    prerequisites: Mapped[list[Module]] = relationship(
        secondary=module_prerequisite,
        primaryjoin=lambda: Module.id == module_prerequisite.c.module_id,
        secondaryjoin=lambda: Module.id == module_prerequisite.c.prerequisite_id,
        order_by=lambda: (Module.position, Module.id),
    )
    links: Mapped[list[ModuleLink]] = relationship(
        back_populates="module", cascade="all, delete-orphan", order_by="ModuleLink.id"
    )
    translations: Mapped[list[ModuleTranslation]] = relationship(
        back_populates="module", cascade="all, delete-orphan", passive_deletes=True,
        order_by="ModuleTranslation.language"
    )

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def __repr__(self) -> str:
        return f"<Module {self.id} {self.title!r}>"


class ProgrammeTranslation(db.Model):
    """A programme's title, summary and description in another language than its original one."""

    __tablename__ = "programme_translation"
    __table_args__ = (
        sa.UniqueConstraint("programme_id", "language", name="uq_programme_translation_programme_language"),
        sa.CheckConstraint("language <> ''", name="language_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(sa.String(LANGUAGE_MAX))
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    summary: Mapped[str] = mapped_column(sa.String(SUMMARY_MAX), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")

    programme: Mapped[Programme] = relationship(back_populates="translations")


guard_translations(ProgrammeTranslation.__table__, "programme_id", "programme")


class ModuleTranslation(db.Model):
    """A module's title, description and learning objectives in another language than its original one."""

    __tablename__ = "module_translation"
    __table_args__ = (
        sa.UniqueConstraint("module_id", "language", name="uq_module_translation_module_language"),
        sa.CheckConstraint("language <> ''", name="language_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("learning_module.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(sa.String(LANGUAGE_MAX))
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    objectives: Mapped[str] = mapped_column(sa.Text, default="")

    module: Mapped[Module] = relationship(back_populates="translations")


guard_translations(ModuleTranslation.__table__, "module_id", "learning_module")


class ModuleLink(db.Model):
    """An event (every unit of it) or one agenda session that teaches the module."""

    __tablename__ = "module_link"
    __table_args__ = (
        sa.CheckConstraint("(event_id IS NULL) <> (session_id IS NULL)", name="event_xor_session"),
        sa.UniqueConstraint("module_id", "event_id", name="uq_module_link_module_event"),
        sa.UniqueConstraint("module_id", "session_id", name="uq_module_link_module_session"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("learning_module.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("event_session.id", ondelete="CASCADE"),
                                                   index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))

    module: Mapped[Module] = relationship(back_populates="links")
    event = relationship("Event", foreign_keys=[event_id])
    session = relationship("EventSession", foreign_keys=[session_id])


class ProgrammeParticipant(db.Model):
    """A person who joined a programme; only participants make progress."""

    __tablename__ = "programme_participant"
    __table_args__ = (sa.UniqueConstraint("programme_id", "user_id", name="uq_programme_participant_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    programme: Mapped[Programme] = relationship()
    user: Mapped[User] = relationship()


class ModuleCompletion(db.Model):
    """One person's completion of one module, with how it happened and who recorded it."""

    __tablename__ = "module_completion"
    __table_args__ = (
        sa.UniqueConstraint("module_id", "user_id", name="uq_module_completion_module_user"),
        sa.CheckConstraint("source IN ('attendance','submission','manual')", name="source"),
        sa.CheckConstraint("source <> 'manual' OR recorded_by_id IS NOT NULL OR note <> ''",
                           name="manual_is_attributed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("learning_module.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    source: Mapped[str] = mapped_column(sa.String(12))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    # attendance: the event the check-in was on (history; the check-in itself may be undone later)
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("event.id", ondelete="SET NULL"))
    submission_id: Mapped[int | None] = mapped_column(sa.ForeignKey("submission.id", ondelete="SET NULL"))
    # set when the evidence went away but a certificate stands on the completion, so it stays
    retained_reason: Mapped[str | None] = mapped_column(sa.Text)

    module: Mapped[Module] = relationship()
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])


class Submission(db.Model):
    """Self-study evidence: a short reflection and/or a link, reviewed by an organiser."""

    __tablename__ = "submission"
    __table_args__ = (
        sa.CheckConstraint("status IN ('submitted','approved','returned')", name="status"),
        sa.CheckConstraint("text <> '' OR link IS NOT NULL", name="has_content"),
        sa.CheckConstraint("status = 'submitted' OR reviewed_at IS NOT NULL", name="reviewed_has_date"),
        sa.Index("ix_submission_status_module", "status", "module_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("learning_module.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.Text, default="")
    link: Mapped[str | None] = mapped_column(sa.String(300))
    status: Mapped[str] = mapped_column(sa.String(12), default="submitted", server_default="submitted")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reviewer_comment: Mapped[str] = mapped_column(sa.Text, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    module: Mapped[Module] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])


class ProgrammeCompletion(db.Model):
    """Every required module done: the date and the hours of all done modules (optional ones included)."""

    __tablename__ = "programme_completion"
    __table_args__ = (
        sa.UniqueConstraint("programme_id", "user_id", name="uq_programme_completion_user"),
        sa.CheckConstraint("hours >= 0", name="hours_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    hours: Mapped[Decimal] = mapped_column(sa.Numeric(7, 2), default=Decimal(0))

    programme: Mapped[Programme] = relationship()
    user: Mapped[User] = relationship()


class LearningAudit(db.Model):
    """Who changed someone's progress by hand or by review, when, and why; kept when the change is undone."""

    __tablename__ = "learning_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int | None] = mapped_column(sa.ForeignKey("learning_module.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    # marked_done | unmarked | approved | returned | uncompleted | kept | programme_completed |
    # programme_uncompleted
    action: Mapped[str] = mapped_column(sa.String(40))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    module: Mapped[Module | None] = relationship()
