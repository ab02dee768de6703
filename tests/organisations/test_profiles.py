"""Organisation directory and profiles: filters, counts, constant queries, what a profile shows, the API."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from app.auth.models import User
from app.directory.models import Organisation
from app.learning.models import ProgrammeCompletion
from app.organisations.queries import fold, public_members
from app.sqltypes import utcnow
from tests.conftest import post_form
from tests.factories import make_admin, make_event, make_organisation, make_programme, make_user
from tests.organisations.helpers import make_map_practice


def _names(html: str, *names: str) -> list[bool]:
    return [name in html for name in names]


def test_directory_filters_by_country_region_kind_topic_and_folded_name(client, session):
    medellin = make_organisation(session, name="Alcaldía de Medellín", city="Medellín", country="CO")
    leipzig = make_organisation(session, name="Stadt Leipzig", city="Leipzig", country="DE", kind="municipality")
    giz = make_organisation(session, name="Partner Agency", city="Bonn", country="DE", kind="partner")
    make_organisation(session, name="Đà Nẵng People's Committee", city="Đà Nẵng", country="VN")
    make_map_practice(session, medellin, topics=["citizen-participation"])
    make_map_practice(session, leipzig, topics=["energy-efficiency"], status="draft")  # a draft does not count
    make_event(session, hosts=[giz], topics=["energy-efficiency"])
    session.commit()

    page = client.get("/organisations").get_data(as_text=True)
    assert all(_names(page, "Medellín", "Stadt Leipzig", "Partner Agency", "Đà Nẵng"))
    assert "4 organisations" in page
    assert "1 good practice" in page and "1 event hosted" in page

    html = client.get("/organisations?country=DE").get_data(as_text=True)
    assert _names(html, "Stadt Leipzig", "Partner Agency", "Medellín") == [True, True, False]
    html = client.get("/organisations?region=035").get_data(as_text=True)  # South-eastern Asia
    assert _names(html, "Đà Nẵng", "Stadt Leipzig") == [True, False]
    html = client.get("/organisations?kind=partner").get_data(as_text=True)
    assert _names(html, "Partner Agency", "Stadt Leipzig") == [True, False]
    # topics: of its published practices and of the published events it hosts
    html = client.get("/organisations?topic=energy-efficiency").get_data(as_text=True)
    assert _names(html, "Partner Agency", "Stadt Leipzig", "Medellín") == [True, False, False]
    html = client.get("/organisations?topic=citizen-participation").get_data(as_text=True)
    assert _names(html, "Medellín", "Partner Agency") == [True, False]
    # without accents or case
    html = client.get("/organisations?q=medellin").get_data(as_text=True)
    assert _names(html, "Medellín", "Stadt Leipzig") == [True, False]
    html = client.get("/organisations?q=DANANG").get_data(as_text=True)
    assert _names(html, "Đà Nẵng", "Medellín") == [True, False]
    html = client.get("/organisations?q=da+nang").get_data(as_text=True)
    assert _names(html, "Đà Nẵng", "Medellín") == [True, False]
    assert fold("Đà Nẵng") == "da nang" and fold("MEDELLÍN") == "medellin"
    # region names come from the catalogue; every filter value says how many organisations it has
    page = client.get("/organisations").get_data(as_text=True)
    assert "South-eastern Asia (1)" in page and "Germany (2)" in page and "Partner organisation (1)" in page
    assert "Municipality (3)" in page and "University" not in page


def test_directory_refuses_bad_filters_with_a_message_naming_them(client, session):
    make_organisation(session, name="Stadt Leipzig")
    session.commit()
    for query, word in (("kind=emperor", "Kind"), ("region=999", "Region"), ("country=XX", "Country"),
                        ("q=" + "x" * 300, "Search"), ("topic=%00", "Topic")):
        response = client.get(f"/organisations?{query}")
        assert response.status_code == 200, query
        html = response.get_data(as_text=True)
        assert f"The {word} filter was ignored" in html, query
        assert "Stadt Leipzig" in html
    assert client.get("/organisations?page=-3").status_code == 200
    assert client.get("/organisations?page=99999999999").status_code == 200


def test_directory_pages_and_counts_in_a_constant_number_of_queries(client, session, count_queries):
    def add(n):
        for _ in range(n):
            org = make_organisation(session)
            make_map_practice(session, org, topics=["energy-efficiency"])
            make_event(session, hosts=[org])
        session.commit()

    add(3)
    with count_queries() as few:
        assert client.get("/organisations?topic=energy-efficiency").status_code == 200
    add(30)
    with count_queries() as many:
        html = client.get("/organisations?topic=energy-efficiency").get_data(as_text=True)
    assert many.count == few.count, many.statements
    assert "33 organisations" in html and "Page 1 of 2" in html
    assert "Page 2 of 2" in client.get("/organisations?page=2&topic=energy-efficiency").get_data(as_text=True)


def test_profile_shows_the_organisation_and_what_it_did(client, session):
    org = make_organisation(session, name="Stadt Leipzig", city="Leipzig", country="DE", population=616093,
                            website="https://www.leipzig.de", description="A **green** city. <script>x()</script>",
                            latitude=51.3397, longitude=12.3731)
    other = make_organisation(session, name="Elsewhere")
    practice = make_map_practice(session, org, title="Solar roofs for schools")
    make_map_practice(session, org, title="A draft idea", status="draft")
    make_map_practice(session, other, title="Not ours")
    upcoming = make_event(session, title="Energy workshop", hosts=[org])
    now = utcnow()
    past = make_event(session, title="Last year's conference", hosts=[org], starts_at=now - timedelta(days=400),
                      ends_at=now - timedelta(days=399))
    make_event(session, title="Secret draft event", hosts=[org], status="draft")
    programme = make_programme(session, title="Climate finance")
    for _ in range(2):
        person = make_user(session, organisation_id=org.id)
        session.add(ProgrammeCompletion(programme_id=programme.id, user_id=person.id, hours=Decimal(3)))
    outsider = make_user(session, organisation_id=other.id)
    session.add(ProgrammeCompletion(programme_id=programme.id, user_id=outsider.id, hours=Decimal(3)))
    session.commit()

    response = client.get(f"/organisations/{org.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Stadt Leipzig" in html and "Municipality" in html and "Germany" in html and "Western Europe" in html
    assert "616,093" in html
    assert '<a class="text-break" href="https://www.leipzig.de" rel="noopener nofollow">' in html
    assert "<strong>green</strong>" in html and "<script>x()" not in html
    assert f"/practices/{practice.id}" in html and "Solar roofs for schools" in html
    assert "A draft idea" not in html and "Not ours" not in html
    assert "Energy workshop" in html and "Last year&#39;s conference" in html and "Secret draft event" not in html
    assert html.index("Events it will host") < html.index("Events it hosted")
    assert f"/events/{upcoming.id}" in html and f"/events/{past.id}" in html
    assert "Climate finance" in html and "2 people" in html
    assert 'class="place-map"' in html and 'data-lat="51.3397"' in html and 'data-lng="12.3731"' in html
    assert "vendor/leaflet/leaflet.js" in html and "map.js" in html
    # nobody of this organisation made a visible profile: no section, no placeholder
    assert public_members(session, org.id) == []
    assert "People" not in html.split("<main", 1)[1]

    # the country in the page's language
    french = client.get(f"/organisations/{org.id}?lang=fr").get_data(as_text=True)
    assert "Allemagne" in french
    assert client.get("/organisations/999999").status_code == 404
    assert client.get("/organisations/99999999999").status_code == 404


def test_profile_without_place_or_activity_shows_no_empty_sections(client, session):
    org = make_organisation(session, name="Quiet Town")
    session.commit()
    html = client.get(f"/organisations/{org.id}").get_data(as_text=True)
    assert "Quiet Town" in html
    html = html.split("<main", 1)[1]  # the page's own content, not the navigation
    for heading in ("Good practices", "Events it will host", "Events it hosted", "Programmes its people completed"):
        assert heading not in html
    assert "place-map" not in html and "leaflet.js" not in html


def test_profile_pages_are_public_and_the_same_for_every_role(client, session, auth):
    org = make_organisation(session, name="Stadt Leipzig")
    make_map_practice(session, org, title="Solar roofs")
    make_user(session, email="member@example.org", organisation_id=org.id)
    make_admin(session, email="admin@example.org")
    session.commit()
    anonymous = client.get(f"/organisations/{org.id}").get_data(as_text=True)
    assert "Solar roofs" in anonymous
    for email in ("member@example.org", "admin@example.org"):
        auth.login(email)
        assert "Solar roofs" in client.get(f"/organisations/{org.id}").get_data(as_text=True)
        auth.logout()


def test_api_profile_matches_the_contract(client, session):
    org = make_organisation(session, name="Stadt Leipzig", city="Leipzig", country="DE", population=616093,
                            latitude=51.3397, longitude=12.3731, website="https://www.leipzig.de",
                            description="Green.")
    practice = make_map_practice(session, org)
    make_map_practice(session, org, status="submitted")
    event = make_event(session, hosts=[org])
    make_event(session, hosts=[org], status="draft")
    session.commit()
    response = client.get(f"/api/v1/organisations/{org.id}")
    assert response.status_code == 200
    body = response.get_json()
    assert body == {
        "id": org.id, "name": "Stadt Leipzig", "kind": "municipality", "city": "Leipzig", "country": "DE",
        "region": "155", "population": 616093, "description": "Green.", "website": "https://www.leipzig.de",
        "latitude": 51.3397, "longitude": 12.3731, "practice_ids": [practice.id], "event_ids": [event.id],
        "url": f"http://cc.test/organisations/{org.id}",
    }
    missing = client.get("/api/v1/organisations/999999")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"]
    from app.api import document

    assert "/organisations/{organisation_id}" in document()["paths"]


def test_admin_form_saves_the_profile_and_names_bad_fields(client, session, auth):
    make_admin(session, email="a@example.org")
    session.commit()
    auth.login("a@example.org")
    base = {"name": "Stadt Leipzig", "kind": "municipality", "city": "Leipzig", "country": "DE", "website": ""}
    response = post_form(client, "/admin/organisations/new", {
        **base, "description": "Green *city*.", "population": "616093", "latitude": "51.3397",
        "longitude": "12.3731"})
    assert response.status_code == 302
    org = session.scalar(sa.select(Organisation))
    assert (org.description, org.population, org.latitude, org.longitude) == ("Green *city*.", 616093, 51.3397,
                                                                              12.3731)
    page = client.get(f"/admin/organisations/{org.id}").get_data(as_text=True)
    assert 'value="616093"' in page and 'value="51.3397"' in page

    cases = [
        ({"latitude": "91", "longitude": "10"}, "latitude", "Latitude must lie between -90 and 90 degrees."),
        ({"latitude": "10", "longitude": "-180.5"}, "longitude", "Longitude must lie between -180 and 180 degrees."),
        ({"latitude": "10", "longitude": ""}, "longitude", "Longitude is missing"),
        ({"latitude": "", "longitude": "10"}, "latitude", "Latitude is missing"),
        ({"latitude": "north", "longitude": "10"}, "latitude", "Latitude must be a number"),
        ({"population": "-5"}, "population", "Population cannot be negative."),
        ({"population": "many"}, "population", "Population must be a whole number"),
    ]
    for values, field, message in cases:
        bad = post_form(client, f"/admin/organisations/{org.id}", {
            **base, "description": "", "population": "", "latitude": "", "longitude": "", **values})
        html = bad.get_data(as_text=True)
        assert bad.status_code == 200, values
        assert message in html, (values, html[html.find("invalid-feedback"):][:300])
        assert f'id="{field}"' in html
    session.expire_all()
    org = session.get(Organisation, org.id)
    assert (org.population, org.latitude, org.longitude) == (616093, 51.3397, 12.3731)  # nothing half-written
    cleared = post_form(client, f"/admin/organisations/{org.id}", {
        **base, "description": "", "population": "", "latitude": "", "longitude": ""})
    assert cleared.status_code == 302
    session.expire_all()
    org = session.get(Organisation, org.id)
    assert (org.population, org.latitude, org.longitude, org.description) == (None, None, None, "")


def test_event_pages_link_hosts_to_their_profiles(client, session):
    org = make_organisation(session, name="Stadt Leipzig")
    event = make_event(session, hosts=[org])
    session.commit()
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert f'href="/organisations/{org.id}"' in html


def test_users_of_an_organisation_are_counted_only_once_per_programme(session):
    from app.organisations.queries import organisation_profile

    org = make_organisation(session)
    programme = make_programme(session, title="Urban resilience")
    person = make_user(session, organisation_id=org.id)
    session.add(ProgrammeCompletion(programme_id=programme.id, user_id=person.id, hours=Decimal(1)))
    session.flush()
    profile = organisation_profile(session, org.id, now=utcnow())
    assert [(p.title, p[3]) for p in profile.programmes] == [("Urban resilience", 1)]
    assert session.get(User, person.id).organisation_id == org.id
