"""Per-request overhead: ours against a bare Flask (+ Flask-SQLAlchemy) app, both served by gunicorn.

Both apps run in the same run on the same server set-up (gunicorn, 2 sync workers, one new connection per
request as sync workers answer), on the same database (BENCH_DATABASE_URL or a temporary SQLite file):
- bare hello-world                        -> baseline of GET /healthz
- bare list page, 50 of 1,000 rows, JSON  -> baseline of GET /api/v1/events?per_page=50 (1,000 events)
- bare list page, 50 of 1,000 rows, HTML  -> baseline of the HTML events list /events/
Requests go to each target in turn, so a machine busy with other work slows all of them alike.
"""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from bench.common import Figure, bench_app, http_get_timer, median_ms

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = 240

TARGETS = [  # name, app, path, baseline name, target ratio
    ("bare hello-world", "bare", "/hello", None, None),
    ("bare list page JSON (50 of 1,000)", "bare", "/items.json", None, None),
    ("bare list page HTML (50 of 1,000)", "bare", "/items", None, None),
    ("GET /healthz", "ours", "/healthz", "bare hello-world", 1.3),
    ("GET /api/v1/events?per_page=50", "ours", "/api/v1/events?per_page=50",
     "bare list page JSON (50 of 1,000)", 2.0),
    ("GET /events/ (HTML list)", "ours", "/events/", "bare list page HTML (50 of 1,000)", 2.5),
    ("GET /calendar/events.ics warm (1,000 events)", "ours", "/calendar/events.ics", "GET /healthz", None),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(factory: str, url: str, probe: str):
    """`bench.overhead_apps:<factory>()` under gunicorn with 2 sync workers; yields (host, port)."""
    port = _free_port()
    env = {**os.environ, "BENCH_OVERHEAD_DB": url, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--worker-class", "sync", "--bind",
         f"127.0.0.1:{port}", "--log-level", "warning", f"bench.overhead_apps:{factory}()"],
        cwd=ROOT, env=env,
    )
    try:
        get = http_get_timer("127.0.0.1", port, probe)
        deadline = time.monotonic() + 60
        while True:
            try:
                if get() == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"gunicorn ({factory}) did not start")
            time.sleep(0.2)
        yield "127.0.0.1", port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _add_hosts(app) -> None:
    """Two host organisations per event, as the listing shows them."""
    from app.directory.models import Organisation
    from app.events.models import Event, event_host
    from app.extensions import db

    with app.app_context():
        orgs = [Organisation(name=f"City of Bench {n}", kind="municipality", city=f"Bench {n}", country="DE")
                for n in range(8)]
        db.session.add_all(orgs)
        db.session.flush()
        ids = list(db.session.scalars(sa.select(Event.id)))
        db.session.execute(sa.insert(event_host), [
            {"event_id": eid, "organisation_id": orgs[(eid + k) % 8].id} for eid in ids for k in (0, 3)
        ])
        db.session.commit()


def run() -> list[Figure]:
    from bench import overhead_apps
    from bench.bench_calendar import _seed

    samples: dict[str, list[float]] = {name: [] for name, *_ in TARGETS}
    with bench_app() as app:
        _seed(app)
        _add_hosts(app)
        url = app.config["SQLALCHEMY_DATABASE_URI"]
        os.environ["BENCH_OVERHEAD_DB"] = url
        overhead_apps.seed_bare()
        try:
            with gunicorn("bare", url, "/hello") as bare, gunicorn("ours", url, "/healthz") as ours:
                servers = {"bare": bare, "ours": ours}
                getters = {}
                for name, which, path, *_ in TARGETS:
                    get = http_get_timer(*servers[which], path)
                    status = get()
                    if status != 200:
                        raise RuntimeError(f"{path} answered {status}")
                    getters[name] = get
                for get in getters.values():
                    for _ in range(5):
                        get()
                # one request to each target in turn, in a new order each pass: a load that comes and goes
                # (and waking a server's worker after the other server ran) hits every target alike
                order = list(getters.items())
                rng = random.Random(7)
                for _ in range(REQUESTS):
                    rng.shuffle(order)
                    for name, get in order:
                        start = time.perf_counter()
                        get()
                        samples[name].append(time.perf_counter() - start)
        finally:
            overhead_apps.drop_bare()
            os.environ.pop("BENCH_OVERHEAD_DB", None)

    medians = {name: median_ms(values) for name, values in samples.items()}
    figures = []
    for name, _which, _path, baseline, target in TARGETS:
        value = medians[name]
        if baseline is None:
            figures.append(Figure(f"{name} median", value, "ms"))
            continue
        ratio = value / medians[baseline]
        verdict = ""
        if target is not None:
            verdict = f"<= {target}x: " + ("met" if ratio <= target else "NOT met")
        figures.append(Figure(f"{name} median", value, "ms", f"{baseline} median", ratio, verdict))
    return figures
