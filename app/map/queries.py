"""What the map shows: published practices, organisations with a place and upcoming published events, filtered
like the search (type, topic, sdg, region, country, stage), as plain rows (no ORM objects: 10,000 practices
must come back about as fast as one page of the events list).

A practice without its own coordinates is placed at its organisation's; an event at its venue's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from app.directory.models import Organisation, Topic
from app.directory.regions import SUB_REGIONS
from app.directory.services import normalise_country
from app.errors import ValidationFailed
from app.events.models import Event, event_host, event_topic
from app.map import messages  # noqa: F401  (the catalogue entries of the reasons raised here)
from app.practices.limits import STAGES
from app.practices.models import (
    Practice,
    PracticeSdgGoal,
    PracticeSdgTarget,
    PracticeTranslation,
    practice_topic,
)
from app.practices.sdg import normalise_target

TYPES = ("practice", "organisation", "event")
FILTER_NAMES = ("type", "topic", "sdg", "region", "country", "stage")


@dataclass
class MapFilters:
    type: str | None = None
    topic: str | None = None
    sdg_goal: int | None = None
    sdg_target: str | None = None
    region: str | None = None  # UN M49 sub-region code
    country: str | None = None
    stage: str | None = None

    @property
    def sdg(self) -> str | None:
        return self.sdg_target or (str(self.sdg_goal) if self.sdg_goal else None)

    @property
    def practices_only(self) -> bool:
        """SDGs and stages belong to practices: with either, organisations and events drop out."""
        return bool(self.sdg_goal or self.sdg_target or self.stage)

    def wants(self, kind: str) -> bool:
        if self.type and self.type != kind:
            return False
        return kind == "practice" or not self.practices_only

    def as_args(self) -> dict[str, str]:
        return {k: v for k, v in (("type", self.type), ("topic", self.topic), ("sdg", self.sdg),
                                  ("region", self.region), ("country", self.country), ("stage", self.stage)) if v}


def parse_map_filters(args) -> MapFilters:
    """Filters from query parameters (other parameters are ignored); a bad one is a ValidationFailed naming it."""
    def get(name: str) -> str | None:
        value = args.get(name)
        value = value.strip() if isinstance(value, str) else None
        if value and ("\x00" in value or len(value) > 100):
            raise ValidationFailed("map.filter_invalid", field=name, name=name)
        return value or None

    filters = MapFilters(topic=get("topic"))
    kind = get("type")
    if kind and kind not in TYPES:
        raise ValidationFailed("map.type_invalid", field="type", types=", ".join(TYPES))
    filters.type = kind
    sdg = get("sdg")
    if sdg:
        if sdg.isdigit() and 1 <= int(sdg) <= 17:
            filters.sdg_goal = int(sdg)
        else:
            target = normalise_target(sdg)
            if target is None:
                raise ValidationFailed("map.sdg_invalid", field="sdg")
            filters.sdg_target = target
    region = get("region")
    if region and region not in SUB_REGIONS:
        raise ValidationFailed("map.region_invalid", field="region")
    filters.region = region
    country = get("country")
    filters.country = normalise_country(country, required=False) if country else None
    stage = get("stage")
    if stage and stage not in STAGES:
        raise ValidationFailed("map.stage_invalid", field="stage", stages=", ".join(STAGES))
    filters.stage = stage
    return filters


def _countries_of(region: str) -> list[str]:
    return SUB_REGIONS[region][2].split()


def _topic_ids(slug: str):
    return sa.select(Topic.id).where(Topic.slug == slug).scalar_subquery()


def _practice_rows(session: Session, filters: MapFilters, language: str) -> list:
    lat = sa.func.coalesce(Practice.latitude, Organisation.latitude)
    lng = sa.func.coalesce(Practice.longitude, Organisation.longitude)
    translation = aliased(PracticeTranslation)
    stmt = (sa.select(Practice.id, sa.func.coalesce(translation.title, Practice.title), lat, lng)
            .join(Organisation, Organisation.id == Practice.organisation_id)
            .outerjoin(translation, sa.and_(translation.practice_id == Practice.id,
                                            translation.language == language))
            .where(Practice.status == "published", lat.is_not(None), lng.is_not(None)))
    if filters.topic:
        stmt = stmt.where(Practice.id.in_(sa.select(practice_topic.c.practice_id)
                                          .where(practice_topic.c.topic_id == _topic_ids(filters.topic))))
    if filters.sdg_goal:
        stmt = stmt.where(Practice.id.in_(sa.select(PracticeSdgGoal.practice_id)
                                          .where(PracticeSdgGoal.goal == filters.sdg_goal)))
    if filters.sdg_target:
        stmt = stmt.where(Practice.id.in_(sa.select(PracticeSdgTarget.practice_id)
                                          .where(PracticeSdgTarget.target == filters.sdg_target)))
    if filters.region:
        stmt = stmt.where(Practice.region == filters.region)
    if filters.country:
        stmt = stmt.where(Practice.country == filters.country)
    if filters.stage:
        stmt = stmt.where(Practice.stage == filters.stage)
    return session.execute(stmt.order_by(Practice.id)).all()


def _organisation_rows(session: Session, filters: MapFilters) -> list:
    stmt = (sa.select(Organisation.id, Organisation.name, Organisation.latitude, Organisation.longitude)
            .where(Organisation.latitude.is_not(None), Organisation.longitude.is_not(None)))
    if filters.topic:
        topic_id = _topic_ids(filters.topic)
        by_practice = (sa.select(Practice.organisation_id)
                       .join(practice_topic, practice_topic.c.practice_id == Practice.id)
                       .where(Practice.status == "published", practice_topic.c.topic_id == topic_id))
        by_event = (sa.select(event_host.c.organisation_id)
                    .join(Event, Event.id == event_host.c.event_id)
                    .join(event_topic, event_topic.c.event_id == Event.id)
                    .where(Event.status == "published", event_topic.c.topic_id == topic_id))
        stmt = stmt.where(sa.or_(Organisation.id.in_(by_practice), Organisation.id.in_(by_event)))
    if filters.region:
        stmt = stmt.where(Organisation.region == filters.region)
    if filters.country:
        stmt = stmt.where(Organisation.country == filters.country)
    return session.execute(stmt.order_by(Organisation.id)).all()


def _event_rows(session: Session, filters: MapFilters, now: datetime) -> list:
    stmt = (sa.select(Event.id, Event.title, Event.latitude, Event.longitude)
            .where(Event.status == "published", Event.ends_at > now, Event.latitude.is_not(None),
                   Event.longitude.is_not(None)))
    if filters.topic:
        stmt = stmt.where(Event.id.in_(sa.select(event_topic.c.event_id)
                                       .where(event_topic.c.topic_id == _topic_ids(filters.topic))))
    if filters.region:
        stmt = stmt.where(Event.country.in_(_countries_of(filters.region)))
    if filters.country:
        stmt = stmt.where(Event.country == filters.country)
    return session.execute(stmt.order_by(Event.starts_at, Event.id)).all()


def map_items(session: Session, *, filters: MapFilters | None = None, now: datetime,
              language: str = "en") -> list[tuple[str, int, str, float, float]]:
    """(type, id, title, latitude, longitude) of everything the filters let through, in at most three queries;
    a practice's title is in `language` when it has a translation into it."""
    filters = filters or MapFilters()
    items: list[tuple[str, int, str, float, float]] = []
    if filters.wants("practice"):
        items.extend(("practice", *row) for row in _practice_rows(session, filters, language))
    if filters.wants("organisation"):
        items.extend(("organisation", *row) for row in _organisation_rows(session, filters))
    if filters.wants("event"):
        items.extend(("event", *row) for row in _event_rows(session, filters, now))
    return items
