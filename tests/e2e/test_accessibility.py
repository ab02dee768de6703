"""axe-core in the real browser on every kind of page reachable from the demo data, as each role.

The pages come from the same crawl as tests/main/test_demo_journeys.py (links from "/", as each user);
each distinct endpoint is checked once per role (its first page found), which keeps one browser busy
for a minute or so instead of ten. No serious or critical WCAG 2.0/2.1 A/AA violation may remain.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from app.demo import seed_all
from app.extensions import limiter
from tests.conftest import csrf_from
from tests.e2e.conftest import MISSING, SKIP_REASON
from tests.factories import TEST_HASH
from tests.main.test_demo_journeys import _crawl

pytestmark = pytest.mark.skipif(bool(MISSING), reason=SKIP_REASON)

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ROLES = [None, "participant@demo.connective-cities.org", "organiser@demo.connective-cities.org",
         "admin@demo.connective-cities.org"]
RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
  .then(r => done(r.violations.filter(v => ["serious", "critical"].includes(v.impact)).map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " :: " + (n.failureSummary || "").split("\\n")[1])}))))
  .catch(e => done([{id: "axe-error", impact: "critical", help: String(e), nodes: []}]));
"""


def _pages_per_endpoint(app, client) -> list[str]:
    """The first page found for each endpoint, HTML answers with 200 only."""
    adapter = app.url_map.bind("localhost")
    chosen: dict[str, str] = {}
    for url, status in _crawl(client).items():
        if status != 200:
            continue
        parts = urlsplit(url)
        try:
            endpoint, _ = adapter.match(parts.path, method="GET")
        except Exception:  # noqa: BLE001 - a redirect or an unknown path is not a page to check
            continue
        if endpoint.startswith(("static", "bootstrap")) or endpoint in chosen:
            continue
        response = client.get(url)
        if "text/html" in response.headers.get("Content-Type", ""):
            chosen[endpoint] = url
        response.close()
    return list(chosen.values())


def _log_in(app, browser, email):
    browser.driver.delete_all_cookies()
    client = app.test_client()
    if email is None:
        return client
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    assert client.post("/auth/login", data={"email": email, "password": "demo-password",
                                            "csrf_token": token}).status_code == 302
    browser.visit("/auth/login")
    browser.fill("#email", email)
    browser.fill("#password", "demo-password")
    browser.click("form input[type=submit][value='Log in']")
    assert not browser.path.startswith("/auth/login"), browser.text("main")
    return client


def test_every_demo_page_has_no_serious_accessibility_violations(app, session, browser):
    seed_all(session, password="demo-password", hash_method=TEST_HASH)
    session.commit()
    axe = AXE.read_text(encoding="utf-8")
    browser.driver.set_script_timeout(30)
    found: dict[str, list] = {}
    checked = 0
    for email in ROLES:
        client = _log_in(app, browser, email)
        pages = _pages_per_endpoint(app, client)
        limiter.reset()  # the crawl counted against the verification limit; the browser starts afresh
        assert len(pages) >= 10, (email, pages)  # the demo data really was reachable
        for url in pages:
            browser.visit(url)
            browser.driver.execute_script(axe)
            violations = browser.driver.execute_async_script(RUN_AXE, TAGS)
            checked += 1
            for v in violations:
                found.setdefault(f"{v['id']} ({v['impact']}): {v['help']}", []).append(
                    f"{email or 'visitor'} {url}: {v['nodes']}")
    report = "\n".join(f"{rule}\n    " + "\n    ".join(where[:6]) for rule, where in found.items())
    assert not found, f"axe found serious or critical violations on {checked} pages:\n{report}"


def _luminance(rgb) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rgba(css: str) -> tuple[float, ...]:
    values = [float(v) for v in css[css.index("(") + 1:-1].split(",")]
    return tuple(values) if len(values) == 4 else (*values, 1.0)


def _contrast(foreground: str, background: str) -> float:
    fr, fg, fb, alpha = _rgba(foreground)
    br, bg, bb, _ = _rgba(background)
    blended = (fr * alpha + br * (1 - alpha), fg * alpha + bg * (1 - alpha), fb * alpha + bb * (1 - alpha))
    high, low = sorted((_luminance(blended), _luminance((br, bg, bb))), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_skip_link_focus_ring_and_nav_contrast_on_the_green_bar(session, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    browser.visit("/events/")
    style = browser.driver.execute_script
    bar = style("return getComputedStyle(document.querySelector('nav.navbar')).backgroundColor")
    inactive = browser.find("nav .nav-link:not(.active)")
    assert _contrast(inactive.value_of_css_property("color"), bar) >= 4.5

    # the first Tab reaches a visible "Skip to main content", which moves focus to the page's main content
    ActionChains(browser.driver).send_keys(Keys.TAB).perform()
    skip = browser.driver.switch_to.active_element
    assert skip.text == "Skip to main content" and skip.is_displayed() and skip.size["width"] > 50
    skip.send_keys(Keys.ENTER)
    assert style("return document.activeElement.id") == "main"

    # a keyboard user sees where they are on the bar: a solid ring contrasting with the green (>= 3:1)
    browser.visit("/events/")
    ActionChains(browser.driver).send_keys(Keys.TAB, Keys.TAB).perform()
    brand = browser.driver.switch_to.active_element
    assert "navbar-brand" in brand.get_attribute("class")
    assert brand.value_of_css_property("outline-style") == "solid"
    assert float(brand.value_of_css_property("outline-width").removesuffix("px")) >= 2
    assert _contrast(brand.value_of_css_property("outline-color"), bar) >= 3
