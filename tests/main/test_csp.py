"""Content-Security-Policy: no inline script, style or handler on any page, and no versions in Server."""

from __future__ import annotations

import re
import threading
import urllib.request
from urllib.parse import urljoin, urlsplit

import pytest

from app.demo import seed_all
from tests.conftest import csrf_from
from tests.factories import TEST_HASH
from tests.main.test_demo_journeys import LINK_RE, PAGE_LIMIT

INLINE = [
    ("inline <script>", re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*\btype=\"application/ld\+json\")[^>]*>", re.I)),
    ("<style> element", re.compile(r"<style\b", re.I)),
    ("style attribute", re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)),
    ("on* handler attribute", re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)),
    ("javascript: URL", re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I)),
]


def _inline_code(html: str) -> list[str]:
    return [name for name, pattern in INLINE if pattern.search(html)]


def _crawl_html(client, limit: int = PAGE_LIMIT) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = ["/"]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        if "html" not in response.headers.get("Content-Type", ""):
            seen[url] = ""
            response.close()
            continue
        body = response.get_data(as_text=True)
        seen[url] = body
        assert "script-src 'self'" in response.headers.get("Content-Security-Policy", ""), url
        for href in LINK_RE.findall(body):
            parts = urlsplit(urljoin(url, href.replace("&amp;", "&")))
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "localhost"):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path.startswith(("/bootstrap/", "/static/")) or "/auth/logout" in path:
                continue
            if path not in seen and path not in queue:
                queue.append(path)
    return seen


def test_every_response_has_the_policy(client):
    for url in ("/", "/api/v1/topics", "/no/such/page", "/auth/login"):
        policy = client.get(url).headers["Content-Security-Policy"]
        for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
                          "frame-ancestors 'none'", "base-uri 'self'", "form-action 'self'"):
            assert directive in policy, (url, directive)


@pytest.mark.parametrize("email", [
    None,
    "participant@demo.connective-cities.org",
    "organiser@demo.connective-cities.org",
    "admin@demo.connective-cities.org",
])
def test_no_page_reachable_from_the_demo_has_inline_code(client, session, email):
    seed_all(session, password="demo-password", hash_method=TEST_HASH)
    session.commit()
    if email:
        token = csrf_from(client.get("/auth/login").get_data(as_text=True))
        response = client.post("/auth/login", data={"email": email, "password": "demo-password",
                                                    "csrf_token": token})
        assert response.status_code == 302
    pages = _crawl_html(client)
    found = {url: problems for url, body in pages.items()
             if (problems := _inline_code(body))}
    assert not found
    assert len(pages) > 20


def test_error_and_form_pages_have_no_inline_code(client):
    for url in ("/no/such/page", "/auth/login", "/auth/register", "/auth/reset", "/verify"):
        assert not _inline_code(client.get(url).get_data(as_text=True)), url


def test_the_development_server_names_no_versions(app):
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/no/such/page") as response:
            header = response.headers["Server"]
    except urllib.error.HTTPError as exc:
        header = exc.headers["Server"]
    finally:
        server.shutdown()
        server.server_close()
    assert header == "Werkzeug"


def test_gunicorn_names_no_version():
    import gunicorn

    assert gunicorn.SERVER == "gunicorn" and "/" not in gunicorn.SERVER
