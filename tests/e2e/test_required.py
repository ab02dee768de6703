"""`make test` skips the browser journeys without Chromium; CI (E2E_REQUIRED=1) fails instead of skipping."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
JOURNEY = "tests/e2e/test_journeys.py::test_anyone_verifies_a_certificate_code_typed_loosely"


def _run(**env):
    environment = {k: v for k, v in os.environ.items() if k != "E2E_REQUIRED"}
    environment.update(E2E_CHROMIUM="/nonexistent/chromium", **env)
    return subprocess.run([sys.executable, "-m", "pytest", "-rs", "-p", "no:cacheprovider", JOURNEY],
                          cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)


def test_journeys_skip_with_a_one_line_reason_where_chromium_is_missing():
    result = _run()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
    assert "end-to-end journeys need Chromium and chromedriver; missing: /nonexistent/chromium" in result.stdout


def test_journeys_fail_instead_of_skipping_when_required():
    result = _run(E2E_REQUIRED="1")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "E2E_REQUIRED is set, and this browser journey would skip" in result.stdout
    assert "1 skipped" not in result.stdout
