"""Messages between members (the platform emails them; addresses stay hidden), reports and suspended senders."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.extensions import db
from app.people.limits import MESSAGE_TEXT_MAX, REPORT_REASON_MAX, SUBJECT_MAX
from app.sqltypes import UTCDateTime, utcnow

__all__ = ["ContactSuspension", "Message", "MessageReport", "REPORT_STATUSES"]

REPORT_STATUSES = ("open", "dismissed", "actioned")


class Message(db.Model):
    """One message sent through the platform; either side may be gone (account deleted) and the row stays."""

    __tablename__ = "message"
    __table_args__ = (sa.Index("ix_message_sender_created", "sender_id", "created_at"),
                      sa.Index("ix_message_recipient_created", "recipient_id", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    recipient_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    # the names as they were when sent, so a list still reads after an account is deleted (and emptied then)
    sender_name: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    recipient_name: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    subject: Mapped[str] = mapped_column(sa.String(SUBJECT_MAX))
    text: Mapped[str] = mapped_column(sa.String(MESSAGE_TEXT_MAX))
    # the page it was written from: a profile or a practice (an absolute URL on this site)
    origin_url: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    practice_id: Mapped[int | None] = mapped_column(sa.ForeignKey("practice.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    sender: Mapped[User | None] = relationship(foreign_keys=[sender_id])
    recipient: Mapped[User | None] = relationship(foreign_keys=[recipient_id])


class MessageReport(db.Model):
    """A recipient tells the admins a message is abusive; they dismiss it or suspend the sender's contact."""

    __tablename__ = "message_report"
    __table_args__ = (
        sa.CheckConstraint("status IN ('open','dismissed','actioned')", name="status"),
        sa.UniqueConstraint("message_id", "reporter_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(sa.ForeignKey("message.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(sa.String(REPORT_REASON_MAX), default="", server_default="")
    status: Mapped[str] = mapped_column(sa.String(10), default="open", server_default="open", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    handled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    message: Mapped[Message] = relationship()
    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
    handled_by: Mapped[User | None] = relationship(foreign_keys=[handled_by_id])


class ContactSuspension(db.Model):
    """A sender an admin stopped from contacting anyone, with the reason they are shown when they try."""

    __tablename__ = "contact_suspension"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    reason: Mapped[str] = mapped_column(sa.String(REPORT_REASON_MAX))
    suspended_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
