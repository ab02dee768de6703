"""The outbox."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.sqltypes import UTCDateTime, utcnow

OUTBOX_STATUSES = ("pending", "sending", "sent", "failed")


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"
    __table_args__ = (
        sa.CheckConstraint("status IN ('pending','sending','sent','failed')", name="status"),
        sa.Index("ix_outbox_message_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40), default="general")
    # a caller-chosen key that makes queueing idempotent (e.g. one reminder per enrolment and offset)
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    to_addr: Mapped[str] = mapped_column(sa.String(254))
    to_name: Mapped[str | None] = mapped_column(sa.String(200))
    # where a reply goes when it is not the sender (a member's message: the member who wrote it)
    reply_to_addr: Mapped[str | None] = mapped_column(sa.String(254))
    reply_to_name: Mapped[str | None] = mapped_column(sa.String(200))
    subject: Mapped[str] = mapped_column(sa.String(300))
    text_body: Mapped[str] = mapped_column(sa.Text)
    html_body: Mapped[str | None] = mapped_column(sa.Text)
    # an iTIP part (text/calendar; method=...) shown inline by calendar-aware clients
    ics_method: Mapped[str | None] = mapped_column(sa.String(20))
    ics_body: Mapped[str | None] = mapped_column(sa.Text)
    # extra attachments: [{"filename", "content_type", "content" (text)}]
    attachments: Mapped[list | None] = mapped_column(sa.JSON)
    # extra headers set on the sent message, from an allowed list (e.g. List-Unsubscribe): {"name": "value"}
    extra_headers: Mapped[dict | None] = mapped_column(sa.JSON)
    status: Mapped[str] = mapped_column(sa.String(10), default="pending", server_default="pending")
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    message_id: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
