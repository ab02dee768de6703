"""Every page reachable from the demo data, as each kind of user, answers without a server error."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest

from app.demo import seed_all
from tests.conftest import csrf_from
from tests.factories import TEST_HASH

LINK_RE = re.compile(r'href="([^"#]+)"')
PAGE_LIMIT = 160


def _crawl(client, limit: int = PAGE_LIMIT) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = ["/"]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if "html" not in response.headers.get("Content-Type", ""):
            response.close()
            continue
        for href in LINK_RE.findall(response.get_data(as_text=True)):
            parts = urlsplit(urljoin(url, href.replace("&amp;", "&")))
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "localhost"):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path.startswith(("/bootstrap/", "/static/")) or path not in seen and path in queue:
                continue
            if path not in seen:
                queue.append(path)
    return seen


@pytest.mark.parametrize("email", [
    None,
    "participant@demo.connective-cities.org",
    "organiser@demo.connective-cities.org",
    "admin@demo.connective-cities.org",
])
def test_demo_pages_answer_without_server_errors(client, session, email):
    seed_all(session, password="demo-password", hash_method=TEST_HASH)
    session.commit()
    if email:
        token = csrf_from(client.get("/auth/login").get_data(as_text=True))
        response = client.post("/auth/login", data={"email": email, "password": "demo-password",
                                                    "csrf_token": token})
        assert response.status_code == 302
    pages = _crawl(client)
    errors = {url: status for url, status in pages.items() if status >= 500}
    assert not errors
    assert len(pages) > 20  # the demo data really was reachable
