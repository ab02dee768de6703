"""The learning package's shape: modules by sub-domain, none past about 600 lines."""

from __future__ import annotations

from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "app" / "learning"


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_no_module_passes_about_600_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 620
