"""The UN Sustainable Development Goals and their 169 official targets (codes as the UN writes them)."""

from __future__ import annotations

import re

# goal -> (numbered targets, lettered targets): goal 11 has 11.1-11.7 and 11.a-11.c
_SHAPE = {
    1: (5, "ab"), 2: (5, "abc"), 3: (9, "abcd"), 4: (7, "abc"), 5: (6, "abc"), 6: (6, "ab"), 7: (3, "ab"),
    8: (10, "ab"), 9: (5, "abc"), 10: (7, "abc"), 11: (7, "abc"), 12: (8, "abc"), 13: (3, "ab"),
    14: (7, "abc"), 15: (9, "abc"), 16: (10, "ab"), 17: (19, ""),
}
GOALS = tuple(range(1, 18))
TARGETS: tuple[str, ...] = tuple(
    code
    for goal, (numbered, lettered) in _SHAPE.items()
    for code in [*(f"{goal}.{n}" for n in range(1, numbered + 1)), *(f"{goal}.{letter}" for letter in lettered)]
)
_TARGET_SET = frozenset(TARGETS)
_CODE = re.compile(r"^\s*(\d{1,2})\.([0-9]{1,2}|[a-dA-D])\s*$")

assert len(TARGETS) == 169


def normalise_target(code: str) -> str | None:
    """The official form of a target code ("11.A " -> "11.a"), or None when there is no such target."""
    match = _CODE.match(str(code or ""))
    if not match:
        return None
    candidate = f"{int(match.group(1))}.{match.group(2).lower().lstrip('0') or '0'}"
    return candidate if candidate in _TARGET_SET else None


def goal_of(target: str) -> int:
    return int(target.split(".")[0])


def target_sort_key(code: str) -> tuple[int, int, str]:
    goal, _, part = code.partition(".")
    return (int(goal), int(part) if part.isdigit() else 100, part if not part.isdigit() else "")
