"""Dashboards (issue 15): the event, programme and network dashboards, their stats APIs and the admin home on
10,000 events, 100,000 enrolments (with check-ins and certificates) and 1,000 organisations, each as a ratio
against the events list page measured in the same run (target: at most 5x).

A URL is measured only when the app has its route, so the module runs before every dashboard is merged.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa
from werkzeug.exceptions import MethodNotAllowed, NotFound

from bench.bench_events import N_ENROLMENTS, N_EVENTS
from bench.bench_events import _seed as seed_events_and_enrolments
from bench.common import Figure, bench_app, http_get_timer, interleaved, login_cookie, ratio_figures, serve

N_ORGANISATIONS = 1_000
N_PROGRAMMES = 20
MODULES_PER_PROGRAMME = 8
PARTICIPANTS_PER_PROGRAMME = 400
ADMIN_EMAIL = "admin@bench.example.org"
PASSWORD = "bench-password-123"
REPEAT = 25
COUNTRIES = ("DE", "ZA", "VN", "IN", "BR", "GH", "JO", "MA", "TN", "MX", "ID", "PH", "KE", "UA", "FR")


def _seed(app) -> dict:
    """Events and enrolments as bench_events builds them, then organisations, hosts, check-ins, certificates,
    programmes with modules, completions and submissions; bulk inserts throughout. Returns the ids to measure."""
    from app.auth import services as auth_services
    from app.auth.models import User
    from app.certificates.models import Certificate
    from app.directory.models import Organisation
    from app.events.models import Checkin, Enrolment, Event, event_host, event_organiser
    from app.extensions import db
    from app.learning.models import (
        Module,
        ModuleCompletion,
        Programme,
        ProgrammeCompletion,
        ProgrammeParticipant,
        Submission,
        programme_organiser,
    )
    from app.sqltypes import utcnow

    seed_events_and_enrolments(app)
    rng = random.Random(15)
    now = utcnow()
    with app.app_context():
        session = db.session
        conn = session.connection()
        admin = auth_services.register_user(session, email=ADMIN_EMAIL, name="Bench Admin", role="admin",
                                            password=PASSWORD, hash_method="pbkdf2:sha256:1000")
        session.flush()
        admin_id = admin.id

        # 1,000 organisations; every participant belongs to one, every event is hosted by one
        conn.execute(sa.insert(Organisation.__table__), [
            {"name": f"Bench City {n}", "kind": "municipality", "city": f"Town {n}",
             "country": COUNTRIES[n % len(COUNTRIES)], "description": "", "region": "", "created_at": now}
            for n in range(N_ORGANISATIONS)
        ])
        org_ids = list(session.scalars(sa.select(Organisation.id).order_by(Organisation.id)))
        first_org = org_ids[0]
        conn.execute(sa.update(User.__table__).where(User.id != admin_id)
                     .values(organisation_id=first_org + User.__table__.c.id % N_ORGANISATIONS,
                             country=sa.case(*((User.__table__.c.id % len(COUNTRIES) == i, c)
                                               for i, c in enumerate(COUNTRIES)))))
        events = session.execute(sa.select(Event.id, Event.starts_at, Event.status).order_by(Event.id)).all()
        conn.execute(sa.insert(event_host), [{"event_id": eid, "organisation_id": org_ids[(eid * 7) % N_ORGANISATIONS]}
                                             for eid, _, _ in events])
        past = [(eid, starts) for eid, starts, status in events if starts < now and status == "published"]
        dashboard_event = past[len(past) // 2][0]
        conn.execute(sa.insert(event_organiser), [{"event_id": dashboard_event, "user_id": admin_id}])

        # past events: three in four confirmed people checked in (one day), half of those certified
        starts_by_event = dict(past)
        confirmed = session.execute(
            sa.select(Enrolment.id, Enrolment.event_id, Enrolment.user_id)
            .where(Enrolment.status == "confirmed", Enrolment.event_id.in_(
                sa.select(Event.id).where(Event.starts_at < now, Event.status == "published")))
            .order_by(Enrolment.id)
        ).all()
        checkins, certificates = [], []
        for n, (enrolment_id, event_id, user_id) in enumerate(confirmed):
            if n % 4 == 3:
                continue
            starts = starts_by_event[event_id]
            checkins.append({"enrolment_id": enrolment_id, "session_id": None, "day": starts.date(),
                             "method": "search", "checked_in_at": starts + timedelta(minutes=rng.randint(0, 90))})
            if n % 2 == 0:
                certificates.append({
                    "code": f"BENCH{len(certificates):010d}", "kind": "event", "holder_id": user_id,
                    "event_id": event_id, "hours": Decimal("8"), "language": "en",
                    "issued_at": starts + timedelta(days=1), "snapshot": {}, "holder_withheld": False,
                    "pdf_sha256": "0" * 64,
                })
        for table, rows in ((Checkin.__table__, checkins), (Certificate.__table__, certificates)):
            for start in range(0, len(rows), 20_000):
                conn.execute(sa.insert(table), rows[start:start + 20_000])

        # programmes: 8 modules each, 400 participants at varied progress, completions, submissions waiting
        user_ids = list(session.scalars(sa.select(User.id).where(User.id != admin_id).order_by(User.id)))
        conn.execute(sa.insert(Programme.__table__), [
            {"slug": f"bench-programme-{p}", "title": f"Bench programme {p}", "summary": "", "description": "",
             "language": "en", "status": "published", "created_at": now, "updated_at": now, "published_at": now}
            for p in range(N_PROGRAMMES)
        ])
        programme_ids = list(session.scalars(sa.select(Programme.id).order_by(Programme.id)))
        conn.execute(sa.insert(programme_organiser), [{"programme_id": pid, "user_id": admin_id}
                                                      for pid in programme_ids])
        conn.execute(sa.insert(Module.__table__), [
            {"programme_id": pid, "position": i, "title": f"Module {i + 1}", "hours": Decimal("4"),
             "is_required": i % 4 != 3, "completion": "self_study" if i % 3 == 0 else "event"}
            for pid in programme_ids for i in range(MODULES_PER_PROGRAMME)
        ])
        modules: dict[int, list[int]] = {}
        for pid, mid in session.execute(sa.select(Module.programme_id, Module.id).order_by(Module.position)):
            modules.setdefault(pid, []).append(mid)
        participants, completions, done, submissions = [], [], [], []
        for pid in programme_ids:
            for n, uid in enumerate(rng.sample(user_ids, PARTICIPANTS_PER_PROGRAMME)):
                joined = now - timedelta(days=rng.randint(30, 360))
                participants.append({"programme_id": pid, "user_id": uid, "joined_at": joined})
                reached = n % (MODULES_PER_PROGRAMME + 1)
                for i, mid in enumerate(modules[pid][:reached]):
                    completions.append({"module_id": mid, "user_id": uid, "source": "manual", "note": "bench",
                                        "recorded_by_id": admin_id, "completed_at": joined + timedelta(days=3 * i)})
                if reached == MODULES_PER_PROGRAMME:
                    done.append({"programme_id": pid, "user_id": uid, "hours": Decimal("32"),
                                 "completed_at": joined + timedelta(days=3 * reached)})
                elif n % 5 == 0:
                    submissions.append({"module_id": modules[pid][reached], "user_id": uid, "text": "bench",
                                        "status": "submitted", "submitted_at": now, "reviewer_comment": ""})
        for table, rows in ((ProgrammeParticipant.__table__, participants), (ModuleCompletion.__table__, completions),
                            (ProgrammeCompletion.__table__, done), (Submission.__table__, submissions)):
            for start in range(0, len(rows), 20_000):
                conn.execute(sa.insert(table), rows[start:start + 20_000])

        _, token = auth_services.create_api_token(session, admin_id, now=now)
        session.execute(sa.update(auth_services.ApiToken).values(last_used_at=now))  # no write on each request
        session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as fresh:
                fresh.execute(sa.text("ANALYZE"))  # the planner's statistics, as autovacuum keeps them live
        return {"event": dashboard_event, "programme": programme_ids[len(programme_ids) // 2],
                "token": token, "checkins": len(checkins), "certificates": len(certificates)}


def _has_route(app, path: str) -> bool:
    """Whether the app answers GET `path` with a view of its own (the dashboards arrive in several branches)."""
    adapter = app.url_map.bind("localhost")
    try:
        adapter.match(path.split("?", 1)[0], method="GET")
    except (NotFound, MethodNotAllowed):
        return False
    except Exception:  # noqa: BLE001 - a redirect (e.g. a missing slash) still means the route exists
        return True
    return True


class _QueryCounter:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def _before(self, *args):
        self.count += 1

    def __enter__(self):
        sa.event.listen(self.engine, "before_cursor_execute", self._before)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self._before)


def run() -> list[Figure]:
    from app.extensions import db

    figures = []
    with bench_app() as app:
        start = time.perf_counter()
        ids = _seed(app)
        figures.append(Figure(
            f"seed {N_EVENTS:,} events, {N_ENROLMENTS:,} enrolments ({ids['checkins']:,} check-ins, "
            f"{ids['certificates']:,} certificates), {N_ORGANISATIONS:,} organisations, {N_PROGRAMMES} programmes",
            time.perf_counter() - start, "s"))
        with app.app_context():
            engine = db.engine
        cookie = {"Cookie": login_cookie(app, ADMIN_EMAIL, PASSWORD)}
        bearer = {"Authorization": f"Bearer {ids['token']}"}
        event, programme = ids["event"], ids["programme"]
        pages = [
            ("GET /events/<id>/dashboard", f"/events/{event}/dashboard", cookie, 0),
            ("GET /api/v1/events/<id>/stats", f"/api/v1/events/{event}/stats", bearer, 0),
            ("GET /programmes/<id>/dashboard", f"/programmes/{programme}/dashboard", cookie, 0),
            ("GET /api/v1/programmes/<id>/stats", f"/api/v1/programmes/{programme}/stats", bearer, 0),
            # the network's figures, counted at every request (NETWORK_STATS_CACHE_SECONDS=0) ...
            ("GET /network (public, counted every time)", "/network", {}, 0),
            ("GET /network (admin, counted every time)", "/network", cookie, 0),
            ("GET /api/v1/network/stats (admin, counted every time)", "/api/v1/network/stats", bearer, 0),
            # ... and as deployed: kept 300 s once counted (app.dashboards.snapshots)
            ("GET /network (public, figures kept 300 s)", "/network", {}, 300),
            ("GET /network (admin, figures kept 300 s)", "/network", cookie, 300),
            ("GET /api/v1/network/stats (admin, figures kept 300 s)", "/api/v1/network/stats", bearer, 300),
            ("GET /admin/ (overview)", "/admin/", cookie, 0),
        ]
        with serve(app) as (host, port):
            base_get = http_get_timer(host, port, "/events/", cookie)
            assert base_get() == 200, "the events list page must answer 200"
            for label, path, headers, kept in pages:
                if not _has_route(app, path):
                    figures.append(Figure(f"{label}: no route yet, not measured", 0, ""))
                    continue
                app.config["NETWORK_STATS_CACHE_SECONDS"] = kept
                get = http_get_timer(host, port, path, headers)
                with _QueryCounter(engine) as counter:
                    status = get()
                if status != 200:
                    figures.append(Figure(f"{label}: answered {status}, not measured", status, "HTTP"))
                    continue
                # taken in turns with the events list, so both see the same load
                base, samples = interleaved(base_get, get, repeat=REPEAT, warmup=2)
                figures.extend(ratio_figures(f"{label} ({counter.count} statements)", base, samples, 5))
            app.config["NETWORK_STATS_CACHE_SECONDS"] = 0
    return figures


if __name__ == "__main__":
    from bench.common import print_table

    print_table(run())
