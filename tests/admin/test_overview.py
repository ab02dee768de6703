"""The admin home (issue 15, point 6): outbox health, scheduler heartbeat and runs, new accounts, pending reviews."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from app.dashboards.admin_overview import admin_overview, new_accounts, outbox_health, pending_reviews
from app.jobs.jobs import JOBS
from app.jobs.models import JobRun, SchedulerHeartbeat
from app.learning.models import Submission
from app.mail.models import OutboxMessage
from app.people.contact_models import Message, MessageReport
from app.sqltypes import utcnow
from tests.factories import (
    make_admin,
    make_module,
    make_organiser,
    make_practice,
    make_programme,
    make_user,
)


def _message(session, status: str, *, created_at, sent_at=None) -> OutboxMessage:
    message = OutboxMessage(to_addr="someone@example.org", subject="Hello", text_body="Hello.", status=status,
                            created_at=created_at, next_attempt_at=created_at, sent_at=sent_at)
    session.add(message)
    session.flush()
    return message


def _outbox(session, now) -> None:
    """3 waiting (2 pending, 1 sending; the oldest queued 2 h ago), 2 failed, 2 sent (the last 30 min ago)."""
    _message(session, "pending", created_at=now - timedelta(hours=2))
    _message(session, "pending", created_at=now - timedelta(minutes=10))
    _message(session, "sending", created_at=now - timedelta(minutes=5))
    _message(session, "failed", created_at=now - timedelta(days=3))
    _message(session, "failed", created_at=now - timedelta(days=1))
    _message(session, "sent", created_at=now - timedelta(days=5), sent_at=now - timedelta(hours=3))
    _message(session, "sent", created_at=now - timedelta(hours=1), sent_at=now - timedelta(minutes=30))


def _reviews(session, now) -> None:
    """2 practices submitted (of 4), 3 self-study submissions waiting (of 4), 1 report open (of 2)."""
    for status in ("submitted", "submitted", "draft", "published"):
        make_practice(session, status=status)
    programme = make_programme(session)
    module = make_module(session, programme, completion="self_study")
    learners = [make_user(session) for _ in range(4)]
    for learner in learners[:3]:
        session.add(Submission(module_id=module.id, user_id=learner.id, text="My reflection.", submitted_at=now))
    session.add(Submission(module_id=module.id, user_id=learners[3].id, text="Done.", status="approved",
                           submitted_at=now, reviewed_at=now))
    sender, recipient = make_user(session), make_user(session)
    message = Message(sender_id=sender.id, recipient_id=recipient.id, subject="Hi", text="Hi there.")
    session.add(message)
    session.flush()
    session.add(MessageReport(message_id=message.id, reporter_id=recipient.id, status="open"))
    session.add(MessageReport(message_id=message.id, reporter_id=sender.id, status="dismissed", handled_at=now))
    session.flush()


def test_outbox_health_counts_by_hand(session):
    now = utcnow()
    empty = outbox_health(session, now=now)
    assert (empty.queued, empty.failed, empty.oldest_queued_at, empty.last_sent_at) == (0, 0, None, None)
    assert empty.is_healthy and not empty.is_stuck
    _outbox(session, now)
    health = outbox_health(session, now=now)
    assert (health.queued, health.failed) == (3, 2)
    assert health.oldest_queued_at == now - timedelta(hours=2)
    assert health.oldest_queued_age == timedelta(hours=2)
    assert health.last_sent_at == now - timedelta(minutes=30)
    assert health.is_stuck and not health.is_healthy


def test_new_accounts_in_the_last_7_and_30_days(session):
    now = utcnow()
    ages = [timedelta(hours=1), timedelta(days=3), timedelta(days=7),  # 3 in the last 7 days (7 days ago counts)
            timedelta(days=10), timedelta(days=30),  # 2 more in the last 30 days
            timedelta(days=31), timedelta(days=400)]  # 2 older
    for age in ages:
        user = make_user(session)
        user.created_at = now - age
    session.flush()
    accounts = new_accounts(session, now=now)
    assert (accounts.last_7_days, accounts.last_30_days, accounts.total) == (3, 5, 7)


def test_pending_reviews_counts_by_hand(session):
    assert pending_reviews(session).total == 0
    _reviews(session, utcnow())
    reviews = pending_reviews(session)
    assert (reviews.practices, reviews.submissions, reviews.reports) == (2, 3, 1)
    assert reviews.total == 6


def test_scheduler_heartbeat_and_last_runs(session):
    now = utcnow()
    overview = admin_overview(session, now=now)
    assert overview.scheduler.is_stale and overview.scheduler.heartbeat.beat_at is None
    assert [job.name for job in overview.scheduler.jobs] == list(JOBS)
    assert all(job.last_run is None for job in overview.scheduler.jobs)

    session.add(SchedulerHeartbeat(instance="old", hostname="h", pid=1, beat_at=now - timedelta(minutes=20)))
    session.add_all([
        JobRun(name="reminders", holder="x", started_at=now - timedelta(hours=1), finished_at=now, result="ok"),
        JobRun(name="reminders", holder="x", started_at=now - timedelta(minutes=4),
               finished_at=now - timedelta(minutes=4), error="RuntimeError: boom"),
        JobRun(name="deliver-mail", holder="x", started_at=now - timedelta(minutes=1),
               finished_at=now - timedelta(minutes=1), duration_ms=12, result="0 sent"),
    ])
    session.flush()
    scheduler = admin_overview(session, now=now).scheduler
    assert scheduler.is_stale  # 20 minutes without a beat
    assert scheduler.heartbeat.age == timedelta(minutes=20)
    runs = {job.name: job.last_run for job in scheduler.jobs}
    assert runs["reminders"].error == "RuntimeError: boom"  # the newest of its two runs
    assert runs["deliver-mail"].result == "0 sent"
    assert runs["certificates"] is None
    assert [job.name for job in scheduler.failed_jobs] == ["reminders"]

    session.add(SchedulerHeartbeat(instance="new", hostname="h", pid=2, beat_at=now - timedelta(seconds=30)))
    session.flush()
    scheduler = admin_overview(session, now=now).scheduler
    assert not scheduler.is_stale and [beat.instance for beat in scheduler.heartbeat.instances] == ["new"]


def test_overview_page_shows_every_section_with_links(client, session, auth):
    now = utcnow()
    make_admin(session, email="a@example.org", timezone="Asia/Amman")
    _outbox(session, now)
    _reviews(session, now)
    session.commit()
    auth.login("a@example.org")
    response = client.get("/admin/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="outbox-queued">3<' in html and 'id="outbox-failed-count">2<' in html
    assert 'id="outbox-failed"' in html and 'id="outbox-stuck"' in html
    assert 'id="scheduler-stale"' in html and "The scheduler is not running." in html
    assert "Times in Asia/Amman." in html
    oldest = (now - timedelta(hours=2)).astimezone(ZoneInfo("Asia/Amman"))
    assert oldest.strftime("%H:%M") in html.split('id="outbox-oldest"', 1)[1].split("</dd>", 1)[0]
    for href in ('href="/admin/outbox"', 'href="/admin/outbox?status=failed"', 'href="/admin/jobs"',
                 'href="/admin/users"', 'href="/practices/reviews"', 'href="/admin/reports"',
                 'href="/admin/organisations"', 'href="/admin/topics"'):
        assert href in html, href
    assert 'href="/programmes/manage/reviews"' in html or "/manage/reviews" in html
    for section, count in (("reviews-practices", 2), ("reviews-submissions", 3), ("reviews-reports", 1)):
        part = html.split(f'id="{section}"', 1)[1].split("</li>", 1)[0]
        assert f">{count}</span>" in part, section

    session.add(SchedulerHeartbeat(instance="web-1", hostname="h", pid=1, beat_at=utcnow()))
    session.commit()
    html = client.get("/admin/").get_data(as_text=True)
    assert 'id="scheduler-stale"' not in html and 'id="scheduler-up"' in html


def test_overview_page_in_arabic_is_right_to_left(client, session, auth):
    make_admin(session, email="a@example.org", language="ar")
    session.commit()
    auth.login("a@example.org")
    html = client.get("/admin/?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in html
    assert 'id="overview-outbox"' in html


@pytest.mark.parametrize("role", ["participant", "organiser"])
def test_overview_is_for_admins_only(client, session, auth, role):
    make_user(session, email="x@example.org", role=role)
    session.commit()
    assert client.get("/admin/").status_code == 302  # signed out: to the login page
    auth.login("x@example.org")
    assert client.get("/admin/").status_code == 403


def test_overview_page_runs_the_same_queries_for_more_data(client, session, auth, count_queries):
    now = utcnow()
    make_admin(session, email="a@example.org")
    _outbox(session, now)
    _reviews(session, now)
    session.add(SchedulerHeartbeat(instance="web-1", hostname="h", pid=1, beat_at=now))
    session.add(JobRun(name="reminders", holder="x", started_at=now, finished_at=now, result="ok"))
    session.commit()
    auth.login("a@example.org")
    client.get("/admin/")
    with count_queries() as small:
        assert client.get("/admin/").status_code == 200

    for _ in range(3):
        _outbox(session, now)
        _reviews(session, now)
    session.add(SchedulerHeartbeat(instance="web-2", hostname="h", pid=2, beat_at=now))
    session.add_all(JobRun(name=name, holder="x", started_at=now, finished_at=now, error="E: x") for name in JOBS)
    for _ in range(5):
        make_organiser(session)
    session.commit()
    with count_queries() as big:
        assert client.get("/admin/").status_code == 200
    assert big.count == small.count, big.statements
