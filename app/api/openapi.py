"""The OpenAPI 3.1 document of the JSON API, kept as plain data and served at GET /api/v1/openapi.json.

Schemas are JSON Schema 2020-12 (the OpenAPI 3.1 dialect). operationId is the Flask endpoint name without
the blueprint prefix, so tests/api/test_openapi.py can check that routes and document agree both ways, and
it validates every response of a full scenario against the schema documented for its status code.
"""

from __future__ import annotations

from flask import current_app

from app.api import bp
from app.auth.models import ROLES
from app.certificates.models import CERTIFICATE_KINDS
from app.directory.models import ORGANISATION_KINDS
from app.errors import HTTP_CODES
from app.events.models import ENROLMENT_STATUSES, EVENT_FORMATS, EVENT_STATUSES, WAITLIST_MODES
from app.extensions import limiter
from app.learning.models import COMPLETION_KINDS, COMPLETION_SOURCES, PROGRAMME_STATUSES, SUBMISSION_STATUSES

JSON = "application/json"
OPTIONAL_AUTH = [{}, {"bearerAuth": []}]  # public; a token sent anyway must be valid (else 401)

# ---------------------------------------------------------------------------------------------------
# Schema helpers

STR = {"type": "string"}
INT = {"type": "integer"}
ID = {"type": "integer", "minimum": 1}
NUM = {"type": "number"}
BOOL = {"type": "boolean"}
DATETIME = {"type": "string", "format": "date-time"}
DATE = {"type": "string", "format": "date"}
URL = {"type": "string", "format": "uri"}
LOCAL_DATETIME = {
    "type": "string",
    "description": "ISO 8601 date and time; without a UTC offset it means local time in the event's `timezone`.",
    "examples": ["2026-05-04T09:00", "2026-05-04T09:00:00+02:00"],
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict) -> dict:
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    result = dict(schema)
    kind = schema["type"]
    result["type"] = [kind, "null"] if isinstance(kind, str) else [*kind, "null"]
    if "enum" in schema:
        result["enum"] = [*schema["enum"], None]
    return result


def _enum(values, description: str | None = None) -> dict:
    schema = {"type": "string", "enum": list(values)}
    if description:
        schema["description"] = description
    return schema


def _array(items: dict, **extra) -> dict:
    return {"type": "array", "items": items, **extra}


def _object(properties: dict, *, required=None, description: str | None = None, closed: bool = False) -> dict:
    """An object; every property is required unless `required` says otherwise (responses always send all)."""
    schema = {"type": "object", "properties": properties,
              "required": list(properties) if required is None else list(required)}
    if description:
        schema["description"] = description
    if closed:
        schema["additionalProperties"] = False
    return schema


def _text(max_length: int, description: str | None = None, *, min_length: int = 0) -> dict:
    schema = {"type": "string", "maxLength": max_length}
    if min_length:
        schema["minLength"] = min_length
    if description:
        schema["description"] = description
    return schema


def _items(name: str) -> dict:
    return _object({"items": _array(_ref(name))})


# ---------------------------------------------------------------------------------------------------
# Schemas

ERROR_CODES = sorted(set(HTTP_CODES.values()) | {"invalid", "validation_failed", "try_again"})


def _error_schema(codes) -> dict:
    return _object({"error": _object(
        {
            "code": _enum(codes, "Machine-readable error code."),
            "message": {"type": "string", "description": "A clear message, safe to show to people."},
            "fields": {"type": "object", "additionalProperties": STR,
                       "description": "Field name -> message, for errors caused by one field of the input."},
        },
        required=["code", "message"],
    )})


PERSON = _object({"id": ID, "name": STR})

EVENT_WRITABLE = {
    "title": _text(200, min_length=1),
    "format": _enum(EVENT_FORMATS),
    "summary": _text(500),
    "description": _text(20000, "Markdown, rendered safely (no raw HTML)."),
    "timezone": {"type": "string", "description": "IANA time zone of the venue, e.g. Europe/Berlin.",
                 "examples": ["Europe/Berlin"]},
    "starts_at": LOCAL_DATETIME,
    "ends_at": LOCAL_DATETIME,
    "venue": _text(200),
    "address": _text(300),
    "city": _text(120),
    "country": _nullable({"type": "string", "description": "ISO 3166-1 alpha-2 code."}),
    "online_url": _nullable({"type": "string", "format": "uri"}),
    "capacity": _nullable({"type": "integer", "minimum": 0, "maximum": 1_000_000,
                           "description": "null = unlimited; never below the confirmed and offered seats."}),
    "registration_opens_at": _nullable(LOCAL_DATETIME),
    "registration_closes_at": _nullable(LOCAL_DATETIME),
    "requires_approval": BOOL,
    "waitlist_mode": _enum(WAITLIST_MODES, "auto: the first person waiting is confirmed when a seat frees; "
                                           "offer: they are offered the seat for `offer_hours`."),
    "offer_hours": _nullable({"type": "integer", "minimum": 1, "maximum": 720}),
    "hours": _nullable({"type": "number", "minimum": 0, "maximum": 9999,
                        "description": "Declared hours, stated on certificates."}),
    "min_attendance_percent": _nullable({"type": "integer", "minimum": 1, "maximum": 100}),
    "topics": _array(STR, description="Topic slugs."),
    "hosts": _array(ID, description="Ids of the host organisations."),
    "organisers": _array(ID, description="User ids of organisers (the creator stays one)."),
    "languages": _array({"type": "string", "pattern": "^[a-z]{2}$"}, maxItems=10,
                        description="ISO 639-1 codes."),
    "auto_certificates": BOOL,
    "reminder_offsets_hours": _array({"type": "integer", "minimum": 1, "maximum": 2160}, maxItems=5),
    "slug": _text(200),
}
# keys of the Event representation a client may send back unchanged (they are ignored)
EVENT_READ_ONLY = ["id", "status", "url", "ical_url", "seats_left", "waitlist_length", "confirmed_count",
                   "revision", "cancel_reason", "is_past", "created_at", "published_at", "duplicated_from_id"]
EVENT_WRITE_DESCRIPTION = (
    "Other fields of the Event representation (id, status, url, seats_left, ...) are accepted and ignored; "
    "any other name is refused with 422."
)

SESSION_WRITABLE = {
    "title": _text(200, min_length=1),
    "starts_at": LOCAL_DATETIME,
    "ends_at": LOCAL_DATETIME,
    "location": _text(200, "Room, or the site visited on an information trip."),
    "address": _text(300),
    "speakers": _text(500),
    "description": _text(10000),
}

ENROLMENT_PROPERTIES = {
    "id": ID,
    "event_id": ID,
    "user_id": ID,
    "status": _enum(ENROLMENT_STATUSES),
    "waitlist_position": _nullable({"type": "integer", "minimum": 1}),
    "offer_expires_at": _nullable(DATETIME),
    "ticket_code": {"type": "string", "description": "Short opaque check-in code."},
    "is_over_capacity": BOOL,
    "created_at": DATETIME,
    "confirmed_at": _nullable(DATETIME),
    "cancelled_at": _nullable(DATETIME),
    "cancel_reason": _nullable(STR),
}

PROGRAMME_BRIEF = {
    "id": ID,
    "slug": STR,
    "title": STR,
    "summary": STR,
    "status": _enum(PROGRAMME_STATUSES),
    "topics": _array(STR, description="Topic slugs."),
    "total_hours": NUM,
    "url": URL,
}

PROGRAMME_WRITABLE = {
    "title": _text(200, min_length=1),
    "summary": _text(500),
    "description": {"type": "string", "description": "Markdown."},
    "topics": _array(STR, description="Topic slugs."),
    "organisers": _array(ID, minItems=1, description="User ids of organiser or admin accounts."),
}

MODULE_WRITABLE = {
    "title": _text(200, min_length=1),
    "description": {"type": "string", "description": "Markdown."},
    "objectives": {"type": "string", "description": "Learning objectives, Markdown."},
    "hours": {"type": "number", "minimum": 0, "maximum": 9999.99, "description": "Estimated hours."},
    "required": {"type": "boolean", "description": "Optional modules add hours only."},
    "completion": _enum(COMPLETION_KINDS, "event: attending a linked event or session completes it; "
                                          "self_study: an approved submission does."),
    "prerequisites": _array(ID, description="Ids of modules of the same programme; cycles are refused."),
    "position": {"type": "integer", "minimum": 1, "description": "1-based place in the programme."},
}

SCHEMAS = {
    "Error": _error_schema(ERROR_CODES),
    "User": _object({
        "id": ID,
        "email": {"type": "string", "format": "email"},
        "name": STR,
        "role": _enum(ROLES),
        "organisation": _nullable(PERSON),
        "country": _nullable({"type": "string", "description": "ISO 3166-1 alpha-2 code."}),
        "timezone": {"type": "string", "description": "Preferred IANA time zone."},
        "language": {"type": "string", "description": "Preferred language code."},
        "calendar_feed_url": _nullable({**URL, "description": "The personal iCalendar feed."}),
    }),
    "Topic": _object({"id": ID, "slug": STR, "name": STR, "description": STR}),
    "Organisation": _object({
        "id": ID, "name": STR, "kind": _enum(ORGANISATION_KINDS), "city": STR,
        "country": {"type": "string", "description": "ISO 3166-1 alpha-2 code."}, "website": _nullable(URL),
    }),
    "CalendarFeed": _object({"feed_url": URL, "webcal_url": {"type": "string", "pattern": "^webcal://"}}),
    "Event": _object({
        "id": ID,
        "slug": STR,
        "title": STR,
        "format": _enum(EVENT_FORMATS),
        "summary": STR,
        "description": {"type": "string", "description": "Markdown source."},
        "status": _enum(EVENT_STATUSES),
        "cancel_reason": _nullable(STR),
        "starts_at": {**DATETIME, "description": "ISO 8601 with UTC offset."},
        "ends_at": {**DATETIME, "description": "ISO 8601 with UTC offset."},
        "timezone": {"type": "string", "description": "IANA time zone of the venue."},
        "venue": STR,
        "address": STR,
        "city": STR,
        "country": _nullable(STR),
        "online_url": _nullable(URL),
        "capacity": _nullable({"type": "integer", "minimum": 0, "description": "null = unlimited."}),
        "seats_left": _nullable({"type": "integer", "minimum": 0, "description": "null = unlimited."}),
        "waitlist_length": {"type": "integer", "minimum": 0},
        "requires_approval": BOOL,
        "waitlist_mode": _enum(WAITLIST_MODES),
        "offer_hours": {"type": "integer", "minimum": 1},
        "registration_opens_at": _nullable(DATETIME),
        "registration_closes_at": _nullable(DATETIME),
        "hours": _nullable(NUM),
        "min_attendance_percent": {"type": "integer", "minimum": 1, "maximum": 100},
        "languages": _array(STR),
        "topics": _array(STR, description="Topic slugs."),
        "hosts": _array(_object({"id": ID, "name": STR, "city": STR, "country": STR})),
        "organisers": _array(PERSON),
        "revision": {"type": "integer", "minimum": 0,
                     "description": "Rises on every change of time, place or status (iCalendar SEQUENCE)."},
        "url": URL,
        "ical_url": URL,
    }),
    "EventPage": _object({
        "items": _array(_ref("Event")),
        "total": {"type": "integer", "minimum": 0},
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
    }),
    "EventCreate": {**_object(EVENT_WRITABLE, required=["title", "format", "timezone", "starts_at", "ends_at"],
                              description="A new draft event. " + EVENT_WRITE_DESCRIPTION),
                    "propertyNames": {"enum": [*EVENT_WRITABLE, *EVENT_READ_ONLY]}},
    "EventUpdate": {**_object(EVENT_WRITABLE, required=[], description="The fields to change. "
                              + EVENT_WRITE_DESCRIPTION),
                    "propertyNames": {"enum": [*EVENT_WRITABLE, *EVENT_READ_ONLY]}},
    "Session": _object({
        "id": ID, "event_id": ID, "title": STR, "starts_at": DATETIME, "ends_at": DATETIME, "location": STR,
        "address": STR, "speakers": STR, "description": STR,
    }),
    "SessionCreate": {**_object(SESSION_WRITABLE, required=["title", "starts_at", "ends_at"],
                                description="An agenda item inside the event's time (id and event_id are "
                                            "accepted and ignored)."),
                      "propertyNames": {"enum": [*SESSION_WRITABLE, "id", "event_id"]}},
    "SessionUpdate": {**_object(SESSION_WRITABLE, required=[], description="The fields to change."),
                      "propertyNames": {"enum": [*SESSION_WRITABLE, "id", "event_id"]}},
    "Enrolment": _object(ENROLMENT_PROPERTIES),
    "EnrolmentWithUser": _object({
        **ENROLMENT_PROPERTIES,
        "user": _object({"id": ID, "name": STR, "email": {"type": "string", "format": "email"}}),
    }),
    "MyEnrolment": _object({
        **ENROLMENT_PROPERTIES,
        "event": _object({"id": ID, "title": STR, "status": _enum(EVENT_STATUSES), "starts_at": DATETIME,
                          "ends_at": DATETIME, "timezone": STR, "city": STR, "url": URL}),
    }),
    "EnrolRequest": _object({
        "user_id": {**ID, "description": "Organisers only: enrol this registered person (default: the caller)."},
        "override_capacity": {"type": "boolean", "default": False,
                              "description": "Organisers only: confirm beyond capacity."},
        "note": _text(500),
    }, required=[]),
    "ReasonRequest": _object({"reason": _nullable(_text(500))}, required=[]),
    "CancelEventRequest": _object({"reason": {"type": "string", "minLength": 1, "maxLength": 2000,
                                              "description": "Shown to everyone enrolled."}},
                                  required=["reason"]),
    "CheckinRequest": {
        **_object({
            "ticket_code": {"type": "string", "description": "The participant's ticket code (wins when given)."},
            "enrolment_id": ID,
            "session_id": {**ID, "description": "The agenda session; optional when only one fits."},
            "day": {**DATE, "description": "For events without agenda: the local day."},
            "confirm": {**BOOL, "default": False,
                        "description": "Before the event's first local day a check-in is refused with 409 "
                                       "`checkin_before_event` unless this is true."},
        }, required=[]),
        "anyOf": [{"required": ["ticket_code"]}, {"required": ["enrolment_id"]}],
    },
    "Checkin": _object({
        "id": ID, "enrolment_id": ID, "session_id": _nullable(ID), "day": _nullable(DATE),
        "method": _enum(("search", "code", "api", "sheet")), "checked_in_at": DATETIME,
    }),
    "Attendance": _object({
        "enrolment_id": ID,
        "user_id": ID,
        "attended": _array(STR, description="Labels of the sessions or days attended."),
        "total_units": {"type": "integer", "minimum": 0},
        "share": {"type": "number", "minimum": 0, "maximum": 1},
        "meets_minimum": BOOL,
        "hours_attended": {"type": "number", "minimum": 0},
    }),
    "ModuleLink": _object({
        "id": ID, "event_id": _nullable(ID), "session_id": _nullable(ID), "event_title": _nullable(STR),
        "session_title": _nullable(STR), "starts_at": _nullable(DATETIME),
    }),
    "Module": _object({
        "id": ID,
        "programme_id": ID,
        "position": {"type": "integer", "minimum": 1},
        "title": STR,
        "description": STR,
        "objectives": STR,
        "hours": {"type": "number", "minimum": 0},
        "required": BOOL,
        "completion": _enum(COMPLETION_KINDS),
        "prerequisites": _array(ID),
        "links": _array(_ref("ModuleLink")),
        "archived": BOOL,
    }),
    "ModuleArchived": _object({
        "id": ID, "archived": {"const": True}, "message": STR,
    }, description="People completed or submitted the module, so it was archived instead of deleted."),
    "ProgrammeBrief": _object(PROGRAMME_BRIEF),
    "Programme": _object({
        **PROGRAMME_BRIEF,
        "description": STR,
        "organisers": _array(PERSON),
        "modules": _array(_ref("Module"), description="Active modules in order."),
        "created_at": DATETIME,
        "published_at": _nullable(DATETIME),
    }),
    "ProgrammeCreate": _object(PROGRAMME_WRITABLE, required=["title"], closed=True,
                               description="Created as a draft; the creator is its organiser by default."),
    "ProgrammeUpdate": _object(PROGRAMME_WRITABLE, required=[], closed=True),
    "ModuleCreate": _object(MODULE_WRITABLE, required=["title"], closed=True),
    "ModuleUpdate": _object(MODULE_WRITABLE, required=[], closed=True),
    "LinkRequest": {**_object({"event_id": ID, "session_id": ID}, required=[], closed=True),
                    "oneOf": [{"required": ["event_id"]}, {"required": ["session_id"]}]},
    "Submission": _object({
        "id": ID,
        "module_id": ID,
        "user_id": ID,
        "text": STR,
        "link": _nullable(URL),
        "status": _enum(SUBMISSION_STATUSES),
        "submitted_at": DATETIME,
        "reviewer_comment": STR,
        "reviewed_at": _nullable(DATETIME),
    }),
    "SubmissionRequest": _object({
        "text": {"type": "string", "description": "A short reflection."},
        "link": _nullable({**URL, "description": "A link to the evidence."}),
    }, required=[], description="Give a text, a link, or both."),
    "ReviewRequest": _object({"comment": {"type": "string",
                                          "description": "Required when returning a submission."}},
                             required=[]),
    "Progress": _object({
        "programme": _ref("ProgrammeBrief"),
        "user_id": ID,
        "joined": BOOL,
        "joined_at": _nullable(DATETIME),
        "modules": _array(_object({
            "id": ID,
            "title": STR,
            "required": BOOL,
            "completion": _enum(COMPLETION_KINDS),
            "hours": NUM,
            "status": _enum(("done", "submitted", "returned", "available", "locked")),
            "completed_at": _nullable(DATETIME),
            "source": _nullable(_enum(COMPLETION_SOURCES)),
            "retained_reason": _nullable({"type": "string", "description": "Why a completion stays although "
                                                                           "its attendance was undone."}),
            "missing_prerequisites": _array(ID),
            "submission": _nullable(_ref("Submission")),
        })),
        "hours_done": NUM,
        "hours_total": NUM,
        "required_done": {"type": "integer", "minimum": 0},
        "required_total": {"type": "integer", "minimum": 0},
        "completion": _nullable(_object({"completed_at": DATETIME, "hours": NUM})),
    }),
    "Certificate": _object({
        "code": {"type": "string", "examples": ["CC-7KQ2-M9XD-4HTP"]},
        "kind": _enum(CERTIFICATE_KINDS),
        "valid": BOOL,
        "status": _enum(("valid", "revoked")),
        "holder": STR,
        "title": STR,
        "event_id": _nullable(ID),
        "programme_id": _nullable(ID),
        "hours": NUM,
        "issued_on": DATE,
        "issued_at": DATETIME,
        "revoked_at": _nullable(DATETIME),
        "revoke_reason": _nullable(STR),
        "language": STR,
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "pdf_url": URL,
        "verify_url": URL,
    }),
    "IssueReport": _object({
        "issued": _array(STR, description="Codes of the certificates issued now."),
        "skipped": _array(_object({"user_id": ID, "reason": STR})),
    }),
    "RevokeRequest": _object({"reason": {"type": "string", "minLength": 1,
                                         "description": "Shown to anyone who verifies."}},
                             required=["reason"]),
    "Verification": _object({
        "code": STR,
        "valid": BOOL,
        "status": _enum(("valid", "revoked")),
        "kind": _enum(CERTIFICATE_KINDS),
        "kind_label": STR,
        "holder": STR,
        "title": STR,
        "format": _nullable(STR),
        "format_label": STR,
        "dates": {"type": "string", "description": "Display-ready dates."},
        "start_date": _nullable(DATE),
        "end_date": _nullable(DATE),
        "completed_on": _nullable(DATE),
        "online": BOOL,
        "place": STR,
        "hours": NUM,
        "hours_label": STR,
        "modules": _array(_object({"title": STR, "hours": NUM, "hours_label": STR})),
        "issuer": _object({"name": _nullable(STR), "organisation": _nullable(STR)}),
        "network": _nullable(STR),
        "issued_on": DATE,
        "issued_at": DATETIME,
        "revoked_at": _nullable(DATETIME),
        "revoked_on": _nullable(DATE),
        "revoke_reason": _nullable(STR),
        "replaced_by": _nullable(STR),
        "replaces": _nullable(STR),
        "language": _nullable(STR),
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "verify_url": URL,
    }, description="What a certificate states and whether it is valid."),
}

# ---------------------------------------------------------------------------------------------------
# Shared responses and parameters

ERROR_RESPONSES = {
    400: ("BadRequest", "The body is not a JSON object.", ["bad_request"]),
    401: ("Unauthorized", "No valid Bearer token (missing, malformed, unknown or revoked).", ["unauthorized"]),
    403: ("Forbidden", "Your role or relation to the object does not allow this.", ["forbidden"]),
    404: ("NotFound", "No such object, or not visible to you (other people's objects answer 404).",
          ["not_found"]),
    409: ("Conflict", "The object's state does not allow this now (already done, closed, taken); "
                      "`checkin_before_event`: a check-in before the event's first day, repeat with `confirm`.",
          ["conflict", "checkin_before_event"]),
    422: ("ValidationFailed", "Invalid input; `fields` names the field.", ["validation_failed", "invalid"]),
    429: ("RateLimited", "Too many requests from your address; wait a moment.", ["rate_limited"]),
    503: ("TryAgain", "A lock wait ran out (many people at once); retry shortly.", ["try_again", "unavailable"]),
}


def _error_response(status: int) -> dict:
    _, description, codes = ERROR_RESPONSES[status]
    response = {"description": description, "content": {JSON: {"schema": _error_schema(codes)}}}
    if status == 401:
        response["headers"] = {"WWW-Authenticate": {"required": True, "schema": {"const": 'Bearer realm="api"'}}}
    return response


def _path_param(name: str, description: str, schema: dict) -> dict:
    return {"name": name, "in": "path", "required": True, "description": description, "schema": schema}


PARAMETERS = {
    "EventId": _path_param("event_id", "Event id.", ID),
    "SessionId": _path_param("session_id", "Agenda session id.", ID),
    "EnrolmentId": _path_param("enrolment_id", "Enrolment id.", ID),
    "CheckinId": _path_param("checkin_id", "Check-in id.", ID),
    "ProgrammeId": _path_param("programme_id", "Programme id.", ID),
    "ModuleId": _path_param("module_id", "Module id.", ID),
    "SubmissionId": _path_param("submission_id", "Submission id.", ID),
    "CertificateCode": _path_param("code", "Certificate code; case-insensitive, hyphens optional.",
                                   {"type": "string", "examples": ["CC-7KQ2-M9XD-4HTP"]}),
}


def _param(name: str) -> dict:
    return {"$ref": f"#/components/parameters/{name}"}


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


# ---------------------------------------------------------------------------------------------------
# Operations


def _body(schema_name: str, *, required: bool = True) -> dict:
    return {"required": required, "content": {JSON: {"schema": _ref(schema_name)}}}


def _json(description: str, schema: dict, *, headers: dict | None = None) -> dict:
    response = {"description": description, "content": {JSON: {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return response


NO_CONTENT = {"description": "Done; no content."}


def _op(endpoint: str, tag: str, summary: str, ok: dict, errors=(), *, public: bool = False,
        description: str | None = None, parameters=None, body: dict | None = None) -> dict:
    """One operation; every operation can answer 401 (a token that is sent must be valid)."""
    responses = {str(status): response for status, response in ok.items()}
    for status in sorted({401, *errors}):
        responses[str(status)] = {"$ref": f"#/components/responses/{ERROR_RESPONSES[status][0]}"}
    operation = {"operationId": endpoint, "tags": [tag], "summary": summary}
    if description:
        operation["description"] = description
    if public:
        operation["security"] = OPTIONAL_AUTH
    if parameters:
        operation["parameters"] = parameters
    if body is not None:
        operation["requestBody"] = body
    operation["responses"] = responses
    return operation


EVENT_FILTERS = [
    _query("format", _enum(EVENT_FORMATS), "Only events of this format."),
    _query("topic", STR, "Only events with this topic slug."),
    _query("country", STR, "ISO 3166-1 alpha-2 code of the event's country."),
    _query("city", STR, "City name (case-insensitive)."),
    _query("from", STR, "Events ending on or after this date (YYYY-MM-DD) or ISO 8601 date-time."),
    _query("to", STR, "Events starting before the end of this date (YYYY-MM-DD) or before this date-time."),
    _query("language", {"type": "string", "pattern": "^[a-z]{2}$"}, "Events held in this language."),
    _query("q", STR, "Free text in title, summary and city."),
    _query("past", _enum(("1", "true", "yes", "0", "false", "no")), "Archive: past events, newest first."),
    _query("page", {"type": "integer", "minimum": 1, "default": 1}, "Page number."),
    _query("per_page", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}, "Page size."),
]

PATHS = {
    # Account, directory, calendar, this document
    "/openapi.json": {"get": _op(
        "openapi", "Meta", "This OpenAPI 3.1 document",
        {200: _json("The document.", {"type": "object", "required": ["openapi", "info", "paths"],
                                      "additionalProperties": True})},
        public=True,
    )},
    "/me": {"get": _op("me", "Account", "The caller's account",
                       {200: _json("The caller.", _ref("User"))},
                       description="Also creates the personal calendar feed token the first time.")},
    "/me/calendar-token": {"post": _op(
        "rotate_calendar_token", "Calendar", "Rotate the personal calendar feed token",
        {200: _json("The new feed URLs; the old feed URL answers 404 from now on.", _ref("CalendarFeed"))},
    )},
    "/topics": {"get": _op("topics", "Directory", "The network's topics",
                           {200: _json("All topics.", _items("Topic"))}, public=True)},
    "/organisations": {"get": _op("organisations", "Directory", "Member cities and partner organisations",
                                  {200: _json("All organisations.", _items("Organisation"))}, public=True)},

    # Events
    "/events": {
        "get": _op("list_events", "Events", "Published upcoming (or past) events, filtered and paginated",
                   {200: _json("One page of events.", _ref("EventPage"))}, [422], public=True,
                   parameters=EVENT_FILTERS),
        "post": _op("create_event", "Events", "Create a draft event (organisers)",
                    {201: _json("The new draft.", _ref("Event"), headers={"Location": {
                        "required": True, "description": "URL of the new event.", "schema": STR}})},
                    [400, 403, 409, 422], body=_body("EventCreate")),
    },
    "/events/{event_id}": {
        "parameters": [_param("EventId")],
        "get": _op("get_event", "Events", "One event (drafts only for their organisers)",
                   {200: _json("The event.", _ref("Event"))}, [404], public=True),
        "patch": _op("update_event", "Events", "Change an event (its organisers)",
                     {200: _json("The changed event.", _ref("Event"))}, [400, 403, 404, 409, 422, 503],
                     description="Time, place or status changes raise `revision` and notify everyone "
                                 "enrolled; a capacity increase fills seats from the waiting list.",
                     body=_body("EventUpdate")),
    },
    "/events/{event_id}/publish": {
        "parameters": [_param("EventId")],
        "post": _op("publish_event", "Events", "Publish a draft", {200: _json("The event.", _ref("Event"))},
                    [403, 404, 409]),
    },
    "/events/{event_id}/cancel": {
        "parameters": [_param("EventId")],
        "post": _op("cancel_event", "Events", "Cancel an event with a reason",
                    {200: _json("The cancelled event.", _ref("Event"))}, [400, 403, 404, 409, 422, 503],
                    body=_body("CancelEventRequest")),
    },

    # Agenda
    "/events/{event_id}/sessions": {
        "parameters": [_param("EventId")],
        "get": _op("list_sessions", "Agenda", "The event's agenda",
                   {200: _json("Sessions in order.", _items("Session"))}, [404], public=True),
        "post": _op("add_session", "Agenda", "Add an agenda session (itinerary stop)",
                    {201: _json("The new session.", _ref("Session"))}, [400, 403, 404, 409, 422],
                    body=_body("SessionCreate")),
    },
    "/sessions/{session_id}": {
        "parameters": [_param("SessionId")],
        "patch": _op("update_session", "Agenda", "Change an agenda session",
                     {200: _json("The session.", _ref("Session"))}, [400, 403, 404, 422],
                     body=_body("SessionUpdate")),
        "delete": _op("delete_session", "Agenda", "Delete an agenda session without check-ins",
                      {204: NO_CONTENT}, [403, 404, 409]),
    },

    # Enrolments
    "/events/{event_id}/enrolments": {
        "parameters": [_param("EventId")],
        "get": _op("list_enrolments", "Enrolments", "The event's participants (its organisers)",
                   {200: _json("Enrolments with their people.", _items("EnrolmentWithUser"))}, [403, 404],
                   parameters=[
                       _query("status", _enum(ENROLMENT_STATUSES), "Only enrolments with this status."),
                       _query("q", STR, "Search name, email or ticket code."),
                   ]),
        "post": _op("enrol", "Enrolments", "Enrol (yourself, or someone else as organiser)",
                    {201: _json("pending with approval; else confirmed while seats remain, else waitlisted.",
                                _ref("Enrolment"))},
                    [400, 403, 404, 409, 422, 503],
                    description="409 when already enrolled or when the event does not take enrolments now.",
                    body=_body("EnrolRequest", required=False)),
    },
    "/enrolments/{enrolment_id}/cancel": {
        "parameters": [_param("EnrolmentId")],
        "post": _op("cancel_enrolment", "Enrolments", "Cancel an enrolment (the participant or an organiser)",
                    {200: _json("The cancelled enrolment; a freed seat goes to the first person waiting.",
                                _ref("Enrolment"))}, [400, 404, 409, 422, 503],
                    body=_body("ReasonRequest", required=False)),
    },
    "/enrolments/{enrolment_id}/approve": {
        "parameters": [_param("EnrolmentId")],
        "post": _op("approve_enrolment", "Enrolments", "Approve a pending enrolment (organisers)",
                    {200: _json("Confirmed while seats remain, else waitlisted.", _ref("Enrolment"))},
                    [403, 404, 409, 503]),
    },
    "/enrolments/{enrolment_id}/reject": {
        "parameters": [_param("EnrolmentId")],
        "post": _op("reject_enrolment", "Enrolments", "Reject an enrolment (organisers)",
                    {200: _json("The rejected enrolment.", _ref("Enrolment"))}, [400, 403, 404, 409, 422, 503],
                    body=_body("ReasonRequest", required=False)),
    },
    "/enrolments/{enrolment_id}/accept": {
        "parameters": [_param("EnrolmentId")],
        "post": _op("accept_offer", "Enrolments", "Accept an offered seat before its deadline",
                    {200: _json("The confirmed enrolment.", _ref("Enrolment"))}, [404, 409, 503]),
    },
    "/me/enrolments": {"get": _op("my_enrolments", "Enrolments", "The caller's enrolments with their events",
                                  {200: _json("Enrolments, by event start.", _items("MyEnrolment"))})},

    # Attendance
    "/events/{event_id}/checkins": {
        "parameters": [_param("EventId")],
        "post": _op("check_in", "Attendance", "Check a confirmed participant in (organisers)",
                    {201: _json("The check-in.", _ref("Checkin"))}, [400, 403, 404, 409, 422],
                    body=_body("CheckinRequest"),
                    description="Before the event's first day (in the event's time zone) the check-in is "
                                "refused with 409 and the code `checkin_before_event` unless the body says "
                                "`\"confirm\": true`. Recording attendance after the event needs no "
                                "confirmation."),
    },
    "/checkins/{checkin_id}": {
        "parameters": [_param("CheckinId")],
        "delete": _op("undo_checkin", "Attendance", "Undo a check-in (refused once a certificate rests on it)",
                      {204: NO_CONTENT}, [404, 409]),
    },
    "/events/{event_id}/attendance": {
        "parameters": [_param("EventId")],
        "get": _op("attendance", "Attendance", "Attendance per participant (organisers)",
                   {200: _json("Everyone confirmed or checked in.", _items("Attendance"))}, [403, 404]),
    },

    # Learning programmes
    "/programmes": {
        "get": _op("programmes_list", "Programmes", "Published programmes (and, with a token, the ones you organise)",
                   {200: _json("Programmes by title.", _items("Programme"))}, public=True),
        "post": _op("programmes_create", "Programmes", "Create a draft programme (organisers)",
                    {201: _json("The new draft.", _ref("Programme"))}, [400, 403, 409, 422],
                    body=_body("ProgrammeCreate")),
    },
    "/programmes/{programme_id}": {
        "parameters": [_param("ProgrammeId")],
        "get": _op("programmes_detail", "Programmes", "One programme with its modules",
                   {200: _json("The programme.", _ref("Programme"))}, [404], public=True),
        "patch": _op("programmes_update", "Programmes", "Change a programme (its organisers)",
                     {200: _json("The programme.", _ref("Programme"))}, [400, 403, 404, 422],
                     body=_body("ProgrammeUpdate")),
    },
    "/programmes/{programme_id}/publish": {
        "parameters": [_param("ProgrammeId")],
        "post": _op("programmes_publish", "Programmes", "Publish a programme (needs a required module)",
                    {200: _json("The programme.", _ref("Programme"))}, [403, 404, 409, 422]),
    },
    "/programmes/{programme_id}/join": {
        "parameters": [_param("ProgrammeId")],
        "post": _op("programmes_join", "Programmes", "Join a published programme",
                    {201: _json("Joined now; your progress.", _ref("Progress")),
                     200: _json("Already joined; your progress.", _ref("Progress"))}, [404, 409]),
    },
    "/programmes/{programme_id}/progress": {
        "parameters": [_param("ProgrammeId")],
        "get": _op("programmes_progress", "Programmes", "Progress in a programme (yours; organisers: anyone's)",
                   {200: _json("Modules with status, hours, completed_at, and the completion.", _ref("Progress"))},
                   [404, 422],
                   parameters=[_query("user_id", ID, "Organisers: the participant (default: the caller).")]),
    },
    "/me/programmes": {"get": _op("me_programmes", "Programmes", "The caller's programmes with progress",
                                  {200: _json("One progress per programme joined.", _items("Progress"))})},
    "/programmes/{programme_id}/modules": {
        "parameters": [_param("ProgrammeId")],
        "post": _op("modules_create", "Modules", "Add a module",
                    {201: _json("The new module.", _ref("Module"))}, [400, 403, 404, 409, 422],
                    body=_body("ModuleCreate")),
    },
    "/modules/{module_id}": {
        "parameters": [_param("ModuleId")],
        "patch": _op("modules_update", "Modules", "Change a module (position moves it)",
                     {200: _json("The module.", _ref("Module"))}, [400, 403, 404, 409, 422],
                     body=_body("ModuleUpdate")),
        "delete": _op("modules_delete", "Modules", "Delete a module (archived instead once people used it)",
                      {204: NO_CONTENT, 200: _json("Archived, not deleted.", _ref("ModuleArchived"))},
                      [403, 404, 409]),
    },
    "/modules/{module_id}/links": {
        "parameters": [_param("ModuleId")],
        "post": _op("modules_link", "Modules", "Let a published event or one of its sessions teach the module",
                    {201: _json("The link.", _ref("ModuleLink"))}, [400, 403, 404, 409, 422],
                    body=_body("LinkRequest")),
    },
    "/modules/{module_id}/submissions": {
        "parameters": [_param("ModuleId")],
        "post": _op("submissions_create", "Self-study", "Hand in self-study work",
                    {201: _json("The submission, waiting for review.", _ref("Submission"))},
                    [400, 404, 409, 422], body=_body("SubmissionRequest")),
    },
    "/submissions/{submission_id}/approve": {
        "parameters": [_param("SubmissionId")],
        "post": _op("submissions_approve", "Self-study", "Approve a submission (the programme's organisers)",
                    {200: _json("The approved submission; the module is done.", _ref("Submission"))},
                    [400, 403, 404, 409, 422], body=_body("ReviewRequest", required=False)),
    },
    "/submissions/{submission_id}/return": {
        "parameters": [_param("SubmissionId")],
        "post": _op("submissions_return", "Self-study", "Return a submission with a comment",
                    {200: _json("The returned submission.", _ref("Submission"))}, [400, 403, 404, 409, 422],
                    body=_body("ReviewRequest")),
    },

    # Certificates
    "/me/certificates": {"get": _op("certificates_mine", "Certificates", "The caller's certificates",
                                    {200: _json("Valid and revoked, newest first.", _items("Certificate"))})},
    "/events/{event_id}/certificates": {
        "parameters": [_param("EventId")],
        "post": _op("certificates_issue_event", "Certificates", "Issue attendance certificates to the eligible",
                    {200: _json("Issued codes and who was skipped why (idempotent).", _ref("IssueReport"))},
                    [403, 404, 409, 422]),
    },
    "/programmes/{programme_id}/certificates": {
        "parameters": [_param("ProgrammeId")],
        "post": _op("certificates_issue_programme", "Certificates", "Issue completion certificates",
                    {200: _json("Issued codes and who was skipped why (idempotent).", _ref("IssueReport"))},
                    [403, 404, 409]),
    },
    "/certificates/{code}": {
        "parameters": [_param("CertificateCode")],
        "get": _op("certificates_detail", "Certificates", "One certificate (holder, organisers, admins)",
                   {200: _json("The certificate.", _ref("Certificate"))}, [404]),
    },
    "/certificates/{code}/revoke": {
        "parameters": [_param("CertificateCode")],
        "post": _op("certificates_revoke", "Certificates", "Revoke a certificate with a reason",
                    {200: _json("The revoked certificate.", _ref("Certificate"))}, [400, 403, 404, 409, 422],
                    body=_body("RevokeRequest")),
    },
    "/certificates/{code}/reissue": {
        "parameters": [_param("CertificateCode")],
        "post": _op("certificates_reissue", "Certificates", "Re-issue from today's data (the old one is revoked)",
                    {201: _json("The new certificate.", _ref("Certificate"))}, [403, 404, 409]),
    },
    "/verify/{code}": {
        "parameters": [_param("CertificateCode")],
        "get": _op("certificates_verify", "Verification", "Verify a certificate (public, rate-limited)",
                   {200: _json("What it states and whether it is valid.", _ref("Verification"))}, [404, 429],
                   public=True),
    },
}

TAGS = [
    {"name": "Meta", "description": "This document."},
    {"name": "Account", "description": "The caller's account."},
    {"name": "Directory", "description": "Topics and organisations (member cities, partners)."},
    {"name": "Calendar", "description": "The personal iCalendar feed."},
    {"name": "Events", "description": "Conferences, workshops, training sessions and information trips."},
    {"name": "Agenda", "description": "Sessions of an event (itinerary stops on information trips)."},
    {"name": "Enrolments", "description": "Enrolment with capacity, waiting list, offers and approval."},
    {"name": "Attendance", "description": "Check-in and attendance."},
    {"name": "Programmes", "description": "Learning programmes, joining and progress."},
    {"name": "Modules", "description": "Modules of a programme and their links to events."},
    {"name": "Self-study", "description": "Submissions for self-study modules and their review."},
    {"name": "Certificates", "description": "Attendance and completion certificates."},
    {"name": "Verification", "description": "Public verification of certificate codes."},
]

DOCUMENT = {
    "openapi": "3.1.0",
    "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
    "info": {
        "title": "Connective Cities API",
        "version": "1.0.0",
        "summary": "Events, learning programmes and certificates of the Connective Cities network.",
        "description": (
            "Send a personal API token (`flask users token EMAIL`, revocable from the profile) as "
            "`Authorization: Bearer <token>`; the session cookie is never used. Datetimes are ISO 8601 with "
            "a UTC offset. Errors are `{\"error\": {\"code\", \"message\", \"fields\"?}}`."
        ),
    },
    "servers": [{"url": "/api/v1"}],
    "tags": TAGS,
    "security": [{"bearerAuth": []}],
    "paths": PATHS,
    "components": {
        "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                           "description": "A personal API token."}},
        "schemas": SCHEMAS,
        "parameters": PARAMETERS,
        "responses": {name: _error_response(status) for status, (name, _, _) in ERROR_RESPONSES.items()},
    },
}


@bp.get("/openapi.json")
@limiter.exempt
def openapi():
    """This API's OpenAPI 3.1 document (public)."""
    response = current_app.json.response(DOCUMENT)
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
