"""Reading organisation profiles: the directory (filters, one page, counts) and one profile with what the
organisation did in the network (published practices, hosted events, programmes its people completed).

Read-only, so no services module: nothing here flushes. Every function takes the session (and `now` where
time matters) and returns plain rows, never touching Flask.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.auth.models import User
from app.directory.models import ORGANISATION_KINDS, Organisation, Topic
from app.directory.regions import SUB_REGIONS
from app.directory.services import normalise_country
from app.errors import NotFound, ValidationFailed
from app.events.models import Event, event_host, event_topic
from app.learning.models import Programme, ProgrammeCompletion
from app.organisations import messages  # noqa: F401  (the catalogue entries of the reasons raised here)
from app.people.queries import organisation_people
from app.practices.models import Practice, practice_topic
from app.search.fold import fold
from app.search.query import matching_ids
from app.validation import MAX_ID

PER_PAGE = 24
QUERY_MAX = 200


@dataclass
class DirectoryFilters:
    country: str | None = None
    region: str | None = None  # UN M49 sub-region code
    kind: str | None = None
    topic: str | None = None  # slug
    q: str | None = None

    def as_args(self) -> dict[str, str]:
        """The filters as query parameters (for links that keep them)."""
        return {k: v for k, v in (("country", self.country), ("region", self.region), ("kind", self.kind),
                                  ("topic", self.topic), ("q", self.q)) if v}


def parse_directory_filters(args) -> DirectoryFilters:
    """Filters from query parameters; a bad one is a ValidationFailed naming it."""
    def get(name: str) -> str | None:
        value = args.get(name)
        value = value.strip() if isinstance(value, str) else None
        if value and ("\x00" in value or len(value) > QUERY_MAX):
            raise ValidationFailed("organisations.filter_invalid", field=name, name=name)
        return value or None

    kind = get("kind")
    if kind and kind not in ORGANISATION_KINDS:
        raise ValidationFailed("organisations.kind_invalid", field="kind", kinds=", ".join(ORGANISATION_KINDS))
    region = get("region")
    if region and region not in SUB_REGIONS:
        raise ValidationFailed("organisations.region_invalid", field="region")
    country = get("country")
    if country:
        country = normalise_country(country, required=False)
    return DirectoryFilters(country=country, region=region, kind=kind, topic=get("topic"), q=get("q"))




def _text_filter(session: Session, q: str) -> sa.ColumnElement[bool]:
    """Organisations matching q as the site search finds them (app.search: name, city, country, words as
    prefixes, accents and case ignored; "danang" finds "Đà Nẵng")."""
    if not fold(q).split():
        return sa.true()
    return Organisation.id.in_(matching_ids(session, q, "organisation"))


def _published_practice_topic(topic_slug: str):
    return (sa.select(Practice.organisation_id)
            .join(practice_topic, practice_topic.c.practice_id == Practice.id)
            .join(Topic, Topic.id == practice_topic.c.topic_id)
            .where(Practice.status == "published", Topic.slug == topic_slug))


def _hosted_event_topic(topic_slug: str):
    return (sa.select(event_host.c.organisation_id)
            .join(Event, Event.id == event_host.c.event_id)
            .join(event_topic, event_topic.c.event_id == Event.id)
            .join(Topic, Topic.id == event_topic.c.topic_id)
            .where(Event.status == "published", Topic.slug == topic_slug))


def _conditions(session: Session, filters: DirectoryFilters) -> list:
    """The WHERE clauses of the filters (the name search is resolved once, here)."""
    conditions = []
    if filters.country:
        conditions.append(Organisation.country == filters.country)
    if filters.region:
        conditions.append(Organisation.region == filters.region)
    if filters.kind:
        conditions.append(Organisation.kind == filters.kind)
    if filters.topic:
        # an organisation's topics: those of its published practices and of the published events it hosts
        conditions.append(sa.or_(Organisation.id.in_(_published_practice_topic(filters.topic)),
                                 Organisation.id.in_(_hosted_event_topic(filters.topic))))
    if filters.q:
        conditions.append(_text_filter(session, filters.q))
    return conditions


@dataclass
class DirectoryPage:
    rows: list  # (id, name, kind, city, country, region)
    total: int
    page: int
    per_page: int
    practice_counts: dict[int, int] = field(default_factory=dict)  # published practices by organisation id
    event_counts: dict[int, int] = field(default_factory=dict)  # published events hosted, by organisation id

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def list_directory(session: Session, *, filters: DirectoryFilters | None = None, page: int = 1,
                   per_page: int = PER_PAGE) -> DirectoryPage:
    """One page of organisations by name, with counts of their practices and hosted events (4-5 queries)."""
    filters = filters or DirectoryFilters()
    conditions = _conditions(session, filters)
    total = session.scalar(sa.select(sa.func.count(Organisation.id)).where(*conditions)) or 0
    stmt = sa.select(Organisation.id, Organisation.name, Organisation.kind, Organisation.city, Organisation.country,
                     Organisation.region).where(*conditions)
    rows = session.execute(stmt.order_by(sa.func.lower(Organisation.name), Organisation.id)
                           .limit(per_page).offset((max(page, 1) - 1) * per_page)).all()
    ids = [row[0] for row in rows]
    practice_counts: dict[int, int] = {}
    event_counts: dict[int, int] = {}
    if ids:
        practice_counts = dict(session.execute(
            sa.select(Practice.organisation_id, sa.func.count())
            .where(Practice.organisation_id.in_(ids), Practice.status == "published")
            .group_by(Practice.organisation_id)).all())
        event_counts = dict(session.execute(
            sa.select(event_host.c.organisation_id, sa.func.count())
            .join(Event, Event.id == event_host.c.event_id)
            .where(event_host.c.organisation_id.in_(ids), Event.status == "published")
            .group_by(event_host.c.organisation_id)).all())
    return DirectoryPage(rows=list(rows), total=int(total), page=page, per_page=per_page,
                         practice_counts=practice_counts, event_counts=event_counts)


@dataclass
class DirectoryCounts:
    """How many organisations each filter value has (the filter form offers only values that have some)."""

    country: dict[str, int]
    region: dict[str, int]
    kind: dict[str, int]


def directory_counts(session: Session) -> DirectoryCounts:
    """Organisations by country, sub-region and kind, in one grouped query."""
    counts = DirectoryCounts(country={}, region={}, kind={})
    rows = session.execute(sa.select(Organisation.country, Organisation.region, Organisation.kind, sa.func.count())
                           .group_by(Organisation.country, Organisation.region, Organisation.kind)).all()
    for country, region, kind, n in rows:
        for facet, value in ((counts.country, country), (counts.region, region), (counts.kind, kind)):
            if value:
                facet[value] = facet.get(value, 0) + n
    return counts


# ---------------------------------------------------------------------------------------------------
# One profile


def public_members(session: Session, org_id: int, viewer=None) -> list:
    """The organisation's people whose practitioner profile the viewer may see (public ones; members-only ones
    too for a signed-in viewer), by name: Profile rows with their user."""
    return organisation_people(session, org_id, viewer=viewer)


@dataclass
class Profile:
    organisation: Organisation
    practices: list  # (id, slug, title, summary, city, stage, published_at) of published practices
    upcoming_events: list  # (id, title, starts_at, ends_at, timezone, city, country) of published hosted events
    past_events: list
    programmes: list  # (id, slug, title, people) of programmes its people completed
    members: list


def get_organisation(session: Session, org_id: int) -> Organisation:
    if not isinstance(org_id, int) or isinstance(org_id, bool) or not 0 < org_id <= MAX_ID:
        raise NotFound("directory.organisation_not_found", organisation_id=org_id)
    org = session.get(Organisation, org_id)
    if org is None:
        raise NotFound("directory.organisation_not_found", organisation_id=org_id)
    return org


def published_practice_ids(session: Session, org_id: int) -> list[int]:
    return list(session.scalars(sa.select(Practice.id).where(
        Practice.organisation_id == org_id, Practice.status == "published").order_by(Practice.id)))


def hosted_event_ids(session: Session, org_id: int) -> list[int]:
    return list(session.scalars(
        sa.select(Event.id).join(event_host, event_host.c.event_id == Event.id)
        .where(event_host.c.organisation_id == org_id, Event.status == "published").order_by(Event.id)))


def organisation_profile(session: Session, org_id: int, *, now: datetime, viewer=None) -> Profile:
    """Everything the profile page shows, in a fixed number of queries."""
    org = get_organisation(session, org_id)
    practices = session.execute(
        sa.select(Practice.id, Practice.slug, Practice.title, Practice.summary, Practice.city, Practice.stage,
                  Practice.published_at, Practice.language)
        .where(Practice.organisation_id == org.id, Practice.status == "published")
        .order_by(Practice.published_at.desc(), Practice.id.desc())).all()
    events = session.execute(
        sa.select(Event.id, Event.title, Event.starts_at, Event.ends_at, Event.timezone, Event.city, Event.country)
        .join(event_host, event_host.c.event_id == Event.id)
        .where(event_host.c.organisation_id == org.id, Event.status == "published")
        .order_by(Event.starts_at, Event.id)).all()
    programmes = session.execute(
        sa.select(Programme.id, Programme.slug, Programme.title, sa.func.count(ProgrammeCompletion.id))
        .join(ProgrammeCompletion, ProgrammeCompletion.programme_id == Programme.id)
        .join(User, User.id == ProgrammeCompletion.user_id)
        .where(User.organisation_id == org.id, Programme.status != "draft")
        .group_by(Programme.id, Programme.slug, Programme.title)
        .order_by(sa.func.count(ProgrammeCompletion.id).desc(), Programme.title)).all()
    return Profile(
        organisation=org, practices=list(practices),
        upcoming_events=[e for e in events if e.ends_at > now],
        past_events=list(reversed([e for e in events if e.ends_at <= now])),
        programmes=list(programmes), members=public_members(session, org.id, viewer),
    )
