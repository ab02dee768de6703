"""What a chart shows, as plain frozen data: the dashboards build these, the renderers only read them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

KINDS = ("line", "bar", "hbar", "stacked_hbar", "funnel")
Number = int | float


@dataclass(frozen=True)
class Series:
    """One named row of values, one per category; `style="reference"` draws a dashed line (e.g. capacity)."""

    label: str
    values: Sequence[Number | None]
    style: str = "solid"  # "solid" | "reference"


@dataclass(frozen=True)
class Marker:
    """A vertical line at a category index (line and bar charts), e.g. "Registration opens"."""

    index: int
    label: str


@dataclass(frozen=True)
class Chart:
    """A time or category chart; every label is the reader's text, already translated and formatted."""

    key: str
    title: str
    kind: str = "line"
    categories: Sequence[str] = ()
    series: Sequence[Series] = ()
    x_label: str = ""
    y_label: str = ""
    markers: Sequence[Marker] = ()
    description: str = ""
    value_format: Callable[[Number], str] | None = None
    # optional: how a share of the first step is written in a funnel (fraction -> text), e.g. Babel's percent
    percent_format: Callable[[float], str] | None = None
    empty_text: str = ""  # shown instead of the plot when there is nothing to draw ("No data yet" by default)
    category_header: str = ""  # the data table's first column heading (x_label when empty)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown chart kind {self.kind!r}; one of {KINDS}")
        for series in self.series:
            if len(series.values) != len(self.categories):
                raise ValueError(f"series {series.label!r} has {len(series.values)} values for "
                                 f"{len(self.categories)} categories")

    @property
    def is_empty(self) -> bool:
        return not self.categories or not any(
            v is not None for s in self.series for v in s.values)


@dataclass(frozen=True)
class Flow:
    """A two-column flow diagram: bands from a left node to a right node, as thick as the people they carry.

    The `top` biggest pairs are drawn; the rest are gathered under `others_label` (a left or right node that
    is not among the top pairs' nodes becomes "Others", so every shown node's total stays true).
    """

    key: str
    title: str
    links: Sequence[tuple[str, str, Number]] = ()
    from_label: str = ""
    to_label: str = ""
    description: str = ""
    top: int = 10
    others_label: str = ""  # "Others" (translated) when empty
    value_label: str = ""  # the data table's number column heading ("People" when empty)
    value_format: Callable[[Number], str] | None = None
    empty_text: str = ""
    kind: str = field(default="flow", init=False)

    @property
    def is_empty(self) -> bool:
        return not any(people for _, _, people in self.links)
