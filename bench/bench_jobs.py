"""Scheduler: the reminders job on 5,000 due enrolments against bare reads and bare outbox writes."""

from __future__ import annotations

import secrets
import time
from datetime import timedelta

import sqlalchemy as sa

from bench.common import Figure, bench_app, median_ms, timings

EVENTS = 200
PEOPLE_PER_EVENT = 25


def _seed(session, now):
    from app.auth.models import User
    from app.events.models import Enrolment, Event, EventSession

    start = now + timedelta(hours=20)
    users = [{"email": f"p{i}@bench.test", "name": f"Person {i}", "password_hash": "x", "role": "participant",
              "timezone": "UTC", "language": "en", "is_active_account": True, "created_at": now}
             for i in range(EVENTS * PEOPLE_PER_EVENT)]
    session.execute(sa.insert(User), users)
    user_ids = list(session.scalars(sa.select(User.id).order_by(User.id)))
    for e in range(EVENTS):
        event = Event(slug=f"bench-{e}", title=f"Workshop {e}", format="workshop", timezone="Europe/Berlin",
                      starts_at=start, ends_at=start + timedelta(hours=8), status="published", venue="Rathaus",
                      city="Leipzig", country="DE", published_at=now, languages=["en"])
        event.sessions = [EventSession(title=f"Session {k}", starts_at=start + timedelta(hours=k),
                                       ends_at=start + timedelta(hours=k + 1)) for k in range(3)]
        session.add(event)
        session.flush()
        session.execute(sa.insert(Enrolment), [
            {"event_id": event.id, "user_id": uid, "status": "confirmed", "ticket_code": secrets.token_hex(6),
             "created_at": now - timedelta(days=30), "updated_at": now - timedelta(days=30),
             "confirmed_at": now - timedelta(days=30)}
            for uid in user_ids[e * PEOPLE_PER_EVENT:(e + 1) * PEOPLE_PER_EVENT]
        ])
    session.commit()


def run() -> list[Figure]:
    from app.events.models import Enrolment, Event
    from app.extensions import db
    from app.jobs.locks import acquire_lease, release_lease
    from app.jobs.reminders import plan_reminders
    from app.jobs.services import run_job
    from app.mail.models import OutboxMessage
    from app.mail.services import queue_email
    from app.sqltypes import utcnow

    figures = []
    total = EVENTS * PEOPLE_PER_EVENT
    with bench_app() as app, app.app_context():
        now = utcnow()
        _seed(db.session, now)
        session = db.session

        def bare_read():
            session.execute(sa.select(Enrolment.id, Enrolment.event_id, Enrolment.confirmed_at)
                            .join(Event, Event.id == Enrolment.event_id)
                            .where(Event.status == "published", Enrolment.status == "confirmed")).all()
            session.rollback()

        def plan():
            assert len(plan_reminders(session, now=now)) == total
            session.rollback()

        read_ms = median_ms(timings(bare_read, repeat=10, warmup=2))
        plan_ms = median_ms(timings(plan, repeat=10, warmup=2))
        figures.append(Figure(f"plan {total} due reminders", plan_ms, "ms", f"bare read {read_ms:.1f} ms",
                              plan_ms / read_ms))

        # lower bound for queueing: the same number of outbox rows with a similar body, no template or .ics
        text = "x" * 900
        started = time.perf_counter()
        for i in range(total):
            queue_email(session, to=f"p{i}@bench.test", subject="Reminder", text=text, html=text, now=now,
                        dedupe_key=f"bench:{i}")
        session.commit()
        bare_queue = (time.perf_counter() - started) / total * 1000
        session.execute(sa.delete(OutboxMessage))
        session.commit()

        started = time.perf_counter()
        outcome = run_job(session, "reminders", now=now, config=app.config)
        per_reminder = (time.perf_counter() - started) / total * 1000
        assert outcome.result == f"{total} reminder(s) queued", outcome
        figures.append(Figure("reminders job, per reminder", per_reminder, "ms", f"bare queue_email {bare_queue:.3f} ms",
                              per_reminder / bare_queue))

        idle = median_ms(timings(lambda: run_job(session, "reminders", now=now + timedelta(minutes=5),
                                                 config=app.config), repeat=10, warmup=1))
        figures.append(Figure("idle reminders run (all sent)", idle, "ms", f"bare read {read_ms:.1f} ms",
                              idle / read_ms))

        def lease_round_trip():
            acquire_lease(session, "bench", holder="me", now=now, seconds=60)
            session.commit()
            release_lease(session, "bench", holder="me")
            session.commit()

        figures.append(Figure("lease acquire + release", median_ms(timings(lease_round_trip, repeat=200)), "ms"))
    return figures
