"""What the scheduler records: leases, runs, heartbeats, and the sends it must never repeat."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.sqltypes import UTCDateTime, utcnow

__all__ = ["JobLease", "JobRun", "SchedulerHeartbeat", "ReminderSent", "DigestSent"]


class JobLease(db.Model):
    """Who may run a job right now: one row per job name, taken with an atomic conditional upsert."""

    __tablename__ = "job_lease"

    name: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    holder: Mapped[str] = mapped_column(sa.String(120))
    acquired_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # a holder that dies keeps the lease only until then
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class JobRun(db.Model):
    """One run of one job (runs refused by the lease are not recorded)."""

    __tablename__ = "job_run"
    __table_args__ = (sa.Index("ix_job_run_name_started_at", "name", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    holder: Mapped[str] = mapped_column(sa.String(120))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    duration_ms: Mapped[int | None] = mapped_column(sa.Integer)
    result: Mapped[str | None] = mapped_column(sa.String(500))
    error: Mapped[str | None] = mapped_column(sa.Text)


class SchedulerHeartbeat(db.Model):
    """A running scheduler process says it is alive (one row per process)."""

    __tablename__ = "scheduler_heartbeat"

    instance: Mapped[str] = mapped_column(sa.String(120), primary_key=True)
    hostname: Mapped[str] = mapped_column(sa.String(200), default="")
    pid: Mapped[int] = mapped_column(sa.Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class ReminderSent(db.Model):
    """A reminder queued for one enrolment and offset; the unique key makes sending idempotent.

    event_starts_at is the start the reminder announced: when the event moves, the reminder for
    that offset is due again (and the row is updated), otherwise never.
    """

    __tablename__ = "reminder_sent"
    __table_args__ = (
        sa.UniqueConstraint("enrolment_id", "offset_hours", name="uq_reminder_sent_enrolment_offset"),
        sa.CheckConstraint("offset_hours > 0", name="offset_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolment.id", ondelete="CASCADE"))
    offset_hours: Mapped[int] = mapped_column(sa.Integer)
    event_starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    times_sent: Mapped[int] = mapped_column(sa.Integer, default=1, server_default="1")


class DigestSent(db.Model):
    """The organiser digest of one local day: sent, or skipped because there was nothing to say."""

    __tablename__ = "digest_sent"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "local_date", name="uq_digest_sent_user_local_date"),
        sa.CheckConstraint("status IN ('sent','skipped')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(8))
    # the digest covered what happened up to this instant; the next one starts here
    covered_until: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
