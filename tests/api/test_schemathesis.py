"""The API tests itself from its own document: a property-based run of schemathesis over every operation.

Each operation gets a bounded, derandomised set of generated requests (valid and invalid ones), sent through
the WSGI app with an organiser's token and a participant's token. Every answer must be: no 5xx, a status and
a content type the document lists for the operation, a body and headers that fit the document, a 405 with
`Allow` for a method the document does not list, and a 4xx for every request the document calls invalid.
"""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.api import document
from tests.factories import (
    bearer,
    make_event,
    make_organisation,
    make_organiser,
    make_practice,
    make_session,
    make_token,
    make_user,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection, response_headers_conformance]
MAX_EXAMPLES = 15
HTTP_METHODS = ("get", "put", "post", "delete", "patch")
OPERATIONS = [(method, path) for path, item in document()["paths"].items() for method in item
              if method in HTTP_METHODS]


@pytest.fixture
def tokens(session):
    """Objects with small ids, so generated path parameters often find them, and two callers."""
    organiser = make_organiser(session, name="Olivia Organiser")
    city = make_organisation(session, name="Leipzig")
    participant = make_user(session, name="Paul Participant", organisation_id=city.id)
    event = make_event(session, organisers=[organiser], capacity=5)
    make_session(session, event)
    cancelled = make_event(session, organisers=[organiser], status="cancelled")
    make_session(session, cancelled)
    make_practice(session, organisation=city, author=participant, sdg_targets=["11.2"])  # published
    make_practice(session, organisation=city, author=participant, status="draft")
    org_token, participant_token = make_token(session, organiser), make_token(session, participant)
    session.commit()
    return [bearer(org_token), bearer(participant_token)]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m.upper()} {p}" for m, p in OPERATIONS])
def test_operation_keeps_its_document(app, session, tokens, method, path, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema[path][method.upper()]

    @given(operation.as_strategy(generation_mode=mode))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        for headers in tokens:
            case.call_and_validate(headers=headers, checks=CHECKS)
            session.rollback()  # a request that failed half-way leaves nothing behind for the next one

    try:
        run()
    except Unsatisfiable:  # nothing to make invalid: no parameters, no body
        assert mode == GenerationMode.NEGATIVE


@pytest.mark.parametrize("path", sorted({path for _, path in OPERATIONS}))
def test_undocumented_methods_answer_405_with_allow(client, path, tokens):
    documented = {method.upper() for method, p in OPERATIONS if p == path}
    url = "/api/v1" + re.sub(r"{\w+}", "1", path)
    for method in {"GET", "POST", "PUT", "PATCH", "DELETE"} - documented:
        response = client.open(url, method=method, headers=tokens[0])
        assert response.status_code == 405, (method, path, response.status_code)
        allowed = {m.strip() for m in response.headers.get("Allow", "").split(",")}
        assert documented <= allowed, (method, path, response.headers.get("Allow"))
