"""Errors of finding peers as codes with values: every match.* reason raised is catalogued, filled by the values
given, and none is unused (the modules of /match only: matching.py and match_*.py)."""

from __future__ import annotations

import ast

import app.people.match_messages  # noqa: F401  (fills the catalogue)
from app.errors import message_template
from tests.messages_scan import PLACEHOLDER_RE, SourceScan

SCAN = SourceScan("people", r"^match\.[a-z_]+$")


def _mine(name: str) -> bool:
    return name == "matching.py" or name.startswith("match_")


def test_every_reason_is_catalogued_and_none_unused():
    used = set().union(*(SCAN.reasons_in(tree) for name, tree in SCAN.trees()
                         if _mine(name) and name != "match_messages.py"))
    used = {reason for reason in used if reason.startswith("match.")}
    assert sorted(reason for reason in used if message_template(reason) is None) == []
    catalogue = SCAN.reasons_in(ast.parse((SCAN.package / "match_messages.py").read_text(encoding="utf-8")))
    assert sorted(catalogue - used) == []


def test_every_raise_gives_the_values_its_template_names():
    checked = 0
    for name, call in SCAN.error_calls():
        if not _mine(name) or not call.args or not isinstance(call.args[0], ast.Constant):
            continue
        template = message_template(call.args[0].value)
        given = {kw.arg for kw in call.keywords} - {"field", "fields"}
        assert set(PLACEHOLDER_RE.findall(template)) == given, (name, call.lineno, template, given)
        checked += 1
    assert checked >= 10
