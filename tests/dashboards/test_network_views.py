"""/network: public figures without people, admin detail, filters in the URL, bad input, CSV = table, queries."""

from __future__ import annotations

import csv
import io

import pytest

from app.charts import chart_table
from tests.dashboards.network_data import build_network, grow
from tests.factories import make_admin, make_user

URL = "/network"


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_public_page_shows_counts_and_never_people(client, session):
    net = build_network(session)
    people = [make_user(session, name="Zaynab Secret-Name", organisation_id=net.bonn.id)]
    session.commit()
    response = client.get(URL)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for heading in ("Who learns from whom", "Events per year by format", "Events by region", "Reach by topic",
                    "Good practices most cities want to try", "Member cities by activity"):
        assert heading in html
    assert "All time" in html
    assert f'/organisations/{net.bonn.id}"' in html and f'/practices/{net.practices["p1"].id}"' in html
    assert "activity-map" in html and "leaflet.js" in html
    for person in people:
        assert person.name not in html and person.email not in html
    assert "Person " not in html  # no participant's name (the factories name people "Person <n>")
    assert "As an administrator" not in html


def test_admin_sees_more(client, session, auth):
    build_network(session)
    make_admin(session, email="admin@example.org")
    session.commit()
    auth.login("admin@example.org")
    html = client.get(URL).get_data(as_text=True)
    assert "As an administrator" in html
    public_pairs = client.get(URL, query_string={"csv": "flows"})
    assert len(_csv(public_pairs)) == 1 + 5  # header and every pair, Bonn->Tunis (a draft's) included
    auth.logout()
    assert len(_csv(client.get(URL, query_string={"csv": "flows"}))) == 1 + 4


def test_filters_stay_in_the_url_and_links(client, session):
    build_network(session)
    session.commit()
    response = client.get(URL, query_string={"from": "2026-01-01", "to": "2026-12-31", "region": "155"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'value="2026-01-01"' in html and 'value="155" selected' in html
    assert "csv=flows&amp;from=2026-01-01&amp;to=2026-12-31&amp;region=155" in html
    assert "From 1 Jan 2026 to 31 Dec 2026" in html
    rows = _csv(client.get(URL, query_string={"csv": "events-by-year", "from": "2026-01-01", "region": "155"}))
    assert rows[1:] == [["2026", "1"]]  # E3, the conference in Bonn


@pytest.mark.parametrize(("args", "field"), [
    ({"from": "not-a-date"}, "from"), ({"from": "2026-03-01", "to": "2026-01-01"}, "to"),
    ({"format": "party"}, "format"), ({"topic": "no-such-topic"}, "topic"), ({"region": "XYZ"}, "region"),
])
def test_bad_filters_explain_themselves(client, session, args, field):
    build_network(session)
    session.commit()
    response = client.get(URL, query_string=args)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="network-filter-error"' in html and "These figures ignore your filters" in html
    assert f'name="{field}"' in html and 'aria-invalid="true"' in html
    assert "Who learns from whom" in html  # the figures for all time are still there


def test_every_csv_equals_its_table(client, session, app):
    build_network(session)
    session.commit()
    from app.dashboards.network_stats import network_stats
    from app.dashboards.network_views import _charts

    keys = ("flows", "events-by-year", "events-by-region", "reach-by-topic", "reach-by-sdg", "most-wanted",
            "cities")
    with app.test_request_context("/network"):
        charts = _charts(network_stats(session))
        tables = {key: chart_table(charts[key]) for key in keys}
    for key in keys:
        response = client.get(URL, query_string={"csv": key})
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert "attachment" in response.headers["Content-Disposition"]
        header, rows = tables[key]
        assert _csv(response) == [[str(cell) for cell in header], *[[str(cell) for cell in row] for row in rows]]
    assert client.get(URL, query_string={"csv": "nope"}).status_code == 400
    flows = _csv(client.get(URL, query_string={"csv": "flows"}))
    assert flows[1] == ["Bonn", "Irbid", "2"]


def test_constant_number_of_queries(client, session, count_queries, auth):
    build_network(session)
    make_admin(session, email="admin@example.org")
    session.commit()
    auth.login("admin@example.org")
    with count_queries() as small:
        assert client.get(URL).status_code == 200
    grow(session, 10)
    session.commit()
    with count_queries() as big:
        assert client.get(URL).status_code == 200
    assert small.count == big.count


def test_footer_links_to_the_network(client):
    assert 'href="/network"' in client.get("/").get_data(as_text=True)
