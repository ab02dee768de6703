"""Errors of learning as codes with values: every reason raised is in the catalogue, every template is filled by
the values given, and no module of the package builds the sentence itself (issue 11, point 5)."""

from __future__ import annotations

import ast
from decimal import Decimal

import pytest

import app.learning.messages  # noqa: F401  (fills the catalogue)
from app.errors import Conflict, DomainError, NotFound, ValidationFailed, message_template
from app.learning import services
from app.sqltypes import utcnow
from tests.factories import join_programme, make_event, make_module, make_organiser, make_programme, make_user
from tests.messages_scan import PLACEHOLDER_RE, SourceScan

SCAN = SourceScan("learning", r"^learning\.[a-z_]+$")
PACKAGE, MODULES, REASON_RE = SCAN.package, SCAN.modules, SCAN.reason_re
_trees, _error_calls, _reasons_in = SCAN.trees, SCAN.error_calls, SCAN.reasons_in


def test_every_reason_written_in_the_package_is_in_the_catalogue_and_none_is_unused():
    # views name endpoints ("learning.detail") in the same dotted form; they raise no domain errors
    used = set().union(*(_reasons_in(tree) for name, tree in _trees() if name != "views.py"))
    assert sorted(reason for reason in used if message_template(reason) is None) == []
    catalogue = _reasons_in(ast.parse((PACKAGE / "messages.py").read_text(encoding="utf-8")))
    assert sorted(catalogue - used) == []
    assert len(used) > 60


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
    assert checked > 50


@pytest.fixture
def org(session):
    return make_organiser(session, name="Olivia Organiser")


@pytest.fixture
def programme(session, org):
    return make_programme(session, organisers=[org], title="Circular economy")


def _message(call) -> DomainError:
    with pytest.raises(DomainError) as info:
        call()
    assert "%(" not in info.value.message
    return info.value


def test_messages_with_values_read_as_before(session, org, programme):
    now = utcnow()
    first = make_module(session, programme, title="Basics")
    second = make_module(session, programme, title="Advanced", prerequisites=[first])
    error = _message(lambda: services.parse_hours("10000"))
    assert isinstance(error, ValidationFailed) and error.message == "Hours can be at most 9999.99."
    assert error.fields_for() == {"hours": "Hours can be at most 9999.99."}
    error = _message(lambda: services.update_programme(session, programme_id=programme.id, actor_id=org.id,
                                                       now=now, data={"colour": 1, "badge": 2}))
    assert error.message == "Unknown field(s): badge, colour." and error.params == {"names": "badge, colour"}
    error = _message(lambda: services.set_prerequisites(session, module_id=first.id, prerequisite_ids=[second.id],
                                                        actor_id=org.id, now=now))
    assert error.message == ("These prerequisites would make a cycle (“Basics” → “Advanced” → “Basics”; "
                             "→ means “needs”). Remove one of them.")
    error = _message(lambda: services.set_prerequisites(session, module_id=first.id, prerequisite_ids=[987654],
                                                        actor_id=org.id, now=now))
    assert error.message == "Prerequisites must be modules of the same programme (not: 987654)."
    draft = make_event(session, organisers=[org], status="draft", title="Draft fair")
    error = _message(lambda: services.link_module(session, module_id=first.id, actor_id=org.id, now=now,
                                                  event_id=draft.id))
    assert error.message == "“Draft fair” is a draft; publish it before linking it."
    assert error.fields_for() == {"event_id": error.message}
    user = make_user(session)
    error = _message(lambda: services.mark_module_done(session, module_id=first.id, user_id=user.id, actor_id=org.id,
                                                       note="seen", now=now))
    assert isinstance(error, Conflict) and error.message == "The person must join “Circular economy” first."
    join_programme(session, programme, user)
    error = _message(lambda: services.mark_module_done(session, module_id=second.id, user_id=user.id,
                                                       actor_id=org.id, note="seen", now=now))
    assert error.reason == "learning.mark_prerequisites_first" and error.message == (
        "Mark the prerequisites done first (a module is completed only after them): “Basics”.")


def test_a_reviewed_submission_names_its_state(session, org, programme):
    now = utcnow()
    module = make_module(session, programme, completion="self_study", hours=Decimal("1"))
    user = make_user(session)
    join_programme(session, programme, user)
    submission = services.submit_work(session, module_id=module.id, user_id=user.id, now=now, text="My essay")
    services.return_submission(session, submission_id=submission.id, actor_id=org.id, comment="More", now=now)
    error = _message(lambda: services.approve_submission(session, submission_id=submission.id, actor_id=org.id,
                                                         now=now))
    assert error.reason == "learning.submission_already_returned"
    assert error.message == "This submission was already returned."
    error = _message(lambda: services.submit_work(session, module_id=module.id, user_id=make_user(session).id,
                                                  now=now, text="x"))
    assert error.message.startswith("You must join “Circular economy”")


def test_the_api_keeps_its_codes_and_sentences(client, session, programme):
    from tests.factories import make_token

    token = make_token(session, make_user(session))
    session.commit()
    response = client.get("/api/v1/programmes/999999", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404
    assert response.get_json()["error"] == {"code": "not_found", "message": "No such programme."}
    assert isinstance(NotFound("learning.programme_not_found"), NotFound)
