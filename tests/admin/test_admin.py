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
