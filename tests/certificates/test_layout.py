"""The certificates package's shape: modules by sub-domain, callers use public names only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.certificates import services as svc
from app.errors import NotFound

PACKAGE = Path(__file__).resolve().parents[2] / "app" / "certificates"


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_no_module_passes_about_600_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 620


def test_callers_use_no_private_name_of_the_services():
    private = re.compile(r"\bsvc\._\w+|\bservices\._\w+")
    offenders = {path.name: private.findall(path.read_text(encoding="utf-8")) for path in PACKAGE.glob("*.py")}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_programme_lookup_is_public(session):
    with pytest.raises(NotFound):
        svc.get_programme(session, 999_999)
