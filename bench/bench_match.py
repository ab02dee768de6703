"""Finding peers: POST /api/v1/match and GET /match with 20,000 people, 10,000 practices and 1,000 organisations,
against the events list page in the same run (issue 14: median <= 3x), and the queries each answer takes."""

from __future__ import annotations

import http.client
import json
import random
import time
from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa

from bench.common import Figure, bench_app, http_get_timer, median_ms, p95_ms, serve

N_PEOPLE = 20_000
N_PRACTICES = 10_000
N_ORGANISATIONS = 1_000
N_EVENTS = 1_000
TARGET = 3.0

CITIES = [("Medellín", "CO", "America/Bogota"), ("Đà Nẵng", "VN", "Asia/Ho_Chi_Minh"),
          ("São Paulo", "BR", "America/Sao_Paulo"), ("Łódź", "PL", "Europe/Warsaw"), ("Leipzig", "DE", "Europe/Berlin"),
          ("Durban", "ZA", "Africa/Johannesburg"), ("Pune", "IN", "Asia/Kolkata"), ("Accra", "GH", "Africa/Accra"),
          ("Irbid", "JO", "Asia/Amman"), ("Dakar", "SN", "Africa/Dakar"), ("Puebla", "MX", "America/Mexico_City"),
          ("Lyon", "FR", "Europe/Paris")]
SUBJECTS = ["water supply", "cable car mobility", "waste recycling", "energy retrofits", "participatory budget",
            "heat adaptation", "bus rapid transit", "street lighting", "flood protection", "school meals"]
LANGUAGES = ["en", "fr", "es", "pt", "de", "ar"]
TARGETS = ["11.1", "11.2", "11.3", "11.6", "11.7", "6.1", "6.2", "7.2", "7.3", "13.1", "13.2", "12.5", "1.4", "5.5"]
FILLER = ("The city council worked with residents, utilities and universities over several years; the results "
          "were measured every quarter and shared openly with other municipalities of the network. ")
CHALLENGES = {
    "everything": {"topics": ["sustainable-transport"], "sdg_targets": ["11.2"], "region": "155",
                   "size_band": "large", "languages": ["fr"], "text": "bus rapid transit"},
    "two targets + region": {"sdg_targets": ["11.2", "6.1"], "region": "419"},
    "a language only (a third of everyone)": {"languages": ["fr"]},
    "text only": {"text": "flood protection"},
}


def _seed(app) -> None:
    """Bulk inserts (executemany), then one reindex."""
    from app.auth.models import User
    from app.directory.models import Organisation, Topic
    from app.directory.regions import region_of
    from app.events.models import Event, event_topic
    from app.extensions import db
    from app.people.models import Profile, ProfileSdgTarget, profile_topic
    from app.practices.models import (
        Practice,
        PracticeSdgGoal,
        PracticeSdgTarget,
        practice_event,
        practice_topic,
    )
    from app.practices.sdg import goal_of
    from app.sqltypes import utcnow

    rng = random.Random(14)
    now = utcnow()
    with app.app_context():
        conn = db.session.connection()
        topic_ids = list(db.session.scalars(sa.select(Topic.id)))
        conn.execute(sa.insert(Organisation.__table__), [
            {"name": f"{CITIES[n % len(CITIES)][0]} municipality {n}", "kind": "municipality",
             "city": CITIES[n % len(CITIES)][0], "country": CITIES[n % len(CITIES)][1],
             "region": region_of(CITIES[n % len(CITIES)][1]), "description": f"Known for {SUBJECTS[n % 10]}.",
             "population": rng.choice([40_000, 250_000, 700_000, 2_500_000]) + n, "created_at": now}
            for n in range(N_ORGANISATIONS)])
        org_ids = list(db.session.scalars(sa.select(Organisation.id).order_by(Organisation.id)))
        events = []
        for n in range(N_EVENTS):
            city, country, zone = CITIES[n % len(CITIES)]
            start = now + timedelta(days=rng.randint(-200, 400), hours=rng.randint(0, 23))
            events.append({
                "slug": f"bench-event-{n}", "title": f"{SUBJECTS[n % 10].capitalize()} workshop {n} in {city}",
                "format": "workshop", "summary": f"How {city} handles it.", "description": FILLER,
                "status": "published", "languages": ["en"], "timezone": zone, "starts_at": start,
                "ends_at": start + timedelta(hours=8), "venue": "Town hall", "address": "", "city": city,
                "country": country, "capacity": 20, "requires_approval": False, "waitlist_mode": "auto",
                "offer_hours": 48, "min_attendance_percent": 100, "auto_certificates": True,
                "reminder_offsets_hours": [168, 24], "revision": 0, "lock_version": 0, "created_at": now,
                "updated_at": now, "published_at": now})
        conn.execute(sa.insert(Event.__table__), events)
        event_ids = list(db.session.scalars(sa.select(Event.id).order_by(Event.id)))
        conn.execute(sa.insert(event_topic), [{"event_id": e, "topic_id": rng.choice(topic_ids)} for e in event_ids])
        practices = []
        for n in range(N_PRACTICES):
            city, country, _ = CITIES[rng.randrange(len(CITIES))]
            subject = SUBJECTS[rng.randrange(len(SUBJECTS))]
            practices.append({
                "slug": f"bench-practice-{n}", "status": "published" if n % 20 else "draft",
                "language": LANGUAGES[n % 4], "title": f"{subject.capitalize()} in {city} ({n})",
                "summary": f"{city} improved {subject} step by step.", "organisation_id": rng.choice(org_ids),
                "city": city, "country": country, "region": region_of(country), "stage": "implemented",
                "challenge": FILLER, "solution": f"The {subject} solution: " + FILLER, "results": FILLER,
                "costs_and_funding": "", "stakeholders": "", "success_factors": "", "obstacles": "",
                "transferability": FILLER, "review_comment": "", "revision": 0, "created_at": now, "updated_at": now,
                "published_at": now - timedelta(days=rng.randint(0, 900))})
        for start in range(0, len(practices), 2000):
            conn.execute(sa.insert(Practice.__table__), practices[start:start + 2000])
        practice_ids = list(db.session.scalars(sa.select(Practice.id).order_by(Practice.id)))
        conn.execute(sa.insert(practice_topic), [{"practice_id": p, "topic_id": t} for p in practice_ids
                                                 for t in rng.sample(topic_ids, 2)])
        targets = {p: rng.sample(TARGETS, 2) for p in practice_ids}
        conn.execute(sa.insert(PracticeSdgTarget.__table__), [{"practice_id": p, "target": t}
                                                              for p, ts in targets.items() for t in ts])
        conn.execute(sa.insert(PracticeSdgGoal.__table__), [{"practice_id": p, "goal": g} for p, ts in targets.items()
                                                            for g in sorted({goal_of(t) for t in ts})])
        conn.execute(sa.insert(practice_event), [{"practice_id": p, "event_id": rng.choice(event_ids)}
                                                 for p in practice_ids[::5]])
        users = [{"email": f"bench{n}@example.org", "name": f"Practitioner {n}", "password_hash": "x",
                  "role": "participant", "organisation_id": rng.choice(org_ids) if n % 4 else None,
                  "country": CITIES[n % len(CITIES)][1], "timezone": "UTC", "language": LANGUAGES[n % 6],
                  "is_active_account": True, "auth_version": 0, "created_at": now} for n in range(N_PEOPLE)]
        for start in range(0, len(users), 5000):
            conn.execute(sa.insert(User.__table__), users[start:start + 5000])
        user_ids = list(db.session.scalars(sa.select(User.id).where(User.email.like("bench%"))))
        conn.execute(sa.insert(Profile.__table__), [
            {"user_id": u, "visibility": ("hidden", "members", "public")[n % 3], "position": "Planner", "city": "",
             "bio": f"Works on {SUBJECTS[n % 10]}.", "languages": rng.sample(LANGUAGES, 2), "shows_events": False,
             "shows_certificates": False, "accepts_messages": True, "created_at": now, "updated_at": now}
            for n, u in enumerate(user_ids)])
        conn.execute(sa.insert(profile_topic), [{"user_id": u, "topic_id": rng.choice(topic_ids)} for u in user_ids])
        conn.execute(sa.insert(ProfileSdgTarget.__table__), [{"user_id": u, "target": t} for u in user_ids
                                                             for t in rng.sample(TARGETS, 2)])
        db.session.commit()


def _reindex(app) -> None:
    from app.extensions import db
    from app.search import reindex

    with app.app_context():
        reindex(db.session)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("ANALYZE")


def _http_post_timer(host: str, port: int, path: str, body: dict) -> Callable[[], int]:
    conn = http.client.HTTPConnection(host, port, timeout=30)
    payload = json.dumps(body)

    def post() -> int:
        conn.request("POST", path, body=payload, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        return response.status

    return post


def _interleaved(baseline, target, *, repeat: int, warmup: int = 3) -> tuple[list[float], list[float]]:
    """Seconds per call of the baseline and the target, taken in turns, so both see the same load."""
    for _ in range(warmup):
        baseline()
        target()
    base, samples = [], []
    for _ in range(repeat):
        for fn, out in ((baseline, base), (target, samples)):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return base, samples


def _query_counts(app) -> list[Figure]:
    """The statements one match takes (constant whatever the data's size)."""
    from app.extensions import db
    from app.people import matching
    from app.people.match_queries import find_matches, topic_choices

    figures = []
    with app.app_context():
        known = [t.slug for t in topic_choices(db.session)]
        for label, data in CHALLENGES.items():
            count = 0

            def before(*args, **kwargs):
                nonlocal count
                count += 1

            sa.event.listen(db.engine, "before_cursor_execute", before)
            try:
                find_matches(db.session, matching.parse_challenge(data, known_topics=known), signed_in=False)
            finally:
                sa.event.remove(db.engine, "before_cursor_execute", before)
            figures.append(Figure(f"match ({label}): SQL statements", count, "queries"))
    return figures


def run() -> list[Figure]:
    figures = []
    with bench_app() as app:
        start = time.perf_counter()
        _seed(app)
        _reindex(app)
        figures.append(Figure(f"seed + index {N_PEOPLE:,} people, {N_PRACTICES:,} practices, {N_ORGANISATIONS:,} "
                              "organisations", time.perf_counter() - start, "s"))
        figures += _query_counts(app)
        with serve(app) as (host, port):
            events = http_get_timer(host, port, "/events/")
            assert events() == 200
            timers = [(f"POST /api/v1/match ({label})", _http_post_timer(host, port, "/api/v1/match", body))
                      for label, body in CHALLENGES.items()]
            timers.append(("GET /match (everything)", http_get_timer(
                host, port, "/match?topics=sustainable-transport&sdg_targets=11.2&region=155&size_band=large"
                            "&languages=fr&text=bus+rapid+transit")))
            for label, call in timers:
                assert call() == 200, label
                base, samples = _interleaved(events, call, repeat=30)
                figures.append(Figure(f"{label} median", median_ms(samples), "ms", "/events/ median, interleaved",
                                      median_ms(samples) / median_ms(base), f"<= {TARGET:g}x"))
                figures.append(Figure(f"{label} p95", p95_ms(samples), "ms", "/events/ p95, interleaved",
                                      p95_ms(samples) / p95_ms(base)))
    return figures


if __name__ == "__main__":
    from bench.common import print_table

    print_table(run())
