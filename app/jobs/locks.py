"""Job leases: at most one process runs a job at a time, on SQLite and PostgreSQL alike.

A lease is a row (job name, holder, expiry) taken with one atomic statement:
INSERT ... ON CONFLICT (name) DO UPDATE ... WHERE the current lease has expired or is ours.
Both databases evaluate the WHERE against the committed row (PostgreSQL waits for a concurrent
writer and re-checks), so of two processes asking at the same instant exactly one wins. A holder
that dies keeps the lease only until it expires.
"""

from __future__ import annotations

import os
import secrets
import socket
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.jobs.models import JobLease

_instance: tuple[int, str] | None = None


def instance_id() -> str:
    """This process's name as a lease holder and heartbeat: host, pid and a random suffix."""
    global _instance
    pid = os.getpid()
    if _instance is None or _instance[0] != pid:  # a forked child is a new instance
        _instance = (pid, f"{socket.gethostname()[:80]}:{pid}:{secrets.token_hex(4)}")
    return _instance[1]


def _insert(session: Session):
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(JobLease.__table__)
    if dialect == "sqlite":
        return sqlite.insert(JobLease.__table__)
    raise NotImplementedError(f"job leases need SQLite or PostgreSQL, not {dialect}")


def acquire_lease(session: Session, name: str, *, holder: str, now: datetime, seconds: int) -> bool:
    """Take (or renew) the lease on `name` until now + seconds; False while someone else holds it.

    Runs in the caller's transaction: commit right after, so other processes see the lease.
    """
    table = JobLease.__table__
    expires_at = now + timedelta(seconds=seconds)
    insert = _insert(session).values(name=name, holder=holder, acquired_at=now, expires_at=expires_at)
    statement = insert.on_conflict_do_update(
        index_elements=[table.c.name],
        set_={"holder": holder, "acquired_at": now, "expires_at": expires_at},
        where=sa.or_(table.c.expires_at <= now, table.c.holder == holder),
    ).returning(table.c.holder)
    # RETURNING gives the row only when it was inserted or updated (rowcount is unreliable here)
    return session.execute(statement).scalar() == holder


def release_lease(session: Session, name: str, *, holder: str) -> bool:
    """Give the lease back (only if we still hold it); True when it was ours."""
    result = session.execute(
        sa.delete(JobLease).where(JobLease.name == name, JobLease.holder == holder)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def current_lease(session: Session, name: str, *, now: datetime) -> JobLease | None:
    """The unexpired lease on `name`, if any."""
    return session.scalar(sa.select(JobLease).where(JobLease.name == name, JobLease.expires_at > now))
