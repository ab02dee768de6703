"""Errors of practices as codes with values: every reason raised is catalogued, every template filled by the
values given, and no module of the package builds the sentence itself."""

from __future__ import annotations

import ast

import app.practices.messages  # noqa: F401  (fills the catalogue)
from app.errors import message_template
from app.practices.workflow import CHECKLIST_REASONS, REVIEW_CHECKLIST
from tests.messages_scan import PLACEHOLDER_RE, SourceScan

SCAN = SourceScan("practices", r"^practice\.[a-z_.]+$", extra_errors=("FileRefused",))


def test_every_reason_written_in_the_package_is_in_the_catalogue_and_none_is_unused():
    used = set().union(*(SCAN.reasons_in(tree) for name, tree in SCAN.trees() if not name.startswith("views")))
    used |= set(CHECKLIST_REASONS.values())  # built from the checklist's items
    assert sorted(reason for reason in used if reason.startswith("practice.")
                  and message_template(reason) is None) == []
    catalogue = SCAN.reasons_in(ast.parse((SCAN.package / "messages.py").read_text(encoding="utf-8")))
    assert sorted(catalogue - used) == []


def test_no_error_is_built_from_an_english_sentence():
    offenders = []
    for name, call in SCAN.error_calls():
        if any(isinstance(node, ast.JoinedStr | ast.BinOp) for arg in call.args for node in ast.walk(arg)):
            offenders.append(f"{name}:{call.lineno} builds its reason")
        if call.args and isinstance(call.args[0], ast.Constant) and not SCAN.reason_re.match(str(call.args[0].value)) \
                and not str(call.args[0].value).startswith(("text.", "api.")):
            offenders.append(f"{name}:{call.lineno} passes {call.args[0].value!r}")
    assert offenders == []


def test_every_raise_gives_the_values_its_template_names():
    checked = 0
    for name, call in SCAN.error_calls():
        if not call.args or not isinstance(call.args[0], ast.Constant):
            continue
        template = message_template(call.args[0].value)
        given = {kw.arg for kw in call.keywords} - {"field", "fields"}
        assert set(PLACEHOLDER_RE.findall(template)) == given, (name, call.lineno, template, given)
        checked += 1
    assert checked > 40


def test_the_checklist_items_are_sentences():
    assert [message_template(CHECKLIST_REASONS[item]) is not None for item in REVIEW_CHECKLIST] == [True] * 5
