"""Search: /search and GET /api/v1/search on 10,000 practices, 10,000 events and 1,000 organisations, against
the events list page in the same run (issue 13: median <= 3x), and the time to rebuild the index."""

from __future__ import annotations

import time

from bench.common import (
    Dataset,
    Figure,
    bench_app,
    http_get_timer,
    interleaved,
    median_ms,
    ratio_figures,
    reindex,
    seed,
    serve,
    timings,
)

DATA = Dataset(organisations=1_000, events=10_000, practices=10_000)
TARGET = 3.0


def run() -> list[Figure]:
    figures = []
    with bench_app() as app:
        start = time.perf_counter()
        seed(app, DATA)
        figures.append(Figure(f"seed {DATA.describe()}", time.perf_counter() - start, "s"))
        start = time.perf_counter()
        counts = reindex(app)
        figures.append(Figure(f"flask search reindex ({sum(counts.values()):,} documents)",
                              time.perf_counter() - start, "s"))
        with serve(app) as (host, port):
            events = http_get_timer(host, port, "/events/")
            assert events() == 200
            figures.append(Figure("GET /events/ (list page) median", median_ms(timings(events, repeat=40)), "ms"))
            for label, path in (
                ("GET /search?q=water", "/search?q=water"),
                ("GET /search?q=medellin&type=practice", "/search?q=medellin&type=practice"),
                ("GET /search?q=cable car medel", "/search?q=cable%20car%20medel"),
                ("GET /search?q=w (a one-letter word)", "/search?q=w"),
                ("GET /search?q=the (a word in nearly every document)", "/search?q=the"),
                ("GET /search (no words: facets of everything)", "/search"),
                ("GET /search?q=danang&sdg=11&page=3", "/search?q=danang&sdg=11&page=3"),
                ("GET /api/v1/search?q=water", "/api/v1/search?q=water"),
                ("GET /api/v1/search?q=sao paulo&per_page=50", "/api/v1/search?q=sao%20paulo&per_page=50"),
                ("GET /api/v1/search?region=419&type=event", "/api/v1/search?region=419&type=event"),
                ("GET /events/?q=medellin (list page, search filter)", "/events/?q=medellin"),
            ):
                get = http_get_timer(host, port, path)
                assert get() == 200, path
                figures += ratio_figures(label, *interleaved(events, get, repeat=40), TARGET)
    return figures


if __name__ == "__main__":
    from bench.common import print_table

    print_table(run())
