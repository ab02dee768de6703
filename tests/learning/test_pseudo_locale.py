"""The learning pages in the pseudo-locale, for visitor, participant, organiser and admin: no English left outside
the catalogue, and times in the viewer's zone, named (issue 12, points 1, 4 and 8).

The crawl starts at the learning pages and follows links under /programmes only (the whole site's crawl is
tests/i18n/test_pseudo_locale.py); the event page's "counts towards" box is learning's partial, checked too.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest

from app.i18n import PSEUDO_LOCALE
from app.language import catalogue
from tests.i18n.test_pseudo_locale import ROLES, _leftovers, _log_in, _user_words
from tests.main.test_demo_journeys import LINK_RE

ROOTS = ("/programmes/", "/programmes/mine", "/programmes/manage", "/programmes/manage/reviews")


def _catalogue_is_current():
    """The compiled pseudo-locale knows the learning pages' strings (`make translations` was run)."""
    marked = catalogue(PSEUDO_LOCALE).gettext("Dates and times in %(zone)s.")
    return marked != "Dates and times in %(zone)s."


def _learning_pages(client, roots) -> dict[str, str]:
    bodies: dict[str, str] = {}
    queue = list(roots)
    while queue and len(bodies) < 80:
        url = queue.pop(0)
        if url in bodies:
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.headers.get("Content-Type", ""):
            response.close()
            continue
        bodies[url] = response.get_data(as_text=True)
        for href in LINK_RE.findall(bodies[url]):
            parts = urlsplit(urljoin(url, href.replace("&amp;", "&")))
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.netloc in ("", "localhost") and path.startswith("/programmes/") and path not in bodies:
                queue.append(path)
    return bodies


@pytest.fixture
def demo(session):
    from app.demo import seed_all
    from tests.factories import TEST_HASH

    seed_all(session, password="demo-password", hash_method=TEST_HASH)
    session.commit()
    return session


@pytest.mark.parametrize("email", ROLES)
def test_learning_pages_leave_no_english_outside_the_catalogue(client, demo, email):
    if not _catalogue_is_current():
        pytest.skip("the compiled catalogues predate the learning strings: run `make translations`")
    import sqlalchemy as sa

    from app.auth.models import User

    if email:
        demo.execute(sa.update(User).where(User.email == email).values(language=PSEUDO_LOCALE))
        demo.commit()
    _log_in(client, email)
    client.set_cookie("lang", PSEUDO_LOCALE)
    # a visitor sent to log in reads Flask-Login's own sentence (auth's), not a learning page
    bodies = _learning_pages(client, ROOTS if email else ROOTS[:1])
    if email and ("organiser" in email or "admin" in email):
        assert any("/progress" in url for url in bodies) and any("/manage/modules/" in url for url in bodies)
    assert any(re.fullmatch(r"/programmes/[a-z0-9-]+", url) for url in bodies)
    event = client.get("/events/").get_data(as_text=True)
    for href in dict.fromkeys(re.findall(r'href="(/events/\d+)"', event)):
        body = client.get(href).get_data(as_text=True)
        box = re.search(r'<section[^>]*id="learning-modules".*?</section>', body, re.S)
        if box:
            bodies[href + "#learning-modules"] = box.group(0)
    user_words = _user_words(demo)
    found = {url: sorted(set(left)) for url, body in bodies.items() if (left := _leftovers(body, user_words))}
    assert not found, "\n".join(f"{url}: {' '.join(words)}" for url, words in sorted(found.items()))


@pytest.mark.parametrize("email", ROLES[1:3])
def test_learning_pages_show_times_in_the_viewers_zone_and_name_it(client, demo, email):
    import sqlalchemy as sa

    from app.auth.models import User

    demo.execute(sa.update(User).where(User.email == email).values(timezone="America/Sao_Paulo"))
    demo.commit()
    _log_in(client, email)
    urls = ["/programmes/mine"] if "participant" in email else ["/programmes/manage/reviews"]
    if "organiser" in email:
        manage = client.get("/programmes/manage").get_data(as_text=True)
        urls += list(dict.fromkeys(re.findall(r'href="(/programmes/manage/\d+/progress)"', manage)))[:1]
    for url in urls:
        html = client.get(url).get_data(as_text=True)
        # the demo participant reads German: the sentence is hers, the zone is named as it is
        assert "<bdi>America/Sao_Paulo</bdi>" in html, url
        assert "UTC" not in re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S), url
