"""Foundation: API list latency against /healthz on the same server."""

from __future__ import annotations

from bench.common import Figure, bench_app, http_get_timer, median_ms, p95_ms, serve, timings


def run() -> list[Figure]:
    figures = []
    with bench_app() as app, serve(app) as (host, port):
        health = timings(http_get_timer(host, port, "/healthz"), repeat=200)
        topics = timings(http_get_timer(host, port, "/api/v1/topics"), repeat=200)
        base = median_ms(health)
        figures.append(Figure("GET /healthz median", base, "ms"))
        figures.append(Figure("GET /healthz p95", p95_ms(health), "ms"))
        figures.append(Figure("GET /api/v1/topics median", median_ms(topics), "ms", "/healthz median",
                              median_ms(topics) / base))
    return figures
