"""People: /people and GET /api/v1/people with 20,000 people (their profiles mostly visible), 10,000 practices
and 1,000 organisations, against the events list page in the same run (issue 14: median <= 3x)."""

from __future__ import annotations

import time

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

DATA = Dataset(organisations=1_000, events=10_000, practices=10_000, people=20_000)
TARGET = 3.0


def run() -> list[Figure]:
    figures = []
    with bench_app() as app:
        start = time.perf_counter()
        seed(app, DATA)
        figures.append(Figure(f"seed {DATA.describe()}", time.perf_counter() - start, "s"))
        start = time.perf_counter()
        counts = reindex(app)
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
                figures += ratio_figures(label, *interleaved(events, get, repeat=30), TARGET)
    return figures


if __name__ == "__main__":
    from bench.common import print_table

    print_table(run())
