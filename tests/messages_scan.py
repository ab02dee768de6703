"""Reading a package's source for its domain errors: the shared ground of the tests/<package>/test_messages.py
checks (every reason raised is catalogued, its placeholders filled, no sentence built in place)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER_RE = re.compile(r"%\((\w+)\)")
# the classes of app.errors; a package adds its own subclasses
BASE_ERRORS = frozenset({"DomainError", "ValidationFailed", "NotFound", "Forbidden", "Conflict", "TryAgain"})


class SourceScan:
    """The modules of one app package (messages.py and models.py aside) as syntax trees."""

    def __init__(self, package: str, reason_pattern: str, extra_errors: tuple[str, ...] = ()):
        self.package = ROOT / "app" / package
        self.modules = sorted(p for p in self.package.glob("*.py") if p.name not in ("messages.py", "models.py"))
        self.reason_re = re.compile(reason_pattern)
        self.error_names = BASE_ERRORS | set(extra_errors)

    def trees(self) -> list[tuple[str, ast.AST]]:
        return [(path.name, ast.parse(path.read_text(encoding="utf-8"))) for path in self.modules]

    def error_calls(self):
        """(module, call) for every construction of a domain error in the package."""
        for name, tree in self.trees():
            for node in ast.walk(tree):
                if isinstance(node, ast.Call):
                    func = node.func
                    called = (func.id if isinstance(func, ast.Name)
                              else func.attr if isinstance(func, ast.Attribute) else "")
                    if called in self.error_names:
                        yield name, node

    def reasons_in(self, tree) -> set[str]:
        return {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
                and isinstance(node.value, str) and self.reason_re.match(node.value)}

    def catalogue_reasons(self) -> set[str]:
        return self.reasons_in(ast.parse((self.package / "messages.py").read_text(encoding="utf-8")))
