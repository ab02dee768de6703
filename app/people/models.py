"""A practitioner's profile: opt-in, with the visibility its owner chooses."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.directory.models import Topic
from app.extensions import db
from app.people.limits import BIO_MAX, POSITION_MAX
from app.sqltypes import UTCDateTime, utcnow

__all__ = ["Profile", "ProfileSdgTarget", "profile_topic"]

profile_topic = sa.Table(
    "profile_topic",
    db.metadata,
    sa.Column("user_id", sa.ForeignKey("profile.user_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("topic_id", sa.ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Profile(db.Model):
    """One per person who made one; position, organisation (the account's), bio, expertise, languages, photo."""

    __tablename__ = "profile"
    __table_args__ = (
        sa.CheckConstraint("visibility IN ('hidden','members','public')", name="visibility"),
    )

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    visibility: Mapped[str] = mapped_column(sa.String(8), default="hidden", server_default="hidden", index=True)
    position: Mapped[str] = mapped_column(sa.String(POSITION_MAX), default="", server_default="")
    city: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    bio: Mapped[str] = mapped_column(sa.String(BIO_MAX), default="", server_default="")
    languages: Mapped[list] = mapped_column(sa.JSON, default=list)  # spoken, ISO 639-1 codes
    # a re-encoded image stored like practice images (random key under the storage folder), or none
    photo_key: Mapped[str | None] = mapped_column(sa.String(80))
    photo_type: Mapped[str | None] = mapped_column(sa.String(30))
    # what the person allows others to see beside the profile itself
    shows_events: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    shows_certificates: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    accepts_messages: Mapped[bool] = mapped_column(sa.Boolean, default=True, server_default=sa.true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()
    topics: Mapped[list[Topic]] = relationship(secondary=profile_topic, order_by=Topic.name)
    target_rows: Mapped[list[ProfileSdgTarget]] = relationship(cascade="all, delete-orphan")

    @property
    def sdg_targets(self) -> list[str]:
        from app.practices.sdg import target_sort_key

        return sorted((row.target for row in self.target_rows), key=target_sort_key)


class ProfileSdgTarget(db.Model):
    """An SDG target (official code) the person has expertise in."""

    __tablename__ = "profile_sdg_target"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("profile.user_id", ondelete="CASCADE"), primary_key=True)
    target: Mapped[str] = mapped_column(sa.String(6), primary_key=True, index=True)
