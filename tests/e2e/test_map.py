"""The map in a real browser: Leaflet and the offline base map load under the site's CSP, markers or clusters
appear, the list is beside them, and the Arabic page keeps working controls. One short journey (slow)."""

from __future__ import annotations

from tests.factories import make_organisation
from tests.organisations.helpers import make_map_practice


def test_the_map_draws_markers_on_the_offline_base_map_without_console_errors(session, browser):
    leipzig = make_organisation(session, name="Stadt Leipzig", country="DE", latitude=51.34, longitude=12.37)
    dakar = make_organisation(session, name="Ville de Dakar", country="SN", latitude=14.69, longitude=-17.44)
    for n in range(12):  # close together: they cluster
        make_map_practice(session, leipzig, title=f"Leipzig practice {n}", latitude=51.3 + n / 100, longitude=12.3)
    make_map_practice(session, dakar, title="Waste pickers' cooperative")
    session.commit()

    browser.visit("/map")
    assert "Waste pickers' cooperative" in browser.text("#map-list")
    browser.wait.until(lambda d: d.execute_script(
        "return document.getElementById('map').dataset.markers") == "15", "the map data never arrived")
    # country shapes drawn (offline base map) and markers or clusters on top
    browser.wait.until(lambda d: len(d.find_elements("css selector", "#map .leaflet-overlay-pane path")) > 100,
                       "no country shapes")
    browser.wait.until(lambda d: d.find_elements("css selector", "#map .leaflet-marker-icon"), "no markers")
    assert browser.find_all("#map .marker-cluster"), "the Leipzig practices are not clustered"
    zoom_in = browser.find("#map .leaflet-control-zoom-in")
    assert zoom_in.get_attribute("title") == "Zoom in"
    browser.check_console()

    browser.visit("/map?lang=ar")
    assert browser.driver.find_element("css selector", "html").get_attribute("dir") == "rtl"
    browser.wait.until(lambda d: d.execute_script(
        "return document.getElementById('map').dataset.markers") == "15")
    before = browser.driver.execute_script("return document.querySelector('#map').dataset.markers")
    zoom_in = browser.find("#map .leaflet-control-zoom-in")
    browser.scroll_to(zoom_in)
    zoom_in.click()
    browser.wait.until(lambda d: d.execute_script(
        "return !document.querySelector('#map').classList.contains('leaflet-zoom-anim')"))
    assert before == "15"
    browser.check_console()
