"""Admin pages: roles and organisations."""

from __future__ import annotations

import sqlalchemy as sa

from app.auth.models import User
from app.directory.models import Organisation
from tests.conftest import post_form
from tests.factories import make_admin, make_user


def test_admin_changes_role(client, session, auth):
    make_admin(session, email="a@example.org")
    target = make_user(session, email="p@example.org")
    session.commit()
    auth.login("a@example.org")
    response = post_form(client, "/admin/users", {"role": "organiser"}, action=f"/admin/users/{target.id}/role")
    assert response.status_code == 302
    session.expire_all()
    assert session.get(User, target.id).role == "organiser"
    bad = post_form(client, "/admin/users", {"role": "emperor"}, action=f"/admin/users/{target.id}/role",
                    follow_redirects=True)
    assert "Choose a valid role" in bad.get_data(as_text=True)


def test_admin_creates_and_edits_organisation(client, session, auth):
    make_admin(session, email="a@example.org")
    session.commit()
    auth.login("a@example.org")
    response = post_form(client, "/admin/organisations/new", {
        "name": "eThekwini Municipality", "kind": "municipality", "city": "Durban", "country": "ZA",
        "website": "https://www.durban.gov.za"})
    assert response.status_code == 302
    org = session.scalar(sa.select(Organisation))
    assert (org.name, org.country, org.city) == ("eThekwini Municipality", "ZA", "Durban")
    dup = post_form(client, "/admin/organisations/new", {
        "name": "ethekwini municipality", "kind": "municipality", "city": "", "country": "ZA", "website": ""})
    assert dup.status_code == 200 and "already exists" in dup.get_data(as_text=True)
    bad = post_form(client, f"/admin/organisations/{org.id}", {
        "name": "eThekwini Municipality", "kind": "municipality", "city": "Durban", "country": "ZA",
        "website": "javascript:alert(1)"})
    assert bad.status_code == 200 and "Enter a full web address" in bad.get_data(as_text=True)
    assert client.get("/admin/organisations/999999").status_code == 404


def test_admin_manages_topics(client, session, auth):
    from app.directory.models import Topic
    from app.directory.signals import topic_changed

    make_admin(session, email="a@example.org")
    session.commit()
    auth.login("a@example.org")
    created = post_form(client, "/admin/topics/new", {
        "slug": "water-management", "name": "Water management", "description": "Drinking water, sanitation."})
    assert created.status_code == 302
    topic_id = session.scalar(sa.select(Topic.id).where(Topic.slug == "water-management"))
    assert client.get("/api/v1/topics").get_json()["items"]
    bad = post_form(client, "/admin/topics/new", {"slug": "Bad Slug!", "name": "X", "description": ""})
    assert bad.status_code == 200 and "lower-case letters" in bad.get_data(as_text=True)
    dup = post_form(client, "/admin/topics/new", {"slug": "energy-efficiency", "name": "Y", "description": ""})
    assert dup.status_code == 200 and "already has that slug" in dup.get_data(as_text=True)
    renamed = []

    def on_change(sender, **_):
        renamed.append(sender.slug)

    topic_changed.connect(on_change)
    try:
        post_form(client, f"/admin/topics/{topic_id}", {
            "slug": "water", "name": "Water and sanitation", "description": "<b>safe</b>"})
    finally:
        topic_changed.disconnect(on_change)
    assert renamed == ["water"]
    page = client.get("/admin/topics").get_data(as_text=True)
    assert "Water and sanitation" in page and "&lt;b&gt;safe&lt;/b&gt;" in page
    assert client.get("/admin/topics/999999").status_code == 404


def test_admin_pages_in_the_pseudo_locale_come_from_the_catalogue(client, session, auth):
    """Labels, choices and flashes go through the catalogue (⟦…⟧ in the pseudo-locale)."""
    import re

    admin = make_admin(session, email="a@example.org")
    admin.language = "en_US_POSIX"  # the profile's language decides, after redirects too
    target = make_user(session, email="p@example.org", name="Pat Example")
    session.commit()
    auth.login("a@example.org")
    users = client.get("/admin/users").get_data(as_text=True)
    options = re.findall(r"<option value=\"\w+\" ?(?:selected)?>([^<]*)</option>", users)
    assert options and all(option.startswith("⟦") for option in options)
    form = client.get("/admin/organisations/new").get_data(as_text=True)
    assert "⟦" in re.search(r"<label[^>]*for=\"name\"[^>]*>([^<]*)</label>", form).group(1)
    assert ">Municipality<" not in form and ">Save<" not in form
    response = post_form(client, "/admin/users", {"role": "organiser"}, action=f"/admin/users/{target.id}/role",
                         follow_redirects=True)
    assert "Pat Example now has the role" not in response.get_data(as_text=True)
    assert "Pat Example" in response.get_data(as_text=True)
