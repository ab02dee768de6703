"""Errors of certificates as codes with values: every reason raised is in the catalogue, every template is filled by
the values given, and no module of the package builds the sentence itself (issue 11, point 5)."""

from __future__ import annotations

import ast

import pytest

import app.certificates.messages  # noqa: F401  (fills the catalogue)
from app.certificates import services as svc
from app.errors import Conflict, DomainError, ValidationFailed, message_template
from app.sqltypes import utcnow
from tests.certificates.helpers import attendee, past_event
from tests.factories import make_event, make_organiser, make_token
from tests.messages_scan import PLACEHOLDER_RE, SourceScan

SCAN = SourceScan("certificates", r"^certificate\.[a-z_]+$")
PACKAGE, MODULES, REASON_RE = SCAN.package, SCAN.modules, SCAN.reason_re
_trees, _error_calls, _reasons_in = SCAN.trees, SCAN.error_calls, SCAN.reasons_in


def test_every_reason_written_in_the_package_is_in_the_catalogue_and_none_is_unused():
    used = set().union(*(_reasons_in(tree) for _name, tree in _trees()))
    assert sorted(reason for reason in used if message_template(reason) is None) == []
    catalogue = _reasons_in(ast.parse((PACKAGE / "messages.py").read_text(encoding="utf-8")))
    assert sorted(catalogue - used) == []
    assert len(used) > 15


def test_no_error_is_built_from_an_english_sentence():
    """The first argument of every domain error is a catalogue reason (or a variable holding one), never an
    f-string or a sentence; the values go in as parameters."""
    offenders = []
    for name, call in _error_calls():
        if any(isinstance(node, ast.JoinedStr | ast.BinOp) for arg in call.args for node in ast.walk(arg)):
            offenders.append(f"{name}:{call.lineno} builds its reason")
        if any(isinstance(node, ast.JoinedStr) for kw in call.keywords for node in ast.walk(kw.value)):
            offenders.append(f"{name}:{call.lineno} passes an f-string value")
        if call.args and isinstance(call.args[0], ast.Constant) and not REASON_RE.match(str(call.args[0].value)):
            offenders.append(f"{name}:{call.lineno} passes {call.args[0].value!r}")
    assert offenders == []


def test_every_raise_gives_the_values_its_template_names():
    checked = 0
    for name, call in _error_calls():
        if not call.args or not isinstance(call.args[0], ast.Constant):
            continue
        template = message_template(call.args[0].value)
        given = {kw.arg for kw in call.keywords} - {"field", "fields"}
        assert set(PLACEHOLDER_RE.findall(template)) == given, (name, call.lineno, template, given)
        checked += 1
    assert checked > 15


SETTINGS = svc.CertificateSettings(base_url="http://cc.test", network_name="Connective Cities")


def _message(call) -> DomainError:
    with pytest.raises(DomainError) as info:
        call()
    assert "%(" not in info.value.message
    return info.value


def test_messages_with_values_read_as_before(session):
    now = utcnow()
    event = past_event(session)
    organiser = event.organisers[0]
    holder = attendee(session, event, name="Anna Example")
    (certificate,) = svc.issue_event_certificates(session, event_id=event.id, actor_id=None, now=now,
                                                  settings=SETTINGS).issued
    issued_on = f"{certificate.issued_at:%Y-%m-%d}"
    assert svc.active_certificate_reason(session, user_id=holder.id, event_id=event.id) == (
        f"Certificate {certificate.code} (issued {issued_on}) stands on this event; revoke it first.")
    error = _message(lambda: svc.revoke_certificate(session, code=certificate.code, actor_id=organiser.id,
                                                    reason="x" * 501, now=now))
    assert error.message == "Keep the reason under 500 characters." and error.fields_for() == {
        "reason": "Keep the reason under 500 characters."}
    svc.revoke_certificate(session, code=certificate.code, actor_id=organiser.id, reason="Wrong sheet", now=now)
    error = _message(lambda: svc.revoke_certificate(session, code=certificate.code, actor_id=None, reason="again",
                                                    now=now))
    assert isinstance(error, Conflict) and error.reason == "certificate.already_revoked"
    assert error.message == f"Certificate {certificate.code} was already revoked on {now:%Y-%m-%d}."
    new = svc.reissue_certificate(session, code=certificate.code, actor_id=None, now=now, settings=SETTINGS)
    error = _message(lambda: svc.reissue_certificate(session, code=certificate.code, actor_id=None, now=now,
                                                     settings=SETTINGS))
    assert error.message == f"Certificate {certificate.code} was already replaced by {new.code}."


@pytest.mark.parametrize(("status", "expected"), [
    ("draft", "Certificates are only issued for published events (this one is draft)."),
    ("cancelled", "Certificates are only issued for published events (this one is cancelled)."),
])
def test_an_unpublished_event_says_why_no_certificate_is_issued(session, status, expected):
    event = past_event(session, status=status)
    assert svc.event_issuable_reason(event, utcnow()) == expected
    error = _message(lambda: svc.issue_event_certificates(session, event_id=event.id, actor_id=None, now=utcnow(),
                                                          settings=SETTINGS))
    assert isinstance(error, ValidationFailed) and error.message == expected


def test_an_event_not_started_yet(session):
    event = make_event(session, organisers=[make_organiser(session)])
    assert svc.event_issuable_problem(event, utcnow()) == ("certificate.event_not_started", {})
    assert svc.event_issuable_reason(event, utcnow()) == (
        "The event has not started yet; certificates come after attendance.")


def test_the_api_keeps_its_codes_and_sentences(client, session):
    token = make_token(session, make_organiser(session))
    session.commit()
    response = client.get("/api/v1/certificates/CC-2222-2222-2222", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404
    assert response.get_json()["error"] == {"code": "not_found", "message": "No certificate has this code."}
    response = client.get("/api/v1/verify/CC-2222-2222-2222")
    assert response.status_code == 404
    assert response.get_json()["error"] == {"code": "not_found", "message": "No certificate has this code.",
                                            "fields": {"code": "No certificate has this code."}}
