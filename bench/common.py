"""Shared bench helpers: a throwaway app and database, a real HTTP server on loopback, timing, the table."""

from __future__ import annotations

import http.client
import os
import random
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from werkzeug.serving import make_server


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    baseline: str = ""
    ratio: float | None = None
    target: str = ""

    def row(self) -> list[str]:
        ratio = f"{self.ratio:.2f}x" if self.ratio is not None else ""
        return [self.name, f"{self.value:,.3f} {self.unit}", self.baseline, ratio, self.target]


def print_table(figures: list[Figure]) -> None:
    headers = ["figure", "value", "baseline (same run)", "ratio", "target"]
    rows = [headers] + [f.row() for f in figures]
    widths = [max(len(r[i]) for r in rows) for i in range(len(headers))]
    for i, row in enumerate(rows):
        print("  ".join(cell.ljust(widths[j]) for j, cell in enumerate(row)))
        if i == 0:
            print("  ".join("-" * w for w in widths))


def timings(fn: Callable[[], object], *, repeat: int, warmup: int = 3) -> list[float]:
    """Seconds per call, for `repeat` calls after `warmup` untimed ones."""
    for _ in range(warmup):
        fn()
    result = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        result.append(time.perf_counter() - start)
    return result


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def p95_ms(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))] * 1000


@contextmanager
def bench_app(**overrides):
    """An app on a fresh database: BENCH_DATABASE_URL (PostgreSQL) or a temporary SQLite file."""
    from app import create_app
    from app.directory.services import ensure_default_topics
    from app.extensions import db
    from config import TestingConfig

    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite"

        class Config(TestingConfig):
            SQLALCHEMY_DATABASE_URI = url
            RATELIMIT_ENABLED = False

        for key, value in overrides.items():
            setattr(Config, key, value)
        app = create_app(Config)
        with app.app_context():
            db.drop_all()
            db.create_all()
            ensure_default_topics(db.session)
            db.session.commit()
        try:
            yield app
        finally:
            with app.app_context():
                db.session.remove()
                db.drop_all()
                db.engine.dispose()


@contextmanager
def serve(app):
    """The app on a real threaded HTTP server on loopback; yields (host, port)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield "127.0.0.1", server.server_port
    finally:
        server.shutdown()
        thread.join(timeout=5)


def http_get_timer(host: str, port: int, path: str, headers: dict | None = None) -> Callable[[], int]:
    """A function doing one GET on a kept-alive connection, returning the status."""
    conn = http.client.HTTPConnection(host, port, timeout=30)

    def get() -> int:
        nonlocal conn
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            response.read()
            return response.status
        except (http.client.HTTPException, OSError):
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=30)
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            response.read()
            return response.status

    return get


def login_cookie(app, email: str, password: str) -> str:
    """Sign in through the real login form; the `Cookie` header value for raw HTTP requests."""
    import re

    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', page)
    client.post("/auth/login", data={"email": email, "password": password,
                                     "csrf_token": token.group(1) or token.group(2)})
    return f"session={client.get_cookie('session').value}"


def interleaved(baseline: Callable[[], object], target: Callable[[], object], *, repeat: int,
                warmup: int = 3) -> tuple[list[float], list[float]]:
    """Seconds per call of the baseline and the target, taken in turns, so both see the same load (this
    machine's other work moved a baseline measured alone by 5x from one run to the next)."""
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


def ratio_figures(label: str, base: list[float], samples: list[float], target: float) -> list[Figure]:
    """The median (with its target) and p95 of a page against the baseline taken in turns with it."""
    return [Figure(f"{label} median", median_ms(samples), "ms", "/events/ median, interleaved",
                   median_ms(samples) / median_ms(base), f"<= {target:g}x"),
            Figure(f"{label} p95", p95_ms(samples), "ms", "/events/ p95, interleaved", p95_ms(samples) / p95_ms(base))]


# ---------------------------------------------------------------------------------------------------
# One data set for the search, people and matching benches

CITIES = [("Medellín", "CO", "America/Bogota"), ("Đà Nẵng", "VN", "Asia/Ho_Chi_Minh"),
          ("São Paulo", "BR", "America/Sao_Paulo"), ("Łódź", "PL", "Europe/Warsaw"), ("Leipzig", "DE", "Europe/Berlin"),
          ("Durban", "ZA", "Africa/Johannesburg"), ("Pune", "IN", "Asia/Kolkata"), ("Accra", "GH", "Africa/Accra"),
          ("Irbid", "JO", "Asia/Amman"), ("Dakar", "SN", "Africa/Dakar"), ("Puebla", "MX", "America/Mexico_City"),
          ("Thessaloniki", "GR", "Europe/Athens"), ("Lyon", "FR", "Europe/Paris")]
SUBJECTS = ["water supply", "cable car mobility", "waste recycling", "energy retrofits", "participatory budget",
            "heat adaptation", "bus rapid transit", "street lighting", "flood protection", "school meals",
            "digital permits", "urban gardens", "cycling lanes", "social housing", "air quality", "tourism"]
LANGUAGES = ("en", "fr", "es", "pt", "ar", "de", "ru", "zh")
SDG_TARGETS = ["11.1", "11.2", "11.3", "11.6", "11.7", "6.1", "6.2", "7.2", "7.3", "13.1", "13.2", "12.5", "1.4", "5.5"]
FILLER = ("The city council worked with residents, utilities and universities over several years; the results "
          "were measured every quarter and shared openly with other municipalities of the network. ")


@dataclass(frozen=True)
class Dataset:
    """How much of each thing seed() makes."""

    organisations: int = 1_000
    events: int = 10_000
    practices: int = 10_000
    people: int = 0

    def describe(self) -> str:
        parts = [(self.people, "people"), (self.practices, "practices"), (self.events, "events"),
                 (self.organisations, "organisations")]
        return ", ".join(f"{n:,} {name}" for n, name in parts if n)


def seed(app, size: Dataset, *, rng_seed: int = 13) -> None:
    """Bulk inserts (executemany) of the data set, the same for every bench that needs it: organisations of every
    size band, events (a tenth draft) with topics and hosts, practices (a twentieth draft) with two topics, two SDG
    targets (and their goals), a fifth presented at an event, and people (their accounts; profiles a tenth hidden,
    a fifth members-only, with topics, targets and two spoken languages). Then call reindex()."""
    from app.directory.models import Organisation, Topic
    from app.directory.regions import region_of
    from app.events.models import Event, event_host, event_topic
    from app.extensions import db
    from app.practices.models import (
        Practice,
        PracticeSdgGoal,
        PracticeSdgTarget,
        practice_event,
        practice_topic,
    )
    from app.practices.sdg import goal_of
    from app.sqltypes import utcnow

    rng = random.Random(rng_seed)
    now = utcnow()
    with app.app_context():
        conn = db.session.connection()
        topic_ids = list(db.session.scalars(sa.select(Topic.id)))

        def insert(table, rows, chunk=2000):
            for start in range(0, len(rows), chunk):
                conn.execute(sa.insert(table), rows[start:start + chunk])

        insert(Organisation.__table__, [
            {"name": f"{CITIES[n % len(CITIES)][0]} municipality {n}", "kind": "municipality",
             "city": CITIES[n % len(CITIES)][0], "country": CITIES[n % len(CITIES)][1],
             "region": region_of(CITIES[n % len(CITIES)][1]), "description": f"Known for {SUBJECTS[n % 16]}.",
             "population": rng.choice([40_000, 250_000, 700_000, 2_500_000]) + n, "created_at": now}
            for n in range(size.organisations)])
        org_ids = list(db.session.scalars(sa.select(Organisation.id).order_by(Organisation.id)))
        events = []
        for n in range(size.events):
            city, country, zone = CITIES[n % len(CITIES)]
            subject = SUBJECTS[rng.randrange(len(SUBJECTS))]
            start = now + timedelta(days=rng.randint(-200, 400), hours=rng.randint(0, 23))
            published = bool(n % 10)
            events.append({
                "slug": f"bench-event-{n}", "title": f"{subject.capitalize()} workshop {n} in {city}",
                "format": "workshop", "summary": f"How {city} handles {subject}.", "description": FILLER * 3,
                "status": "published" if published else "draft", "languages": ["en"], "timezone": zone,
                "starts_at": start, "ends_at": start + timedelta(hours=8), "venue": "Town hall", "address": "",
                "city": city, "country": country, "capacity": 20, "requires_approval": False, "waitlist_mode": "auto",
                "offer_hours": 48, "min_attendance_percent": 100, "auto_certificates": True,
                "reminder_offsets_hours": [168, 24], "revision": 0, "lock_version": 0, "created_at": now,
                "updated_at": now, "published_at": now if published else None})
        insert(Event.__table__, events)
        event_ids = list(db.session.scalars(sa.select(Event.id).order_by(Event.id)))
        insert(event_topic, [{"event_id": e, "topic_id": t} for e in event_ids for t in rng.sample(topic_ids, 2)])
        insert(event_host, [{"event_id": e, "organisation_id": rng.choice(org_ids)} for e in event_ids])
        practices = []
        for n in range(size.practices):
            city, country, _ = CITIES[rng.randrange(len(CITIES))]
            subject = SUBJECTS[rng.randrange(len(SUBJECTS))]
            practices.append({
                "slug": f"bench-practice-{n}", "status": "published" if n % 20 else "draft",
                "language": ("en", "es", "pt", "fr")[n % 4], "title": f"{subject.capitalize()} in {city} ({n})",
                "summary": f"{city} improved {subject} step by step.", "organisation_id": rng.choice(org_ids),
                "city": city, "country": country, "region": region_of(country),
                "stage": ("idea", "pilot", "implemented", "scaled")[n % 4],
                "challenge": FILLER * 2, "solution": f"The {subject} solution: " + FILLER * 2, "results": FILLER,
                "costs_and_funding": "", "stakeholders": "", "success_factors": "", "obstacles": "",
                "transferability": FILLER, "review_comment": "", "revision": 0, "created_at": now, "updated_at": now,
                "published_at": now - timedelta(days=rng.randint(0, 900))})
        insert(Practice.__table__, practices)
        practice_ids = list(db.session.scalars(sa.select(Practice.id).order_by(Practice.id)))
        insert(practice_topic, [{"practice_id": p, "topic_id": t} for p in practice_ids
                                for t in rng.sample(topic_ids, 2)], chunk=5000)
        targets = {p: rng.sample(SDG_TARGETS, 2) for p in practice_ids}
        insert(PracticeSdgTarget.__table__, [{"practice_id": p, "target": t} for p, ts in targets.items() for t in ts],
               chunk=5000)
        insert(PracticeSdgGoal.__table__, [{"practice_id": p, "goal": g} for p, ts in targets.items()
                                           for g in sorted({goal_of(t) for t in ts})], chunk=5000)
        if event_ids:
            insert(practice_event, [{"practice_id": p, "event_id": rng.choice(event_ids)} for p in practice_ids[::5]])
        if size.people:
            _seed_people(conn, size.people, rng=rng, org_ids=org_ids, topic_ids=topic_ids, now=now)
        db.session.commit()


def _seed_people(conn, n_people: int, *, rng, org_ids, topic_ids, now) -> None:
    from app.auth.models import User
    from app.people.models import Profile, ProfileSdgTarget, profile_topic

    users = [{"email": f"bench-person-{n}@example.org", "name": f"Person {n} {CITIES[n % len(CITIES)][0]}",
              "password_hash": "x", "role": "participant", "organisation_id": rng.choice(org_ids) if n % 4 else None,
              "country": CITIES[n % len(CITIES)][1], "timezone": CITIES[n % len(CITIES)][2],
              "language": LANGUAGES[n % 6], "is_active_account": True, "auth_version": 0, "created_at": now}
             for n in range(n_people)]
    for start in range(0, n_people, 2000):
        conn.execute(sa.insert(User.__table__), users[start:start + 2000])
    user_ids = list(conn.scalars(sa.select(User.id).where(User.email.like("bench-person-%")).order_by(User.id)))
    profiles = [{"user_id": uid, "visibility": "hidden" if n % 10 == 0 else "members" if n % 5 == 1 else "public",
                 "position": f"{SUBJECTS[n % 16].capitalize()} adviser", "city": CITIES[n % len(CITIES)][0],
                 "bio": f"Works on {SUBJECTS[rng.randrange(16)]} and {SUBJECTS[rng.randrange(16)]}.",
                 "languages": rng.sample(LANGUAGES, 2), "shows_events": False, "shows_certificates": False,
                 "accepts_messages": True, "created_at": now, "updated_at": now}
                for n, uid in enumerate(user_ids)]
    for start in range(0, len(profiles), 2000):
        conn.execute(sa.insert(Profile.__table__), profiles[start:start + 2000])
    conn.execute(sa.insert(profile_topic), [{"user_id": u, "topic_id": t} for u in user_ids
                                            for t in rng.sample(topic_ids, 2)])
    conn.execute(sa.insert(ProfileSdgTarget.__table__), [{"user_id": u, "target": t} for u in user_ids
                                                         for t in rng.sample(SDG_TARGETS, 2)])


def reindex(app) -> dict[str, int]:
    """`flask search reindex` after the bulk load, then (PostgreSQL) VACUUM ANALYZE: what autovacuum does after a
    bulk insert, at once (the statistics, and the visibility map an index-only scan needs)."""
    from app.extensions import db
    from app.search import reindex as rebuild

    with app.app_context():
        counts = rebuild(db.session)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        return counts
