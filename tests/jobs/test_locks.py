"""Leases: one holder at a time until expiry; the runner records runs and skips a held job."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.jobs.jobs import JOBS, JobSpec, _every
from app.jobs.locks import acquire_lease, current_lease, release_lease
from app.jobs.models import JobLease, JobRun
from app.jobs.services import run_job
from app.sqltypes import utcnow
from tests.jobs.support import run


def test_second_acquirer_is_refused_until_expiry(session):
    now = utcnow()
    assert acquire_lease(session, "reminders", holder="a", now=now, seconds=60)
    session.commit()
    assert not acquire_lease(session, "reminders", holder="b", now=now + timedelta(seconds=1), seconds=60)
    assert not acquire_lease(session, "reminders", holder="b", now=now + timedelta(seconds=59), seconds=60)
    # the holder may renew; others still wait
    assert acquire_lease(session, "reminders", holder="a", now=now + timedelta(seconds=30), seconds=60)
    assert not acquire_lease(session, "reminders", holder="b", now=now + timedelta(seconds=60), seconds=60)
    # another job's lease is independent
    assert acquire_lease(session, "certificates", holder="b", now=now, seconds=60)
    session.commit()
    # a holder that died: its lease lapses
    later = now + timedelta(seconds=91)
    assert acquire_lease(session, "reminders", holder="b", now=later, seconds=60)
    session.commit()
    assert current_lease(session, "reminders", now=later).holder == "b"
    assert not release_lease(session, "reminders", holder="a")
    assert release_lease(session, "reminders", holder="b")
    session.commit()
    assert current_lease(session, "reminders", now=later) is None
    assert acquire_lease(session, "reminders", holder="c", now=later, seconds=60)


def test_runner_skips_a_job_whose_lease_is_held(app, session):
    now = utcnow()
    acquire_lease(session, "reminders", holder="other-host:1:x", now=now, seconds=600)
    session.commit()
    outcome = run(app, session, "reminders", now)
    assert outcome.status == "skipped" and "other-host:1:x" in outcome.result
    assert session.scalar(sa.select(sa.func.count()).select_from(JobRun)) == 0
    # the other holder's lease is untouched
    assert session.get(JobLease, "reminders").holder == "other-host:1:x"
    outcome = run(app, session, "reminders", now + timedelta(minutes=11))
    assert outcome.status == "ok"


def test_runner_records_runs_and_releases_the_lease(app, session):
    now = utcnow()
    outcome = run(app, session, "reminders", now)
    assert (outcome.status, outcome.result) == ("ok", "no reminders due")
    record = session.get(JobRun, outcome.run_id)
    assert record.name == "reminders" and record.started_at == now and record.finished_at >= now
    assert record.result == "no reminders due" and record.error is None
    assert session.scalar(sa.select(sa.func.count()).select_from(JobLease)) == 0
    # the same instant again is fine: the lease was given back
    assert run(app, session, "reminders", now).status == "ok"


def test_a_failing_job_is_recorded_and_leaves_nothing_half_written(app, session, monkeypatch):
    from app.jobs.models import SchedulerHeartbeat

    def boom(session, *, now, config):
        session.add(SchedulerHeartbeat(instance="half-written", beat_at=now, started_at=now))
        session.flush()
        raise RuntimeError("the job broke")

    monkeypatch.setitem(JOBS, "boom", JobSpec("boom", boom, _every(minutes=5), "every 5 minutes"))
    outcome = run_job(session, "boom", now=utcnow(), config=app.config)
    assert outcome.status == "error" and "the job broke" in outcome.result
    record = session.get(JobRun, outcome.run_id)
    assert record.error == "RuntimeError: the job broke" and record.finished_at is not None
    assert session.get(SchedulerHeartbeat, "half-written") is None
    assert session.scalar(sa.select(sa.func.count()).select_from(JobLease)) == 0


def test_cli_lists_jobs_and_runs_one(runner, session):
    result = runner.invoke(args=["jobs", "run", "heartbeat"])
    assert result.exit_code == 0, result.output
    assert "heartbeat: ok: alive" in result.output
    listing = runner.invoke(args=["jobs", "list"])
    assert listing.exit_code == 0
    for name in JOBS:
        assert name in listing.output
    assert "alive" in listing.output and "every 30 seconds" in listing.output
    assert "Scheduler running" in listing.output


def test_cli_unknown_job_names_the_jobs(runner):
    result = runner.invoke(args=["jobs", "run", "remindres"])
    assert result.exit_code != 0
    assert "No job called 'remindres'" in result.output
    assert "reminders" in result.output and "deliver-mail" in result.output


def test_a_lease_released_while_we_look_at_it_is_still_a_clean_skip(app, session, monkeypatch):
    """The holder gives the lease back between our refusal and our reading who held it."""
    from app.extensions import db
    from app.jobs import services

    now = utcnow()
    acquire_lease(session, "reminders", holder="other-host:1:x", now=now, seconds=600)
    session.commit()
    real = services.current_lease

    def released_meanwhile(session, name, *, now):
        lease = real(session, name, now=now)
        with db.engine.begin() as other:  # the other process, on its own connection
            other.execute(sa.delete(JobLease).where(JobLease.name == name))
        return lease

    monkeypatch.setattr(services, "current_lease", released_meanwhile)
    outcome = run(app, session, "reminders", now)
    assert outcome.status == "skipped" and "other-host:1:x" in outcome.result
