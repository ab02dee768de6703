"""Every page reachable from the demo data, in the pseudo-locale, has no English left outside the markers.

The pseudo-locale (scripts/pseudo_locale.py) writes every catalogue string as "⟦Ŝéé…⟧". A page rendered in
it, with tags, marked text, user content from the demo data (titles, names, descriptions, topics, countries),
numbers, dates, addresses and codes taken away, keeps only what never went through the catalogue.
Also: every page in Arabic says dir="rtl".
"""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from app.demo import seed_all
from app.extensions import db
from app.i18n import LANGUAGES, PSEUDO_LOCALE
from tests.conftest import csrf_from
from tests.factories import TEST_HASH
from tests.main.test_demo_journeys import _crawl

ROLES = [None, "participant@demo.connective-cities.org", "organiser@demo.connective-cities.org",
         "admin@demo.connective-cities.org"]
MARKED = re.compile(r"⟦[^⟧]*⟧")
WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*")
ATTRIBUTES = re.compile(r'\s(?:aria-label|placeholder|title|alt|data-confirm)="([^"]*)"')
# What a person reads that is not a sentence of ours: names of products, formats and standards.
ALLOWED = {
    "Connective", "Cities", "Outlook", "com", "Google", "Calendar", "Apple", "Thunderbird", "ics", "iTIP", "API",
    "CSV", "QR", "UTC", "JSON", "PDF", "Bearer", "Authorization", "token", "SHA", "English", "Deutsch",
    "Français", "Español", "Português", "https", "http", "webcal", "mailto", "Markdown",
}
# TODO(i18n, later pass): text made in .py files, not templates; wrapped when views and services are.
#   flash messages (app/*/views.py), domain error messages (app/errors.py, services), event formats and
#   waiting-list modes (app/events/models.py or services constants), closed reasons (app/events/services.py),
#   learning statuses and module kinds (app/learning/*), WTForms choices built in views (country names come
#   from pycountry in English until country_choices takes the locale).
PY_TEXT_TODO: set[str] = set()


def _user_words(session) -> set[str]:
    """Every word stored in a text column of the demo data: content people wrote, not the interface."""
    words: set[str] = set()
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, (sa.String, sa.Text))]
        if not columns:
            continue
        for row in session.execute(sa.select(*columns)):
            for value in row:
                if isinstance(value, str):
                    words.update(WORD.findall(value))
    import pycountry

    for country in pycountry.countries:
        for name in (country.name, getattr(country, "common_name", ""), getattr(country, "official_name", "")):
            words.update(WORD.findall(name))
    from babel.dates import get_day_names, get_month_names

    # dates in the pseudo-locale are written the English way (it has no CLDR data of its own)
    for width in ("abbreviated", "wide"):
        words.update(get_month_names(width, locale="en_GB").values())
        words.update(get_day_names(width, locale="en_GB").values())
    words.update(LANGUAGES.values())
    from babel import Locale

    # language names, like dates, come from CLDR: the pseudo-locale has English ones ("Translated from Arabic")
    english = Locale("en")
    # (every language a person may say they speak, too: /people and /match list them by CLDR name)
    words.update(WORD.findall(" ".join(english.languages.values())))
    # relative times ("3 hours ago") are CLDR's words too
    from babel.dates import format_timedelta

    for seconds in (-7200, 7200):
        words.update(WORD.findall(format_timedelta(seconds, add_direction=True, locale="en")))
    from zoneinfo import available_timezones

    for zone in available_timezones():
        words.update(WORD.findall(zone.replace("_", " ")))
    return words


def _leftovers(body: str, user_words: set[str]) -> list[str]:
    attributes = " ".join(ATTRIBUTES.findall(body))
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S | re.I)
    text = re.sub(r"<pre\b.*?</pre>|<code\b.*?</code>|<title>.*?</title>", " ", text, flags=re.S | re.I)
    text = re.sub(r"<[^>]+>", " ", text) + " " + attributes
    text = MARKED.sub(" ", html.unescape(text))
    text = re.sub(r"\S+@\S+|\S+://\S+|/\S+", " ", text)  # addresses, links, paths
    text = re.sub(r"\S+…", " ", text)  # a name cut short to fit a chart (the whole name is in its table)
    left = []
    for word in WORD.findall(text):
        if word in user_words or word in ALLOWED or word in PY_TEXT_TODO:
            continue
        if not word.isascii() or len(word) < 3 or word.isupper():  # other scripts, codes, abbreviations
            continue
        left.append(word)
    return left


def _log_in(client, email):
    if email:
        token = csrf_from(client.get("/auth/login").get_data(as_text=True))
        response = client.post("/auth/login", data={"email": email, "password": "demo-password",
                                                    "csrf_token": token})
        assert response.status_code == 302


def _pages(client, session, email, language):
    seed_all(session, password="demo-password", hash_method=TEST_HASH)
    session.commit()
    if email:
        from app.auth.models import User

        # the profile language decides for a signed-in user; set it as the switcher would
        session.execute(sa.update(User).where(User.email == email).values(language=language))
        session.commit()
    _log_in(client, email)
    client.set_cookie("lang", language)
    bodies = {}
    for url, status in _crawl(client).items():
        if status != 200:
            continue
        response = client.get(url)
        if "text/html" in response.headers.get("Content-Type", ""):
            bodies[url] = response.get_data(as_text=True)
        response.close()
    return bodies


@pytest.mark.parametrize("email", ROLES)
def test_no_english_left_outside_the_catalogue(client, session, email):
    bodies = _pages(client, session, email, PSEUDO_LOCALE)
    assert len(bodies) > 10
    user_words = _user_words(session)
    found = {}
    for url, body in bodies.items():
        assert f'<html lang="{PSEUDO_LOCALE.replace("_", "-")}"' in body, url
        left = _leftovers(body, user_words)
        if left:
            found[url] = sorted(set(left))[:25]
    assert not found, "\n".join(f"{url}: {' '.join(words)}" for url, words in sorted(found.items()))


@pytest.mark.parametrize("email", ROLES)
def test_every_page_in_arabic_is_right_to_left(client, session, email):
    bodies = _pages(client, session, email, "ar")
    assert len(bodies) > 10
    wrong = [url for url, body in bodies.items() if '<html lang="ar" dir="rtl">' not in body]
    assert not wrong
