"""The layer contract (issue 11, point 4): no domain imports one above it, not even inside a function, and the
services, receivers and mail builders never import Flask. The contract itself is .importlinter."""

from __future__ import annotations

import configparser
import pkgutil
from pathlib import Path

from importlinter.cli import lint_imports

import app

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".importlinter"


def test_the_import_contracts_are_kept(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(CONFIG), no_cache=True, no_logo=True) == 0, (
        "an import breaks the layers: see the broken contract above (.importlinter says how to ask a higher layer)")


def test_every_module_of_the_app_has_a_layer():
    """A new package or module must be placed in a layer, else the contract would not look at it."""
    parser = configparser.ConfigParser()
    parser.read(CONFIG)
    layered = {name.strip() for line in parser["importlinter:contract:layers"]["layers"].splitlines()
               for name in line.split(":") if name.strip()}
    modules = {f"app.{info.name}" for info in pkgutil.iter_modules(app.__path__)}
    assert modules - layered == set()
    assert layered - modules == set()
