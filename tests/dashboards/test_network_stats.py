"""The network dashboard's figures against the hand-counted network of network_data.py."""

from __future__ import annotations

from datetime import date

import pytest

from app.dashboards.filters import DashboardFilters, FilterInvalid, parse_filters
from app.dashboards.network_stats import Reach, network_stats
from tests.dashboards.network_data import build_network, grow


def _flows(stats):
    return [(stats.organisations[f.from_organisation_id].name, stats.organisations[f.to_organisation_id].name,
             f.people) for f in stats.flows]


def test_flows_count_distinct_people_between_different_organisations(session):
    build_network(session)
    stats = network_stats(session)
    # b1 and b2 to Irbid (b1 twice: once), i1 to Bonn, t1 to Bonn and Irbid; i1 at its own Irbid's E1 is no
    # flow, n1 has no organisation, b3 cancelled, t1 only waited for E2, E4 is a draft, E5 cancelled, E6 unhosted
    assert _flows(stats) == [("Bonn", "Irbid", 2), ("Irbid", "Bonn", 1), ("Tunis", "Bonn", 1),
                             ("Tunis", "Irbid", 1)]
    assert stats.flow_pairs == 4


def test_admins_see_drafts_and_every_pair(session):
    build_network(session)
    stats = network_stats(session, include_unpublished=True, top_pairs=None)
    assert ("Bonn", "Tunis", 1) in _flows(stats)  # b1 in the draft E4
    assert stats.flow_pairs == 5
    top = network_stats(session, top_pairs=2)
    assert len(top.flows) == 2 and top.flow_pairs == 4


def test_events_per_year_by_format_and_region(session):
    build_network(session)
    stats = network_stats(session)
    assert [(r.year, r.key, r.events) for r in stats.events_by_year] == [
        (2025, "workshop", 1), (2026, "conference", 1), (2026, "information_trip", 1), (2026, "training", 1)]
    # Western Asia (JO): E1, E2; Western Europe (DE): E3; no country: E6
    assert stats.events_by_region == {"145": 2, "": 1, "155": 1}
    assert [(r.year, r.key, r.events) for r in stats.events_by_year_region] == [
        (2025, "145", 1), (2026, "", 1), (2026, "145", 1), (2026, "155", 1)]
    admin = network_stats(session, include_unpublished=True)
    assert (2026, "workshop", 1) in [(r.year, r.key, r.events) for r in admin.events_by_year]
    assert admin.events_by_region["015"] == 1  # Tunis's draft, Northern Africa
    assert stats.years == [2025, 2026]


def test_reach_by_topic_and_sdg(session):
    build_network(session)
    stats = network_stats(session)
    # transport: E1, E3; P1 (P2 is a draft); b1 (i1's profile is for members only)
    assert stats.reach_by_topic == {"circular-economy": Reach(events=1, practices=1, people=1),
                                    "sustainable-transport": Reach(events=2, practices=1, people=1)}
    # goal 11: P1; b1 (two targets, one person) and t1; goal 6: P3 (two targets, one practice)
    assert stats.reach_by_sdg == {6: Reach(practices=1, people=0), 11: Reach(practices=1, people=2)}
    admin = network_stats(session, include_unpublished=True)
    assert admin.reach_by_topic["sustainable-transport"] == Reach(events=2, practices=2, people=2)
    assert admin.reach_by_sdg[6] == Reach(practices=1, people=1)
    assert stats.topics["sustainable-transport"]


def test_most_wanted_practices_and_city_activity(session):
    net = build_network(session)
    stats = network_stats(session)
    assert [(p.practice_id, p.organisations) for p in stats.most_wanted] == [
        (net.practices["p1"].id, 2), (net.practices["p3"].id, 1)]
    # Bonn: hosts E3, sends b1 and b2, P1 -> 4; Irbid: hosts E1 E2, sends i1 -> 3; Tunis: sends t1, P3 -> 2
    assert [(stats.organisations[c.organisation_id].name, c.events_hosted, c.participants_sent, c.practices,
             c.activity) for c in stats.cities] == [("Bonn", 1, 2, 1, 4), ("Irbid", 2, 1, 0, 3),
                                                    ("Tunis", 0, 1, 1, 2)]
    assert stats.organisations[net.bonn.id].latitude == pytest.approx(50.73)


def test_period_filter(session):
    build_network(session)
    stats = network_stats(session, filters=parse_filters({"from": "2026-01-01"}))
    # E2 (b1 to Irbid), E3 (i1, t1 to Bonn), E6
    assert _flows(stats) == [("Bonn", "Irbid", 1), ("Irbid", "Bonn", 1), ("Tunis", "Bonn", 1)]
    assert sum(r.events for r in stats.events_by_year) == 3
    # interest registered in 2026: Tunis in P1, Leipzig in P3
    assert [p.organisations for p in stats.most_wanted] == [1, 1]
    before = network_stats(session, filters=parse_filters({"to": "2025-12-31"}))
    assert _flows(before) == [("Bonn", "Irbid", 2), ("Tunis", "Irbid", 1)]
    one_day = network_stats(session, filters=parse_filters({"from": "2026-06-01", "to": "2026-06-01"}))
    assert _flows(one_day) == [("Irbid", "Bonn", 1), ("Tunis", "Bonn", 1)]


def test_format_topic_and_region_filters(session):
    build_network(session)
    conference = network_stats(session, filters=parse_filters({"format": "conference"}))
    assert _flows(conference) == [("Irbid", "Bonn", 1), ("Tunis", "Bonn", 1)]
    assert [(r.year, r.key) for r in conference.events_by_year] == [(2026, "conference")]
    transport = network_stats(session, filters=parse_filters({"topic": "sustainable-transport"}))
    assert _flows(transport) == [("Bonn", "Irbid", 2), ("Irbid", "Bonn", 1), ("Tunis", "Bonn", 1),
                                 ("Tunis", "Irbid", 1)]
    assert list(transport.reach_by_topic) == ["sustainable-transport"]
    assert [p.organisations for p in transport.most_wanted] == [2]  # P1 only
    western_asia = network_stats(session, filters=parse_filters({"region": "145"}))
    assert _flows(western_asia) == [("Bonn", "Irbid", 2), ("Tunis", "Irbid", 1)]
    assert western_asia.events_by_region == {"145": 2}
    # E1 (in Jordan) is about transport; no practice is Jordan's, i1's profile is for members only
    assert western_asia.reach_by_topic == {"sustainable-transport": Reach(events=1)}


def test_empty_network(session):
    stats = network_stats(session)
    assert stats.flows == [] and stats.events_by_year == [] and stats.cities == [] and stats.most_wanted == []


@pytest.mark.parametrize(("args", "field"), [
    ({"from": "2026-13-01"}, "from"), ({"from": "yesterday"}, "from"), ({"to": "2026-02-30"}, "to"),
    ({"to": "0001-01-01"}, "to"), ({"from": "2026-02-01", "to": "2026-01-01"}, "to"),
    ({"format": "party"}, "format"), ({"topic": "Not a slug!"}, "topic"), ({"region": "999"}, "region"),
    ({"topic": "x" * 101}, "topic"), ({"format": "work\x00shop"}, "format"),
])
def test_bad_filters_name_the_parameter(args, field):
    with pytest.raises(FilterInvalid) as caught:
        parse_filters(args)
    assert caught.value.status == 400 and field in caught.value.fields
    assert caught.value.message  # a sentence, not a code


def test_filters_parse_and_round_trip():
    filters = parse_filters({"from": " 2026-01-01 ", "to": "2026-12-31", "format": "workshop",
                             "topic": "circular-economy", "region": "155", "other": "ignored"})
    assert filters == DashboardFilters(date(2026, 1, 1), date(2026, 12, 31), "workshop", "circular-economy", "155")
    assert parse_filters(filters.as_args()) == filters
    assert parse_filters({}).is_all_time and parse_filters({"from": ""}).is_all_time
    with pytest.raises(FilterInvalid):
        parse_filters({"topic": "unknown"}, topics={"circular-economy"})


def test_constant_number_of_queries(session, count_queries):
    build_network(session)
    session.commit()
    with count_queries() as small:
        network_stats(session, include_unpublished=True)
    grow(session, 12)
    session.commit()
    with count_queries() as big:
        network_stats(session, include_unpublished=True)
    assert small.count == big.count <= 13
