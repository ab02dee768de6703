"""Running a job exactly once across processes, and what the admin page and `flask jobs list` show."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.errors import NotFound
from app.jobs import messages  # noqa: F401  (the catalogue entries of the reasons raised here)
from app.jobs.jobs import JOBS, JobSpec
from app.jobs.locks import acquire_lease, current_lease, instance_id, release_lease
from app.jobs.models import JobLease, JobRun, SchedulerHeartbeat

log = logging.getLogger(__name__)

HEARTBEAT_STALE_AFTER = timedelta(minutes=5)


class UnknownJob(NotFound):
    reason = "jobs.unknown"


def get_job(name: str) -> JobSpec:
    """The job called `name`, or UnknownJob naming the jobs that exist."""
    try:
        return JOBS[name]
    except KeyError:
        raise UnknownJob(field="name", name=name, jobs=", ".join(JOBS)) from None


@dataclass
class RunOutcome:
    name: str
    status: str  # ok | error | skipped
    result: str
    run_id: int | None = None

    def __str__(self) -> str:
        return f"{self.name}: {self.status}: {self.result}"


def run_job(session: Session, name: str, *, now: datetime, config, holder: str | None = None) -> RunOutcome:
    """Run one job once under its lease, commit its work and record the run.

    An entrypoint (like a CLI command): it owns the transactions. A job whose lease another process
    holds is skipped and not recorded.
    """
    spec = get_job(name)
    holder = holder or instance_id()
    session.commit()  # start from a clean transaction: the lease must commit on its own
    if spec.exclusive:
        acquired = acquire_lease(session, name, holder=holder, now=now, seconds=spec.lease_seconds)
        session.commit()
        if not acquired:
            lease = current_lease(session, name, now=now)
            # read it before the rollback expires it: the holder may release it at any moment
            who = f"{lease.holder} until {lease.expires_at:%Y-%m-%d %H:%M:%S} UTC" if lease else "another process"
            session.rollback()
            log.info("job %s skipped: the lease is held by %s", name, who)
            return RunOutcome(name, "skipped", f"already running in {who}")
    try:
        run = JobRun(name=name, holder=holder, started_at=now)
        session.add(run)
        session.commit()
        run_id = run.id
        started = time.perf_counter()
        error = None
        try:
            result = spec.func(session, now=now, config=config)
            session.commit()
        except Exception as exc:  # a failing job must not stop the scheduler; the run records why
            session.rollback()
            log.exception("job %s failed", name)
            result, error = None, f"{type(exc).__name__}: {exc}"
        elapsed = time.perf_counter() - started
        session.execute(
            sa.update(JobRun).where(JobRun.id == run_id)
            .values(finished_at=now + timedelta(seconds=elapsed), duration_ms=int(elapsed * 1000),
                    result=(result or "")[:500] or None, error=error)
            .execution_options(synchronize_session=False)
        )
        session.commit()
    finally:
        if spec.exclusive:
            session.rollback()
            release_lease(session, name, holder=holder)
            session.commit()
    if error:
        return RunOutcome(name, "error", error, run_id)
    return RunOutcome(name, "ok", result or "", run_id)


@dataclass
class JobStatus:
    spec: JobSpec
    last_run: JobRun | None
    next_run: datetime | None
    lease: JobLease | None  # held right now: the job is running
    overdue: bool  # its next run is more than a minute late

    @property
    def name(self) -> str:
        return self.spec.name


def job_statuses(session: Session, *, now: datetime) -> list[JobStatus]:
    """Every job with its last run, the running lease if any and its next run (three queries)."""
    latest = sa.select(sa.func.max(JobRun.id)).group_by(JobRun.name).scalar_subquery()
    last_runs = {run.name: run for run in session.scalars(sa.select(JobRun).where(JobRun.id.in_(latest)))}
    leases = {lease.name: lease for lease in session.scalars(sa.select(JobLease).where(JobLease.expires_at > now))}
    statuses = []
    for spec in JOBS.values():
        last = last_runs.get(spec.name)
        next_run = spec.next_run(last.started_at if last else None, now)
        overdue = next_run is not None and next_run < now - timedelta(minutes=1)
        statuses.append(JobStatus(spec, last, next_run, leases.get(spec.name), overdue))
    return statuses


@dataclass
class HeartbeatStatus:
    beat_at: datetime | None
    instances: list[SchedulerHeartbeat]
    age: timedelta | None

    @property
    def is_running(self) -> bool:
        return self.age is not None and self.age <= HEARTBEAT_STALE_AFTER


def heartbeat_status(session: Session, *, now: datetime) -> HeartbeatStatus:
    """The newest heartbeat and the processes that beat in the last five minutes."""
    rows = list(session.scalars(sa.select(SchedulerHeartbeat).order_by(SchedulerHeartbeat.beat_at.desc())))
    if not rows:
        return HeartbeatStatus(None, [], None)
    newest = rows[0].beat_at
    alive = [r for r in rows if now - r.beat_at <= HEARTBEAT_STALE_AFTER]
    return HeartbeatStatus(newest, alive, now - newest)


def format_age(age: timedelta | None) -> str:
    """'45 s', '12 min', '3 h 5 min', '2 days'."""
    if age is None:
        return "never"
    seconds = int(age.total_seconds())
    if seconds < 0:
        return "just now"
    if seconds < 90:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"
    return f"{seconds // 86400} days"
