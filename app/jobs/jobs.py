"""The jobs: plain functions job(session, *, now, config) -> short result, and their schedules.

Each job reads what is due from the database (never from the scheduler's memory), so a run missed
during downtime is caught up by the next one, and every send is idempotent by a unique key.
They flush; the runner (app.jobs.services.run_job) commits. deliver-mail is the exception: the
outbox's delivery pass commits per message, by design.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.orm import Session

from app.certificates.services import CertificateSettings, issue_due_certificates
from app.errors import msg  # the schedules are shown translated on the jobs page
from app.events.services import expire_offers as expire
from app.jobs.digest import send_digests
from app.jobs.locks import instance_id
from app.jobs.mailtools import public_url
from app.jobs.models import JobRun, SchedulerHeartbeat
from app.jobs.reminders import send_reminders
from app.practices.verification import VerificationLinks, request_verifications

JOB_RUN_KEEP = timedelta(days=7)
HEARTBEAT_KEEP = timedelta(days=1)


def deliver_mail(session: Session, *, now: datetime, config) -> str:
    """The outbox delivery pass, with retries and backoff (job: deliver-mail)."""
    from app.mail.services import SmtpSettings, deliver_pending

    return deliver_pending(session, SmtpSettings.from_config(config), now=now).summary()


def expire_offers(session: Session, *, now: datetime, config) -> str:
    """Offers past their deadline expire and the seat goes to the next person (job: waiting-list-offers)."""
    count = expire(session, now=now)
    return f"{count} offer(s) expired"


def issue_certificates(session: Session, *, now: datetime, config) -> str:
    """Certificates for events ended an hour ago with automatic issuing on, and completions (job: certificates)."""
    report = issue_due_certificates(session, now=now, settings=CertificateSettings.from_config(config))
    return f"{len(report.issued)} certificate(s) issued, {len(report.skipped)} not eligible"


def reminders(session: Session, *, now: datetime, config) -> str:
    """Reminders before events (job: reminders)."""
    return send_reminders(session, now=now, config=config)


def organiser_digest(session: Session, *, now: datetime, config) -> str:
    """The daily digest at 08:00 in each organiser's zone (job: organiser-digest)."""
    return send_digests(session, now=now, config=config)


def member_digest(session: Session, *, now: datetime, config) -> str:
    """Weekly or monthly, each member's digest of what is new in what they follow (job: member-digest)."""
    # imported here: app.account.digest builds on app.jobs.mailtools, whose package imports this registry
    from app.account.digest import send_member_digests

    return send_member_digests(session, now=now, config=config).summary()


def practice_verification(session: Session, *, now: datetime, config) -> str:
    """Once a year each published practice's contact confirms it is still current (job: practice-verification)."""
    base = (config.get("BASE_URL") or "").rstrip("/")
    links = VerificationLinks(
        confirm=lambda practice_id, token: public_url(
            config, "practices.still_current", f"/practices/{practice_id}/still-current/{token}",
            practice_id=practice_id, token=token),
        page=lambda practice_id: f"{base}/practices/{practice_id}",
    )
    asked = request_verifications(session, now=now, secret_key=config["SECRET_KEY"], links=links,
                                  network_name=config.get("NETWORK_NAME") or "Connective Cities")
    return f"{asked} contact person(s) asked"


def heartbeat(session: Session, *, now: datetime, config) -> str:
    """This scheduler process is alive; old runs and heartbeats are pruned (job: heartbeat)."""
    import os
    import socket

    instance = instance_id()
    row = session.get(SchedulerHeartbeat, instance)
    if row is None:
        session.add(SchedulerHeartbeat(instance=instance, hostname=socket.gethostname()[:200], pid=os.getpid(),
                                       started_at=now, beat_at=now))
    else:
        row.beat_at = now
    session.execute(sa.delete(SchedulerHeartbeat).where(SchedulerHeartbeat.beat_at < now - HEARTBEAT_KEEP)
                    .execution_options(synchronize_session=False))
    session.execute(sa.delete(JobRun).where(JobRun.started_at < now - JOB_RUN_KEEP)
                    .execution_options(synchronize_session=False))
    session.flush()
    return "alive"


@dataclass(frozen=True)
class JobSpec:
    name: str
    func: Callable[..., str]
    make_trigger: Callable[[], BaseTrigger]
    schedule: str  # human description
    lease_seconds: int = 600
    exclusive: bool = True  # takes the job's lease; the heartbeat is per process and does not

    def next_run(self, last_started_at: datetime | None, now: datetime) -> datetime | None:
        """When the trigger fires next after the last run (None: at the scheduler's next start).

        Counted from the last run, not from now, so a schedule missed while the scheduler was down
        shows as late (the admin page flags it overdue).
        """
        if last_started_at is None:
            return None  # every job runs as soon as a scheduler starts
        trigger = self.make_trigger()
        if isinstance(trigger, IntervalTrigger):
            return last_started_at + trigger.interval
        return trigger.get_next_fire_time(last_started_at, max(now, last_started_at))


def _every(**interval) -> Callable[[], BaseTrigger]:
    return lambda: IntervalTrigger(timezone=UTC, **interval)


def _cron(**fields) -> Callable[[], BaseTrigger]:
    return lambda: CronTrigger(timezone=UTC, **fields)


JOBS: dict[str, JobSpec] = {
    spec.name: spec
    for spec in (
        JobSpec("deliver-mail", deliver_mail, _every(seconds=30), msg("every 30 seconds"), lease_seconds=300),
        JobSpec("reminders", reminders, _every(minutes=5), msg("every 5 minutes")),
        JobSpec("waiting-list-offers", expire_offers, _every(minutes=5), msg("every 5 minutes")),
        JobSpec("certificates", issue_certificates, _cron(minute=7), msg("hourly (at minute 7)"), lease_seconds=1800),
        # on the quarter hours: every zone's offset is a multiple of 15 minutes, so 08:00 local is a firing
        JobSpec("organiser-digest", organiser_digest, _cron(minute="*/15"),
                msg("every quarter hour (08:00 in each organiser's zone, once a day)")),
        # daily: each member is due a week (or a month) after their previous digest
        JobSpec("member-digest", member_digest, _cron(hour=7, minute=11), msg("daily (at 07:11 UTC)"),
                lease_seconds=3600),
        JobSpec("practice-verification", practice_verification, _cron(hour=6, minute=23),
                msg("daily (at 06:23 UTC)")),
        JobSpec("heartbeat", heartbeat, _every(seconds=30), msg("every 30 seconds"), exclusive=False),
    )
}


def sign_off(session: Session) -> None:
    """This scheduler process stops on purpose: its heartbeat goes, so nobody reads it as alive."""
    session.execute(sa.delete(SchedulerHeartbeat).where(SchedulerHeartbeat.instance == instance_id())
                    .execution_options(synchronize_session=False))
    session.flush()
