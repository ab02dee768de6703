"""Learning: the organisers' progress matrix (500 participants × 12 modules), HTML and CSV, against /healthz."""

from __future__ import annotations

import re
from decimal import Decimal

from bench.common import Figure, bench_app, http_get_timer, median_ms, p95_ms, serve, timings

PARTICIPANTS = 500
MODULES = 12
PASSWORD = "bench-password-123"


def _seed(app) -> int:
    """A published programme with 12 modules and 500 participants at varied progress; returns its id."""
    from app.auth import services as auth_services
    from app.extensions import db
    from app.learning.models import Module, ModuleCompletion, Programme, ProgrammeParticipant, Submission
    from app.sqltypes import utcnow

    now = utcnow()
    with app.app_context():
        session = db.session
        organiser = auth_services.register_user(session, email="org@bench.example.org", name="Organiser", role="organiser",
                                                password=PASSWORD, hash_method="pbkdf2:sha256:1000")
        programme = Programme(slug="bench", title="Bench programme", status="published", published_at=now)
        programme.organisers = [organiser]
        session.add(programme)
        session.flush()
        modules = [Module(programme_id=programme.id, position=i, title=f"Module {i + 1}", hours=Decimal("4"),
                          is_required=i % 4 != 3, completion="self_study" if i % 3 == 0 else "event")
                   for i in range(MODULES)]
        session.add_all(modules)
        session.flush()
        hashed = auth_services.hash_password(PASSWORD, "pbkdf2:sha256:1000")
        users = [{"email": f"p{i}@bench.example.org", "name": f"Participant {i:03d}", "password_hash": hashed,
                  "role": "participant", "timezone": "UTC", "language": "en"} for i in range(PARTICIPANTS)]
        from app.auth.models import User

        session.execute(User.__table__.insert(), users)
        user_ids = [uid for (uid,) in session.execute(User.__table__.select().with_only_columns(User.id)
                                                      .where(User.email.like("p%@bench.example.org")))]
        session.add_all(ProgrammeParticipant(programme_id=programme.id, user_id=uid, joined_at=now)
                        for uid in user_ids)
        completions = []
        for n, uid in enumerate(user_ids):
            for module in modules[: n % (MODULES + 1)]:
                completions.append({"module_id": module.id, "user_id": uid, "source": "manual", "note": "bench",
                                    "recorded_by_id": organiser.id, "completed_at": now})
        session.execute(ModuleCompletion.__table__.insert(), completions)
        session.add_all(Submission(module_id=modules[0].id, user_id=uid, text="bench", submitted_at=now)
                        for uid in user_ids[::7])
        session.commit()
        return programme.id


def _session_cookie(app) -> str:
    """Log the organiser in through the real login form; the session cookie for raw HTTP requests."""
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', page)
    client.post("/auth/login", data={"email": "org@bench.example.org", "password": PASSWORD,
                                     "csrf_token": token.group(1) or token.group(2)})
    cookie = client.get_cookie("session")
    return f"session={cookie.value}"


def run() -> list[Figure]:
    figures = []
    with bench_app() as app:
        programme_id = _seed(app)
        headers = {"Cookie": _session_cookie(app)}
        with serve(app) as (host, port):
            health = timings(http_get_timer(host, port, "/healthz"), repeat=100)
            page_get = http_get_timer(host, port, f"/programmes/manage/{programme_id}/progress", headers)
            csv_get = http_get_timer(host, port, f"/programmes/manage/{programme_id}/progress.csv", headers)
            assert page_get() == 200 and csv_get() == 200, "the progress pages must answer 200"
            page = timings(page_get, repeat=15, warmup=2)
            table = timings(csv_get, repeat=15, warmup=2)
        base = median_ms(health)
        label = f"{PARTICIPANTS}×{MODULES}"
        figures.append(Figure("GET /healthz median (learning run)", base, "ms"))
        figures.append(Figure(f"progress matrix HTML {label} median", median_ms(page), "ms", "/healthz median",
                              median_ms(page) / base))
        figures.append(Figure(f"progress matrix HTML {label} p95", p95_ms(page), "ms", "/healthz median",
                              p95_ms(page) / base))
        figures.append(Figure(f"progress matrix CSV {label} median", median_ms(table), "ms", "/healthz median",
                              median_ms(table) / base))
    return figures
