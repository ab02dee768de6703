"""The declared contract: limits defined once and read by model, form, service and document; schema and
behaviour agree on the cases a property-based run found."""

from __future__ import annotations

import pytest
from wtforms.validators import Length

from app.api import document
from app.errors import ValidationFailed
from app.events import limits as event_limits
from app.events import services as event_services
from app.events.forms import EventForm, SessionForm
from app.events.models import Event, EventSession
from app.learning import limits as learning_limits
from app.learning import services as learning_services
from app.learning.models import Module, Programme
from app.sqltypes import utcnow
from tests.factories import bearer, make_event, make_organiser, make_session, make_token

SCHEMAS = document()["components"]["schemas"]


def _form_max(form_class, name: str, app) -> int:
    with app.test_request_context():
        field = form_class(meta={"csrf": False})[name]
    return next(v.max for v in field.validators if isinstance(v, Length))


def test_the_document_accepts_exactly_the_fields_the_services_accept():
    assert set(SCHEMAS["EventCreate"]["properties"]) == set(event_limits.EVENT_WRITABLE)
    assert set(SCHEMAS["EventUpdate"]["properties"]) == set(event_limits.EVENT_WRITABLE)
    assert set(SCHEMAS["EventCreate"]["required"]) == set(event_limits.EVENT_REQUIRED)
    assert set(SCHEMAS["EventUpdate"]["propertyNames"]["enum"]) == {*event_limits.EVENT_WRITABLE,
                                                                    *event_limits.EVENT_READ_ONLY}
    session_fields = {*event_limits.SESSION_TEXT_LIMITS, "starts_at", "ends_at", *event_limits.COORDINATES}
    assert set(SCHEMAS["SessionCreate"]["properties"]) == session_fields
    assert set(SCHEMAS["SessionCreate"]["required"]) == set(event_limits.SESSION_REQUIRED)
    assert set(SCHEMAS["ProgrammeCreate"]["properties"]) == set(learning_limits.PROGRAMME_FIELDS)
    assert set(SCHEMAS["ModuleUpdate"]["properties"]) == set(learning_limits.MODULE_FIELDS)
    # the services read the very same objects (no copy that could be changed alone)
    assert event_services.EVENT_TEXT_LIMITS is event_limits.EVENT_TEXT_LIMITS
    assert event_services.EVENT_WRITABLE is event_limits.EVENT_WRITABLE
    assert learning_services.MODULE_FIELDS is learning_limits.MODULE_FIELDS


@pytest.mark.parametrize("name", sorted(event_limits.EVENT_TEXT_LIMITS))
def test_an_event_text_limit_is_the_same_in_document_model_form_and_service(app, session, name):
    limit = event_limits.EVENT_TEXT_LIMITS[name]
    assert SCHEMAS["EventCreate"]["properties"][name]["maxLength"] == limit
    assert _form_max(EventForm, name, app) == limit
    column = Event.__table__.c[name]
    assert column.type.length in (limit, None)  # None: a TEXT column, the limit is the service's
    organiser = make_organiser(session)
    event = make_event(session, organisers=[organiser])
    with pytest.raises(ValidationFailed) as refused:
        event_services.update_event(session, event_id=event.id, data={name: "x" * (limit + 1)},
                                    actor_id=organiser.id, now=utcnow())
    assert name in refused.value.fields


@pytest.mark.parametrize("name", sorted(event_limits.SESSION_TEXT_LIMITS))
def test_a_session_text_limit_is_the_same_in_document_model_and_form(app, name):
    limit = event_limits.SESSION_TEXT_LIMITS[name]
    assert SCHEMAS["SessionCreate"]["properties"][name]["maxLength"] == limit
    assert _form_max(SessionForm, name, app) == limit
    assert EventSession.__table__.c[name].type.length in (limit, None)


def test_learning_limits_are_the_same_in_document_and_models():
    for schema in ("ProgrammeCreate", "ModuleCreate"):
        assert SCHEMAS[schema]["properties"]["title"]["maxLength"] == learning_limits.TITLE_MAX
    assert SCHEMAS["ProgrammeCreate"]["properties"]["summary"]["maxLength"] == learning_limits.SUMMARY_MAX
    assert Programme.__table__.c["title"].type.length == learning_limits.TITLE_MAX
    assert Module.__table__.c["title"].type.length == learning_limits.TITLE_MAX


def test_event_ranges_in_the_document_come_from_the_limits():
    props = SCHEMAS["EventCreate"]["properties"]
    capacity = next(s for s in props["capacity"]["anyOf"] if s.get("type") == "integer")
    assert capacity["maximum"] == event_limits.MAX_CAPACITY
    offer = next(s for s in props["offer_hours"]["anyOf"] if s.get("type") == "integer")
    assert (offer["minimum"], offer["maximum"]) == event_limits.OFFER_HOURS
    assert props["languages"]["maxItems"] == event_limits.MAX_LANGUAGES


# ---------------------------------------------------------------------------------------------------
# Schema and behaviour agree


@pytest.fixture
def organiser_event(session):
    organiser = make_organiser(session)
    event = make_event(session, organisers=[organiser])
    token = make_token(session, organiser)
    session.commit()
    return event, bearer(token)


def _documented(path: str, method: str) -> set[str]:
    return set(document()["paths"][path][method]["responses"])


def test_an_enrolment_status_outside_the_enum_is_a_documented_422(client, organiser_event):
    event, headers = organiser_event
    response = client.get(f"/api/v1/events/{event.id}/enrolments?status=null", headers=headers)
    assert response.status_code == 422 and "status" in response.get_json()["error"]["fields"]
    assert "422" in _documented("/events/{event_id}/enrolments", "get")


def test_past_refuses_values_outside_its_enum(client):
    assert client.get("/api/v1/events?past=maybe").status_code == 422
    assert client.get("/api/v1/events?past=true").status_code == 200


def test_patch_with_nothing_to_change_is_a_422(client, organiser_event):
    event, headers = organiser_event
    assert client.patch(f"/api/v1/events/{event.id}", headers=headers).status_code == 422
    empty = client.patch(f"/api/v1/events/{event.id}", json={}, headers=headers)
    assert empty.status_code == 422 and empty.get_json()["error"]["code"] == "validation_failed"
    assert SCHEMAS["EventUpdate"]["minProperties"] == 1


def test_an_integral_number_is_an_integer_and_a_string_is_not(client, organiser_event):
    event, headers = organiser_event
    ok = client.patch(f"/api/v1/events/{event.id}", json={"capacity": 78146.0}, headers=headers)
    assert ok.status_code == 200 and ok.get_json()["capacity"] == 78146
    for bad in ({"capacity": 2.5}, {"capacity": "12"}, {"requires_approval": "true"}, {"capacity": True}):
        response = client.patch(f"/api/v1/events/{event.id}", json=bad, headers=headers)
        assert response.status_code == 422 and set(bad) <= set(response.get_json()["error"]["fields"]), bad


def test_changing_a_session_of_a_cancelled_event_is_a_documented_409(client, session):
    organiser = make_organiser(session)
    event = make_event(session, organisers=[organiser], status="cancelled")
    item = make_session(session, event)
    token = make_token(session, organiser)
    session.commit()
    response = client.patch(f"/api/v1/sessions/{item.id}", json={"title": "New"}, headers=bearer(token))
    assert response.status_code == 409
    assert "409" in _documented("/sessions/{session_id}", "patch")


def test_a_method_the_resource_does_not_take_is_a_405_with_allow(client):
    response = client.put("/api/v1/events")
    assert response.status_code == 405 and response.get_json()["error"]["code"] == "method_not_allowed"
    assert {"GET", "POST"} <= {m.strip() for m in response.headers["Allow"].split(",")}


def test_an_unknown_field_is_refused_by_name(client, organiser_event):
    event, headers = organiser_event
    response = client.patch(f"/api/v1/events/{event.id}", json={"colour": "green"}, headers=headers)
    assert response.status_code == 422 and "colour" in response.get_json()["error"]["fields"]
    # a read-only field of the representation is accepted and ignored
    assert client.patch(f"/api/v1/events/{event.id}", json={"id": 5, "summary": "s"}, headers=headers
                        ).status_code == 200
