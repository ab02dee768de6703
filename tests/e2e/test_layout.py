"""Phone layouts in headless Chromium at 390 px: no sideways scrolling, even with a 200-character unbroken name."""

from __future__ import annotations

import pytest

from app.events import services as event_services
from app.sqltypes import utcnow
from tests.e2e.conftest import MISSING, PHONE, SKIP_REASON
from tests.factories import PASSWORD, make_admin, make_event, make_organiser, make_user

pytestmark = pytest.mark.skipif(bool(MISSING), reason=SKIP_REASON)

LONG_NAME = "Z" * 200  # a name with no place to break


def _log_in(browser, email: str) -> None:
    browser.visit("/auth/login")
    browser.fill("#email", email)
    browser.fill("#password", PASSWORD)
    browser.click("form input[type=submit][value='Log in']")
    assert not browser.path.startswith("/auth/login"), browser.text("main")


def _fits(browser, page: str) -> None:
    browser.visit(page)
    inner, scroll = browser.driver.execute_script(
        "return [window.innerWidth, document.documentElement.scrollWidth]")
    assert inner == PHONE[0] and scroll <= inner, f"{page} is {scroll} px wide on a {inner} px phone"
    overflowing = browser.driver.execute_script(
        "return Array.from(document.querySelectorAll('.table-responsive'))"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).length")
    assert not overflowing, f"a table on {page} scrolls sideways on a phone"


def _inside(browser, label: str) -> None:
    """Every button with the label is wholly within the viewport (reachable without scrolling sideways)."""
    rects = browser.driver.execute_script(
        "return Array.from(document.querySelectorAll('main button'))"
        ".filter(b => b.textContent.trim() === arguments[0])"
        ".map(b => { const r = b.getBoundingClientRect(); return [r.left, r.right]; })", label)
    assert rects, f"no {label!r} button"
    for left, right in rects:
        assert left >= 0 and right <= PHONE[0], f"{label!r} lies at {left}–{right} px, outside {PHONE[0]} px"


def test_participants_events_and_users_fit_a_phone_with_a_long_unbroken_name(session, browser):
    organiser = make_organiser(session, name=LONG_NAME, email="long@example.org")
    event = make_event(session, organisers=[organiser], capacity=1, requires_approval=True,
                       title="T" * 200, venue="V" * 200)
    for name in (LONG_NAME, "Bruno Keller", "Chen Wei"):
        person = make_user(session, name=name)
        event_services.enrol(session, event_id=event.id, user_id=person.id, now=utcnow())
    make_admin(session, email="admin@example.org", name="A" * 200)
    event_id = event.id
    session.commit()

    browser.resize(*PHONE)
    _log_in(browser, "long@example.org")
    _fits(browser, f"/events/{event_id}/participants")
    for label in ("Approve", "Reject", "Cancel enrolment"):
        _inside(browser, label)
    _fits(browser, f"/events/{event_id}")
    _fits(browser, "/events/")
    _fits(browser, f"/events/{event_id}/edit")
    browser.driver.delete_all_cookies()
    _log_in(browser, "admin@example.org")
    _fits(browser, "/admin/users")
