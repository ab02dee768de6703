"""Open data: the Atom feed (filters, escaping, conditional requests), the CSV export (formula-safe,
translated headers, constant queries) and schema.org JSON-LD (pure builders, "</script>" cannot escape)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta
from xml.etree import ElementTree as ET

from flask import render_template_string

from app.practices.opendata import jsonld_script_body, organisation_jsonld, practice_jsonld, tag_uri
from tests.factories import make_organisation
from tests.practices.support_opendata import PUBLISHED, published_practice

ATOM = "{http://www.w3.org/2005/Atom}"


def _entries(body: bytes):
    root = ET.fromstring(body)  # a second parser: the feed must be well-formed XML
    assert root.tag == f"{ATOM}feed"
    return root, root.findall(f"{ATOM}entry")


def test_feed_lists_published_practices_newest_first_with_categories(client, session):
    leipzig = make_organisation(session, name="City of Leipzig", city="Leipzig", country="DE")
    older = published_practice(session, organisation=leipzig, title="Older", published_at=PUBLISHED)
    newer = published_practice(session, organisation=leipzig, title="Newer", topics=("circular-economy",),
                               goals=(11, 12), targets=("11.6",), published_at=PUBLISHED + timedelta(days=3))
    published_practice(session, organisation=leipzig, title="A draft", status="draft")
    published_practice(session, organisation=leipzig, title="Waiting", status="submitted")
    session.commit()

    response = client.get("/practices/feed.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    root, entries = _entries(response.data)
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Newer", "Older"]
    first = entries[0]
    assert first.findtext(f"{ATOM}id") == f"tag:cc.test,{newer.created_at.date().isoformat()}:practice/{newer.id}"
    assert first.find(f"{ATOM}link").get("href") == f"http://cc.test/practices/{newer.id}"
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "City of Leipzig"
    assert first.findtext(f"{ATOM}updated") == "2030-01-13T09:00:00Z"
    terms = {c.get("term") for c in first.findall(f"{ATOM}category")}
    assert terms == {"circular-economy", "sdg-11", "sdg-12"}
    assert root.findtext(f"{ATOM}updated")  # required by RFC 4287
    assert older.id in {int(e.findtext(f"{ATOM}id").rsplit("/", 1)[1]) for e in entries}


def test_feed_filters_by_topic_sdg_and_region_and_ignores_nonsense(client, session):
    accra = make_organisation(session, name="Accra", city="Accra", country="GH")  # Sub-Saharan Africa: 202
    bonn = make_organisation(session, name="Bonn", city="Bonn", country="DE")  # Western Europe: 155
    published_practice(session, organisation=accra, title="Waste pickers", topics=("circular-economy",),
                       goals=(12,), targets=("12.5",))
    published_practice(session, organisation=bonn, title="Heat plan", topics=("energy-efficiency",), goals=(7,))
    session.commit()

    def titles(query):
        response = client.get(f"/practices/feed.atom?{query}")
        assert response.status_code == 200
        return [e.findtext(f"{ATOM}title") for e in _entries(response.data)[1]]

    assert titles("topic=circular-economy") == ["Waste pickers"]
    assert titles("sdg=7") == ["Heat plan"]
    assert titles("region=202") == ["Waste pickers"]
    assert titles("region=002") == ["Waste pickers"]  # Africa: its sub-regions
    assert titles("region=150") == ["Heat plan"]
    assert titles("region=155&sdg=12") == []
    # a filter that cannot mean anything is dropped, never a 500
    assert sorted(titles("sdg=99&topic=&region=")) == ["Heat plan", "Waste pickers"]
    assert sorted(titles("sdg=%00%FF")) == ["Heat plan", "Waste pickers"]
    assert titles("topic=" + "x" * 5000) == []


def test_feed_escapes_markup_and_drops_characters_xml_cannot_carry(client, session):
    published_practice(session, title='Fish & <chips> "market" </entry>', summary="a\x01b\x0bc ]]> <![CDATA[")
    session.commit()
    body = client.get("/practices/feed.atom").data
    _, [entry] = _entries(body)
    assert entry.findtext(f"{ATOM}title") == 'Fish & <chips> "market" </entry>'
    assert entry.findtext(f"{ATOM}summary") == "abc ]]> <![CDATA["
    assert b"<chips>" not in body


def test_feed_answers_conditional_requests_and_changes_etag_on_publication(client, session):
    published_practice(session)
    session.commit()
    first = client.get("/practices/feed.atom")
    etag = first.headers["ETag"]
    assert first.headers["Last-Modified"]
    assert client.get("/practices/feed.atom", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/practices/feed.atom",
                      headers={"If-Modified-Since": first.headers["Last-Modified"]}).status_code == 304
    published_practice(session, title="Another", published_at=PUBLISHED + timedelta(days=1))
    session.commit()
    again = client.get("/practices/feed.atom", headers={"If-None-Match": etag})
    assert again.status_code == 200 and again.headers["ETag"] != etag
    # another filter, another ETag
    assert client.get("/practices/feed.atom?sdg=7").headers["ETag"] != again.headers["ETag"]


def test_feed_with_nothing_published_is_still_a_valid_feed(client, session):
    response = client.get("/practices/feed.atom?topic=circular-economy")
    root, entries = _entries(response.data)
    assert entries == [] and root.findtext(f"{ATOM}id").startswith("tag:cc.test,")


def test_csv_is_formula_safe_with_one_row_per_published_practice(client, session):
    org = make_organisation(session, name="=HYPERLINK(\"http://evil\")", city="Leipzig", country="DE")
    published_practice(session, organisation=org, title="+SUM(A1:A9)", summary="-2+3", goals=(7, 11),
                       targets=("7.3", "11.a", "11.2"), started_year=2019)
    published_practice(session, organisation=org, title="Draft", status="draft")
    session.commit()
    response = client.get("/practices.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][:4] == ["ID", "Title", "Summary", "Organisation"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Title"] == "'+SUM(A1:A9)"
    assert row["Summary"] == "'-2+3"
    assert row["Organisation"] == "'=HYPERLINK(\"http://evil\")"
    assert row["SDG goals"] == "7; 11"
    assert row["SDG targets"] == "7.3; 11.2; 11.a"
    assert row["Region"] == "155" and row["Start year"] == "2019" and row["Published"] == "2030-01-10"
    assert row["Web address"].startswith("http://cc.test/practices/")


def test_csv_headers_follow_the_page_language(client, session):
    published_practice(session)
    session.commit()
    text = client.get("/practices.csv?lang=en_US_POSIX").data.decode("utf-8")
    header = next(csv.reader(io.StringIO(text[1:])))
    # the pseudo-locale marks what went through the catalogue ("Title" is already in it)
    assert header[1].startswith("⟦") and header[1] != "Title"


def test_csv_and_feed_take_a_constant_number_of_queries(client, session, count_queries):
    def counts():
        client.get("/practices.csv")  # warm up (first-request work)
        with count_queries() as csv_counter:
            client.get("/practices.csv")
        with count_queries() as feed_counter:
            client.get("/practices/feed.atom")
        return csv_counter.count, feed_counter.count

    for n in range(3):
        published_practice(session, title=f"P{n}", organisation=make_organisation(session))
    session.commit()
    few = counts()
    for n in range(25):
        published_practice(session, title=f"Q{n}", organisation=make_organisation(session),
                           topics=("energy-efficiency", "circular-economy"), goals=(7, 12))
    session.commit()
    assert counts() == few


# JSON-LD ----------------------------------------------------------------------------------------------

def test_practice_jsonld_is_a_schema_org_creative_work():
    data = {"id": 7, "title": "Solar schools", "summary": "Power from roofs.", "language": "en",
            "url": "https://cc.test/practices/7", "topics": ["energy-efficiency"], "sdg_goals": [7],
            "sdg_targets": ["7.2"], "city": "Leipzig", "country": "DE", "subdivision": "DE-SN",
            "latitude": 51.34, "longitude": 12.37, "published_at": "2030-01-10T09:00:00Z",
            "updated_at": "2030-01-11T09:00:00Z", "images": [{"url": "https://cc.test/practices/7/files/3"}],
            "started_year": 2019, "ended_year": None, "organisation_name": "City of Leipzig",
            "organisation_url": "https://cc.test/organisations/2"}
    ld = practice_jsonld(data)
    assert ld["@context"] == "https://schema.org" and ld["@type"] == "CreativeWork"
    assert ld["name"] == "Solar schools" and ld["inLanguage"] == "en" and ld["url"] == data["url"]
    assert ld["spatialCoverage"]["geo"] == {"@type": "GeoCoordinates", "latitude": 51.34, "longitude": 12.37}
    assert ld["spatialCoverage"]["address"]["addressCountry"] == "DE"
    assert ld["publisher"] == {"@type": "GovernmentOrganization", "name": "City of Leipzig",
                               "url": "https://cc.test/organisations/2"}
    assert {"@type": "Thing", "name": "SDG 7", "sameAs": "https://sdgs.un.org/goals/goal7"} in ld["about"]
    assert ld["temporalCoverage"] == "2019/.."
    assert ld["image"] == ["https://cc.test/practices/7/files/3"]
    # nothing empty is emitted
    assert practice_jsonld({"id": 1, "title": "x"}) == {"@context": "https://schema.org", "@type": "CreativeWork",
                                                        "additionalType": "https://schema.org/Report",
                                                        "identifier": "1", "name": "x"}


def test_organisation_jsonld():
    ld = organisation_jsonld({"name": "Ville de Dakar", "kind": "municipality", "city": "Dakar", "country": "SN",
                              "url": "https://cc.test/organisations/4", "website": "https://dakar.sn",
                              "description": "Capital.", "latitude": 14.69, "longitude": -17.44})
    assert ld["@type"] == "GovernmentOrganization" and ld["sameAs"] == "https://dakar.sn"
    assert ld["address"] == {"@type": "PostalAddress", "addressLocality": "Dakar", "addressCountry": "SN"}
    assert ld["location"]["geo"]["latitude"] == 14.69
    assert organisation_jsonld({"name": "Institute", "kind": "university"})["@type"] == "Organization"


def test_jsonld_partial_cannot_be_closed_by_user_text(app):
    evil = {"name": "</script><script>alert(1)</script> <!-- & \u2028"}
    with app.test_request_context("/"):
        html = render_template_string('{% include "practices/_jsonld.html" %}', jsonld=evil)
    assert html.count("</script>") == 1 and "<!--" not in html
    body = re.fullmatch(r'<script type="application/ld\+json">(.*)</script>', html.strip(), re.S).group(1)
    assert json.loads(body) == evil
    assert str(jsonld_script_body({"a": "<b>"})) == '{"a":"\\u003cb\\u003e"}'
    with app.test_request_context("/"):
        assert render_template_string('{% include "practices/_jsonld.html" %}', jsonld=None).strip() == ""


def test_tag_uri_is_stable_and_names_the_host():
    assert tag_uri("https://cc.example.org:8443/x", PUBLISHED, "practice/3") == \
        "tag:cc.example.org,2030-01-10:practice/3"


def test_template_globals_give_the_page_jsonld_of_published_practices_only(app, session):
    org = make_organisation(session, name="Ville de Dakar", city="Dakar", country="SN", latitude=14.69,
                            longitude=-17.44, description="Capital.")
    practice = published_practice(session, organisation=org, title="Micro-jardins", language="fr",
                                  latitude=14.7, longitude=-17.4, slug="micro-jardins")
    draft = published_practice(session, organisation=org, title="Brouillon", status="draft")
    session.commit()
    template = ('{% with jsonld = practice_jsonld_for(practice) %}{% include "practices/_jsonld.html" %}'
                '{% endwith %}')
    with app.test_request_context("/"):
        html = render_template_string(template, practice=practice)
        assert render_template_string(template, practice=draft).strip() == ""
        org_html = render_template_string('{% with jsonld = organisation_jsonld_for(org) %}'
                                          '{% include "practices/_jsonld.html" %}{% endwith %}', org=org)
    ld = json.loads(re.search(r">(.*)</script>", html, re.S).group(1))
    assert ld["name"] == "Micro-jardins" and ld["inLanguage"] == "fr"
    assert ld["url"] == f"http://cc.test/practices/{practice.id}-micro-jardins"
    assert ld["publisher"]["url"] == f"http://cc.test/organisations/{org.id}"
    assert {"@type": "Thing", "name": "Energy efficiency"} in ld["about"]
    org_ld = json.loads(re.search(r">(.*)</script>", org_html, re.S).group(1))
    assert org_ld["@type"] == "GovernmentOrganization" and org_ld["location"]["geo"]["longitude"] == -17.44
