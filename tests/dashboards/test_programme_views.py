"""/programmes/<id>/dashboard: the figures on the page, its charts' CSV, who may see it, Arabic, query count."""

from __future__ import annotations

import csv
import io
import re

import pytest

from app.charts import chart_table
from app.dashboards.programme_stats import programme_stats
from app.dashboards.programme_views import programme_charts
from app.sqltypes import utcnow
from tests.dashboards import programme_data
from tests.factories import make_admin, make_organiser, make_programme

URL = "/programmes/{}/dashboard"


def _text(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</dd>', html, re.S)
    assert match, element_id
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def test_the_page_shows_the_figures_counted_by_hand(app, client, session, auth):
    demo = programme_data.build(session)
    session.commit()
    auth.login(demo.organiser.email)
    response = client.get(URL.format(demo.programme.id))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert _text(html, "figure-participants") == "7"
    assert _text(html, "figure-completed") == "3 (43%)"
    assert _text(html, "figure-median") == "10"
    assert _text(html, "figure-waiting").startswith("2") and 'href="/programmes/manage/reviews"' in html
    for key in ("modules", "drop", "completions"):
        assert f'id="chart-{key}"' in html and f"csv={key}" in html
    assert "1. Foundations" in html and "3. Site visit" in html
    assert html.count("<svg") >= 3


def test_each_csv_holds_exactly_the_charted_numbers(app, client, session, auth):
    demo = programme_data.build(session)
    session.commit()
    auth.login(demo.organiser.email)
    expected = {
        "modules": [["Module", "Started", "Completed"], ["1. Foundations", "5", "5"], ["2. Reflection", "5", "3"],
                    ["3. Site visit", "4", "3"]],
        "drop": [["Completed module", "Went on to the next module", "Have not started the next module"],
                 ["1. Foundations", "4", "1"], ["2. Reflection", "3", "0"]],
    }
    for key in ("modules", "drop", "completions"):
        response = client.get(URL.format(demo.programme.id), query_string={"csv": key})
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert f"programme-{demo.programme.slug}-{key}.csv" in response.headers["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
        with app.test_request_context():
            charts = programme_charts(programme_stats(session, programme_id=demo.programme.id), utcnow().date())
            header, table = chart_table(charts[key])
        assert rows == [header] + [[str(c) if c is not None else "" for c in row] for row in table]
        if key in expected:
            assert rows == expected[key]
        else:  # cumulative completions: 2 from Jan 11, 3 from Jan 21 on (the page runs to today)
            assert rows[0] == ["Date", "Completed the programme (cumulative)"]
            assert (rows[1][1], rows[-1][1]) == ("2", "3")


def test_timeline_counts_by_hand(app, session):
    demo = programme_data.build(session)
    figures = programme_stats(session, programme_id=demo.programme.id)
    with app.test_request_context():
        daily = programme_charts(figures, programme_data.START.date().replace(day=25))["completions"]
        monthly = programme_charts(figures, programme_data.START.date().replace(month=6))["completions"]
    # Jan 11 to Jan 25, one point a day: 2 until Jan 20, then 3
    assert list(daily.categories)[:2] == ["11 Jan 2027", "12 Jan 2027"] and len(daily.categories) == 15
    assert list(daily.series[0].values) == [2] * 10 + [3] * 5
    # Jan 11 to Jun 1 is longer than three months: one point a month
    assert list(monthly.categories) == ["Jan 2027", "Feb 2027", "Mar 2027", "Apr 2027", "May 2027", "Jun 2027"]
    assert list(monthly.series[0].values) == [3] * 6


def test_unknown_chart_is_a_clear_400(client, session, auth):
    demo = programme_data.build(session)
    session.commit()
    auth.login(demo.organiser.email)
    response = client.get(URL.format(demo.programme.id), query_string={"csv": "nope"})
    assert response.status_code == 400
    assert "no chart of that name" in response.get_data(as_text=True)


@pytest.mark.parametrize(("who", "status"), [
    ("organiser", 200), ("admin", 200), ("other organiser", 404), ("participant", 403), ("nobody", 302)])
def test_who_may_see_it(client, session, auth, who, status):
    demo = programme_data.build(session)
    user = {"organiser": demo.organiser, "admin": make_admin(session), "other organiser": make_organiser(session),
            "participant": demo.people["A"], "nobody": None}[who]
    session.commit()
    if user is not None:
        auth.login(user.email)
    assert client.get(URL.format(demo.programme.id)).status_code == status
    assert client.get(URL.format(demo.programme.id), query_string={"csv": "modules"}).status_code == status


def test_unknown_programme_is_404(client, session, auth):
    admin = make_admin(session)
    session.commit()
    auth.login(admin.email)
    assert client.get(URL.format(999_999)).status_code == 404


def test_empty_programme(client, session, auth):
    organiser = make_organiser(session)
    programme = make_programme(session, organisers=[organiser], status="draft")
    session.commit()
    auth.login(organiser.email)
    html = client.get(URL.format(programme.id)).get_data(as_text=True)
    assert _text(html, "figure-participants") == "0" and _text(html, "figure-median") == "—"
    assert "This programme has no modules yet." in html
    assert "Nobody has completed this programme yet." in html
    csv_rows = client.get(URL.format(programme.id), query_string={"csv": "completions"}).get_data(as_text=True)
    assert csv_rows.lstrip("\ufeff").splitlines() == ["Date,Completed the programme (cumulative)"]


def test_arabic_page_is_right_to_left(client, session, auth):
    demo = programme_data.build(session)
    admin = make_admin(session, language="ar")
    session.commit()
    auth.login(admin.email)
    html = client.get(URL.format(demo.programme.id)).get_data(as_text=True)
    assert 'dir="rtl"' in html
    assert _text(html, "figure-participants") == "7" and html.count("<svg") >= 3


def test_links_from_the_organiser_area(client, session, auth):
    demo = programme_data.build(session)
    session.commit()
    auth.login(demo.organiser.email)
    url = URL.format(demo.programme.id)
    assert url in client.get("/programmes/manage").get_data(as_text=True)
    assert url in client.get(f"/programmes/manage/{demo.programme.id}").get_data(as_text=True)


def test_constant_number_of_queries(client, session, auth, count_queries):
    demo = programme_data.build(session)
    session.commit()
    auth.login(demo.organiser.email)
    url = URL.format(demo.programme.id)
    client.get(url)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    programme_data.grow(session, demo.programme, demo.modules, participants=40)
    session.commit()
    with count_queries() as bigger:
        assert client.get(url).status_code == 200
    with count_queries() as csv_call:
        assert client.get(url, query_string={"csv": "modules"}).status_code == 200
    assert small.count == bigger.count
    assert csv_call.count == bigger.count
