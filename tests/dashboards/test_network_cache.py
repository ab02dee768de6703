"""The network's figures are kept a few minutes once counted (app.dashboards.snapshots), per filters and
audience; the page and the API say when they were counted; a ttl of 0 counts every time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.dashboards.filters import DashboardFilters, parse_filters
from app.dashboards.network_stats import network_stats_kept
from app.dashboards.snapshots import NETWORK_FIGURES, FigureCache
from tests.dashboards.network_data import build_network, grow

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _empty_cache():
    NETWORK_FIGURES.clear()
    yield
    NETWORK_FIGURES.clear()


def test_a_kept_set_of_figures_is_served_until_its_time_is_up():
    cache: FigureCache[int] = FigureCache()
    counted = []

    def count():
        counted.append(1)
        return len(counted)

    assert cache.get("k", count, now=NOW, ttl=60) == (1, NOW)
    assert cache.get("k", count, now=NOW + timedelta(seconds=59), ttl=60) == (1, NOW)
    later = NOW + timedelta(seconds=60)
    assert cache.get("k", count, now=later, ttl=60) == (2, later)
    assert cache.get("other", count, now=later, ttl=60) == (3, later)
    assert cache.get("k", count, now=later, ttl=0) == (4, later)  # 0: always counted
    assert len(counted) == 4


def test_the_cache_holds_a_bounded_number_of_sets():
    cache: FigureCache[str] = FigureCache(size=2)
    for key in ("a", "b", "c"):
        cache.get(key, lambda key=key: key, now=NOW, ttl=60)
    recounted = []
    cache.get("a", lambda: recounted.append("a") or "a2", now=NOW, ttl=60)  # "a" was dropped, the oldest
    assert recounted == ["a"]
    assert cache.get("c", lambda: "never", now=NOW, ttl=60) == ("c", NOW)


def test_kept_figures_per_filters_and_audience(session):
    net = build_network(session)
    session.commit()
    everything = DashboardFilters()
    public, counted_at = network_stats_kept(session, filters=everything, include_unpublished=False, top_pairs=20,
                                            now=NOW, ttl=300)
    assert counted_at == NOW and public.flow_pairs == 4
    grow(session, 2)  # two more pairs
    session.commit()
    again, when = network_stats_kept(session, filters=everything, include_unpublished=False, top_pairs=20,
                                     now=NOW + timedelta(minutes=4), ttl=300)
    assert again is public and when == NOW  # kept: counted at NOW
    admin, _ = network_stats_kept(session, filters=everything, include_unpublished=True, top_pairs=200,
                                  now=NOW + timedelta(minutes=4), ttl=300)
    assert admin.flow_pairs == 5 + 2  # another audience is counted afresh
    filtered, _ = network_stats_kept(session, filters=parse_filters({"format": "workshop"}),
                                     include_unpublished=False, top_pairs=20, now=NOW, ttl=300)
    assert filtered is not public
    fresh, when = network_stats_kept(session, filters=everything, include_unpublished=False, top_pairs=20,
                                     now=NOW + timedelta(minutes=5), ttl=300)
    assert when == NOW + timedelta(minutes=5) and fresh.flow_pairs == 4 + 2
    assert net.bonn.id in fresh.organisations


def test_the_page_and_the_api_count_once_then_say_when(app, client, session, count_queries):
    build_network(session)
    session.commit()
    app.config["NETWORK_STATS_CACHE_SECONDS"] = 300
    try:
        with count_queries() as first:
            assert client.get("/network").status_code == 200
        with count_queries() as second:
            page = client.get("/network")
        assert second.count < first.count - 5  # the figures' aggregate queries are not run again
        assert "Figures as of" in page.get_data(as_text=True)
        body = client.get("/api/v1/network/stats").get_json()
        assert datetime.fromisoformat(body["counted_at"]) <= datetime.now(UTC)
    finally:
        app.config["NETWORK_STATS_CACHE_SECONDS"] = 0
