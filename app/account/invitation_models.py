"""Invitations by email to an event or a programme for people who have no account yet."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.sqltypes import UTCDateTime, utcnow

__all__ = ["Invitation"]


class Invitation(db.Model):
    """One invitation; the link's token is stored only as its SHA-256, and it is used once."""

    __tablename__ = "invitation"
    __table_args__ = (
        sa.CheckConstraint("(event_id IS NULL) <> (programme_id IS NULL)", name="event_xor_programme"),
        sa.CheckConstraint("email = lower(email)", name="email_lower"),
        sa.CheckConstraint("accepted_at IS NULL OR user_id IS NOT NULL", name="accepted_has_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    programme_id: Mapped[int | None] = mapped_column(sa.ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    # the language the invitation email was written in (the organiser's choice; the invitee has no profile yet)
    language: Mapped[str] = mapped_column(sa.String(16), default="en", server_default="en")
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
