"""The admin page: each job's next and last run and result, the heartbeat banner, run now."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.jobs.jobs import JOBS
from app.jobs.models import JobRun, SchedulerHeartbeat
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
                       error="JobUnavailable: app.certificates.services.issue_due_certificates is not available"))
    session.commit()
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert "no reminders due" in page
    next_run = (started + timedelta(minutes=5)).astimezone(ZoneInfo("Europe/Berlin")).strftime("%d %b, %H:%M:%S")
    assert next_run in page
    assert "when the scheduler starts" in page  # jobs that never ran
    assert "issue_due_certificates is not available" in page
    assert "2 min ago" in page


def test_run_now_button(client, session, auth):
    _login_admin(session, auth)
    response = post_form(client, "/admin/jobs", {}, action="/admin/jobs/heartbeat/run", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "heartbeat: alive" in page and BANNER not in page
    session.expire_all()
    assert [r.name for r in session.scalars(sa.select(JobRun))] == ["heartbeat"]
    # without the CSRF token nothing runs
    assert client.post("/admin/jobs/reminders/run").status_code == 400
    assert [r.name for r in session.scalars(sa.select(JobRun))] == ["heartbeat"]
    assert post_form(client, "/admin/jobs", {}, action="/admin/jobs/no-such-job/run").status_code == 404


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
