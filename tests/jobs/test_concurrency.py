"""Two processes running the reminders job at the same moment on PostgreSQL send each reminder once."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.jobs.models import JobRun, ReminderSent
from app.jobs.reminders import send_reminders
from app.sqltypes import utcnow
from tests.factories import make_event
from tests.jobs.support import confirmed, outbox, run, smtp_config

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def postgresql_only(database_url):
    if sa.make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("runs against PostgreSQL only (TEST_DATABASE_URL)")


def _events_due_now(session, *, events=3, people=5):
    start = utcnow() + timedelta(hours=20)  # the 1-day reminder is due now for real
    enrolments = []
    for _ in range(events):
        event = make_event(session, starts_at=start, ends_at=start + timedelta(hours=8))
        enrolments += [confirmed(session, event) for _ in range(people)]
    session.commit()
    return enrolments


def test_two_processes_at_once_send_each_reminder_once(app, session, database_url, postgresql_only, smtp_server):
    enrolments = _events_due_now(session)
    env = {**os.environ, "APP_ENV": "testing", "TEST_DATABASE_URL": database_url, "FLASK_APP": "wsgi"}
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "run", "reminders"]
    processes = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=60) for p in processes]
    assert all(p.returncode == 0 for p in processes), outputs
    summary = " ".join(out for out, _ in outputs)
    assert "15 reminder(s) queued" in summary
    session.expire_all()
    assert session.scalar(sa.select(sa.func.count()).select_from(ReminderSent)) == len(enrolments)
    assert len(outbox(session, "reminder")) == len(enrolments)
    run(app, session, "deliver-mail", utcnow(), **smtp_config(smtp_server))
    messages = smtp_server.wait_for(len(enrolments))
    reminders = [m for m in messages if m["Subject"].startswith("Reminder:")]
    assert sorted(m["To"].addresses[0].addr_spec for m in reminders) == sorted(e.user.email for e in enrolments)


def test_without_the_lease_the_unique_key_still_sends_once(app, session, postgresql_only):
    """Two sessions run the job body at once, bypassing the lease: reminder_sent's unique key decides."""
    enrolments = _events_due_now(session, events=2, people=10)
    now = utcnow()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            with app.app_context():
                barrier.wait(timeout=10)
                results.append(send_reminders(db.session, now=now, config=app.config))
                db.session.commit()
                db.session.remove()
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    session.expire_all()
    assert session.scalar(sa.select(sa.func.count()).select_from(ReminderSent)) == len(enrolments)
    assert len(outbox(session, "reminder")) == len(enrolments)
    assert session.scalar(sa.select(sa.func.count()).select_from(JobRun)) == 0
