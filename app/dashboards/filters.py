"""The filters every dashboard shares: a period (`from`, `to`: ISO dates, both inclusive), an event `format`, a
`topic` (slug) and a `region` (UN M49 sub-region code), read from query parameters so that a view can be
shared by its URL. Bad values raise `FilterInvalid` (a 400 naming the parameter), never a 500.

The period is all time unless given; its days are UTC days (the database's clock): an event belongs to the
period when it starts within it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from app.directory.regions import SUB_REGIONS
from app.errors import DomainError, msg, register_messages
from app.events.models import EVENT_FORMATS
from app.validation import MAX_YEAR, MIN_YEAR

FILTER_NAMES = ("from", "to", "format", "topic", "region")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")

register_messages({
    "dashboards.filter.from_invalid": msg(
        "The start of the period must be a date written as YYYY-MM-DD, such as 2026-03-31, in the years "
        "%(minimum)s to %(maximum)s."),
    "dashboards.filter.to_invalid": msg(
        "The end of the period must be a date written as YYYY-MM-DD, such as 2026-03-31, in the years "
        "%(minimum)s to %(maximum)s."),
    "dashboards.filter.period_reversed": msg("The period ends before it starts: “to” must be on or after “from”."),
    "dashboards.filter.format_invalid": msg("Format must be one of %(formats)s."),
    "dashboards.filter.topic_invalid": msg("Unknown topic: choose one of the list."),
    "dashboards.filter.region_invalid": msg("Unknown region: choose one of the list."),
    "dashboards.filter.text_invalid": msg("The %(name)s filter is not valid."),
})


class FilterInvalid(DomainError):
    """A filter's value cannot be read: a 400 (`bad_request`) whose `fields` name the parameter."""

    status = 400
    code = "bad_request"


@dataclass(frozen=True)
class DashboardFilters:
    date_from: date | None = None
    date_to: date | None = None
    format: str | None = None
    topic: str | None = None  # a topic's slug
    region: str | None = None  # a UN M49 sub-region code

    @property
    def starts_from(self) -> datetime | None:
        """The first instant of the period (UTC), or None for no lower bound."""
        return datetime.combine(self.date_from, time.min, UTC) if self.date_from else None

    @property
    def starts_before(self) -> datetime | None:
        """The instant after the period's last day (UTC), or None for no upper bound."""
        return datetime.combine(self.date_to + timedelta(days=1), time.min, UTC) if self.date_to else None

    @property
    def is_all_time(self) -> bool:
        return self.date_from is None and self.date_to is None

    @property
    def region_countries(self) -> tuple[str, ...]:
        return tuple(SUB_REGIONS[self.region][2].split()) if self.region else ()

    def as_args(self) -> dict[str, str]:
        """The filters as query parameters (only those set), to keep them in links and CSV URLs."""
        values = (("from", self.date_from.isoformat() if self.date_from else None),
                  ("to", self.date_to.isoformat() if self.date_to else None),
                  ("format", self.format), ("topic", self.topic), ("region", self.region))
        return {name: value for name, value in values if value}


def _text(args: Mapping[str, str], name: str) -> str | None:
    value = args.get(name)
    value = value.strip() if isinstance(value, str) else None
    if value and ("\x00" in value or len(value) > 100):
        raise FilterInvalid("dashboards.filter.text_invalid", field=name, name=name)
    return value or None


def _date(args: Mapping[str, str], name: str) -> date | None:
    value = _text(args, name)
    if value is None:
        return None
    try:
        if not _DATE.match(value) or not MIN_YEAR <= int(value[:4]) <= MAX_YEAR:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise FilterInvalid(f"dashboards.filter.{name}_invalid", field=name, minimum=MIN_YEAR,
                            maximum=MAX_YEAR) from None


def parse_filters(args: Mapping[str, str], *, topics: Collection[str] | None = None) -> DashboardFilters:
    """The filters in query parameters (others are ignored); `topics`, when given, are the known topic slugs."""
    date_from = _date(args, "from")
    date_to = _date(args, "to")
    if date_from and date_to and date_to < date_from:
        raise FilterInvalid("dashboards.filter.period_reversed", field="to")
    fmt = _text(args, "format")
    if fmt and fmt not in EVENT_FORMATS:
        raise FilterInvalid("dashboards.filter.format_invalid", field="format", formats=", ".join(EVENT_FORMATS))
    topic = _text(args, "topic")
    if topic and (not _SLUG.match(topic) or (topics is not None and topic not in topics)):
        raise FilterInvalid("dashboards.filter.topic_invalid", field="topic")
    region = _text(args, "region")
    if region and region not in SUB_REGIONS:
        raise FilterInvalid("dashboards.filter.region_invalid", field="region")
    return DashboardFilters(date_from=date_from, date_to=date_to, format=fmt, topic=topic, region=region)
