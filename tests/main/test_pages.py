"""The shell: home page, navigation by role, error pages."""

from __future__ import annotations

from tests.factories import make_admin, make_user


def test_home_lists_topics(client):
    body = client.get("/").get_data(as_text=True)
    assert "Closed-loop systems and circular economy" in body
    assert "/bootstrap/static/" in body  # Bootstrap served locally, no CDN
    assert "cdn.jsdelivr" not in body


def test_bootstrap_assets_served_locally(client):
    body = client.get("/").get_data(as_text=True)
    import re
    css = re.search(r'href="(/bootstrap/static/[^"]+\.css)"', body).group(1)
    response = client.get(css)
    assert response.status_code == 200
    response.close()


def test_404_page_is_html(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Not found" in response.get_data(as_text=True)


def test_admin_pages_forbidden_for_participants(client, session, auth):
    make_user(session, email="p@example.org")
    session.commit()
    auth.login("p@example.org")
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert "You may not do that" in response.get_data(as_text=True)


def test_navigation_by_role(client, session, auth):
    make_admin(session, email="a@example.org")
    session.commit()
    assert ">Admin<" not in client.get("/").get_data(as_text=True)
    auth.login("a@example.org")
    assert ">Admin<" in client.get("/").get_data(as_text=True)
