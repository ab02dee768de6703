"""The admin home's figures: outbox health, the scheduler's heartbeat and last runs, new accounts, pending reviews.

Flask-free: `now` is passed in; every figure is an aggregate in SQL, so the page runs the same six statements
however many messages, runs, accounts or submissions there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.auth.models import User
from app.jobs.services import HeartbeatStatus, JobStatus, heartbeat_status, job_statuses
from app.learning.models import Submission
from app.mail.models import OutboxMessage
from app.people.contact_models import MessageReport
from app.practices.models import Practice

# a message still queued after this long means delivery is stuck (the delivery pass runs every minute)
OUTBOX_STUCK_AFTER = timedelta(hours=1)
QUEUED_STATUSES = ("pending", "sending")


@dataclass(frozen=True)
class OutboxHealth:
    queued: int  # pending or being sent
    failed: int  # gave up after its retries: an admin retries or reads why
    oldest_queued_at: datetime | None
    last_sent_at: datetime | None
    now: datetime

    @property
    def oldest_queued_age(self) -> timedelta | None:
        return None if self.oldest_queued_at is None else self.now - self.oldest_queued_at

    @property
    def is_stuck(self) -> bool:
        age = self.oldest_queued_age
        return age is not None and age > OUTBOX_STUCK_AFTER

    @property
    def is_healthy(self) -> bool:
        return not self.failed and not self.is_stuck


@dataclass(frozen=True)
class SchedulerHealth:
    heartbeat: HeartbeatStatus
    jobs: list[JobStatus]  # every job in the registry's order, with its last run (or None)

    @property
    def is_stale(self) -> bool:
        """No process has beaten lately (or ever): reminders, offers and emails wait."""
        return not self.heartbeat.is_running

    @property
    def failed_jobs(self) -> list[JobStatus]:
        return [job for job in self.jobs if job.last_run is not None and job.last_run.error]


@dataclass(frozen=True)
class NewAccounts:
    last_7_days: int
    last_30_days: int
    total: int


@dataclass(frozen=True)
class PendingReviews:
    practices: int  # submitted for review
    submissions: int  # self-study evidence waiting for an organiser
    reports: int  # reported messages still open

    @property
    def total(self) -> int:
        return self.practices + self.submissions + self.reports


@dataclass(frozen=True)
class AdminOverview:
    outbox: OutboxHealth
    scheduler: SchedulerHealth
    accounts: NewAccounts
    reviews: PendingReviews


def _count_where(condition) -> sa.ColumnElement[int]:
    """COUNT(*) FILTER (WHERE condition), written so that SQLite and PostgreSQL both take it."""
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def outbox_health(session: Session, *, now: datetime) -> OutboxHealth:
    """Queued and failed messages, the oldest queued one and the last one sent (one statement)."""
    queued = OutboxMessage.status.in_(QUEUED_STATUSES)
    count = sa.func.count()
    # scalar subqueries, each answered from the (status, next_attempt_at) index but for the last sent
    row = session.execute(sa.select(
        sa.select(count).select_from(OutboxMessage).where(queued).scalar_subquery(),
        sa.select(count).select_from(OutboxMessage).where(OutboxMessage.status == "failed").scalar_subquery(),
        sa.select(sa.func.min(OutboxMessage.created_at)).where(queued).scalar_subquery(),
        sa.select(sa.func.max(OutboxMessage.sent_at)).where(OutboxMessage.status == "sent").scalar_subquery(),
    )).one()
    return OutboxHealth(queued=int(row[0]), failed=int(row[1]), oldest_queued_at=row[2], last_sent_at=row[3],
                        now=now)


def scheduler_health(session: Session, *, now: datetime) -> SchedulerHealth:
    """The newest heartbeat and each job's last run (three statements, from the jobs page's services)."""
    return SchedulerHealth(heartbeat=heartbeat_status(session, now=now), jobs=job_statuses(session, now=now))


def new_accounts(session: Session, *, now: datetime) -> NewAccounts:
    """Accounts created in the last 7 and 30 days, and all accounts (one statement)."""
    row = session.execute(sa.select(
        _count_where(User.created_at >= now - timedelta(days=7)),
        _count_where(User.created_at >= now - timedelta(days=30)),
        sa.func.count(User.id),
    )).one()
    return NewAccounts(last_7_days=int(row[0]), last_30_days=int(row[1]), total=int(row[2]))


def pending_reviews(session: Session) -> PendingReviews:
    """Practices submitted for review, self-study submissions waiting, open message reports (one statement)."""
    count = sa.func.count()
    row = session.execute(sa.select(
        sa.select(count).select_from(Practice).where(Practice.status == "submitted").scalar_subquery(),
        sa.select(count).select_from(Submission).where(Submission.status == "submitted").scalar_subquery(),
        sa.select(count).select_from(MessageReport).where(MessageReport.status == "open").scalar_subquery(),
    )).one()
    return PendingReviews(practices=int(row[0]), submissions=int(row[1]), reports=int(row[2]))


def admin_overview(session: Session, *, now: datetime) -> AdminOverview:
    """Everything the admin home shows, in six statements."""
    return AdminOverview(outbox=outbox_health(session, now=now), scheduler=scheduler_health(session, now=now),
                         accounts=new_accounts(session, now=now), reviews=pending_reviews(session))
