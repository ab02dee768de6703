"""BASE_URL is for what leaves the site (mail, feeds, calendar files); pages link relatively, wherever served."""

from __future__ import annotations

import logging
import re
from urllib.parse import urljoin, urlsplit

import pytest

from app.demo import seed_all
from tests.factories import TEST_HASH

ATTR_RE = re.compile(r'(?:href|src|action)="([^"#]*)"')
SERVED_AT = "http://localhost:8123/"  # another host and port than BASE_URL (http://cc.test)


@pytest.mark.parametrize("email", [None, "organiser@demo.connective-cities.org"])
def test_pages_served_on_another_port_link_within_it(app, client, session, auth, email):
    seed_all(session, password="demo-password", hash_method=TEST_HASH)
    session.commit()
    if email:
        auth.login(email, "demo-password")
    base = app.config["BASE_URL"]
    absolute: dict[str, set[str]] = {}
    seen: set[str] = set()
    queue = ["/", "/events/", "/programmes/", "/verify", "/auth/profile" if email else "/auth/login"]
    while queue and len(seen) < 70:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, base_url=SERVED_AT)
        if "html" not in response.headers.get("Content-Type", ""):
            continue
        for value in ATTR_RE.findall(response.get_data(as_text=True)):
            value = value.replace("&amp;", "&")
            if value.startswith(base):
                absolute.setdefault(url, set()).add(value)
            parts = urlsplit(urljoin(url, value))
            if parts.scheme in ("", "http") and parts.netloc in ("", "localhost:8123") \
                    and not parts.path.startswith(("/static/", "/bootstrap/", "/auth/logout")):
                path = parts.path + (f"?{parts.query}" if parts.query else "")
                if path not in seen and path not in queue:
                    queue.append(path)
    assert len(seen) > 20
    assert absolute == {}


def test_a_request_for_another_host_than_base_url_warns_once(app, client, caplog):
    from app import hosts

    hosts.reset_host_warning()
    with caplog.at_level(logging.WARNING, logger="app.hosts"):
        client.get("/", base_url="http://cc.test/")
        assert not [r for r in caplog.records if r.name == "app.hosts"]
        client.get("/", base_url="http://localhost:8123/")
        client.get("/events/", base_url="http://localhost:8123/")
        client.get("/", base_url="http://127.0.0.1:5001/")
    warnings = [r for r in caplog.records if r.name == "app.hosts"]
    assert len(warnings) == 1
    message = warnings[0].getMessage()
    assert "localhost:8123" in message and "http://cc.test" in message and "BASE_URL" in message
