"""The dashboards in headless Chromium: an organiser's event dashboard (desktop, then Arabic on a phone), the
public /network page with its activity map and filters, and the admin overview."""

from __future__ import annotations

import pytest

from tests.dashboards.network_data import build_network
from tests.dashboards.test_event_stats import build_story
from tests.e2e.conftest import MISSING, PHONE, SKIP_REASON
from tests.factories import PASSWORD, make_admin

pytestmark = pytest.mark.skipif(bool(MISSING), reason=SKIP_REASON)

CHARTS = ("registrations", "funnel", "waiting_list", "attendance", "by_country", "by_region",
          "by_organisation_kind", "by_language")

# what a fetch() of a URL answers, from the page (so with its cookies): [status, content-type, start of body]
FETCH = """
const done = arguments[arguments.length - 1];
fetch(arguments[0], {credentials: 'same-origin'})
  .then(r => r.text().then(t => done([r.status, r.headers.get('content-type'), t.slice(0, 200)])))
  .catch(e => done([0, String(e), '']));
"""


def _log_in(browser, email: str) -> None:
    browser.visit("/auth/login")
    browser.fill("#email", email)
    browser.fill("#password", PASSWORD)
    browser.click("form input[type=submit][value='Log in']")
    assert not browser.path.startswith("/auth/login"), browser.text("main")


def _no_sideways_scroll(browser) -> None:
    inner, scroll = browser.driver.execute_script(
        "return [window.innerWidth, document.scrollingElement.scrollWidth]")
    assert scroll <= inner + 1, f"{browser.path} is {scroll} px wide in a {inner} px window"


def _svgs_fit(browser) -> None:
    """Every chart's svg is drawn (has a size) and lies within the window."""
    boxes = browser.driver.execute_script(
        "return Array.from(document.querySelectorAll('figure.chart svg')).map(s => {"
        " const r = s.getBoundingClientRect(); return [s.closest('figure').id, r.left, r.right, r.width]; })")
    assert boxes, "no chart drawn"
    inner = browser.driver.execute_script("return window.innerWidth")
    for figure, left, right, width in boxes:
        assert width > 0 and left >= -1 and right <= inner + 1, f"{figure}'s svg lies at {left}–{right} of {inner}"


def _open_table_with_the_keyboard(browser, key: str) -> None:
    from selenium.webdriver.common.keys import Keys

    figure = browser.find(f"figure#chart-{key}")
    table = browser.find("details.chart-data table", within=figure)
    assert not table.is_displayed()
    summary = browser.find("details.chart-data > summary", within=figure)
    browser.scroll_to(summary)
    browser.driver.execute_script("arguments[0].focus()", summary)
    assert browser.driver.switch_to.active_element == summary
    summary.send_keys(Keys.ENTER)
    browser.wait.until(lambda _: table.is_displayed(), f"the table of {key} stays hidden")
    assert browser.find("details.chart-data", within=figure).get_attribute("open") is not None


def test_organiser_follows_the_dashboard_link_reads_a_table_and_the_csv(session, browser):
    event, _, _ = build_story(session)
    event_id, email = event.id, event.organisers[0].email
    session.commit()

    _log_in(browser, email)
    browser.visit(f"/events/{event_id}")
    browser.click(f"a[href='/events/{event_id}/dashboard']")
    assert browser.path == f"/events/{event_id}/dashboard"

    figures = browser.text("section[aria-labelledby=key-figures]")
    assert "Seats taken" in figures and "3 of 2" in figures and "Attendance rate" in figures
    for key in CHARTS:
        assert browser.find_all(f"figure#chart-{key} svg"), f"no svg for {key}"
    _svgs_fit(browser)

    _open_table_with_the_keyboard(browser, "funnel")
    rows = [row.text for row in browser.find_all("figure#chart-funnel table tbody tr")]
    assert rows[0].startswith("Enrolled") and "6" in rows[0], rows  # 6 enrolled (build_story counts them)

    link = browser.find("figure#chart-funnel .chart-download a")
    assert link.get_attribute("download") is not None
    status, content_type, body = browser.driver.execute_async_script(FETCH, link.get_attribute("href"))
    assert status == 200 and content_type.startswith("text/csv"), (status, content_type)
    assert "Enrolled" in body and "6" in body


def test_the_dashboard_in_arabic_fits_a_phone(session, browser):
    event, _, _ = build_story(session)
    event_id, email = event.id, event.organisers[0].email
    session.commit()

    browser.resize(*PHONE)
    _log_in(browser, email)
    browser.visit(f"/events/{event_id}/dashboard?lang=ar")
    html = browser.find("html")
    assert html.get_attribute("lang") == "ar" and html.get_attribute("dir") == "rtl"
    assert browser.driver.execute_script("return window.innerWidth") == PHONE[0]
    _no_sideways_scroll(browser)
    _svgs_fit(browser)
    _open_table_with_the_keyboard(browser, "by_country")
    _no_sideways_scroll(browser)  # an open table scrolls inside its own box, never the page


def test_network_map_draws_circles_and_the_filters_stay_in_the_url(session, browser):
    build_network(session)
    session.commit()

    browser.visit("/network")
    browser.find(".activity-map")
    browser.wait.until(lambda d: d.execute_script(
        "return document.querySelector('.activity-map').dataset.markers") not in (None, "0"),
        "the activity map never drew its cities")
    circles = browser.wait.until(lambda d: d.find_elements(
        "css selector", ".activity-map .leaflet-overlay-pane path.leaflet-interactive"), "no circle markers")
    count = int(browser.driver.execute_script("return document.querySelector('.activity-map').dataset.markers"))
    assert len(circles) == count
    assert browser.find_all("figure.chart svg")

    browser.choose("#n-format", "workshop")
    browser.click("form[role=search] button[type=submit]")
    assert "format=workshop" in browser.path
    selected = browser.driver.execute_script("return document.getElementById('n-format').value")
    assert selected == "workshop"
    assert "format=workshop" in browser.find("figure.chart .chart-download a").get_attribute("href")


def test_admin_overview_shows_its_sections(session, browser):
    make_admin(session, email="admin@example.org")
    session.commit()

    _log_in(browser, "admin@example.org")
    browser.visit("/admin/")
    for section in ("overview-outbox", "overview-scheduler", "overview-accounts", "overview-reviews"):
        assert browser.find(f"section#{section} h2").text, section
    assert "Administration pages" in browser.text("main")
