"""Finding peers: POST /api/v1/match and GET /match with 20,000 people, 10,000 practices and 1,000 organisations,
against the events list page in the same run (issue 14: median <= 3x), and the queries each answer takes."""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Callable

import sqlalchemy as sa

from bench.common import (
    Dataset,
    Figure,
    bench_app,
    http_get_timer,
    interleaved,
    ratio_figures,
    reindex,
    seed,
    serve,
)

DATA = Dataset(organisations=1_000, events=1_000, practices=10_000, people=20_000)
TARGET = 3.0
CHALLENGES = {
    "everything": {"topics": ["sustainable-transport"], "sdg_targets": ["11.2"], "region": "155",
                   "size_band": "large", "languages": ["fr"], "text": "bus rapid transit"},
    "two targets + region": {"sdg_targets": ["11.2", "6.1"], "region": "419"},
    "a language only (a third of everyone)": {"languages": ["fr"]},
    "text only": {"text": "flood protection"},
}


def _http_post_timer(host: str, port: int, path: str, body: dict) -> Callable[[], int]:
    conn = http.client.HTTPConnection(host, port, timeout=30)
    payload = json.dumps(body)

    def post() -> int:
        conn.request("POST", path, body=payload, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        return response.status

    return post


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
        seed(app, DATA, rng_seed=14)
        reindex(app)
        figures.append(Figure(f"seed + index {DATA.describe()}", time.perf_counter() - start, "s"))
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
                figures += ratio_figures(label, *interleaved(events, call, repeat=30), TARGET)
    return figures


if __name__ == "__main__":
    from bench.common import print_table

    print_table(run())
