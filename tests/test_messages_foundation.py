"""Errors as codes (issue 11, point 5) in the shared modules and in auth, directory, admin, mail, jobs, the
calendar's services/views/API/CLI and the API plumbing: every error names a catalogue reason with values,
never an English sentence built in place; the sentence is made at the edge from the catalogue."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from flask_wtf import FlaskForm
from wtforms import StringField

import app.errors as errors
from app import validation
from app.errors import DomainError, ValidationFailed, message_template, render_message

ROOT = Path(__file__).resolve().parent.parent
MODULES = [
    "app/validation.py", "app/converters.py", "app/errors.py", "app/viewhelpers.py",
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "app/auth").glob("*.py")),
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "app/directory").glob("*.py")),
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "app/admin").glob("*.py")),
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "app/jobs").glob("*.py")),
    "app/mail/services.py", "app/mail/cli.py",
    "app/calendar/services.py", "app/calendar/views.py", "app/calendar/api.py", "app/calendar/cli.py",
    "app/apikit/auth.py", "app/apikit/contract.py", "app/api/views.py",
]
PLACEHOLDER = re.compile(r"%\((\w+)\)")


def _error_classes() -> set[str]:
    import app  # noqa: F401  (imports every package, so every DomainError subclass exists)

    found, todo = set(), [DomainError]
    while todo:
        cls = todo.pop()
        found.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return found


def _callee(node: ast.Call) -> str | None:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _calls(app_instance):
    with app_instance.app_context():
        classes = _error_classes()
    for module in MODULES:
        tree = ast.parse((ROOT / module).read_text(), filename=module)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                yield module, node, _callee(node), classes


def _is_sentence(node: ast.AST) -> bool:
    """An English sentence made in place: a string literal, an f-string, or text glued together."""
    return isinstance(node, (ast.JoinedStr, ast.BinOp)) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def _check_params(where: str, reason: str, keywords: set[str], has_star: bool, problems: list[str]) -> None:
    template = message_template(reason)
    if template is None:
        problems.append(f"{where}: reason {reason!r} is not in the catalogue")
        return
    missing = set(PLACEHOLDER.findall(template)) - keywords
    if missing and not has_star:
        problems.append(f"{where}: {reason!r} needs {sorted(missing)}")


def test_every_domain_error_names_a_catalogued_reason_and_fills_its_placeholders(app):
    problems: list[str] = []
    for module, node, name, classes in _calls(app):
        if name not in classes:
            continue
        where = f"{module}:{node.lineno}"
        for arg in [*node.args, *(k.value for k in node.keywords if k.arg in ("field", "fields"))]:
            if isinstance(arg, (ast.JoinedStr, ast.BinOp)):
                problems.append(f"{where}: an f-string or glued text passed to {name}")
        keywords = {k.arg for k in node.keywords if k.arg not in (None, "field", "fields")}
        has_star = any(k.arg is None for k in node.keywords)
        if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            _check_params(where, node.args[0].value, keywords, has_star, problems)
    assert not problems, "\n".join(problems)


def test_class_reasons_and_render_message_calls_are_in_the_catalogue(app):
    problems: list[str] = []
    with app.app_context():
        todo = [DomainError]
        while todo:
            cls = todo.pop()
            todo.extend(cls.__subclasses__())
            if cls.__module__.startswith(("app.auth", "app.directory", "app.jobs", "app.mail", "app.api")) \
                    and message_template(cls.reason) is None and cls.reason != "invalid":
                problems.append(f"{cls.__module__}.{cls.__name__}: reason {cls.reason!r} is not in the catalogue")
    for module, node, name, _ in _calls(app):
        if name == "render_message" and node.args and isinstance(node.args[0], ast.Constant):
            params = node.args[1] if len(node.args) > 1 else None
            keys = {k.value for k in params.keys if isinstance(k, ast.Constant)} if isinstance(params, ast.Dict) else set()
            star = params is not None and not isinstance(params, ast.Dict) or (
                isinstance(params, ast.Dict) and None in params.keys)
            _check_params(f"{module}:{node.lineno}", node.args[0].value, keys, star, problems)
    assert not problems, "\n".join(problems)


def test_views_cli_and_api_plumbing_build_no_sentences_in_place(app):
    """flash(), abort(), click errors and form errors take a sentence from the catalogue (render_message)."""
    problems = []
    for module, node, name, _ in _calls(app):
        where = f"{module}:{node.lineno}"
        if name == "flash" and node.args and _is_sentence(node.args[0]):
            problems.append(f"{where}: flash() of a sentence made in place")
        if name == "abort" and len(node.args) > 1 and _is_sentence(node.args[1]):
            problems.append(f"{where}: abort() with a sentence made in place")
        if name in ("ClickException", "UsageError") and node.args and _is_sentence(node.args[0]):
            problems.append(f"{where}: {name} with a sentence made in place")
        if name == "json_error" and len(node.args) > 2 and _is_sentence(node.args[2]):
            problems.append(f"{where}: json_error with a sentence made in place")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("call", "reason", "english"), [
    (lambda: validation.clean_text("x" * 6, field="title", limit=5, label="Title"), "text.too_long",
     "Title is at most 5 characters (got 6)."),
    (lambda: validation.clean_text("a\x00", field="city", limit=5), "text.nul",
     "City contains a character that is not allowed (NUL)."),
    (lambda: validation.clean_text(7, field="city", limit=5), "text.not_text", "City must be text."),
    (lambda: validation.clean_text(" ", field="city", limit=5, required=True), "text.required", "City is required."),
    (lambda: validation.check_storable({"note": "a\x00"}), "value.not_allowed_character",
     "Note contains a character that is not allowed."),
    (lambda: validation.check_storable([2**70]), "request.out_of_range", "The request is out of range."),
])
def test_shared_checks_raise_reasons_with_the_label_and_the_fields_data_name(call, reason, english):
    with pytest.raises(ValidationFailed) as caught:
        call()
    exc = caught.value
    assert exc.reason == reason and exc.message == english and "%(" not in exc.message
    if "label" in exc.params:
        assert exc.params["field_name"] in exc.fields  # the edge can put the form's own label in


def test_services_raise_reasons_whose_sentences_are_filled(session):
    from app.auth import services as auth
    from app.directory import services as directory
    from app.jobs.services import UnknownJob, get_job

    cases = [
        (lambda: auth.check_password_strength("short"), "auth.password_too_short",
         "Password must be at least 10 characters."),
        (lambda: auth.check_timezone("Mars/Base"), "auth.timezone_unknown",
         "Unknown time zone 'Mars/Base'; use an IANA name such as Europe/Berlin."),
        (lambda: auth.set_role(session, 1, "king"), "auth.role_invalid",
         "Role must be one of participant, organiser, admin."),
        (lambda: directory.normalise_country("xx"), "directory.country_invalid",
         "'xx' is not an ISO 3166-1 alpha-2 country code."),
        (lambda: directory.find_topics(session, ["nope", "zzz"]), "directory.topics_unknown",
         "Unknown topic(s): nope, zzz."),
        (lambda: get_job("nope"), "jobs.unknown", None),
    ]
    for call, reason, english in cases:
        with pytest.raises(DomainError) as caught:
            call()
        assert caught.value.reason == reason, caught.value.message
        assert "%(" not in caught.value.message
        if english:
            assert caught.value.message == english
    with pytest.raises(UnknownJob) as caught:
        get_job("nope")
    assert caught.value.message.startswith("No job called 'nope'; the jobs are: ")
    assert caught.value.fields_for() == {"name": caught.value.message}


def test_a_form_error_names_the_field_as_the_form_labels_it_by_the_reasons_label(app):
    from app.viewhelpers import show_domain_error

    class Form(FlaskForm):
        title = StringField("Event title")

    with app.test_request_context("/", method="POST"):
        form = Form(meta={"csrf": False})
        with pytest.raises(ValidationFailed) as caught:
            validation.clean_text("x" * 9, field="title", limit=5, label="Name of the thing")
        show_domain_error(caught.value, form)
        assert form.title.errors == ["Event title is at most 5 characters (got 9)."]
        # the API and logs keep the service's label
        assert caught.value.fields_for() == {"title": "Name of the thing is at most 5 characters (got 9)."}


def test_the_error_handlers_take_their_sentences_from_the_catalogue():
    for reason in ("errors.clash", "errors.unstorable", "errors.unavailable", "errors.unexpected"):
        assert message_template(reason)
    assert render_message("errors.unavailable") == errors.UNAVAILABLE_MESSAGE


def test_a_flash_keeps_its_wording(client, auth, session):
    from tests.factories import make_user

    make_user(session, email="flash@example.org", name="Ada")
    session.commit()
    assert auth.login("flash@example.org").status_code == 302
    assert "Welcome, Ada." in client.get("/").get_data(as_text=True)
    assert render_message("auth.welcome", {"name": "Ada"}) == "Welcome, Ada."
