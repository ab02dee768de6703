"""A journey in Arabic: switch with the footer's switcher, then enrol; the pages stay right-to-left."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.events.models import Enrolment
from tests.e2e.conftest import MISSING, SKIP_REASON
from tests.factories import PASSWORD, make_event, make_user

pytestmark = pytest.mark.skipif(bool(MISSING), reason=SKIP_REASON)


def test_participant_switches_to_arabic_and_enrols(session, browser):
    event = make_event(session, title="Water-sensitive city design")
    make_user(session, name="Layla Haddad", email="layla@example.org")
    event_id = event.id
    session.commit()

    browser.visit("/auth/login")
    browser.fill("#email", "layla@example.org")
    browser.fill("#password", PASSWORD)
    browser.click("form input[type=submit][value='Log in']")
    assert not browser.path.startswith("/auth/login")

    browser.visit(f"/events/{event_id}")
    assert browser.find("html").get_attribute("dir") == "ltr"
    browser.click(".language-switcher button[lang='ar']")
    assert browser.path == f"/events/{event_id}"
    html = browser.find("html")
    assert html.get_attribute("lang") == "ar" and html.get_attribute("dir") == "rtl"
    links = [link.get_attribute("href") for link in browser.find_all("link[rel=stylesheet]")]
    assert any(href.endswith("/static/vendor/bootstrap/bootstrap.rtl.min.css") for href in links)
    # the title people wrote keeps its own direction inside the Arabic page
    assert browser.find("h1").get_attribute("dir") == "auto"

    browser.click(".event-side form[action$='/enrol'] button")
    assert browser.find("html").get_attribute("dir") == "rtl"
    status = session.scalar(sa.select(Enrolment.status).where(Enrolment.event_id == event_id))
    language = session.scalar(sa.select(User.language).where(User.email == "layla@example.org"))
    session.rollback()
    assert status == "confirmed" and language == "ar"
