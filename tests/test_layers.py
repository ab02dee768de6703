"""The layer contract (issue 11, point 4): no domain imports one above it, not even inside a function, and the
services, receivers and mail builders never import Flask. The contract itself is .importlinter."""

from __future__ import annotations

import configparser
import pkgutil
import subprocess
import sys
from pathlib import Path

import app

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".importlinter"


def test_the_import_contracts_are_kept():
    # in a process of its own: import-linter reconfigures logging, which would silence later tests' caplog
    result = subprocess.run([str(Path(sys.executable).parent / "lint-imports"), "--config", str(CONFIG),
                             "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, (
        "an import breaks the layers (.importlinter says how to ask a higher layer):\n" + result.stdout)


def test_every_module_of_the_app_has_a_layer():
    """A new package or module must be placed in a layer, else the contract would not look at it."""
    parser = configparser.ConfigParser()
    parser.read(CONFIG)
    layered = {name.strip() for line in parser["importlinter:contract:layers"]["layers"].splitlines()
               for name in line.split(":") if name.strip()}
    modules = {f"app.{info.name}" for info in pkgutil.iter_modules(app.__path__)}
    assert modules - layered == set()
    assert layered - modules == set()
