"""The people pages, search and API: who finds and sees which profile (visitor, member, owner, admin), the
profile page's sections as the person allows them, the organisation page's people, constant query counts."""

from __future__ import annotations

import pytest

from app.people.models import Profile
from app.search.query import SearchQuery, run_search
from tests.conftest import post_form
from tests.factories import (
    bearer,
    image_bytes,
    make_admin,
    make_event,
    make_organisation,
    make_practice,
    make_profile,
    make_token,
    make_user,
)


@pytest.fixture
def people(session):
    org = make_organisation(session, name="Stadt Leipzig", kind="municipality", country="DE")
    public = make_user(session, name="Anna Public", organisation_id=org.id)
    members = make_user(session, name="Bruno Members", organisation_id=org.id)
    hidden = make_user(session, name="Clara Hidden", organisation_id=org.id)
    make_profile(session, public, visibility="public", position="Mobility planner", city="Leipzig",
                 topics=["sustainable-transport"], sdg_targets=["11.2"], languages=["de", "fr"])
    make_profile(session, members, visibility="members", position="Energy advisor",
                 topics=["energy-efficiency"], sdg_targets=["7.3"], languages=["es"])
    make_profile(session, hidden, visibility="hidden", position="Secret planner", topics=["sustainable-transport"])
    session.commit()
    return {"org": org, "public": public, "members": members, "hidden": hidden}


def _names(html: str) -> set[str]:
    return {name for name in ("Anna Public", "Bruno Members", "Clara Hidden") if name in html}


def test_visibility_on_the_directory_profile_pages_and_search(client, auth, session, people):
    # a visitor: public profiles only, everywhere
    assert _names(client.get("/people").get_data(as_text=True)) == {"Anna Public"}
    assert client.get(f"/people/{people['public'].id}").status_code == 200
    assert client.get(f"/people/{people['members'].id}").status_code == 404
    assert client.get(f"/people/{people['hidden'].id}").status_code == 404
    assert _names(client.get("/search?q=planner").get_data(as_text=True)) == {"Anna Public"}
    assert _names(client.get("/search?q=advisor").get_data(as_text=True)) == set()
    # a member: public and members-only ones
    viewer = make_user(session)
    session.commit()
    auth.login(viewer.email)
    assert _names(client.get("/people").get_data(as_text=True)) == {"Anna Public", "Bruno Members"}
    assert client.get(f"/people/{people['members'].id}").status_code == 200
    assert client.get(f"/people/{people['hidden'].id}").status_code == 404
    assert _names(client.get("/search?q=advisor").get_data(as_text=True)) == {"Bruno Members"}
    assert "Clara Hidden" not in client.get("/search?q=secret").get_data(as_text=True)
    auth.logout()
    # the owner and an admin see the hidden profile's page; it is never in a list or the search
    auth.login(people["hidden"].email)
    own = client.get(f"/people/{people['hidden'].id}").get_data(as_text=True)
    assert "Clara Hidden" in own and "Only you see this profile." in own
    assert "Clara Hidden" not in client.get("/people").get_data(as_text=True).split("people-directory")[1]
    auth.logout()
    admin = make_admin(session)
    session.commit()
    auth.login(admin.email)
    assert client.get(f"/people/{people['hidden'].id}").status_code == 200
    assert "Clara Hidden" not in client.get("/people?q=clara").get_data(as_text=True)
    # the index holds no hidden profile at all, and members-only ones are kept from visitors
    found = run_search(session, SearchQuery(type="person"), audience="members")
    assert {hit.title for hit in found.items} == {"Anna Public", "Bruno Members"}
    assert {hit.title for hit in run_search(session, SearchQuery(type="person")).items} == {"Anna Public"}


def test_directory_facets_filter_and_unknown_values_are_ignored_with_a_notice(client, auth, session, people):
    html = client.get("/people?topic=sustainable-transport&sdg=11.2&country=DE&region=155&language=fr"
                      "&org_kind=municipality").get_data(as_text=True)
    assert _names(html) == {"Anna Public"}
    assert "Sustainable" in html or "transport" in html
    assert _names(client.get("/people?language=es").get_data(as_text=True)) == set()
    assert _names(client.get("/people?q=leipzig").get_data(as_text=True)) == {"Anna Public"}
    bad = client.get("/people?sdg=99&country=ZZ")
    assert bad.status_code == 200 and "Anna Public" in bad.get_data(as_text=True)
    assert client.get("/people?q=" + "x" * 5000).status_code == 200
    viewer = make_user(session)
    session.commit()
    auth.login(viewer.email)
    assert _names(client.get("/people?language=es&sdg=7").get_data(as_text=True)) == {"Bruno Members"}


def test_a_profile_page_shows_what_the_person_allows(client, auth, session, people):
    person = people["public"]
    practice = make_practice(session, status="published", title="Bike lanes for all", contact_id=person.id)
    event = make_event(session, title="Mobility conference", status="published", organisers=[person])
    session.commit()
    html = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Mobility planner" in html and "Stadt Leipzig" in html and f"/organisations/{people['org'].id}" in html
    assert f"/practices/{practice.id}" in html and "Bike lanes for all" in html
    assert "Mobility conference" not in html  # shows_events is off
    assert "person" not in html.split("<main")[-1].lower().split("@")[0] or person.email not in html
    assert person.email not in html
    assert "/contact" not in html  # a visitor cannot write
    profile = session.get(Profile, person.id)
    profile.shows_events = True
    session.commit()
    assert f"/events/{event.id}" in client.get(f"/people/{person.id}").get_data(as_text=True)
    viewer = make_user(session)
    session.commit()
    auth.login(viewer.email)
    assert f"/people/{person.id}/contact" in client.get(f"/people/{person.id}").get_data(as_text=True)
    profile.accepts_messages = False
    session.commit()
    assert f"/people/{person.id}/contact" not in client.get(f"/people/{person.id}").get_data(as_text=True)


def test_the_organisation_page_lists_its_visible_people(client, auth, session, people):
    url = f"/organisations/{people['org'].id}"
    assert _names(client.get(url).get_data(as_text=True)) == {"Anna Public"}
    viewer = make_user(session)
    session.commit()
    auth.login(viewer.email)
    assert _names(client.get(url).get_data(as_text=True)) == {"Anna Public", "Bruno Members"}


def test_editing_ones_profile_and_photo_through_the_pages(client, auth, session, tmp_path):
    user = make_user(session, name="Dora Editor")
    session.commit()
    auth.login(user.email)
    assert "/people/me/edit" in client.get("/auth/profile").get_data(as_text=True)
    response = post_form(client, "/people/me/edit", {
        "position": "Urban planner", "city": "Curitiba", "bio": "<script>alert(1)</script>",
        "topics": ["citizen-participation"], "sdg_targets": "11.3, 16.7", "languages": "pt, es",
        "visibility": "public", "accepts_messages": "y"})
    assert response.status_code == 302
    profile = session.get(Profile, user.id)
    session.refresh(profile)
    assert profile.visibility == "public" and profile.sdg_targets == ["11.3", "16.7"]
    page = client.get(f"/people/{user.id}").get_data(as_text=True)
    assert "&lt;script&gt;" in page and "<script>alert(1)" not in page
    bad = post_form(client, "/people/me/edit", {"visibility": "public", "sdg_targets": "11.99", "languages": ""})
    assert bad.status_code == 400 and "11.99" in bad.get_data(as_text=True)
    response = post_form(client, "/people/me/edit", {"photo": (__import__("io").BytesIO(image_bytes("PNG")), "me.png")},
                         action="/people/me/photo", content_type="multipart/form-data")
    assert response.status_code == 302
    photo = client.get(f"/people/{user.id}/photo")
    assert photo.status_code == 200 and photo.mimetype == "image/png"
    assert photo.headers["X-Content-Type-Options"] == "nosniff"
    refused = post_form(client, "/people/me/edit", {"photo": (__import__("io").BytesIO(b"<svg/>"), "x.svg")},
                        action="/people/me/photo", content_type="multipart/form-data")
    assert refused.status_code == 400
    profile.visibility = "hidden"
    session.commit()
    auth.logout()
    assert client.get(f"/people/{user.id}/photo").status_code == 404


def test_the_api_directory_and_own_profile(client, session, people):
    visitor = client.get("/api/v1/people").get_json()
    assert [item["name"] for item in visitor["items"]] == ["Anna Public"] and visitor["total"] == 1
    item = visitor["items"][0]
    assert set(item) == {"id", "name", "position", "organisation_id", "city", "country", "expertise_topics",
                         "expertise_sdg_targets", "languages", "url"}
    assert item["expertise_sdg_targets"] == ["11.2"] and item["country"] == "DE" and item["url"].endswith(
        f"/people/{people['public'].id}")
    member = make_user(session)
    token = make_token(session, member)
    session.commit()
    names = {i["name"] for i in client.get("/api/v1/people", headers=bearer(token)).get_json()["items"]}
    assert names == {"Anna Public", "Bruno Members"}
    assert client.get("/api/v1/people?sdg=7.3", headers=bearer(token)).get_json()["total"] == 1
    assert client.get("/api/v1/people?sdg=99").status_code == 422
    assert client.get("/api/v1/people?language=fr&topic=sustainable-transport").get_json()["total"] == 1
    # one's own profile: hidden defaults, then PATCH
    assert client.get("/api/v1/me/profile").status_code == 401
    own = client.get("/api/v1/me/profile", headers=bearer(token)).get_json()
    assert own["visibility"] == "hidden" and own["expertise_topics"] == []
    changed = client.patch("/api/v1/me/profile", headers=bearer(token), json={
        "visibility": "public", "position": "Water engineer", "expertise_topics": ["circular-economy"],
        "expertise_sdg_targets": ["6.a"], "languages": ["ar"]})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["visibility"] == "public" and changed.get_json()["expertise_sdg_targets"] == ["6.a"]
    assert client.get("/api/v1/people?q=water").get_json()["total"] == 1
    for body, field in (({"visibility": "all"}, "visibility"), ({"expertise_sdg_targets": ["6.z"]},
                                                                 "expertise_sdg_targets"),
                        ({"expertise_topics": ["nope"]}, "expertise_topics"), ({"email": "x@y.z"}, "email"),
                        ({"bio": "x" * 100_000}, "bio")):
        refused = client.patch("/api/v1/me/profile", headers=bearer(token), json=body)
        assert refused.status_code == 422, (body, refused.get_json())
        assert field in str(refused.get_json()), (body, refused.get_json())
    assert client.patch("/api/v1/me/profile", headers=bearer(token), json={}).status_code == 422


def test_the_directory_and_api_take_a_constant_number_of_queries(client, session, count_queries):
    org = make_organisation(session)

    def add(n):
        for _ in range(n):
            make_profile(session, make_user(session, organisation_id=org.id), topics=["energy-efficiency"],
                         sdg_targets=["7.3"], languages=["en"])
        session.commit()

    add(2)
    with count_queries() as few:
        assert client.get("/people").status_code == 200
    with count_queries() as few_api:
        assert client.get("/api/v1/people").status_code == 200
    add(12)
    with count_queries() as many:
        assert client.get("/people").status_code == 200
    with count_queries() as many_api:
        assert client.get("/api/v1/people").status_code == 200
    assert many.count == few.count and many_api.count == few_api.count


def test_a_profile_page_takes_a_constant_number_of_queries(client, session, count_queries):
    user = make_user(session)
    make_profile(session, user, shows_events=True, shows_certificates=True, topics=["energy-efficiency"])
    session.commit()

    def add(n):
        for i in range(n):
            make_practice(session, status="published", title=f"Practice {i}", contact_id=user.id)
            make_event(session, title=f"Event {i}", status="published", organisers=[user])
        session.commit()

    add(1)
    with count_queries() as few:
        assert client.get(f"/people/{user.id}").status_code == 200
    add(8)
    with count_queries() as many:
        page = client.get(f"/people/{user.id}")
    assert page.status_code == 200 and "Event 7" in page.get_data(as_text=True)
    assert many.count == few.count


def test_the_index_follows_a_renamed_person_and_a_closed_account(client, session):
    user = make_user(session, name="Old Name")
    make_profile(session, user, position="Planner")
    session.commit()
    assert client.get("/api/v1/people?q=old").get_json()["total"] == 1
    user.name = "Fresh Name"
    session.commit()
    assert client.get("/api/v1/people?q=old").get_json()["total"] == 0
    assert client.get("/api/v1/people?q=fresh").get_json()["total"] == 1
    user.is_active_account = False
    session.commit()
    assert client.get("/api/v1/people?q=fresh").get_json()["total"] == 0
    assert client.get(f"/people/{user.id}").status_code == 404


def test_facet_counts_leave_out_what_the_reader_may_not_find(client, session, people):
    visitor = run_search(session, SearchQuery())
    member = run_search(session, SearchQuery(), audience="members")
    assert dict(visitor.facets["type"])["person"] == 1 and dict(member.facets["type"])["person"] == 2
    assert visitor.total == member.total - 1
    assert "es" not in dict(visitor.facets["language"]) and dict(member.facets["language"])["es"] == 1
    assert "audience" not in visitor.facets and "audience" not in member.facets
    assert client.get("/api/v1/search?type=person").get_json()["facets"]["type"] == {"person": 1}
    words = run_search(session, SearchQuery(q="advisor"))
    assert words.total == 0 and words.items == [] and words.facets["type"] == []
