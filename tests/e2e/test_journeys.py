"""Journeys through the real pages in headless Chromium: register and enrol, check-in at the desk, verify."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.events import services as event_services
from app.events.models import Checkin, Enrolment
from app.sqltypes import utcnow
from tests.e2e.conftest import MISSING, PHONE, SKIP_REASON
from tests.factories import PASSWORD, make_event, make_organiser, make_user

pytestmark = pytest.mark.skipif(bool(MISSING), reason=SKIP_REASON)


def _log_in(browser, email: str, name: str) -> None:
    browser.visit("/auth/login")
    browser.fill("#email", email)
    browser.fill("#password", PASSWORD)
    browser.click("form input[type=submit][value='Log in']")
    assert not browser.path.startswith("/auth/login"), browser.text("main")
    assert name in browser.find("nav").get_attribute("textContent")  # collapsed behind the toggler on a phone


def _decode_qr(png: bytes) -> list[str]:
    zxingcpp = pytest.importorskip("zxingcpp")
    image = pytest.importorskip("PIL.Image")
    return [result.text for result in zxingcpp.read_barcodes(image.open(io.BytesIO(png)))]


def test_visitor_registers_enrols_gets_a_ticket_and_cancels(session, browser):
    wanted = make_event(session, title="Rainwater harvesting for dense quarters",
                        topics=["climate-friendly-urban-development"])
    other = make_event(session, title="Protected bike lanes on main roads", topics=["sustainable-transport"])
    wanted_id, wanted_title, other_title = wanted.id, wanted.title, other.title
    session.commit()

    # register through the real form (its CSRF token comes with the page)
    browser.visit("/auth/register")
    browser.fill("#name", "Chiara Bianchi")
    browser.fill("#email", "chiara@example.org")
    browser.fill("#password", "a long enough secret")
    browser.fill("#confirm", "a long enough secret")
    browser.choose("#country", "IT")
    browser.click("form input[type=submit][value='Create account']")
    browser.wait_text(".alert", "Check your email")  # the same answer whether or not the address is taken
    browser.fill("#email", "chiara@example.org")
    browser.fill("#password", "a long enough secret")
    browser.click("form input[type=submit][value='Log in']")
    assert "Chiara Bianchi" in browser.find("nav").get_attribute("textContent")

    # browse, filter by topic, open the event
    browser.click("nav a.nav-link[href='/events/']")
    browser.row(".list-group-item", wanted_title)
    browser.row(".list-group-item", other_title)
    browser.choose("#f-topic", "climate-friendly-urban-development")
    browser.click("form[role=search] button[type=submit]")
    assert "topic=climate-friendly-urban-development" in browser.path
    listed = [e.text for e in browser.find_all(".list-group a.list-group-item h2")]
    assert listed == [wanted_title]
    browser.click(f"a.list-group-item[href='/events/{wanted_id}']")
    assert browser.text("h1") == wanted_title

    # enrol: confirmed at once (no seat limit, no approval)
    browser.click(".event-side form[action$='/enrol'] button")
    browser.wait_text(".alert", "You are enrolled")
    assert "Your enrolment: confirmed" in browser.text(".event-side")
    with_code = session.scalar(sa.select(Enrolment.ticket_code).where(Enrolment.event_id == wanted_id))
    session.rollback()  # end the read: the server writes next

    # My events -> the ticket with its QR code
    browser.click("nav a.nav-link[href='/events/mine']")
    row = browser.row(".list-group-item", wanted_title)
    assert "confirmed" in row.text
    browser.click("a[href^='/events/tickets/']", within=row)
    assert browser.text("#ticket-code") == with_code
    qr = browser.find(".qr svg")
    assert _decode_qr(qr.screenshot_as_png) == [with_code]

    # cancel from My events: the browser asks first; saying no changes nothing
    browser.click("a[href='/events/mine']")
    row = browser.row(".list-group-item", wanted_title)
    question = browser.click_and_confirm("form[data-confirm] button", accept=False, within=row)
    assert question.startswith(f"Cancel your enrolment in {wanted_title}?")
    assert browser.path == "/events/mine" and "confirmed" in browser.row(".list-group-item", wanted_title).text
    browser.click_and_confirm("form[data-confirm] button", within=row)
    browser.wait_text(".alert", "The enrolment is cancelled.")
    assert browser.path == "/events/mine"
    row = browser.row(".list-group-item", wanted_title)
    assert "cancelled" in row.text and not browser.find_all("a[href^='/events/tickets/']", within=row)
    browser.visit(f"/events/{wanted_id}")
    assert browser.find(".event-side form[action$='/enrol'] button").text == "Enrol"
    status = session.scalar(sa.select(Enrolment.status).where(Enrolment.event_id == wanted_id))
    session.rollback()
    assert status == "cancelled"


def test_organiser_checks_in_at_the_desk_on_a_phone(session, browser):
    organiser = make_organiser(session, name="Olivia Okafor", email="olivia@example.org")
    event = make_event(session, organisers=[organiser], title="Check-in desk workshop")
    for name in ("Amara Nwosu", "Bruno Keller"):
        person = make_user(session, name=name)
        event_services.enrol(session, event_id=event.id, user_id=person.id, now=utcnow())
    event_id = event.id
    session.commit()

    browser.resize(*PHONE)
    _log_in(browser, "olivia@example.org", "Olivia Okafor")
    browser.visit(f"/events/{event_id}/checkin")
    inner, scroll = browser.viewport()
    assert inner == PHONE[0] and scroll <= inner, f"the check-in page scrolls sideways on a phone ({scroll} > {inner})"
    assert "0 of 2 confirmed checked in" in browser.text("main")

    browser.fill("main input[name=q]", "amara")
    browser.click("main form input[name=q] ~ button")
    assert "q=amara" in browser.path
    names = [e.text for e in browser.find_all("ul.list-group .fw-semibold")]
    assert names == ["Amara Nwosu"]

    row = browser.row("ul.list-group > li", "Amara Nwosu")
    browser.click("form button.btn-success", within=row)
    # the workshop starts in ten days: the desk is asked first, and nothing is recorded until it confirms
    assert "Amara Nwosu is being checked in before the event" in browser.text("#early-checkin")
    assert session.scalar(sa.select(sa.func.count()).select_from(Checkin)) == 0
    session.rollback()
    browser.click("#early-checkin button[type=submit]")
    browser.wait_text(".alert", "✓ Amara Nwosu is checked in.")
    # the search stays after checking in: the desk keeps working through the same list
    assert "q=amara" in browser.path
    assert [e.text for e in browser.find_all("ul.list-group .fw-semibold")] == ["Amara Nwosu"]
    row = browser.row("ul.list-group > li", "Amara Nwosu")
    assert "Checked in at" in row.get_attribute("textContent") and "Undo" in row.text
    assert "1 of 1 confirmed matching checked in" in browser.text("main p.small")
    assert session.scalar(sa.select(sa.func.count()).select_from(Checkin)) == 1
    session.rollback()

    browser.click("form[action*='/undo'] button", within=row)
    browser.wait_text(".alert", "The check-in is undone.")
    assert browser.path.startswith(f"/events/{event_id}/checkin")
    row = browser.row("ul.list-group > li", "Amara Nwosu")
    assert "Undo" not in row.text and browser.find_all("form button.btn-success", within=row)
    assert "0 of " in browser.text("main p.small")
    assert session.scalar(sa.select(sa.func.count()).select_from(Checkin)) == 0
    session.rollback()


def test_organiser_checks_in_by_scanning_a_photo_of_the_ticket(session, browser, tmp_path):
    """The ticket's QR code, photographed from the participant's screen, read by the desk page's decoder
    (the one the camera feeds; headless Chromium on Linux has no BarcodeDetector, so the vendored jsQR)."""
    organiser = make_organiser(session, name="Olivia Okafor", email="olivia@example.org")
    now = utcnow()
    event = make_event(session, organisers=[organiser], title="Walk-in clinic",
                       starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=5))
    person = make_user(session, name="Kofi Mensah", email="kofi@example.org")
    enrolment = event_services.enrol(session, event_id=event.id, user_id=person.id, now=now)
    event_id, enrolment_id, code = event.id, enrolment.id, enrolment.ticket_code
    session.commit()

    # the participant shows the ticket; the desk takes a photo of the screen
    _log_in(browser, "kofi@example.org", "Kofi Mensah")
    browser.visit(f"/events/tickets/{enrolment_id}")
    photo = tmp_path / "ticket.png"
    photo.write_bytes(browser.find(".qr svg").screenshot_as_png)
    browser.driver.delete_all_cookies()

    _log_in(browser, "olivia@example.org", "Olivia Okafor")
    browser.visit(f"/events/{event_id}/checkin")
    assert "0 of 1 confirmed checked in" in browser.text("main")
    chooser = browser.find("#scan-file")  # shown by checkin.js in every browser
    old = browser.driver.find_element("tag name", "html")
    chooser.send_keys(str(photo))
    browser.wait.until(lambda d: old != d.find_element("tag name", "html"))
    browser._loaded()
    browser.wait_text(".alert", "✓ Kofi Mensah is checked in.")
    row = browser.row("ul.list-group > li", "Kofi Mensah")
    assert "Checked in at" in row.get_attribute("textContent")
    checkin = session.scalar(sa.select(Checkin))
    session.rollback()
    assert checkin.enrolment_id == enrolment_id and checkin.method == "code", code


def test_anyone_verifies_a_certificate_code_typed_loosely(session, browser):
    from app.certificates import services as certificates
    from tests.certificates.helpers import attendee, past_event

    event = past_event(session)
    attendee(session, event, name="Анна Ковальчук")
    report = certificates.issue_event_certificates(session, event_id=event.id, actor_id=None, now=utcnow())
    (certificate,) = report.issued
    code = certificate.code
    session.commit()

    browser.visit("/verify")
    browser.fill("#code", code.lower().replace("-", ""))
    browser.click("form[method=get] input[type=submit]")
    assert browser.path == f"/verify/{code}"
    assert code in browser.text("h1")
    browser.wait_text(".alert-success", "Valid.")
    assert "Анна Ковальчук" in browser.text("main dl")
