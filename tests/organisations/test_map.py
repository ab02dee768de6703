"""The map: its data (filters, few queries), the list beside it, place and route maps, the vendored files."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from app.security import tile_origin
from app.sqltypes import utcnow
from tests.factories import make_event, make_organisation, make_session
from tests.organisations.helpers import make_map_practice

STATIC = Path(__file__).resolve().parents[2] / "app" / "static"


def _world(session):
    leipzig = make_organisation(session, name="Stadt Leipzig", country="DE", latitude=51.34, longitude=12.37)
    dakar = make_organisation(session, name="Ville de Dakar", city="Dakar", country="SN", latitude=14.69,
                              longitude=-17.44)
    nowhere = make_organisation(session, name="No Place", country="FR")  # no coordinates: not on the map
    solar = make_map_practice(session, leipzig, title="Solar roofs", topics=["energy-efficiency"], goals=[7],
                              targets=["7.2"], stage="scaled")
    # no coordinates of its own: placed at its organisation's
    waste = make_map_practice(session, dakar, title="Waste pickers' cooperative", topics=["circular-economy"],
                              goals=[11, 12], targets=["11.6"], stage="pilot", latitude=14.7, longitude=-17.45)
    make_map_practice(session, nowhere, title="Unplaced")
    make_map_practice(session, leipzig, title="Draft one", status="draft")
    workshop = make_event(session, title="Energy workshop", latitude=51.3, longitude=12.4,
                          topics=["energy-efficiency"])
    make_event(session, title="Old event", latitude=51.3, longitude=12.4, starts_at=utcnow() - timedelta(days=30),
               ends_at=utcnow() - timedelta(days=29))
    make_event(session, title="Draft event", latitude=51.3, longitude=12.4, status="draft")
    make_event(session, title="Somewhere online", latitude=None, longitude=None)
    session.commit()
    return {"leipzig": leipzig, "dakar": dakar, "solar": solar, "waste": waste, "workshop": workshop}


def _data(client, query: str = "") -> list[dict]:
    response = client.get(f"/map/data.json?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.get_json()


def _keys(items) -> set[tuple[str, str]]:
    return {(item["type"], item["title"]) for item in items}


def test_map_data_lists_published_placed_items_with_their_links(client, session):
    world = _world(session)
    items = _data(client)
    assert _keys(items) == {("practice", "Solar roofs"), ("practice", "Waste pickers' cooperative"),
                            ("organisation", "Stadt Leipzig"), ("organisation", "Ville de Dakar"),
                            ("event", "Energy workshop")}
    solar = next(i for i in items if i["title"] == "Solar roofs")
    assert solar == {"type": "practice", "id": world["solar"].id, "title": "Solar roofs", "lat": 51.34,
                     "lng": 12.37, "url": f"/practices/{world['solar'].id}"}
    waste = next(i for i in items if i["type"] == "practice" and i["id"] == world["waste"].id)
    assert (waste["lat"], waste["lng"]) == (14.7, -17.45)  # its own place wins over its organisation's
    event = next(i for i in items if i["type"] == "event")
    assert event["url"] == f"/events/{world['workshop'].id}"
    org = next(i for i in items if i["title"] == "Ville de Dakar")
    assert org["url"] == f"/organisations/{world['dakar'].id}"


def test_map_data_filters_like_the_search(client, session):
    _world(session)
    assert _keys(_data(client, "type=event")) == {("event", "Energy workshop")}
    assert _keys(_data(client, "type=organisation&region=202")) == {("organisation", "Ville de Dakar")}
    assert _keys(_data(client, "topic=energy-efficiency")) == {
        ("practice", "Solar roofs"), ("organisation", "Stadt Leipzig"), ("event", "Energy workshop")}
    # SDGs and stages belong to practices: organisations and events drop out
    assert _keys(_data(client, "sdg=12")) == {("practice", "Waste pickers' cooperative")}
    assert _keys(_data(client, "sdg=7.2")) == {("practice", "Solar roofs")}
    assert _keys(_data(client, "stage=scaled")) == {("practice", "Solar roofs")}
    assert _keys(_data(client, "country=sn")) == {("practice", "Waste pickers' cooperative"),
                                                  ("organisation", "Ville de Dakar")}
    assert _keys(_data(client, "region=155")) == {("practice", "Solar roofs"), ("organisation", "Stadt Leipzig"),
                                                  ("event", "Energy workshop")}
    assert _data(client, "topic=no-such-topic") == []
    assert _data(client, "unknown=ignored&page=2") != []


def test_map_data_refuses_bad_filters_naming_the_field(client, session):
    for query, field in (("type=planet", "type"), ("sdg=18", "sdg"), ("sdg=11.99", "sdg"), ("region=abc", "region"),
                         ("country=XX", "country"), ("stage=done", "stage"), ("topic=" + "x" * 500, "topic")):
        response = client.get(f"/map/data.json?{query}")
        assert response.status_code == 422, query
        error = response.get_json()["error"]
        assert field in error["fields"] and error["message"], query


def test_map_data_is_a_few_queries_whatever_the_number_of_items(client, session, count_queries):
    _world(session)
    with count_queries() as few:
        _data(client)
    org = make_organisation(session, latitude=1.0, longitude=2.0)
    for _ in range(40):
        make_map_practice(session, org)
        make_event(session, latitude=3.0, longitude=4.0)
    session.commit()
    with count_queries() as many:
        assert len(_data(client)) > 80
    assert many.count == few.count <= 4, many.statements


def test_map_page_lists_the_same_items_beside_the_map(client, session):
    world = _world(session)
    response = client.get("/map?topic=energy-efficiency")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="map"' in html and 'data-url="/map/data.json?topic=energy-efficiency"' in html
    listed = html[html.index('id="map-list"'):]
    assert f'href="/practices/{world["solar"].id}"' in listed
    assert f'href="/organisations/{world["leipzig"].id}"' in listed
    assert f'href="/events/{world["workshop"].id}"' in listed
    assert "Waste pickers" not in listed
    assert "3 places on the map" in html
    for asset in ("vendor/leaflet/leaflet.js", "vendor/leaflet.markercluster/leaflet.markercluster.js",
                  "vendor/leaflet/leaflet.css", "vendor/leaflet.markercluster/MarkerCluster.css", "/static/map.js"):
        assert asset in html
    assert "<script>" not in html  # no inline script (CSP)
    # the offline base map by default
    assert 'data-tile-url=""' in html and "countries-110m.geojson" in html
    warned = client.get("/map?sdg=99").get_data(as_text=True)
    assert "The SDG filter was ignored" in warned and "5 places on the map" in warned
    assert client.get("/map?page=999").status_code == 200


def test_map_page_in_arabic_is_right_to_left_with_a_left_to_right_map(client, session):
    _world(session)
    html = client.get("/map?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in html
    assert 'id="map" class="big-map" dir="ltr"' in html


def test_event_pages_show_their_place_or_an_information_trips_route(client, session):
    event = make_event(session, title="Workshop", latitude=51.34, longitude=12.37, venue="Neues Rathaus")
    trip = make_event(session, title="Trip", format="information_trip", latitude=None, longitude=None)
    start = trip.starts_at
    make_session(session, trip, title="Water works", starts_at=start, ends_at=start + timedelta(hours=1),
                 latitude=51.30, longitude=12.30)
    make_session(session, trip, title="Lunch (no place)", starts_at=start + timedelta(hours=1),
                 ends_at=start + timedelta(hours=2))
    make_session(session, trip, title="Solar park", starts_at=start + timedelta(hours=2),
                 ends_at=start + timedelta(hours=3), latitude=51.40, longitude=12.50)
    session.commit()
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert 'class="place-map"' in html and 'data-label="Neues Rathaus"' in html and "leaflet.js" in html
    html = client.get(f"/events/{trip.id}").get_data(as_text=True)
    assert 'class="place-map route-map"' in html
    stops = json.loads(html.split("data-stops='")[1].split("'")[0].replace("&#34;", '"'))
    assert [s["label"] for s in stops] == ["Water works", "Solar park"]
    assert [(s["lat"], s["lng"]) for s in stops] == [(51.3, 12.3), (51.4, 12.5)]
    route = html[html.index('class="small mt-2 mb-0 route-stops"'):]
    assert route.index("Water works") < route.index("Solar park") and "Lunch" not in route.split("</ol>")[0]
    plain = make_event(session, title="Nowhere", latitude=None, longitude=None)
    session.commit()
    assert "leaflet.js" not in client.get(f"/events/{plain.id}").get_data(as_text=True)


def test_vendored_map_files_are_present_licensed_and_served(client):
    for path in ("vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css", "vendor/leaflet/images/marker-icon.png",
                 "vendor/leaflet/images/layers.png", "vendor/leaflet.markercluster/leaflet.markercluster.js",
                 "vendor/leaflet.markercluster/MarkerCluster.css",
                 "vendor/leaflet.markercluster/MarkerCluster.Default.css",
                 "vendor/naturalearth/countries-110m.geojson", "map.js"):
        assert (STATIC / path).is_file(), path
        response = client.get(f"/static/{path}")
        assert response.status_code == 200, path
        response.close()
    for folder in ("leaflet", "leaflet.markercluster"):
        assert (STATIC / "vendor" / folder / "LICENSE").is_file()
        assert "Update" in (STATIC / "vendor" / folder / "README.md").read_text()
    assert "Leaflet 1.9.4" in (STATIC / "vendor/leaflet/README.md").read_text()
    assert "Leaflet.markercluster 1.5.3" in (STATIC / "vendor/leaflet.markercluster/README.md").read_text()


def test_offline_base_map_is_valid_geojson_of_the_worlds_countries():
    data = json.loads((STATIC / "vendor/naturalearth/countries-110m.geojson").read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and len(data["features"]) > 170
    names = {f["properties"]["name"] for f in data["features"]}
    assert {"Germany", "Senegal", "Colombia", "Vietnam", "Brazil"} <= names
    for feature in data["features"]:
        geometry = feature["geometry"]
        assert geometry["type"] in ("Polygon", "MultiPolygon")
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        for polygon in polygons:
            for ring in polygon:
                assert len(ring) >= 4 and ring[0] == ring[-1]
                assert all(-180 <= lng <= 180 and -90 <= lat <= 90 for lng, lat in ring)
    assert (STATIC / "vendor/naturalearth/countries-110m.geojson").stat().st_size < 400_000


def test_the_converter_decodes_topojson_arcs():
    from scripts.naturalearth_geojson import convert

    topology = {"type": "Topology", "transform": {"scale": [1, 1], "translate": [0, 0]},
                "arcs": [[[0, 0], [2, 0], [0, 2]], [[2, 2], [-2, 0], [0, -2]]],
                "objects": {"countries": {"type": "GeometryCollection", "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "id": "001", "properties": {"name": "Square"}}]}}}
    feature = convert(topology)["features"][0]
    assert feature["properties"] == {"name": "Square"}
    assert feature["geometry"]["coordinates"] == [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]


def test_a_tile_server_is_added_to_the_csp_only_when_configured():
    assert tile_origin(None) is None
    assert tile_origin("https://{s}.tile.example.org/{z}/{x}/{y}.png") == "https://*.tile.example.org"
    assert tile_origin("javascript:alert(1)") is None
    from app import create_app
    from config import TestingConfig

    class WithTiles(TestingConfig):
        MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
        MAP_TILE_ATTRIBUTION = "&copy; Example"

    app = create_app(WithTiles)
    with app.test_client().get("/static/map.js") as response:
        assert "img-src 'self' data: https://tiles.example.org;" in response.headers["Content-Security-Policy"]


def test_map_data_escapes_titles_as_json(client, session):
    org = make_organisation(session, latitude=-33.9, longitude=18.4)
    title = 'Say "hi"\\ </script>\n\u2028 – مدينة Đà Nẵng'
    practice = make_map_practice(session, org, title=title)
    session.commit()
    items = json.loads(client.get("/map/data.json?type=practice").get_data(as_text=True))
    assert items == [{"type": "practice", "id": practice.id, "title": title, "lat": -33.9, "lng": 18.4,
                      "url": f"/practices/{practice.id}"}]
