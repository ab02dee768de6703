"""The admin page: each job's next and last run and result, the heartbeat banner, run now."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.jobs.jobs import JOBS
from app.jobs.models import JobRun, SchedulerHeartbeat
from app.jobs.services import job_statuses
from app.sqltypes import utcnow
from tests.conftest import post_form
from tests.factories import make_admin, make_user
from tests.jobs.support import run

BANNER = "The scheduler is not running."


def _login_admin(session, auth):
    make_admin(session, email="admin@example.org", timezone="Europe/Berlin")
    session.commit()
    auth.login("admin@example.org")


def test_banner_when_the_heartbeat_is_missing_or_old(client, session, auth):
    _login_admin(session, auth)
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert BANNER in page and "never sent a heartbeat" in page
    for name in JOBS:
        assert f'id="job-{name}"' in page

    now = utcnow()
    session.add(SchedulerHeartbeat(instance="host:1:ab", hostname="host", pid=1, started_at=now,
                                   beat_at=now - timedelta(seconds=40)))
    session.commit()
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert BANNER not in page and "The scheduler is running" in page and "host:1:ab" in page

    beat = session.get(SchedulerHeartbeat, "host:1:ab")
    beat.beat_at = now - timedelta(minutes=6)
    session.commit()
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert BANNER in page and "6 min ago" in page


def test_shows_last_run_result_and_next_run(app, client, session, auth):
    _login_admin(session, auth)
    started = utcnow() - timedelta(minutes=2)
    run(app, session, "reminders", started)
    session.add(JobRun(name="certificates", holder="h", started_at=started, finished_at=started,
                       error="OperationalError: database is locked"))
    session.commit()
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert "no reminders due" in page
    due = (started + timedelta(minutes=5)).astimezone(ZoneInfo("Europe/Berlin"))
    next_run = f"{due.day} {due:%b, %H:%M:%S}"  # Babel, English as the network writes it: "1 Dec, 17:30:57"
    assert next_run in page
    assert "when the scheduler starts" in page  # jobs that never ran
    assert "OperationalError: database is locked" in page
    assert "2 min ago" in page


def test_run_now_button(client, session, auth):
    _login_admin(session, auth)
    response = post_form(client, "/admin/jobs", {}, action="/admin/jobs/waiting-list-offers/run",
                         follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "waiting-list-offers: 0 offer(s) expired" in page
    session.expire_all()
    assert [r.name for r in session.scalars(sa.select(JobRun))] == ["waiting-list-offers"]
    # without the CSRF token nothing runs
    assert client.post("/admin/jobs/reminders/run").status_code == 400
    assert [r.name for r in session.scalars(sa.select(JobRun))] == ["waiting-list-offers"]
    assert post_form(client, "/admin/jobs", {}, action="/admin/jobs/no-such-job/run").status_code == 404


def test_the_heartbeat_cannot_be_faked_from_the_page(client, session, auth):
    # a beat from the web process would hide "the scheduler is not running" while none runs
    _login_admin(session, auth)
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert "/admin/jobs/heartbeat/run" not in page and "/admin/jobs/reminders/run" in page
    response = post_form(client, "/admin/jobs", {}, action="/admin/jobs/heartbeat/run", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "cannot be run from this page" in page and BANNER in page
    session.expire_all()
    assert session.scalar(sa.select(sa.func.count()).select_from(SchedulerHeartbeat)) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(JobRun)) == 0


def test_next_runs_count_from_the_last_run_and_show_when_late(app, client, session, auth):
    _login_admin(session, auth)
    now = utcnow()
    # the scheduler stopped three hours ago, right after running the hourly and the interval jobs
    stopped = now.replace(minute=20, second=0, microsecond=0) - timedelta(hours=3)
    run(app, session, "certificates", stopped)
    run(app, session, "reminders", stopped)
    statuses = {s.name: s for s in job_statuses(session, now=now)}
    assert statuses["certificates"].next_run == stopped.replace(minute=7) + timedelta(hours=1)
    assert statuses["reminders"].next_run == stopped + timedelta(minutes=5)
    assert statuses["certificates"].overdue and statuses["reminders"].overdue
    assert statuses["deliver-mail"].next_run is None and not statuses["deliver-mail"].overdue
    rows = {name: row for name, row in re.findall(r'<tr id="job-([\w-]+)">(.*?)</tr>',
                                                  client.get("/admin/jobs").get_data(as_text=True), re.S)}
    assert "overdue" in rows["certificates"] and "overdue" in rows["reminders"]
    assert "overdue" not in rows["deliver-mail"] and "when the scheduler starts" in rows["deliver-mail"]
    # running on time: the next hourly run is the coming minute 7, not overdue
    run(app, session, "certificates", now)
    status = {s.name: s for s in job_statuses(session, now=now)}["certificates"]
    assert now < status.next_run <= now + timedelta(hours=1) and status.next_run.minute == 7
    assert not status.overdue


def test_admins_only(client, session, auth):
    make_user(session, email="p@example.org")
    session.commit()
    assert client.get("/admin/jobs").status_code == 302  # to the login page
    auth.login("p@example.org")
    assert client.get("/admin/jobs").status_code == 403
    assert client.post("/admin/jobs/heartbeat/run").status_code in (400, 403)


def test_page_queries_do_not_grow_with_runs(app, client, session, auth, count_queries):
    _login_admin(session, auth)
    now = utcnow()
    for i in range(3):
        run(app, session, "heartbeat", now + timedelta(seconds=i))
    with count_queries() as few:
        assert client.get("/admin/jobs").status_code == 200
    for i in range(30):
        run(app, session, "reminders", now + timedelta(minutes=i))
        run(app, session, "heartbeat", now + timedelta(minutes=i))
    with count_queries() as many:
        assert client.get("/admin/jobs").status_code == 200
    assert few.count == many.count


def test_jobs_page_in_the_page_language(client, session, auth):
    _login_admin(session, auth)
    now = utcnow()
    session.add(SchedulerHeartbeat(instance="host:1:ab", hostname="host", pid=1, started_at=now,
                                   beat_at=now - timedelta(minutes=6)))
    session.commit()
    french = client.get("/admin/jobs?lang=fr").get_data(as_text=True)
    assert re.search(r"il y a 6[\s\u00a0\u202f]min", french)  # how long ago, by Babel in the page's locale
    pseudo = client.get("/admin/jobs?lang=en_US_POSIX").get_data(as_text=True)
    for english in (BANNER, "every 5 minutes", "hourly (at minute 7)", "Run now", "when the scheduler starts"):
        assert english not in pseudo, english
    assert "⟦" in pseudo
