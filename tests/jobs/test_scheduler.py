"""The APScheduler runners: embedded in `flask run` exactly once, and `flask scheduler run` as a process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import click
import pytest
import sqlalchemy as sa
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from flask.cli import run_command

from app.extensions import db
from app.jobs.jobs import JOBS
from app.jobs.models import JobRun, SchedulerHeartbeat
from app.jobs.scheduler import build_scheduler, execute, should_start_embedded

ROOT = Path(__file__).resolve().parents[2]


def _in_command(name: str, params: dict):
    command = run_command if name == "run" else click.Command(name)
    ctx = click.Context(command, info_name=name)
    ctx.params = params
    return ctx


@pytest.mark.parametrize("enabled, command, params, environ, expected", [
    (True, "run", {"reload": True}, {}, False),  # the reloader's watcher process
    (True, "run", {"reload": True}, {"WERKZEUG_RUN_MAIN": "true"}, True),  # the serving child
    (True, "run", {"reload": False}, {}, True),  # flask run --no-reload
    (False, "run", {"reload": False}, {}, False),  # SCHEDULER_ENABLED off (testing, production)
    (True, "upgrade", {}, {}, False),  # flask db upgrade, seed-demo ...
])
def test_embedded_scheduler_starts_only_in_the_serving_process(enabled, command, params, environ, expected):
    app = SimpleNamespace(config={"SCHEDULER_ENABLED": enabled, "TESTING": False})
    with _in_command(command, params):
        assert should_start_embedded(app, environ=environ) is expected


def test_not_outside_the_cli(app):
    # gunicorn workers load the app without a click context
    fake = SimpleNamespace(config={"SCHEDULER_ENABLED": True, "TESTING": False})
    assert should_start_embedded(fake, environ={"WERKZEUG_RUN_MAIN": "true"}) is False
    assert should_start_embedded(app) is False  # the test app: testing config


def test_scheduler_has_every_job_once_coalesced(app):
    scheduler = build_scheduler(app, BackgroundScheduler)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == set(JOBS)
    for job in jobs.values():
        assert job.max_instances == 1 and job.coalesce is True
    assert jobs["deliver-mail"].trigger.interval.total_seconds() == 30
    assert jobs["reminders"].trigger.interval.total_seconds() == 300
    assert isinstance(jobs["heartbeat"].trigger, IntervalTrigger)


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "Asia/Kathmandu", "Australia/Adelaide",
                                  "Pacific/Chatham"])
def test_the_digest_fires_at_eight_sharp_in_every_zone(zone):
    trigger = JOBS["organiser-digest"].make_trigger()
    local = ZoneInfo(zone)
    for day in (datetime(2030, 1, 15), datetime(2030, 7, 15)):  # winter and summer time
        eight = datetime.combine(day.date(), clock(8, 0), local)
        before = (eight - timedelta(minutes=14)).astimezone(UTC)
        assert trigger.get_next_fire_time(None, before) == eight.astimezone(UTC)


def test_background_scheduler_runs_the_jobs(app):
    scheduler = build_scheduler(app, BackgroundScheduler)
    scheduler.start()
    try:
        deadline = time.monotonic() + 15
        with app.app_context():
            while time.monotonic() < deadline:
                names = set(db.session.scalars(sa.select(JobRun.name).where(JobRun.finished_at.is_not(None))))
                db.session.rollback()
                if names >= set(JOBS) - {"certificates"}:
                    break
                time.sleep(0.1)
    finally:
        scheduler.shutdown(wait=True)
    with app.app_context():
        assert names >= {"deliver-mail", "reminders", "waiting-list-offers", "organiser-digest", "heartbeat"}
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SchedulerHeartbeat)) == 1
        db.session.remove()


def test_execute_survives_a_database_error(app, caplog):
    # a job firing must never raise into APScheduler: it logs and the next firing tries again
    execute(app, "no-such-job")
    assert "could not run" in caplog.text


# Ctrl+C in a terminal; SIGTERM from systemd, docker or supervisord
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_flask_scheduler_run_process_beats_and_stops(database_url, session, stop_signal):
    env = {**os.environ, "APP_ENV": "testing", "TEST_DATABASE_URL": database_url}
    # as started from a terminal: a test run launched in the background (`make test &`) inherits SIGINT ignored,
    # which Python then keeps ignoring; Ctrl+C in a terminal is what this case is about
    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "scheduler", "run"], cwd=ROOT,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 30
        beat = None
        while time.monotonic() < deadline and beat is None:
            time.sleep(0.2)
            session.rollback()
            beat = session.scalar(sa.select(SchedulerHeartbeat))
        assert beat is not None, "the scheduler process recorded no heartbeat"
        assert beat.pid == process.pid
    finally:
        process.send_signal(stop_signal)
        try:
            # the jobs that fired at start finish before it stops; a loaded machine needs the time
            output, _ = process.communicate(timeout=90)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()  # closes the pipes either way
            raise AssertionError(f"the scheduler did not stop on {stop_signal!r}:\n{output}") from None
    assert process.returncode == 0, output
    assert f"Scheduler running {len(JOBS)} jobs" in output and "Scheduler stopped." in output
    # a scheduler stopped on purpose signs off: the admin page must not read it as alive
    session.rollback()
    assert session.scalar(sa.select(SchedulerHeartbeat)) is None
