"""Events: list page and API latency on 10,000 events / 100,000 enrolments, and enrolment throughput."""

from __future__ import annotations

import http.client
import random
import threading
import time
from datetime import timedelta

import sqlalchemy as sa

from bench.common import Figure, bench_app, http_get_timer, median_ms, p95_ms, serve, timings

N_EVENTS = 10_000
N_ENROLMENTS = 100_000
N_USERS = 2_000
CLIENTS = 50
ENROLMENTS_PER_CLIENT = 10
THROUGHPUT_CAPACITY = 200


def _seed(app) -> None:
    """Bulk inserts (executemany), not the ORM one row at a time."""
    from app.auth.models import User
    from app.directory.models import Topic
    from app.events.models import EVENT_FORMATS, Enrolment, Event, event_topic
    from app.extensions import db
    from app.sqltypes import utcnow

    rng = random.Random(3)
    now = utcnow()
    cities = [("Leipzig", "DE", "Europe/Berlin"), ("Durban", "ZA", "Africa/Johannesburg"),
              ("Da Nang", "VN", "Asia/Ho_Chi_Minh"), ("Pune", "IN", "Asia/Kolkata"),
              ("Curitiba", "BR", "America/Sao_Paulo"), ("Accra", "GH", "Africa/Accra")]
    with app.app_context():
        topic_ids = list(db.session.scalars(sa.select(Topic.id)))
        conn = db.session.connection()
        conn.execute(sa.insert(User.__table__), [
            {"email": f"bench{n}@example.org", "name": f"Bench Person {n}", "password_hash": "x", "role": "participant",
             "timezone": "UTC", "language": "en", "is_active_account": True, "created_at": now}
            for n in range(N_USERS)
        ])
        user_ids = list(db.session.scalars(sa.select(User.id).order_by(User.id)))
        rows = []
        for n in range(N_EVENTS):
            city, country, zone = cities[n % len(cities)]
            start = now + timedelta(days=rng.randint(-200, 400), hours=rng.randint(0, 23))
            rows.append({
                "slug": f"bench-event-{n}", "title": f"Bench event {n} in {city}", "format": EVENT_FORMATS[n % 4],
                "summary": "A benchmark event.", "description": "", "status": "published" if n % 10 else "draft",
                "languages": ["en"], "timezone": zone, "starts_at": start, "ends_at": start + timedelta(hours=8),
                "venue": "Town hall", "address": "", "city": city, "country": country, "capacity": 20,
                "requires_approval": False, "waitlist_mode": "auto", "offer_hours": 48, "min_attendance_percent": 100,
                "auto_certificates": True, "reminder_offsets_hours": [168, 24], "revision": 0, "lock_version": 0,
                "created_at": now, "updated_at": now,
            })
        conn.execute(sa.insert(Event.__table__), rows)
        event_ids = list(db.session.scalars(sa.select(Event.id).order_by(Event.id)))
        conn.execute(sa.insert(event_topic), [
            {"event_id": eid, "topic_id": tid} for eid in event_ids for tid in rng.sample(topic_ids, 2)
        ])
        per_event = N_ENROLMENTS // N_EVENTS
        enrolments = []
        code = 0
        for eid in event_ids:
            people = rng.sample(user_ids, per_event)
            for i, uid in enumerate(people):
                code += 1
                waiting = i >= 8  # 8 confirmed, the rest waiting
                enrolments.append({
                    "event_id": eid, "user_id": uid, "status": "waitlisted" if waiting else "confirmed",
                    "waitlist_seq": i + 1 if waiting else None, "ticket_code": f"B{code:09d}",
                    "is_over_capacity": False, "note": "", "created_at": now, "updated_at": now,
                    "confirmed_at": None if waiting else now,
                })
        for start in range(0, len(enrolments), 20_000):
            conn.execute(sa.insert(Enrolment.__table__), enrolments[start:start + 20_000])
        db.session.commit()


def _throughput_setup(app):
    from app.auth import services as auth_services
    from app.auth.models import User
    from app.events.models import Event
    from app.extensions import db
    from app.sqltypes import utcnow

    now = utcnow()
    with app.app_context():
        event = Event(slug="bench-throughput", title="Throughput", format="workshop", status="published",
                      timezone="Europe/Berlin", starts_at=now + timedelta(days=30),
                      ends_at=now + timedelta(days=30, hours=8), city="Leipzig", country="DE",
                      capacity=THROUGHPUT_CAPACITY)
        db.session.add(event)
        users = list(db.session.scalars(sa.select(User).order_by(User.id).limit(CLIENTS * ENROLMENTS_PER_CLIENT)))
        tokens = [auth_services.create_api_token(db.session, u.id, now=now)[1] for u in users]
        # use each token once already, so requests do not write last_used_at
        for record in db.session.scalars(sa.select(auth_services.ApiToken)):
            record.last_used_at = now
        db.session.commit()
        return event.id, tokens


def _check_invariant(app, event_id: int, expected: int) -> str:
    from app.events import services
    from app.events.models import Enrolment
    from app.extensions import db

    with app.app_context():
        counts = dict(db.session.execute(sa.select(Enrolment.status, sa.func.count())
                                         .where(Enrolment.event_id == event_id).group_by(Enrolment.status)).all())
        positions = sorted(services.waitlist_positions(db.session, event_id).values())
    confirmed, waiting = counts.get("confirmed", 0), counts.get("waitlisted", 0)
    ok = (confirmed == min(THROUGHPUT_CAPACITY, expected) and confirmed + waiting == expected
          and positions == list(range(1, waiting + 1)))
    return f"{'OK' if ok else 'VIOLATED'}: {confirmed} confirmed, {waiting} waiting"


def _parallel(host, port, jobs_per_client: list[list[tuple[str, str, dict]]]) -> tuple[float, list[int]]:
    statuses: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(jobs_per_client) + 1)

    def client(jobs):
        conn = http.client.HTTPConnection(host, port, timeout=60)
        barrier.wait()
        for method, path, headers in jobs:
            conn.request(method, path, body=b"{}" if method == "POST" else None,
                         headers={"Content-Type": "application/json", **headers})
            response = conn.getresponse()
            response.read()
            with lock:
                statuses.append(response.status)
        conn.close()

    threads = [threading.Thread(target=client, args=(jobs,)) for jobs in jobs_per_client]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - start, statuses


def run() -> list[Figure]:
    figures = []
    with bench_app() as app:
        start = time.perf_counter()
        _seed(app)
        seed_s = time.perf_counter() - start
        figures.append(Figure(f"seed {N_EVENTS:,} events + {N_ENROLMENTS:,} enrolments", seed_s, "s"))
        event_id, tokens = _throughput_setup(app)
        with serve(app) as (host, port):
            health = timings(http_get_timer(host, port, "/healthz"), repeat=100)
            base = median_ms(health)
            figures.append(Figure("GET /healthz median", base, "ms"))
            for label, path in (("GET /events/ (list page)", "/events/"),
                                ("GET /events/?topic&country", "/events/?topic=energy-efficiency&country=DE"),
                                ("GET /api/v1/events", "/api/v1/events"),
                                ("GET /api/v1/events?per_page=100", "/api/v1/events?per_page=100")):
                get = http_get_timer(host, port, path)
                assert get() == 200, path
                samples = timings(get, repeat=60)
                figures.append(Figure(f"{label} median", median_ms(samples), "ms", "/healthz median",
                                      median_ms(samples) / base))
                figures.append(Figure(f"{label} p95", p95_ms(samples), "ms", "/healthz median",
                                      p95_ms(samples) / base))

            # 50 concurrent clients: /healthz as the baseline rate, then enrolments over the API
            health_jobs = [[("GET", "/healthz", {})] * ENROLMENTS_PER_CLIENT for _ in range(CLIENTS)]
            elapsed, _ = _parallel(host, port, health_jobs)
            health_rate = CLIENTS * ENROLMENTS_PER_CLIENT / elapsed
            figures.append(Figure(f"/healthz, {CLIENTS} concurrent clients", health_rate, "req/s"))
            jobs = [[("POST", f"/api/v1/events/{event_id}/enrolments",
                      {"Authorization": f"Bearer {tokens[c * ENROLMENTS_PER_CLIENT + i]}"})
                     for i in range(ENROLMENTS_PER_CLIENT)] for c in range(CLIENTS)]
            elapsed, statuses = _parallel(host, port, jobs)
            created = statuses.count(201)
            rate = created / elapsed
            invariant = _check_invariant(app, event_id, created)
            retry = sum(1 for s in statuses if s in (409, 503))
            figures.append(Figure(
                f"enrolments, {CLIENTS} concurrent clients ({created} ok, {retry} try-again; {invariant})",
                rate, "req/s", "/healthz concurrent rate", rate / health_rate))
    return figures


if __name__ == "__main__":
    from bench.common import print_table

    print_table(run())
