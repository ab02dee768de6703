"""The UN Sustainable Development Goals and their 169 official targets (codes as the UN writes them)."""

from __future__ import annotations

import re

from app.errors import msg

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


# the goals' short names, as the UN writes them (catalogue messages, translated at the edge)
GOAL_NAMES: dict[int, str] = {
    1: msg("No poverty"), 2: msg("Zero hunger"), 3: msg("Good health and well-being"), 4: msg("Quality education"),
    5: msg("Gender equality"), 6: msg("Clean water and sanitation"), 7: msg("Affordable and clean energy"),
    8: msg("Decent work and economic growth"), 9: msg("Industry, innovation and infrastructure"),
    10: msg("Reduced inequalities"), 11: msg("Sustainable cities and communities"),
    12: msg("Responsible consumption and production"), 13: msg("Climate action"), 14: msg("Life below water"),
    15: msg("Life on land"), 16: msg("Peace, justice and strong institutions"), 17: msg("Partnerships for the goals"),
}
