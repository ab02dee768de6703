"""Shared bench helpers: a throwaway app and database, a real HTTP server on loopback, timing, the table."""

from __future__ import annotations

import http.client
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

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
