"""What a member follows (topics, SDG goals, M49 sub-regions, organisations), how often they hear about it, and
which items their digests already carried (so each goes once)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.directory.models import Topic
from app.extensions import db
from app.sqltypes import UTCDateTime, utcnow

__all__ = ["DigestItemSent", "MemberInterest", "interest_organisation", "interest_region", "interest_sdg_goal",
           "interest_topic"]

DIGEST_ITEM_KINDS = ("practice", "event", "programme")

interest_topic = sa.Table(
    "interest_topic",
    db.metadata,
    sa.Column("user_id", sa.ForeignKey("member_interest.user_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("topic_id", sa.ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True, index=True),
)
interest_sdg_goal = sa.Table(
    "interest_sdg_goal",
    db.metadata,
    sa.Column("user_id", sa.ForeignKey("member_interest.user_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("goal", sa.SmallInteger, primary_key=True, index=True),
    sa.CheckConstraint("goal BETWEEN 1 AND 17", name="goal_range"),
)
interest_region = sa.Table(
    "interest_region",
    db.metadata,
    sa.Column("user_id", sa.ForeignKey("member_interest.user_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("region", sa.String(3), primary_key=True, index=True),  # UN M49 sub-region code, e.g. "155"
)
interest_organisation = sa.Table(
    "interest_organisation",
    db.metadata,
    sa.Column("user_id", sa.ForeignKey("member_interest.user_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("organisation_id", sa.ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True,
              index=True),
)


class MemberInterest(db.Model):
    """One per member who chose interests or a digest frequency; no row means weekly and nothing followed."""

    __tablename__ = "member_interest"
    __table_args__ = (
        sa.CheckConstraint("frequency IN ('weekly','monthly','never')", name="frequency"),
        # the digest job walks due members in user_id order (keyset pagination) by frequency
        sa.Index("ix_member_interest_frequency_user", "frequency", "user_id"),
    )

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    frequency: Mapped[str] = mapped_column(sa.String(8), default="weekly", server_default="weekly")
    # the last digest run that looked at this member (sent or empty); the next one starts from here
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    topics: Mapped[list[Topic]] = relationship(secondary=interest_topic, order_by=Topic.name)


class DigestItemSent(db.Model):
    """An item a member's digest carried: never sent to them again."""

    __tablename__ = "digest_item_sent"
    __table_args__ = (sa.CheckConstraint("kind IN ('practice','event','programme')", name="kind"),)

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    object_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
