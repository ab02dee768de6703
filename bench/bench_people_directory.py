"""People: /people and GET /api/v1/people with 20,000 people (their profiles mostly visible), 10,000 practices
and 1,000 organisations, against the events list page in the same run (issue 14: median <= 3x)."""

from __future__ import annotations

import random
import time

import sqlalchemy as sa

from bench.bench_search import CITIES, SUBJECTS, TARGET, _interleaved, _reindex, _seed
from bench.common import Figure, bench_app, http_get_timer, median_ms, p95_ms, serve

N_PEOPLE = 20_000
LANGUAGES = ("en", "fr", "es", "pt", "ar", "de", "ru", "zh")


def _seed_people(app) -> None:
    """Bulk inserts of accounts and profiles (a tenth hidden, a fifth members-only), topics and SDG targets."""
    from app.auth.models import User
    from app.directory.models import Organisation, Topic
    from app.extensions import db
    from app.people.models import Profile, ProfileSdgTarget, profile_topic
    from app.practices.sdg import TARGETS
    from app.sqltypes import utcnow

    rng = random.Random(14)
    now = utcnow()
    with app.app_context():
        conn = db.session.connection()
        org_ids = list(db.session.scalars(sa.select(Organisation.id)))
        topic_ids = list(db.session.scalars(sa.select(Topic.id)))
        users = [{"email": f"bench-person-{n}@example.org", "name": f"Person {n} {CITIES[n % 12][0]}",
                  "password_hash": "x", "role": "participant", "organisation_id": rng.choice(org_ids),
                  "country": CITIES[n % 12][1], "timezone": CITIES[n % 12][2], "language": "en",
                  "is_active_account": True, "auth_version": 0, "created_at": now} for n in range(N_PEOPLE)]
        for start in range(0, N_PEOPLE, 2000):
            conn.execute(sa.insert(User.__table__), users[start:start + 2000])
        user_ids = list(db.session.scalars(sa.select(User.id).where(User.email.like("bench-person-%"))))
        profiles = [{"user_id": uid, "visibility": "hidden" if n % 10 == 0 else "members" if n % 5 == 1 else "public",
                     "position": f"{SUBJECTS[n % 16].capitalize()} adviser", "city": CITIES[n % 12][0],
                     "bio": f"Works on {SUBJECTS[rng.randrange(16)]} and {SUBJECTS[rng.randrange(16)]}.",
                     "languages": rng.sample(LANGUAGES, 2), "shows_events": False, "shows_certificates": False,
                     "accepts_messages": True, "created_at": now, "updated_at": now}
                    for n, uid in enumerate(user_ids)]
        for start in range(0, len(profiles), 2000):
            conn.execute(sa.insert(Profile.__table__), profiles[start:start + 2000])
        conn.execute(sa.insert(profile_topic), [{"user_id": u, "topic_id": t} for u in user_ids
                                                for t in rng.sample(topic_ids, 2)])
        conn.execute(sa.insert(ProfileSdgTarget.__table__), [{"user_id": u, "target": t} for u in user_ids
                                                             for t in rng.sample(TARGETS, 2)])
        db.session.commit()


def run() -> list[Figure]:
    figures = []
    with bench_app() as app:
        start = time.perf_counter()
        _seed(app)
        _seed_people(app)
        figures.append(Figure(f"seed {N_PEOPLE:,} people + the search bench's data", time.perf_counter() - start,
                              "s"))
        start = time.perf_counter()
        counts = _reindex(app)
        figures.append(Figure(f"flask search reindex ({counts.get('person', 0):,} people documents)",
                              time.perf_counter() - start, "s"))
        with serve(app) as (host, port):
            events = http_get_timer(host, port, "/events/")
            assert events() == 200
            for label, path in (
                ("GET /people", "/people"),
                ("GET /people?q=water", "/people?q=water"),
                ("GET /people?topic=energy-efficiency&language=fr", "/people?topic=energy-efficiency&language=fr"),
                ("GET /people?sdg=11&country=CO&page=3", "/people?sdg=11&country=CO&page=3"),
                ("GET /api/v1/people?q=leipzig&per_page=50", "/api/v1/people?q=leipzig&per_page=50"),
            ):
                get = http_get_timer(host, port, path)
                assert get() == 200, path
                base, samples = _interleaved(events, get, repeat=30)
                figures.append(Figure(f"{label} median", median_ms(samples), "ms", "/events/ median, interleaved",
                                      median_ms(samples) / median_ms(base), f"<= {TARGET:g}x"))
                figures.append(Figure(f"{label} p95", p95_ms(samples), "ms", "/events/ p95, interleaved",
                                      p95_ms(samples) / p95_ms(base)))
    return figures


if __name__ == "__main__":
    from bench.common import print_table

    print_table(run())
