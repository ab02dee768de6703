"""The OpenAPI document: a valid 3.1 document, in step with the routes, and true of every real response.

The scenarios drive each documented operation through the test client at least once with every documented
success status and at least one error; each JSON body is validated (JSON Schema 2020-12, the OpenAPI 3.1
dialect) against the schema documented for its status code, strictly: a field the document does not list
fails the test, so neither the API nor the document can drift alone.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from app.api import document
from app.sqltypes import utcnow
from tests.certificates.helpers import completed_programme
from tests.factories import (
    bearer,
    make_event,
    make_organisation,
    make_organiser,
    make_session,
    make_token,
    make_user,
)

DOCUMENT = document()  # generated from the declared operations
PREFIX = "/api/v1"
JSON = "application/json"
MULTIPART = "multipart/form-data"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
BOGUS_TOKEN = "cc_not-a-real-token"
BERLIN = ZoneInfo("Europe/Berlin")

# which scenario below exercises which tags of the document
SCENARIO_TAGS = {
    "account": {"Meta", "Account", "Directory", "Calendar"},
    "events": {"Events", "Agenda", "Enrolments", "Attendance"},
    "learning": {"Programmes", "Modules", "Self-study"},
    "certificates": {"Certificates", "Verification"},
    "practices": {"Practices"},
    "search": {"Search"},
    "messages": {"Messages"},
    "people": {"People"},
    "peers": {"Peers"},
    "network": {"Network"},
}


# ---------------------------------------------------------------------------------------------------
# Validation machinery

DOC_URI = "urn:connective-cities:openapi"


def _absolute_refs(node):
    """A copy whose local $refs point into the document registered at DOC_URI."""
    if isinstance(node, dict):
        out = {key: _absolute_refs(value) for key, value in node.items()}
        if isinstance(out.get("$ref"), str) and out["$ref"].startswith("#/"):
            out["$ref"] = DOC_URI + out["$ref"]
        return out
    if isinstance(node, list):
        return [_absolute_refs(value) for value in node]
    return node


def _strict(node):
    """A copy where every object schema with properties refuses properties it does not list."""
    if isinstance(node, dict):
        out = {key: _strict(value) for key, value in node.items()}
        if isinstance(node.get("properties"), dict) and "additionalProperties" not in node:
            out["additionalProperties"] = False
        return out
    if isinstance(node, list):
        return [_strict(value) for value in node]
    return node


def _registry(document: dict) -> Registry:
    resource = Resource.from_contents(document, default_specification=DRAFT202012)
    return Registry().with_resource(DOC_URI, resource)


REQUEST_DOC = _absolute_refs(DOCUMENT)
RESPONSE_DOC = _strict(REQUEST_DOC)
REQUEST_REGISTRY = _registry(REQUEST_DOC)
RESPONSE_REGISTRY = _registry(RESPONSE_DOC)


def _schema_errors(schema: dict, instance, registry: Registry) -> list[str]:
    validator = Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
            for e in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))]


def _deref(document: dict, node: dict) -> dict:
    """Follow local $refs of response, parameter and requestBody objects."""
    while "$ref" in node:
        target = document
        for part in node["$ref"].removeprefix(DOC_URI).removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _operations(document: dict = DOCUMENT):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield method, path, operation


def _parameters(document: dict, path: str, method: str) -> list[dict]:
    item = document["paths"][path]
    return [_deref(document, p) for p in [*item.get("parameters", []), *item[method].get("parameters", [])]]


class Api:
    """Calls the API through the test client and checks each exchange against the document."""

    def __init__(self, client):
        self.client = client
        self.seen: dict[tuple[str, str], set[int]] = {}

    def call(self, method: str, template: str, *, expect: int, token: str | None = None, json=None,
             data: str | None = None, query: dict | None = None, headers: dict | None = None,
             check_request: bool = True, form: dict | None = None, **path):
        assert template in DOCUMENT["paths"] and method in DOCUMENT["paths"][template], \
            f"{method.upper()} {template} is not documented"
        operation = DOCUMENT["paths"][template][method]
        documented_query = {p["name"] for p in _parameters(DOCUMENT, template, method) if p["in"] == "query"}
        assert set(query or {}) <= documented_query, f"undocumented query parameters {set(query) - documented_query}"
        assert set(path) == set(re.findall(r"{(\w+)}", template)), "give exactly the path parameters"
        if check_request and json is not None:
            assert "requestBody" in operation, f"{method.upper()} {template} documents no request body"
            schema = REQUEST_DOC["paths"][template][method]["requestBody"]["content"][JSON]["schema"]
            problems = _schema_errors(schema, json, REQUEST_REGISTRY)
            assert not problems, f"the test's request does not fit the document: {problems}"
        if check_request and form is not None:
            content = operation["requestBody"]["content"]
            assert MULTIPART in content, f"{method.upper()} {template} documents no multipart body"
            schema = _deref(REQUEST_DOC, REQUEST_DOC["paths"][template][method]["requestBody"]["content"][
                MULTIPART]["schema"])
            assert set(form) <= set(schema["properties"]), f"undocumented parts {set(form) - set(schema['properties'])}"
        if check_request and json is None and data is None and form is None and "requestBody" in operation:
            assert not operation["requestBody"].get("required"), f"{method.upper()} {template} needs a body"

        request_headers = dict(headers or {})
        if token is not None:
            request_headers.update(bearer(token))
        kwargs = {"headers": request_headers, "query_string": query}
        if json is not None:
            kwargs["json"] = json
        elif data is not None:
            kwargs.update(data=data, content_type="text/plain")
        elif form is not None:
            kwargs.update(data=form, content_type=MULTIPART)
        url = PREFIX + template.format(**path)
        response = self.client.open(url, method=method.upper(), **kwargs)
        status = response.status_code
        assert status == expect, f"{method.upper()} {url}: {status} {response.get_data(as_text=True)[:500]}"

        responses = RESPONSE_DOC["paths"][template][method]["responses"]
        assert str(status) in responses, f"{method.upper()} {template} answered {status}, which is not documented"
        documented = _deref(RESPONSE_DOC, responses[str(status)])
        for name, header in documented.get("headers", {}).items():
            if header.get("required"):
                assert name in response.headers, f"{method.upper()} {template} {status}: no {name} header"
        body = None
        if "content" in documented:
            assert response.mimetype == JSON
            body = response.get_json()
            problems = _schema_errors(documented["content"][JSON]["schema"], body, RESPONSE_REGISTRY)
            assert not problems, f"{method.upper()} {template} {status} does not match the document: {problems}"
        else:
            assert response.get_data() == b"", f"{method.upper()} {template} {status} should have no content"
        self.seen.setdefault((method, template), set()).add(status)
        return body

    def assert_covered(self, tags: set[str]) -> None:
        """Every operation of these tags answered each documented 2xx status and at least one error."""
        for method, path, operation in _operations():
            if operation["tags"][0] not in tags:
                continue
            seen = self.seen.get((method, path), set())
            successes = {int(code) for code in operation["responses"] if code.startswith("2")}
            assert successes <= seen, f"{method.upper()} {path}: success {successes - seen} never exercised"
            assert any(code >= 400 for code in seen), f"{method.upper()} {path}: no error exercised"


# ---------------------------------------------------------------------------------------------------
# The document itself


def test_document_is_valid_openapi_31():
    validate_spec(DOCUMENT)
    assert DOCUMENT["openapi"].startswith("3.1.")
    for schema in DOCUMENT["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    # date-time is only checked with rfc3339-validator installed (it comes with openapi-spec-validator)
    assert {"date-time", "date", "email"} <= set(Draft202012Validator.FORMAT_CHECKER.checkers)


def test_served_document_is_public_and_the_same(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == JSON
    assert response.get_json() == DOCUMENT
    validate_spec(response.get_json())


def _flask_routes(app) -> dict[tuple[str, str], str]:
    routes = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(PREFIX + "/"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule.removeprefix(PREFIX))
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes[(method.lower(), path)] = rule.endpoint
    return routes


def test_every_route_is_documented_and_every_documented_path_exists(app):
    routes = _flask_routes(app)
    documented = {(method, path): operation for method, path, operation in _operations()}
    assert sorted(set(routes) - set(documented)) == [], "routes missing from the document"
    assert sorted(set(documented) - set(routes)) == [], "documented operations without a route"
    for key, endpoint in routes.items():
        assert documented[key]["operationId"] == endpoint.removeprefix("api."), key
    for method, path, _ in _operations():
        names = {p["name"] for p in _parameters(DOCUMENT, path, method) if p["in"] == "path"}
        assert names == set(re.findall(r"{(\w+)}", path)), (method, path)


def test_every_tag_is_exercised_by_a_scenario():
    declared = {tag["name"] for tag in DOCUMENT["tags"]}
    used = {operation["tags"][0] for _, _, operation in _operations()}
    assert all(len(operation["tags"]) == 1 for _, _, operation in _operations())
    assert used == declared == set().union(*SCENARIO_TAGS.values())


# ---------------------------------------------------------------------------------------------------
# Scenarios


def test_account_directory_calendar_scenario(client, session):
    city = make_organisation(session, name="eThekwini Municipality", city="Durban", country="ZA",
                             website="https://www.durban.gov.za")
    user = make_user(session, name="Thandiwe Mthembu", organisation_id=city.id, country="ZA",
                     timezone="Africa/Johannesburg")
    token = make_token(session, user)
    session.commit()
    api = Api(client)

    api.call("get", "/openapi.json", expect=200)
    api.call("get", "/openapi.json", token=BOGUS_TOKEN, expect=401)

    me = api.call("get", "/me", token=token, expect=200)
    assert me["organisation"] == {"id": city.id, "name": "eThekwini Municipality"}
    assert me["calendar_feed_url"].startswith("http://cc.test/calendar/feed/")
    api.call("get", "/me", expect=401)
    api.call("get", "/me", headers={"Authorization": "Basic abc"}, expect=401)

    feed = api.call("post", "/me/calendar-token", token=token, expect=200)
    assert feed["feed_url"] != me["calendar_feed_url"] and feed["webcal_url"].startswith("webcal://cc.test/")
    api.call("post", "/me/calendar-token", expect=401)

    topics = api.call("get", "/topics", expect=200)
    assert "circular-economy" in {t["slug"] for t in topics["items"]}
    api.call("get", "/topics", token=BOGUS_TOKEN, expect=401)
    organisations = api.call("get", "/organisations", token=token, expect=200)
    assert [o["name"] for o in organisations["items"]] == ["eThekwini Municipality"]
    api.call("get", "/organisations", token=BOGUS_TOKEN, expect=401)
    organisation_id = organisations["items"][0]["id"]
    profile = api.call("get", "/organisations/{organisation_id}", expect=200, organisation_id=organisation_id)
    assert profile["name"] == "eThekwini Municipality" and profile["practice_ids"] == []
    api.call("get", "/organisations/{organisation_id}", expect=404, organisation_id=999999)
    api.call("get", "/organisations/{organisation_id}", token=BOGUS_TOKEN, expect=401,
             organisation_id=organisation_id)

    data = api.call("get", "/me/data", token=token, expect=200)
    assert data["account"]["name"] == "Thandiwe Mthembu"
    api.call("get", "/me/data", expect=401)
    interests = {"topics": ["circular-economy"], "sdg_goals": [11], "regions": ["202"],
                 "organisation_ids": [organisation_id], "frequency": "monthly"}
    assert api.call("get", "/me/interests", token=token, expect=200)["frequency"] == "weekly"
    api.call("get", "/me/interests", expect=401)
    assert api.call("put", "/me/interests", token=token, json=interests, expect=200) == interests
    api.call("put", "/me/interests", token=token, json={"regions": ["Africa"]}, expect=422,
             check_request=False)
    api.call("put", "/me/interests", token=token, data="frequency=weekly", check_request=False, expect=400)

    api.assert_covered(SCENARIO_TAGS["account"])


def test_events_agenda_enrolments_attendance_scenario(client, session):
    host = make_organisation(session, name="City of Leipzig", city="Leipzig", country="DE")
    organiser = make_organiser(session, name="Olivia Okafor")
    other_organiser = make_organiser(session)
    ana, ben, chloe, dan = (make_user(session, name=name) for name in ("Ana Souza", "Ben Okoro", "Chloé Martin",
                                                                       "Dan Li"))
    offer_event = make_event(session, organisers=[organiser], capacity=1, waitlist_mode="offer")
    org, other, t_ana, t_ben, t_chloe, t_dan = (
        make_token(session, u) for u in (organiser, other_organiser, ana, ben, chloe, dan))
    session.commit()
    api = Api(client)
    day = (utcnow() + timedelta(days=20)).astimezone(BERLIN).date()

    # planning
    new_event = {
        "title": "Circular procurement workshop", "format": "workshop", "timezone": "Europe/Berlin",
        "starts_at": f"{day}T09:00", "ends_at": f"{day}T17:00", "venue": "Neues Rathaus", "city": "Leipzig",
        "country": "DE", "capacity": 1, "topics": ["circular-economy"], "hosts": [host.id], "languages": ["en", "de"],
        "hours": 8, "summary": "Buying circular.", "description": "**Bring** your tender documents.",
    }
    api.call("post", "/events", token=t_ana, json=new_event, expect=403)
    api.call("post", "/events", token=org, json={**new_event, "ends_at": f"{day}T08:00"}, expect=422)
    api.call("post", "/events", token=org, json={**new_event, "colour": "green"}, check_request=False, expect=422)
    api.call("post", "/events", token=org, data="title=x", check_request=False, expect=400)
    event = api.call("post", "/events", token=org, json=new_event, expect=201)
    assert event["status"] == "draft" and event["starts_at"] == datetime.combine(
        day, time(9), BERLIN).astimezone(ZoneInfo("UTC")).isoformat()
    assert event["hosts"][0]["id"] == host.id and event["seats_left"] == 1
    ev = {"event_id": event["id"]}
    api.call("get", "/events/{event_id}", expect=404, **ev)  # drafts only for their organisers
    api.call("get", "/events/{event_id}", token=org, expect=200, **ev)
    api.call("post", "/events/{event_id}/publish", token=other, expect=404, **ev)
    assert api.call("post", "/events/{event_id}/publish", token=org, expect=200, **ev)["status"] == "published"
    api.call("post", "/events/{event_id}/publish", token=org, expect=409, **ev)
    api.call("patch", "/events/{event_id}", token=other, json={"summary": "Mine now"}, expect=403, **ev)
    api.call("patch", "/events/{event_id}", token=org, json={"capacity": -1}, check_request=False, expect=422, **ev)
    api.call("patch", "/events/{event_id}", token=org, json=[1], check_request=False, expect=400, **ev)
    changed = api.call("patch", "/events/{event_id}", token=org, json={"summary": "Buying circular, together."},
                       expect=200, **ev)
    assert changed["summary"] == "Buying circular, together." and changed["revision"] == event["revision"] + 1
    listed = api.call("get", "/events", query={"format": "workshop", "topic": "circular-economy", "per_page": "10"},
                      expect=200)
    assert event["id"] in [e["id"] for e in listed["items"]] and listed["per_page"] == 10
    api.call("get", "/events", query={"per_page": "101"}, expect=422)

    # agenda
    session_url = "/events/{event_id}/sessions"
    morning = api.call("post", session_url, token=org, expect=201, **ev, json={
        "title": "Market dialogue", "starts_at": f"{day}T09:00", "ends_at": f"{day}T12:00", "location": "Festsaal",
        "speakers": "Olivia Okafor"})
    api.call("post", session_url, token=org, expect=422, **ev,
             json={"title": "Late", "starts_at": f"{day}T16:00", "ends_at": f"{day}T19:00"})
    api.call("post", session_url, token=t_ana, expect=403, **ev,
             json={"title": "Mine", "starts_at": f"{day}T13:00", "ends_at": f"{day}T14:00"})
    visit = api.call("post", session_url, token=org, expect=201, **ev,
                     json={"title": "Site visit", "starts_at": f"{day}T13:00", "ends_at": f"{day}T15:00"})
    moved = api.call("patch", "/sessions/{session_id}", session_id=visit["id"], token=org,
                     json={"location": "Recycling centre"}, expect=200)
    assert moved["location"] == "Recycling centre"
    api.call("patch", "/sessions/{session_id}", session_id=visit["id"], token=org, json={"ends_at": f"{day}T12:00"},
             expect=422)
    api.call("delete", "/sessions/{session_id}", session_id=visit["id"], token=org, expect=204)
    api.call("delete", "/sessions/{session_id}", session_id=visit["id"], token=org, expect=404)
    agenda = api.call("get", session_url, expect=200, **ev)
    assert [s["id"] for s in agenda["items"]] == [morning["id"]]
    api.call("get", session_url, event_id=999999, expect=404)

    # enrolment: one seat, a waiting list, approval
    enrol_url = "/events/{event_id}/enrolments"
    ana_enrolment = api.call("post", enrol_url, token=t_ana, expect=201, **ev)
    assert ana_enrolment["status"] == "confirmed" and ana_enrolment["waitlist_position"] is None
    api.call("post", enrol_url, token=t_ana, expect=409, **ev)
    ben_enrolment = api.call("post", enrol_url, token=t_ben, json={"note": "Vegetarian"}, expect=201, **ev)
    assert (ben_enrolment["status"], ben_enrolment["waitlist_position"]) == ("waitlisted", 1)
    api.call("post", enrol_url, token=t_dan, json={"override_capacity": True}, expect=403, **ev)
    api.call("post", enrol_url, token=t_dan, json={"override_capacity": "yes"}, check_request=False, expect=422,
             **ev)
    api.call("post", enrol_url, token=t_dan, event_id=999999, expect=404)
    waiting = api.call("get", enrol_url, token=org, query={"status": "waitlisted"}, expect=200, **ev)
    assert [(e["user"]["name"], e["waitlist_position"]) for e in waiting["items"]] == [("Ben Okoro", 1)]
    api.call("get", enrol_url, token=t_ana, expect=403, **ev)

    api.call("patch", "/events/{event_id}", token=org, json={"requires_approval": True}, expect=200, **ev)
    chloe_enrolment = api.call("post", enrol_url, token=t_chloe, expect=201, **ev)
    assert chloe_enrolment["status"] == "pending"
    chloe = {"enrolment_id": chloe_enrolment["id"]}
    api.call("post", "/enrolments/{enrolment_id}/approve", token=t_chloe, expect=403, **chloe)
    approved = api.call("post", "/enrolments/{enrolment_id}/approve", token=org, expect=200, **chloe)
    assert (approved["status"], approved["waitlist_position"]) == ("waitlisted", 2)
    api.call("post", "/enrolments/{enrolment_id}/approve", token=org, expect=409, **chloe)
    api.call("post", "/enrolments/{enrolment_id}/reject", token=t_ana, json={"reason": "No"}, expect=404, **chloe)
    rejected = api.call("post", "/enrolments/{enrolment_id}/reject", token=org, expect=200, **chloe,
                        json={"reason": "Places are reserved for member cities."})
    assert rejected["status"] == "rejected"
    api.call("post", "/enrolments/{enrolment_id}/reject", token=org, expect=409, **chloe)

    # a cancellation gives the seat to the first person waiting
    ana_id = {"enrolment_id": ana_enrolment["id"]}
    api.call("post", "/enrolments/{enrolment_id}/cancel", token=t_dan, expect=404, **ana_id)
    cancelled = api.call("post", "/enrolments/{enrolment_id}/cancel", token=t_ana, json={"reason": "Budget cut"},
                         expect=200, **ana_id)
    assert cancelled["status"] == "cancelled" and cancelled["cancel_reason"] == "Budget cut"
    api.call("post", "/enrolments/{enrolment_id}/cancel", token=t_ana, expect=409, **ana_id)
    mine = api.call("get", "/me/enrolments", token=t_ben, expect=200)
    assert [(e["event"]["id"], e["status"]) for e in mine["items"]] == [(event["id"], "confirmed")]
    api.call("get", "/me/enrolments", expect=401)

    # offer mode: the seat is offered to the first person waiting, who accepts it
    offer = {"event_id": offer_event.id}
    dan_enrolment = api.call("post", enrol_url, token=t_dan, expect=201, **offer)
    chloe_waiting = api.call("post", enrol_url, token=t_chloe, expect=201, **offer)
    api.call("post", "/enrolments/{enrolment_id}/cancel", enrolment_id=dan_enrolment["id"], token=t_dan,
             expect=200)
    chloe_offer = {"enrolment_id": chloe_waiting["id"]}
    api.call("post", "/enrolments/{enrolment_id}/accept", token=t_ana, expect=404, **chloe_offer)
    accepted = api.call("post", "/enrolments/{enrolment_id}/accept", token=t_chloe, expect=200, **chloe_offer)
    assert accepted["status"] == "confirmed" and accepted["offer_expires_at"] is None
    api.call("post", "/enrolments/{enrolment_id}/accept", token=t_chloe, expect=409, **chloe_offer)

    # check-in and attendance
    ticket = mine["items"][0]["ticket_code"]
    checkin_url = "/events/{event_id}/checkins"
    early = api.call("post", checkin_url, token=org, expect=409, **ev,
                     json={"ticket_code": ticket.lower(), "session_id": morning["id"]})
    assert early["error"]["code"] == "checkin_before_event"  # the event starts later: confirm first
    checkin = api.call("post", checkin_url, token=org, expect=201, **ev,
                       json={"ticket_code": ticket.lower(), "session_id": morning["id"], "confirm": True})
    assert checkin["session_id"] == morning["id"] and checkin["method"] == "api"
    api.call("post", checkin_url, token=org, json={"ticket_code": ticket}, expect=409, **ev)
    api.call("post", checkin_url, token=org, json={"enrolment_id": ana_enrolment["id"]}, expect=409, **ev)
    api.call("post", checkin_url, token=org, json={"ticket_code": 42}, check_request=False, expect=422, **ev)
    api.call("post", checkin_url, token=org, data="ticket", check_request=False, expect=400, **ev)
    api.call("post", checkin_url, token=t_ben, json={"ticket_code": ticket}, expect=403, **ev)
    attendance = api.call("get", "/events/{event_id}/attendance", token=org, expect=200, **ev)
    assert [(a["user_id"], a["attended"], a["share"]) for a in attendance["items"]] == [
        (ben.id, ["Market dialogue"], 1.0)]
    api.call("get", "/events/{event_id}/attendance", token=t_ben, expect=403, **ev)
    api.call("delete", "/sessions/{session_id}", session_id=morning["id"], token=org, expect=409)
    api.call("delete", "/checkins/{checkin_id}", checkin_id=checkin["id"], token=org, expect=204)
    api.call("delete", "/checkins/{checkin_id}", checkin_id=checkin["id"], token=org, expect=404)

    # inviting someone without an account (and someone with one: enrolled directly)
    invite_url = "/events/{event_id}/invitations"
    invited = api.call("post", invite_url, token=org, json={"email": "new.person@example.org", "name": "New Person",
                                                           "language": "pt"}, expect=201, **ev)
    assert invited["outcome"] == "invited"
    api.call("post", invite_url, token=other, json={"email": "new.person@example.org"}, expect=403, **ev)
    api.call("post", invite_url, token=org, json={"email": "not an address"}, expect=422, **ev)

    # cancelling the event
    cancel_url = "/events/{event_id}/cancel"
    api.call("post", cancel_url, token=org, json={}, check_request=False, expect=422, **ev)
    api.call("post", cancel_url, token=org, data="flooded", check_request=False, expect=400, **ev)
    api.call("post", cancel_url, token=other, json={"reason": "Mine"}, expect=403, **ev)
    gone = api.call("post", cancel_url, token=org, json={"reason": "The venue is flooded."}, expect=200, **ev)
    assert gone["status"] == "cancelled" and gone["cancel_reason"] == "The venue is flooded."
    api.call("post", cancel_url, token=org, json={"reason": "Again"}, expect=409, **ev)
    api.call("patch", "/events/{event_id}", token=org, json={"title": "Rescheduled"}, expect=409, **ev)
    api.call("post", session_url, token=org, expect=409, **ev,
             json={"title": "Extra", "starts_at": f"{day}T13:00", "ends_at": f"{day}T14:00"})
    # the dashboard's figures (issue 15): its organisers only
    assert api.call("get", "/events/{event_id}/stats", token=org, expect=200, **ev)["funnel"]["registered"] >= 1
    api.call("get", "/events/{event_id}/stats", token=other, expect=403, **ev)

    api.assert_covered(SCENARIO_TAGS["events"])


def test_learning_scenario(client, session):
    organiser = make_organiser(session, name="Sipho Ndlovu")
    participant = make_user(session, name="Anna Kovalchuk")
    stranger = make_user(session)
    event = make_event(session, organisers=[organiser], title="Material flow analysis workshop")
    agenda_item = make_session(session, event, title="Mapping material flows")
    draft_event = make_event(session, organisers=[organiser], status="draft")
    org, t_part, t_stranger = (make_token(session, u) for u in (organiser, participant, stranger))
    session.commit()
    api = Api(client)

    # programmes
    api.call("post", "/programmes", token=t_part, json={"title": "Mine"}, expect=403)
    api.call("post", "/programmes", token=org, json={"title": ""}, check_request=False, expect=422)
    api.call("post", "/programmes", token=org, data="title", check_request=False, expect=400)
    programme = api.call("post", "/programmes", token=org, expect=201, json={
        "title": "Circular economy for municipalities", "summary": "Closing loops.",
        "description": "Six months of *practice*.", "topics": ["circular-economy"]})
    assert programme["status"] == "draft" and programme["topics"] == ["circular-economy"]
    pr = {"programme_id": programme["id"]}
    api.call("get", "/programmes/{programme_id}", expect=404, **pr)  # drafts only for their organisers
    api.call("get", "/programmes/{programme_id}", token=org, expect=200, **pr)
    api.call("patch", "/programmes/{programme_id}", token=t_stranger, json={"summary": "x"}, expect=404, **pr)
    api.call("patch", "/programmes/{programme_id}", token=org, json={"colour": "green"}, check_request=False,
             expect=422, **pr)
    updated = api.call("patch", "/programmes/{programme_id}", token=org, expect=200, **pr,
                       json={"summary": "Closing material loops in city services."})
    assert updated["summary"] == "Closing material loops in city services."
    api.call("post", "/programmes/{programme_id}/publish", token=org, expect=422, **pr)  # no required module yet

    # modules, prerequisites and links
    modules_url = "/programmes/{programme_id}/modules"
    flows = api.call("post", modules_url, token=org, expect=201, **pr, json={
        "title": "Material flows", "description": "Where our waste goes.", "hours": 4, "required": True,
        "completion": "event"})
    api.call("post", modules_url, token=org, json={"title": "Bad", "hours": -1}, check_request=False, expect=422,
             **pr)
    api.call("post", modules_url, token=org, json={"title": "Lost"}, programme_id=999999, expect=404)
    reflection = api.call("post", modules_url, token=org, expect=201, **pr, json={
        "title": "Reflection on procurement", "hours": 2.5, "completion": "self_study",
        "prerequisites": [flows["id"]]})
    assert reflection["prerequisites"] == [flows["id"]] and reflection["position"] == 2
    flows_id, reflection_id = {"module_id": flows["id"]}, {"module_id": reflection["id"]}
    api.call("patch", "/modules/{module_id}", token=org, json={"prerequisites": [reflection["id"]]}, expect=422,
             **flows_id)  # a cycle
    changed = api.call("patch", "/modules/{module_id}", token=org, expect=200, **flows_id,
                       json={"objectives": "Read a material flow diagram."})
    assert changed["objectives"] == "Read a material flow diagram."
    extra = api.call("post", modules_url, token=org, json={"title": "Optional extra", "required": False},
                     expect=201, **pr)
    api.call("delete", "/modules/{module_id}", module_id=extra["id"], token=org, expect=204)
    api.call("delete", "/modules/{module_id}", module_id=extra["id"], token=org, expect=404)

    links_url = "/modules/{module_id}/links"
    link = api.call("post", links_url, token=org, json={"session_id": agenda_item.id}, expect=201, **flows_id)
    assert (link["event_id"], link["session_title"]) == (event.id, "Mapping material flows")
    api.call("post", links_url, token=org, json={"session_id": agenda_item.id}, expect=409, **flows_id)
    api.call("post", links_url, token=org, json={"event_id": draft_event.id}, expect=422, **flows_id)
    api.call("post", links_url, token=org, json={"event_id": event.id}, expect=422, **reflection_id)
    api.call("post", links_url, token=org, json={"module": 1}, check_request=False, expect=422, **flows_id)

    published = api.call("post", "/programmes/{programme_id}/publish", token=org, expect=200, **pr)
    assert published["status"] == "published" and [m["id"] for m in published["modules"]] == [
        flows["id"], reflection["id"]]
    api.call("post", "/programmes/{programme_id}/publish", token=org, expect=409, **pr)
    listed = api.call("get", "/programmes", expect=200)
    assert [p["id"] for p in listed["items"]] == [programme["id"]]
    api.call("get", "/programmes", token=BOGUS_TOKEN, expect=401)

    # joining, attending, self-study
    api.call("post", "/programmes/{programme_id}/join", token=t_part, programme_id=999999, expect=404)
    joined = api.call("post", "/programmes/{programme_id}/join", token=t_part, expect=201, **pr)
    assert joined["joined"] and [m["status"] for m in joined["modules"]] == ["available", "locked"]
    api.call("post", "/programmes/{programme_id}/join", token=t_part, expect=200, **pr)
    submit_url = "/modules/{module_id}/submissions"
    api.call("post", submit_url, token=t_part, json={"text": "Early"}, expect=409, **reflection_id)  # prerequisite
    api.call("post", submit_url, token=t_part, json={"text": ""}, expect=422, **reflection_id)

    enrolment = api.call("post", "/events/{event_id}/enrolments", event_id=event.id, token=t_part, expect=201)
    api.call("post", "/events/{event_id}/checkins", event_id=event.id, token=org, expect=201,
             json={"enrolment_id": enrolment["id"], "session_id": agenda_item.id, "confirm": True})

    first = api.call("post", submit_url, token=t_part, expect=201, **reflection_id,
                     json={"text": "We mapped our city's waste flows.", "link": "https://example.org/report.pdf"})
    assert first["status"] == "submitted"
    api.call("post", submit_url, token=t_part, json={"text": "Again"}, expect=409, **reflection_id)
    sub = {"submission_id": first["id"]}
    api.call("post", "/submissions/{submission_id}/return", token=t_part, json={"comment": "Fine"}, expect=403,
             **sub)
    api.call("post", "/submissions/{submission_id}/return", token=org, json={}, expect=422, **sub)
    returned = api.call("post", "/submissions/{submission_id}/return", token=org, expect=200, **sub,
                        json={"comment": "Please add the figures."})
    assert returned["status"] == "returned" and returned["reviewer_comment"] == "Please add the figures."
    api.call("post", "/submissions/{submission_id}/return", token=org, json={"comment": "x"}, expect=409, **sub)
    second = api.call("post", submit_url, token=t_part, json={"text": "Now with figures: 41% recycled."},
                      expect=201, **reflection_id)
    sub = {"submission_id": second["id"]}
    api.call("post", "/submissions/{submission_id}/approve", token=t_stranger, expect=404, **sub)
    api.call("post", "/submissions/{submission_id}/approve", token=org, json={"comment": 5}, check_request=False,
             expect=422, **sub)
    api.call("post", "/submissions/{submission_id}/approve", token=org, json={"comment": "Well done."},
             expect=200, **sub)
    api.call("post", "/submissions/{submission_id}/approve", token=org, expect=409, **sub)

    progress_url = "/programmes/{programme_id}/progress"
    progress = api.call("get", progress_url, token=t_part, expect=200, **pr)
    assert [(m["status"], m["source"]) for m in progress["modules"]] == [("done", "attendance"),
                                                                          ("done", "submission")]
    assert progress["hours_done"] == 6.5 and progress["completion"]["hours"] == 6.5
    as_organiser = api.call("get", progress_url, token=org, query={"user_id": str(participant.id)}, expect=200,
                            **pr)
    assert as_organiser["user_id"] == participant.id
    api.call("get", progress_url, token=org, query={"user_id": "abc"}, expect=422, **pr)
    api.call("get", progress_url, token=t_stranger, query={"user_id": str(participant.id)}, expect=404, **pr)
    mine = api.call("get", "/me/programmes", token=t_part, expect=200)
    assert [p["programme"]["id"] for p in mine["items"]] == [programme["id"]]
    stats_url = "/programmes/{programme_id}/stats"  # the programme dashboard's figures (issue 15)
    figures = api.call("get", stats_url, token=org, expect=200, **pr)
    assert (figures["participants"], figures["completed"], figures["submissions_waiting"]) == (1, 1, 0)
    assert [(m["started"], m["completed"], m["continued"]) for m in figures["modules"]] == [(1, 1, 1), (1, 1, None)]
    api.call("get", stats_url, token=t_part, expect=403, **pr)
    api.call("get", stats_url, token=org, programme_id=999999, expect=404)
    api.call("get", "/me/programmes", expect=401)

    archived = api.call("delete", "/modules/{module_id}", token=org, expect=200, **reflection_id)
    assert archived["archived"] is True
    api.call("patch", "/modules/{module_id}", token=org, json={"title": "Renamed"}, expect=409, **reflection_id)

    invite_url = "/programmes/{programme_id}/invitations"
    invited = api.call("post", invite_url, token=org, json={"email": "new.learner@example.org"}, expect=201, **pr)
    assert invited == {"outcome": "invited", "email": "new.learner@example.org", "status": None}
    api.call("post", invite_url, token=t_stranger, json={"email": "new.learner@example.org"}, expect=403, **pr)

    api.assert_covered(SCENARIO_TAGS["learning"])


def test_certificates_scenario(app, client, session, monkeypatch):
    organiser = make_organiser(session, name="Olivia Okafor")
    other_organiser = make_organiser(session)
    holder = make_user(session, name="Zoë Müller-Łukasiewicz")
    stranger = make_user(session)
    last_day = (utcnow() - timedelta(days=2)).astimezone(BERLIN).date()
    past = make_event(session, organisers=[organiser], title="Climate-resilient drainage workshop",
                      starts_at=datetime.combine(last_day, time(9), BERLIN),
                      ends_at=datetime.combine(last_day, time(17), BERLIN))
    upcoming = make_event(session, organisers=[organiser])
    programme, _ = completed_programme(session, users=[holder], organisers=[organiser])
    org, other, t_holder, t_stranger = (make_token(session, u) for u in (organiser, other_organiser, holder,
                                                                         stranger))
    session.commit()
    api = Api(client)

    # organisers record attendance of an event that already took place, then issue
    enrolment = api.call("post", "/events/{event_id}/enrolments", event_id=past.id, token=org,
                         json={"user_id": holder.id}, expect=201)
    api.call("post", "/events/{event_id}/checkins", event_id=past.id, token=org,
             json={"enrolment_id": enrolment["id"]}, expect=201)
    issue_url = "/events/{event_id}/certificates"
    api.call("post", issue_url, event_id=past.id, token=t_holder, expect=403)
    api.call("post", issue_url, event_id=past.id, token=other, expect=403)
    api.call("post", issue_url, event_id=999999, token=org, expect=404)
    api.call("post", issue_url, event_id=upcoming.id, token=org, expect=422)
    report = api.call("post", issue_url, event_id=past.id, token=org, expect=200)
    assert len(report["issued"]) == 1 and report["skipped"] == []
    (code,) = report["issued"]
    again = api.call("post", issue_url, event_id=past.id, token=org, expect=200)
    assert again["issued"] == [] and [s["user_id"] for s in again["skipped"]] == [holder.id]

    programme_url = "/programmes/{programme_id}/certificates"
    api.call("post", programme_url, programme_id=programme.id, token=t_holder, expect=403)
    api.call("post", programme_url, programme_id=999999, token=org, expect=404)
    (programme_code,) = api.call("post", programme_url, programme_id=programme.id, token=org, expect=200)["issued"]

    mine = api.call("get", "/me/certificates", token=t_holder, expect=200)
    assert {c["code"] for c in mine["items"]} == {code, programme_code}
    api.call("get", "/me/certificates", expect=401)
    detail = api.call("get", "/certificates/{code}", code=code.lower().replace("-", ""), token=t_holder, expect=200)
    assert detail["code"] == code and detail["holder"] == "Zoë Müller-Łukasiewicz" and detail["event_id"] == past.id
    api.call("get", "/certificates/{code}", code=code, token=t_stranger, expect=404)
    facts = api.call("get", "/verify/{code}", code=code, expect=200)
    assert (facts["valid"], facts["place"], facts["hours"]) == (True, "Leipzig, Germany", 8.0)
    api.call("get", "/verify/{code}", code="CC-2222-3333-4444", expect=404)

    revoke_url = "/certificates/{code}/revoke"
    api.call("post", revoke_url, code=code, token=t_stranger, json={"reason": "Mine"}, expect=404)
    api.call("post", revoke_url, code=code, token=t_holder, json={"reason": "Mine"}, expect=403)
    api.call("post", revoke_url, code=code, token=org, json={}, check_request=False, expect=422)
    api.call("post", revoke_url, code=code, token=org, data="reason", check_request=False, expect=400)
    revoked = api.call("post", revoke_url, code=code, token=org, json={"reason": "Issued by mistake"}, expect=200)
    assert (revoked["valid"], revoked["status"], revoked["revoke_reason"]) == (False, "revoked", "Issued by mistake")
    api.call("post", revoke_url, code=code, token=org, json={"reason": "Twice"}, expect=409)
    assert api.call("get", "/verify/{code}", code=code, expect=200)["status"] == "revoked"

    reissue_url = "/certificates/{code}/reissue"
    api.call("post", reissue_url, code=programme_code, token=t_stranger, expect=404)
    api.call("post", reissue_url, code=programme_code, token=t_holder, expect=403)
    new = api.call("post", reissue_url, code=programme_code, token=org, expect=201)
    assert new["code"] != programme_code and new["valid"] and new["programme_id"] == programme.id
    api.call("post", reissue_url, code=programme_code, token=org, expect=409)
    replaced = api.call("get", "/verify/{code}", code=programme_code, expect=200)
    assert replaced["replaced_by"] == new["code"] and replaced["modules"]

    # verification is rate-limited per address
    monkeypatch.setitem(app.config, "CERTIFICATE_VERIFY_RATE_LIMIT", "2 per minute")
    for _ in range(2):
        client.get(f"/api/v1/verify/{new['code']}")
    api.call("get", "/verify/{code}", code=new["code"], expect=429)

    api.assert_covered(SCENARIO_TAGS["certificates"])


def test_practices_scenario(client, session):
    """A member drafts a practice with a document and an image; an organiser publishes it; a visitor finds it
    and another city registers its interest. Every exchange checked against the document."""
    import io

    from app.directory.services import ensure_default_topics
    from tests.factories import image_bytes, make_module, make_programme, pdf_bytes

    ensure_default_topics(session)
    medellin = make_organisation(session, name="Alcaldía de Medellín", city="Medellín", country="CO")
    danang = make_organisation(session, name="Da Nang People's Committee", city="Đà Nẵng", country="VN")
    author = make_user(session, name="Camila Restrepo", organisation_id=medellin.id, language="es")
    visitor_member = make_user(session, name="Nguyen Van An", organisation_id=danang.id)
    organiser = make_organiser(session, name="Olivia Organiser")
    event = make_event(session, organisers=[organiser], title="Urban mobility dialogue")
    module = make_module(session, make_programme(session, organisers=[organiser]))
    t_author, t_org, t_other = (make_token(session, u) for u in (author, organiser, visitor_member))
    session.commit()
    api = Api(client)

    # drafting, with the bad input the issue lists
    base = {"title": "Metrocable: cable cars for informal hillside districts", "country": "CO",
            "city": "Medellín", "summary": "Cable cars join the hillside barrios to the metro.",
            "sdg_targets": ["11.2"], "stage": "scaled",
            "started_year": 2004, "results": "Travel time to the centre fell from 2 hours to 30 minutes.",
            "transferability": "A metro to connect to, and steep terrain.", "event_ids": [event.id],
            "module_ids": [module.id], "indicators": [{"indicator": "Daily riders", "unit": "people",
                                                       "value": 30000, "year": 2010}],
            "translations": {"fr": {"title": "Métrocâble", "summary": "Des téléphériques."}}}
    api.call("post", "/practices", json=base, expect=401)
    refused = api.call("post", "/practices", token=t_author, json={**base, "sdg_targets": ["11.9"]}, expect=422)
    # (the document already says so for the next ones; the API still answers them clearly)
    assert "sdg_targets" in refused["error"]["fields"]
    refused = api.call("post", "/practices", token=t_author, json={**base, "started_year": 1899},
                       check_request=False, expect=422)
    assert "started_year" in refused["error"]["fields"]
    refused = api.call("post", "/practices", token=t_author, json={**base, "latitude": 91, "longitude": 0},
                       check_request=False, expect=422)
    assert "latitude" in refused["error"]["fields"]
    refused = api.call("post", "/practices", token=t_author, json={**base, "organisation_id": danang.id},
                       expect=403)
    assert refused["error"]["fields"] == {"organisation_id": refused["error"]["message"]}
    api.call("post", "/practices", token=t_author, data="title", check_request=False, expect=400)
    practice = api.call("post", "/practices", token=t_author, json=base, expect=201)
    assert practice["status"] == "draft" and practice["region"] == "419" and practice["sdg_goals"] == [11]
    assert practice["contact"] == {"id": author.id, "name": "Camila Restrepo"}
    assert practice["event_ids"] == [event.id] and practice["module_ids"] == [module.id]
    assert practice["translations"]["fr"]["title"] == "Métrocâble"
    pid = {"practice_id": practice["id"]}
    api.call("get", "/practices/{practice_id}", expect=404, **pid)  # a draft is invisible to strangers
    api.call("get", "/practices/{practice_id}", token=t_other, expect=404, **pid)
    api.call("patch", "/practices/{practice_id}", token=t_other, json={"summary": "x"}, expect=404, **pid)
    api.call("patch", "/practices/{practice_id}", token=t_author, json={}, check_request=False, expect=422, **pid)
    api.call("patch", "/practices/{practice_id}", token=t_author, json={"colour": "red"}, check_request=False,
             expect=422, **pid)
    changed = api.call("patch", "/practices/{practice_id}", token=t_author, expect=200, **pid,
                       json={"latitude": 6.29, "longitude": -75.54, "subdivision": "CO-ANT"})
    assert changed["subdivision"] == "CO-ANT"

    # files: judged by their content
    photo = (io.BytesIO(image_bytes("JPEG", exif_gps=True)), "cable-car.jpg")
    image = api.call("post", "/practices/{practice_id}/images", token=t_author, expect=201, **pid,
                     form={"file": photo, "caption": "Line K", "credit": "Photo: Metro de Medellín"})
    assert image["url"].endswith(f"/practices/{practice['id']}/files/{image['id']}")
    liar = (io.BytesIO(image_bytes("PNG")), "report.pdf")
    refused = api.call("post", "/practices/{practice_id}/documents", token=t_author, expect=422, **pid,
                       form={"file": liar})
    assert "file" in refused["error"]["fields"]
    api.call("post", "/practices/{practice_id}/documents", token=t_author, expect=422, **pid,
             form={"caption": "no file"})
    api.call("post", "/practices/{practice_id}/documents", token=t_author, json={"file": "x"},
             check_request=False, expect=400, **pid)
    api.call("post", "/practices/{practice_id}/images", token=t_other, expect=404, **pid,
             form={"file": (io.BytesIO(image_bytes()), "x.jpg")})
    document = api.call("post", "/practices/{practice_id}/documents", token=t_author, expect=201, **pid,
                        form={"file": (io.BytesIO(pdf_bytes()), "Metrocable evaluation.pdf")})
    assert document["name"] == "Metrocable evaluation.pdf" and document["size"] > 0

    # the workflow
    refused = api.call("post", "/practices/{practice_id}/publish", token=t_author, expect=403, **pid)
    assert refused["error"]["code"] == "forbidden" and refused["error"]["message"]
    api.call("post", "/practices/{practice_id}/submit", token=t_author, expect=200, **pid)
    api.call("post", "/practices/{practice_id}/submit", token=t_author, expect=409, **pid)
    api.call("post", "/practices/{practice_id}/return", token=t_org, json={"comment": ""}, check_request=False,
             expect=422, **pid)
    api.call("post", "/practices/{practice_id}/return", token=t_author, json={"comment": "Mine is fine."},
             expect=403, **pid)
    returned = api.call("post", "/practices/{practice_id}/return", token=t_org, expect=200, **pid,
                        json={"comment": "Please add the costs and the funding."})
    assert returned["status"] == "returned"
    api.call("patch", "/practices/{practice_id}", token=t_author, expect=200, **pid,
             json={"costs_and_funding": "USD 26 million, city and metro company."})
    api.call("post", "/practices/{practice_id}/submit", token=t_author, expect=200, **pid)
    published = api.call("post", "/practices/{practice_id}/publish", token=t_org, expect=200, **pid)
    assert published["status"] == "published" and published["published_at"]
    api.call("post", "/practices/{practice_id}/publish", token=t_org, expect=409, **pid)

    # a visitor finds it without accents, in the facets' filters
    found = api.call("get", "/practices", query={"q": "medellin cable"}, expect=200)
    assert [p["id"] for p in found["items"]] == [practice["id"]] and found["total"] == 1
    found = api.call("get", "/practices", query={"sdg": "11", "region": "419", "stage": "scaled",
                                                 "language": "fr"}, expect=200)
    assert found["total"] == 1
    refused = api.call("get", "/practices", query={"q": "x" * 5000}, expect=422)
    assert "q" in refused["error"]["fields"]
    api.call("get", "/practices", query={"sdg": "18"}, expect=422)
    assert api.call("get", "/practices", query={"q": "?!."}, expect=200)["total"] == 0
    shown = api.call("get", "/practices/{practice_id}", expect=200, **pid)
    assert "email" not in str(shown["contact"]) and author.email not in str(shown)
    assert [d["id"] for d in shown["documents"]] == [document["id"]]

    # another city wants to try it
    api.call("post", "/practices/{practice_id}/interest", token=t_author, json={"note": "Ours."}, expect=409,
             **pid)
    interest = api.call("post", "/practices/{practice_id}/interest", token=t_other, expect=200, **pid,
                        json={"note": "Our hills are steep too."})
    assert interest["interest_count"] == 1 and interest["organisation_id"] == danang.id
    assert api.call("get", "/practices/{practice_id}", expect=200, **pid)["interest_count"] == 1
    api.call("delete", "/practices/{practice_id}/interest", token=t_other, expect=204, **pid)
    api.call("delete", "/practices/{practice_id}/interest", token=t_other, expect=404, **pid)

    api.call("post", "/practices/{practice_id}/archive", token=t_other, expect=403, **pid)
    archived = api.call("post", "/practices/{practice_id}/archive", token=t_org, json={"comment": "Replaced."},
                        expect=200, **pid)
    assert archived["status"] == "archived"
    api.call("post", "/practices/{practice_id}/archive", token=t_org, expect=409, **pid)
    api.call("get", "/practices/{practice_id}", expect=404, **pid)
    api.call("post", "/practices/{practice_id}/interest", token=t_other, expect=404, **pid)

    api.assert_covered(SCENARIO_TAGS["practices"])
def test_search_scenario(client, session):
    city = make_organisation(session, name="Alcaldía de Medellín", city="Medellín", country="CO")
    make_event(session, title="Metrocable study trip to Medellín", city="Medellín", country="CO",
               timezone="America/Bogota", hosts=[city], topics=["sustainable-transport"])
    session.commit()
    api = Api(client)

    found = api.call("get", "/search", query={"q": "medellin", "per_page": 5}, expect=200)
    assert found["total"] == 2 and {hit["type"] for hit in found["items"]} == {"event", "organisation"}
    assert found["items"][0]["url"].startswith("http://cc.test/")
    assert found["facets"]["country"] == {"CO": 2}
    only = api.call("get", "/search", query={"q": "metro", "type": "event", "country": "co"}, expect=200)
    assert [hit["type"] for hit in only["items"]] == ["event"] and only["facets"]["type"] == {"event": 1}
    api.call("get", "/search", query={"q": "?!"}, expect=200)
    for bad, field in (({"type": "planet"}, "type"), ({"sdg": "18"}, "sdg"), ({"country": "XX"}, "country"),
                       ({"per_page": "51"}, "per_page"), ({"q": "x" * 5001}, "q")):
        body = api.call("get", "/search", query=bad, expect=422, check_request=False)
        assert field in body["error"]["fields"], bad
    api.assert_covered(SCENARIO_TAGS["search"])


def test_messages_scenario(client, session):
    from datetime import timedelta

    from app.people.models import Profile
    from app.sqltypes import utcnow

    writer = make_user(session, name="Ana Souza")
    reader = make_user(session, name="Jean Dupont", email="jean.hidden@example.org", language="fr")
    closed = make_user(session, name="Closed Door")
    for person in (writer, reader, closed):
        person.created_at = utcnow() - timedelta(days=2)
    session.add_all([Profile(user_id=reader.id, visibility="members"),
                     Profile(user_id=closed.id, visibility="public", accepts_messages=False)])
    t_writer, t_reader = make_token(session, writer), make_token(session, reader)
    session.commit()
    api = Api(client)
    rid = {"user_id": reader.id}

    sent = api.call("post", "/people/{user_id}/messages", token=t_writer, expect=201, **rid,
                    json={"subject": "Bus lanes", "text": "<b>How</b> did you do it?"})
    assert sent["direction"] == "sent" and sent["recipient"] == {"id": reader.id, "name": "Jean Dupont"}
    api.call("post", "/people/{user_id}/messages", expect=401, **rid, json={"subject": "a", "text": "b"})
    api.call("post", "/people/{user_id}/messages", token=t_writer, expect=403, user_id=closed.id,
             json={"subject": "a", "text": "b"})
    api.call("post", "/people/{user_id}/messages", token=t_writer, expect=404, user_id=999999,
             json={"subject": "a", "text": "b"})
    body = api.call("post", "/people/{user_id}/messages", token=t_writer, expect=422, **rid,
                    json={"subject": "a", "text": " \n "})
    assert "text" in body["error"]["fields"]
    mine = api.call("get", "/me/messages", token=t_reader, expect=200)
    assert mine["total"] == 1 and mine["items"][0]["direction"] == "received"
    assert "jean.hidden@example.org" not in str(api.call("get", "/me/messages", token=t_writer, expect=200))
    api.call("get", "/me/messages", expect=401)
    for _ in range(9):
        api.call("post", "/people/{user_id}/messages", token=t_writer, expect=201, **rid,
                 json={"subject": "Again", "text": "x"})
    api.call("post", "/people/{user_id}/messages", token=t_writer, expect=429, **rid,
             json={"subject": "One more", "text": "x"})
    api.assert_covered(SCENARIO_TAGS["messages"])


def test_people_scenario(client, session):
    city = make_organisation(session, name="Stadt Leipzig", city="Leipzig", country="DE")
    user = make_user(session, name="Lena Vogel", organisation_id=city.id, country="DE")
    other = make_user(session, name="Omar Haddad", country="JO")
    token, other_token = make_token(session, user), make_token(session, other)
    session.commit()
    api = Api(client)

    own = api.call("get", "/me/profile", token=token, expect=200)
    assert own["visibility"] == "hidden" and own["languages"] == []
    api.call("get", "/me/profile", expect=401)
    changed = api.call("patch", "/me/profile", token=token, expect=200, json={
        "visibility": "members", "position": "Mobility planner", "city": "Leipzig",
        "expertise_topics": ["sustainable-transport"], "expertise_sdg_targets": ["11.2"], "languages": ["de", "fr"]})
    assert changed["visibility"] == "members" and changed["expertise_sdg_targets"] == ["11.2"]
    refused = api.call("patch", "/me/profile", token=token, json={"visibility": "everyone"}, expect=422,
                       check_request=False)
    assert "visibility" in refused["error"]["fields"]
    # members-only: found with a token, not without
    assert api.call("get", "/people", query={"q": "planner"}, expect=200)["total"] == 0
    found = api.call("get", "/people", token=other_token, query={"topic": "sustainable-transport", "sdg": "11.2",
                                                                  "language": "fr", "country": "DE"}, expect=200)
    assert [item["name"] for item in found["items"]] == ["Lena Vogel"]
    assert found["items"][0]["url"] == f"http://cc.test/people/{user.id}"
    body = api.call("get", "/people", query={"sdg": "18"}, expect=422, check_request=False)
    assert "sdg" in body["error"]["fields"]
    api.assert_covered(SCENARIO_TAGS["people"])


def test_peers_scenario(client, session):
    city = make_organisation(session, name="Leipzig", city="Leipzig", country="DE", population=600_000)
    from tests.factories import make_practice

    make_practice(session, organisation=city, title="Bus lanes", topics=["sustainable-transport"],
                  sdg_targets=["11.2"])
    session.commit()
    api = Api(client)
    found = api.call("post", "/match", json={"topics": ["sustainable-transport"], "sdg_targets": ["11.2"],
                                             "region": "155", "size_band": "large", "languages": ["de"],
                                             "text": "bus"}, expect=200)
    assert [item["type"] for item in found["items"]] == ["practice", "organisation"]
    assert found["items"][0]["reasons"][0]["code"] == "sdg_targets"
    body = api.call("post", "/match", json={}, expect=422)
    assert "topics" in body["error"]["fields"]
    api.call("post", "/match", json={"size_band": "huge"}, expect=422, check_request=False)
    api.assert_covered(SCENARIO_TAGS["peers"])


def test_network_scenario(client, session):
    from tests.dashboards.network_data import build_network
    from tests.factories import make_admin

    build_network(session)
    admin_token = make_token(session, make_admin(session))
    session.commit()
    api = Api(client)
    public = api.call("get", "/network/stats", expect=200)
    assert public["detail"] == "public" and public["flows"][0]["people"] == 2
    admin = api.call("get", "/network/stats", token=admin_token, expect=200,
                     query={"from": "2025-01-01", "to": "2026-12-31", "format": "workshop",
                            "topic": "sustainable-transport", "region": "145"})
    assert admin["detail"] == "admin" and admin["filters"]["from"] == "2025-01-01"
    body = api.call("get", "/network/stats", query={"from": "2026-13-01"}, expect=400)
    assert "from" in body["error"]["fields"]
    api.assert_covered(SCENARIO_TAGS["network"])
