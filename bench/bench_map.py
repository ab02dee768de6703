"""The map's data request for all published practices (10,000, with 1,000 organisations and 10,000 events)
against the events list page in the same run (issue 13: at most 3x), and the organisation directory."""

from __future__ import annotations

import random
from datetime import timedelta

import sqlalchemy as sa

from bench.common import Figure, bench_app, http_get_timer, median_ms, serve, timings

N_ORGANISATIONS = 1_000
N_PRACTICES = 10_000
N_EVENTS = 10_000
COUNTRIES = ["DE", "ZA", "VN", "IN", "BR", "GH", "CO", "SN", "MX", "UA"]


def _seed(app) -> None:
    from app.directory.models import Organisation, Topic
    from app.directory.regions import region_of
    from app.events.models import Event, event_host, event_topic
    from app.extensions import db
    from app.practices.models import Practice, PracticeSdgGoal, practice_topic
    from app.sqltypes import utcnow

    rng = random.Random(13)
    now = utcnow()
    with app.app_context():
        topic_ids = list(db.session.scalars(sa.select(Topic.id)))
        conn = db.session.connection()
        conn.execute(sa.insert(Organisation.__table__), [
            {"name": f"Bench city {n}", "kind": "municipality", "city": f"Town {n}", "country": COUNTRIES[n % 10],
             "region": region_of(COUNTRIES[n % 10]), "description": "", "latitude": rng.uniform(-50, 60),
             "longitude": rng.uniform(-170, 170), "created_at": now}
            for n in range(N_ORGANISATIONS)])
        org_ids = list(db.session.scalars(sa.select(Organisation.id).order_by(Organisation.id)))
        practices = []
        for n in range(N_PRACTICES):
            country = COUNTRIES[n % 10]
            placed = n % 2 == 0
            practices.append({
                "slug": f"bench-practice-{n}", "status": "published", "language": "en",
                "title": f"Bench practice {n}", "summary": "What the city did.", "organisation_id": org_ids[n % len(org_ids)],
                "city": "", "country": country, "region": region_of(country), "stage": "implemented",
                "latitude": rng.uniform(-50, 60) if placed else None, "longitude": rng.uniform(-170, 170) if placed else None,
                "challenge": "", "solution": "", "results": "", "costs_and_funding": "", "stakeholders": "",
                "success_factors": "", "obstacles": "", "transferability": "", "review_comment": "", "revision": 0,
                "created_at": now, "updated_at": now, "published_at": now})
        conn.execute(sa.insert(Practice.__table__), practices)
        practice_ids = list(db.session.scalars(sa.select(Practice.id)))
        conn.execute(sa.insert(practice_topic), [{"practice_id": pid, "topic_id": rng.choice(topic_ids)}
                                                 for pid in practice_ids])
        conn.execute(sa.insert(PracticeSdgGoal.__table__), [{"practice_id": pid, "goal": rng.randint(1, 17)}
                                                            for pid in practice_ids])
        events = []
        for n in range(N_EVENTS):
            start = now + timedelta(days=rng.randint(-200, 400), hours=rng.randint(0, 23))
            events.append({
                "slug": f"bench-event-{n}", "title": f"Bench event {n}", "format": "workshop", "summary": "",
                "description": "", "status": "published" if n % 10 else "draft", "languages": ["en"],
                "timezone": "UTC", "starts_at": start, "ends_at": start + timedelta(hours=8), "venue": "Town hall",
                "address": "", "city": "Leipzig", "country": COUNTRIES[n % 10], "capacity": 20,
                "latitude": rng.uniform(-50, 60), "longitude": rng.uniform(-170, 170),
                "requires_approval": False, "waitlist_mode": "auto", "offer_hours": 48, "min_attendance_percent": 100,
                "auto_certificates": True, "reminder_offsets_hours": [168, 24], "revision": 0, "lock_version": 0,
                "created_at": now, "updated_at": now})
        conn.execute(sa.insert(Event.__table__), events)
        event_ids = list(db.session.scalars(sa.select(Event.id)))
        conn.execute(sa.insert(event_topic), [{"event_id": eid, "topic_id": rng.choice(topic_ids)}
                                              for eid in event_ids])
        conn.execute(sa.insert(event_host), [{"event_id": eid, "organisation_id": rng.choice(org_ids)}
                                             for eid in event_ids])
        db.session.commit()


def run() -> list[Figure]:
    figures = []
    with bench_app() as app:
        _seed(app)
        with serve(app) as (host, port):
            events = timings(http_get_timer(host, port, "/events/"), repeat=30)
            base = median_ms(events)
            figures.append(Figure("GET /events/ (list page) median", base, "ms"))
            for label, path in (
                    ("GET /map/data.json?type=practice (10,000 published)", "/map/data.json?type=practice"),
                    ("GET /map/data.json (everything)", "/map/data.json"),
                    ("GET /map/data.json?topic&region", "/map/data.json?topic=energy-efficiency&region=155"),
                    ("GET /map (page, list of 100)", "/map"),
                    ("GET /organisations (directory)", "/organisations"),
                    ("GET /organisations?topic&q", "/organisations?topic=energy-efficiency&q=city+1")):
                get = http_get_timer(host, port, path)
                assert get() == 200, path
                samples = timings(get, repeat=30)
                figures.append(Figure(f"{label} median", median_ms(samples), "ms", "/events/ median",
                                      median_ms(samples) / base))
    return figures


if __name__ == "__main__":
    from bench.common import print_table

    print_table(run())
