"""The search page, its API and the events list's free-text filter, through HTTP."""

from __future__ import annotations

import re

from tests.factories import make_event, make_organisation
from tests.search.helpers import make_search_practice


def _seed(session):
    medellin = make_organisation(session, name="Alcaldía de Medellín", city="Medellín", country="CO")
    event = make_event(session, title="<script>alert(1)</script> Metrocable in Medellín", city="Medellín",
                       country="CO", timezone="America/Bogota", hosts=[medellin], topics=["sustainable-transport"])
    practice = make_search_practice(session, title="Library parks of Medellín", organisation=medellin, goals=[11, 4],
                                    stage="scaled", topics=["social-integration"])
    session.commit()
    return medellin, event, practice


def test_page_lists_hits_with_badges_highlights_and_escaped_titles(client, session):
    medellin, event, practice = _seed(session)
    html = client.get("/search?q=medellin").get_data(as_text=True)
    assert "3 results" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<mark>Medellín</mark>" in html
    assert f'href="/events/{event.id}"' in html and f'href="/practices/{practice.id}"' in html
    assert f'href="/organisations/{medellin.id}"' in html
    for badge in ("Event", "Good practice", "Organisation"):
        assert f'badge text-bg-secondary me-1">{badge}</span>' in html
    # facets with counts, named for people: SDG goals, regions and countries
    assert "11 · Sustainable cities and communities" in html and "4 · Quality education" in html
    assert "Latin America and the Caribbean" in html and "Colombia" in html and "Scaled up" in html


def test_facet_links_keep_the_other_filters(client, session):
    _seed(session)
    html = client.get("/search?q=medellin&country=CO").get_data(as_text=True)
    links = set(re.findall(r'href="(/search\?[^"]+)"', html.replace("&amp;", "&")))
    assert any("type=practice" in link and "country=CO" in link and "q=medellin" in link for link in links)
    assert any("q=medellin" in link and "country" not in link for link in links)  # "Any" country
    narrowed = client.get("/search?q=medellin&country=CO&type=practice").get_data(as_text=True)
    assert "1 result" in narrowed


def test_pagination_links(client, session):
    for n in range(23):
        make_event(session, title=f"Budget forum {n}")
    session.commit()
    first = client.get("/search?q=budget").get_data(as_text=True)
    assert "Page 1 of 2" in first and "page=2" in first
    second = client.get("/search?q=budget&page=2").get_data(as_text=True)
    assert second.count('class="mb-3">') >= 3 and "Previous" in second
    assert client.get("/search?q=budget&page=abc").status_code == 200


def test_bad_input_on_the_page_is_a_message_never_a_500(client, session):
    _seed(session)
    html = client.get("/search?q=" + "medellin " * 600).get_data(as_text=True)
    assert "Only the first 200 characters and 12 words" in html and "3 results" in html
    html = client.get("/search?q=%3F%21%2E%2E").get_data(as_text=True)
    assert "has no letters or digits" in html and "0 results" in html
    html = client.get("/search?q=medellin&sdg=99&type=planet&country=%00").get_data(as_text=True)
    assert "“sdg” holds a value" in html and "“Type” must be one of" in html and "3 results" in html
    assert client.get("/search").status_code == 200
    assert client.get("/search?q=%00%00").status_code == 200


def test_page_in_the_pseudo_locale_translates_its_labels(client, session):
    _seed(session)
    html = client.get("/search?q=medellin&lang=en_US_POSIX").get_data(as_text=True)
    assert "⟦" in html


def test_navbar_has_a_search_box(client, session):
    html = client.get("/").get_data(as_text=True)
    assert 'action="/search"' in html and 'name="q"' in html


def test_api(client, session):
    medellin, event, practice = _seed(session)
    body = client.get("/api/v1/search?q=medel&per_page=2").get_json()
    assert body["total"] == 3 and len(body["items"]) == 2
    assert body["facets"]["type"] == {"event": 1, "organisation": 1, "practice": 1}
    assert body["facets"]["sdg"] == {"11": 1, "4": 1}
    hit = next(h for h in client.get("/api/v1/search?q=metrocable").get_json()["items"])
    assert hit == {"type": "event", "id": event.id, "title": event.title, "url": f"http://cc.test/events/{event.id}",
                   "snippet": hit["snippet"]}
    assert "<script>" not in hit["snippet"]
    long = client.get("/api/v1/search?q=" + "x" * 5000)
    assert long.status_code == 200 and long.get_json()["notices"]
    refused = client.get("/api/v1/search?q=" + "x" * 5001)
    assert refused.status_code == 422 and "q" in refused.get_json()["error"]["fields"]
    for bad in ("type=planet", "sdg=0", "region=abc", "stage=x", "page=0", "per_page=500"):
        response = client.get(f"/api/v1/search?{bad}")
        assert response.status_code == 422 and bad.split("=")[0] in response.get_json()["error"]["fields"], bad
    assert client.get("/api/v1/search?q=!!!").get_json()["total"] == 0


def test_events_list_and_api_use_the_search(client, session):
    _, event, _ = _seed(session)
    make_event(session, title="Leipzig workshop")
    session.commit()
    html = client.get("/events/?q=Medellin").get_data(as_text=True)
    assert f'/events/{event.id}"' in html and "Leipzig workshop" not in html
    assert [e["id"] for e in client.get("/api/v1/events?q=medellin").get_json()["items"]] == [event.id]
    assert client.get("/api/v1/events?q=metro%20medel").get_json()["total"] == 1
    assert client.get("/api/v1/events?q=%25_").get_json()["total"] == 0


def test_page_and_api_query_counts_do_not_grow_with_the_results(client, session, count_queries):
    for n in range(3):
        make_event(session, title=f"Harbour {n}", topics=["circular-economy"])
    for n in range(40):
        make_search_practice(session, title=f"Market hall {n}", goals=[8, 11], topics=["local-business-cooperation"])
    session.commit()
    counts = []
    for path in ("/search?q=harbour", "/search?q=market", "/api/v1/search?q=market&per_page=5",
                 "/api/v1/search?q=market&per_page=50"):
        with count_queries() as counter:
            assert client.get(path).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1] and counts[2] == counts[3], counts
