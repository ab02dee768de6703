"""A live server on loopback and a headless Chromium driving it (skipped where Chromium is missing).

The server runs the suite's `app` in a background thread, so it shares the test database: commit
what the browser must see. Chromium and chromedriver come from the system (Debian packages); the
explicit paths keep selenium-manager from trying to download anything.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("E2E_CHROMEDRIVER", "/usr/bin/chromedriver"))
MISSING = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
SKIP_REASON = f"end-to-end journeys need Chromium and chromedriver; missing: {', '.join(MISSING)}"
# CI (.ci/run) sets E2E_REQUIRED=1: there a journey that would skip (no browser, no selenium) fails instead,
# so a machine without Chromium cannot pass CI by never running them. `make test` keeps skipping.
REQUIRED = os.environ.get("E2E_REQUIRED", "") not in ("", "0")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if REQUIRED and report.skipped and "tests/e2e/" in item.nodeid.replace("\\", "/"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.longrepr = f"E2E_REQUIRED is set, and this browser journey would skip: {reason}"
DESKTOP = (1280, 900)
PHONE = (390, 844)
WAIT = 10  # seconds an explicit wait may take before the journey fails

CHROME_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def live_server(app):
    """The app on a real threaded HTTP server on 127.0.0.1; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture(scope="module")
def _chrome():
    """One headless Chromium per module, quit (with chromedriver) in the finalizer."""
    if MISSING:
        pytest.skip(SKIP_REASON)
    pytest.importorskip("selenium", reason="selenium is not installed (pip install -e '.[dev]')")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    previous = os.environ.get("SE_OFFLINE")
    os.environ["SE_OFFLINE"] = "true"  # never let selenium-manager reach for the network
    profile = tempfile.mkdtemp(prefix="cc-e2e-chrome-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in CHROME_ARGS:
        options.add_argument(arg)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={DESKTOP[0]},{DESKTOP[1]}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = None
    try:
        driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
        yield driver
    finally:
        if driver is not None:
            driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
        if previous is None:
            os.environ.pop("SE_OFFLINE", None)
        else:
            os.environ["SE_OFFLINE"] = previous


@pytest.fixture
def browser(_chrome, live_server):
    """A Browser at desktop size with no cookies, its console checked once more when the test ends."""
    _chrome.delete_all_cookies()
    _chrome.set_window_size(*DESKTOP)
    _chrome.get_log("browser")  # drop what an earlier test left behind
    b = Browser(_chrome, live_server)
    yield b
    b.check_console()


class Browser:
    """Small, explicit-wait helpers over a selenium driver; every page loaded gets its console checked."""

    def __init__(self, driver, base_url: str):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ec
        from selenium.webdriver.support.ui import Select, WebDriverWait

        self.driver, self.base_url = driver, base_url
        self._by, self._ec, self._select = By, ec, Select
        self.wait = WebDriverWait(driver, WAIT)
        self.visited: list[str] = []

    # navigation ------------------------------------------------------------------------------------
    def visit(self, path: str) -> None:
        self.driver.get(self.base_url + path)
        self._loaded()

    @property
    def path(self) -> str:
        parts = urlsplit(self.driver.current_url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def click(self, css: str, *, within=None) -> None:
        """Click a link or button that loads a new page, and wait for that page."""
        element = self.find(css, within=within)
        old = self.driver.find_element(self._by.TAG_NAME, "html")
        self.scroll_to(element)
        element.click()
        self.wait.until(self._ec.staleness_of(old))
        self._loaded()

    def scroll_to(self, element) -> None:
        """Bring the element into view at once: Bootstrap's smooth scrolling would still be moving the page
        when the click lands, and it would hit whatever passes under the pointer."""
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)

    def click_and_confirm(self, css: str, *, accept: bool = True, within=None) -> str:
        """Click a button whose form asks window.confirm(); accept (new page) or dismiss; return the question."""
        element = self.find(css, within=within)
        old = self.driver.find_element(self._by.TAG_NAME, "html")
        element.click()
        alert = self.wait.until(self._ec.alert_is_present())
        question = alert.text
        if accept:
            alert.accept()
            self.wait.until(self._ec.staleness_of(old))
            self._loaded()
        else:
            alert.dismiss()
        return question

    def _loaded(self) -> None:
        self.wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
        self.visited.append(self.path)
        self.check_console()

    # finding and typing ----------------------------------------------------------------------------
    def find(self, css: str, *, within=None):
        if within is not None:
            return self.wait.until(lambda _: within.find_element(self._by.CSS_SELECTOR, css))
        return self.wait.until(self._ec.visibility_of_element_located((self._by.CSS_SELECTOR, css)))

    def find_all(self, css: str, *, within=None) -> list:
        return (within or self.driver).find_elements(self._by.CSS_SELECTOR, css)

    def row(self, css: str, text: str):
        """The first element matching css whose text contains text (waits for it)."""
        def _match(_):
            return next((e for e in self.find_all(css) if text in e.text), False)
        return self.wait.until(_match, f"no {css} containing {text!r} on {self.path}")

    def text(self, css: str = "body") -> str:
        return self.find(css).text

    def wait_text(self, css: str, text: str) -> None:
        self.wait.until(self._ec.text_to_be_present_in_element((self._by.CSS_SELECTOR, css), text),
                        f"{text!r} not in {css} on {self.path}")

    def fill(self, css: str, value: str) -> None:
        field = self.find(css)
        field.clear()
        field.send_keys(value)

    def choose(self, css: str, value: str) -> None:
        self._select(self.find(css)).select_by_value(value)

    def resize(self, width: int, height: int) -> None:
        self.driver.set_window_size(width, height)

    def viewport(self) -> tuple[int, int]:
        """The page's (innerWidth, scrollWidth): a wider scrollWidth means sideways scrolling."""
        return tuple(self.driver.execute_script(
            "return [window.innerWidth, document.documentElement.scrollWidth]"))

    # the console -----------------------------------------------------------------------------------
    def check_console(self) -> None:
        """No SEVERE entry in the browser console (favicon 404s aside) since the last check."""
        entries = self.driver.get_log("browser")
        severe = [e["message"] for e in entries
                  if e.get("level") == "SEVERE" and "favicon.ico" not in e.get("message", "")]
        assert not severe, f"browser console errors on {self.visited[-1:] or '?'}: {severe}"
