"""The network's figures (/network and GET /api/v1/network/stats): who learns from whom, events per year by
format and region, reach by topic and SDG, the practices most cities want to try, and each city's activity.

Every figure is one GROUP BY query whatever the size of the network (13 in all), so the page costs the same
with ten events or ten thousand. The filters (app.dashboards.filters) choose events: period (by start),
format, topic, region (of the event's country). Topic and region also choose practices and people; practices
and people are counted as they stand today, interest in practices when it was registered.

What counts:
- events: published ones (cancelled ones did not happen); `include_unpublished` (admins) adds drafts;
- a participant: a confirmed enrolment (the seat was taken: an attendee's enrolment stays confirmed);
- a flow: distinct people of one organisation confirmed in events hosted by another organisation; people of
  an event's own host organisation are not a flow (a city does not learn from itself), events without a host
  organisation have no flow;
- practices: published ones (`include_unpublished`: every status but archived);
- people: profiles whose owners made them public (`include_unpublished`: every profile), by their expertise.
No person is ever named: everything here is a count.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.auth.models import User
from app.dashboards.filters import DashboardFilters, FilterInvalid
from app.dashboards.snapshots import NETWORK_FIGURES
from app.directory.models import Organisation, Topic
from app.directory.regions import region_of
from app.events.models import Enrolment, Event, event_host, event_topic
from app.people.models import Profile, ProfileSdgTarget, profile_topic
from app.practices.models import Practice, PracticeInterest, PracticeSdgGoal, practice_topic

TOP_PAIRS_PUBLIC = 20  # the public page lists the top pairs
TOP_PAIRS_ADMIN = 200  # admins see more of them (a network of 1,000 cities has tens of thousands of pairs)
MOST_WANTED = 10


@dataclass(frozen=True)
class OrganisationRef:
    id: int
    name: str
    city: str
    country: str
    region: str
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class Flow:
    from_organisation_id: int
    to_organisation_id: int
    people: int


@dataclass(frozen=True)
class YearCount:
    year: int
    key: str  # a format, or a region code ("" for events without a country)
    events: int


@dataclass(frozen=True)
class Reach:
    events: int = 0
    practices: int = 0
    people: int = 0


@dataclass(frozen=True)
class WantedPractice:
    practice_id: int
    title: str
    organisation_id: int
    organisations: int  # distinct organisations that registered interest


@dataclass(frozen=True)
class CityActivity:
    organisation_id: int
    events_hosted: int
    participants_sent: int
    practices: int

    @property
    def activity(self) -> int:
        return self.events_hosted + self.participants_sent + self.practices


@dataclass
class NetworkStats:
    filters: DashboardFilters
    flows: list[Flow]
    flow_pairs: int  # all pairs, even when `flows` holds only the top ones
    events_by_year: list[YearCount]  # key: format
    events_by_year_region: list[YearCount]  # key: region
    events_by_region: dict[str, int]
    reach_by_topic: dict[str, Reach]  # topic slug -> reach
    reach_by_sdg: dict[int, Reach]  # goal -> reach (events have no SDGs: 0)
    most_wanted: list[WantedPractice]
    cities: list[CityActivity]  # most active first
    organisations: dict[int, OrganisationRef] = field(default_factory=dict)  # every id named above
    topics: dict[str, str] = field(default_factory=dict)  # slug -> name

    @property
    def years(self) -> list[int]:
        return sorted({row.year for row in self.events_by_year})


def _year(column, dialect: str):
    """The UTC year of a timestamp column (PostgreSQL's timestamptz would follow the connection's zone)."""
    if dialect == "postgresql":
        column = sa.func.timezone("UTC", column)
    return sa.cast(sa.extract("year", column), sa.Integer)


def _topic_id(slug: str):
    return sa.select(Topic.id).where(Topic.slug == slug).scalar_subquery()


def _events(filters: DashboardFilters, include_unpublished: bool):
    """The ids of the events the filters choose (a subquery)."""
    statuses = ("published", "draft") if include_unpublished else ("published",)
    stmt = sa.select(Event.id).where(Event.status.in_(statuses))
    if filters.starts_from is not None:
        stmt = stmt.where(Event.starts_at >= filters.starts_from)
    if filters.starts_before is not None:
        stmt = stmt.where(Event.starts_at < filters.starts_before)
    if filters.format:
        stmt = stmt.where(Event.format == filters.format)
    if filters.topic:
        stmt = stmt.where(Event.id.in_(sa.select(event_topic.c.event_id)
                                       .where(event_topic.c.topic_id == _topic_id(filters.topic))))
    if filters.region:
        stmt = stmt.where(Event.country.in_(filters.region_countries))
    return stmt


def _practices(filters: DashboardFilters, include_unpublished: bool):
    stmt = sa.select(Practice.id)
    stmt = stmt.where(Practice.status != "archived") if include_unpublished else \
        stmt.where(Practice.status == "published")
    if filters.topic:
        stmt = stmt.where(Practice.id.in_(sa.select(practice_topic.c.practice_id)
                                          .where(practice_topic.c.topic_id == _topic_id(filters.topic))))
    if filters.region:
        stmt = stmt.where(Practice.region == filters.region)
    return stmt


def _people(filters: DashboardFilters, include_unpublished: bool):
    stmt = sa.select(Profile.user_id).join(User, User.id == Profile.user_id).where(User.is_active_account)
    if not include_unpublished:
        stmt = stmt.where(Profile.visibility == "public")
    if filters.topic:
        stmt = stmt.where(Profile.user_id.in_(sa.select(profile_topic.c.user_id)
                                              .where(profile_topic.c.topic_id == _topic_id(filters.topic))))
    if filters.region:
        stmt = stmt.where(User.country.in_(filters.region_countries))
    return stmt


def _goal_of_target():
    """"11.2" -> 11, "6.a" -> 6, in SQL on both databases (targets are "N.x" or "NN.x")."""
    code = ProfileSdgTarget.target
    digits = sa.case((sa.func.substr(code, 2, 1) == ".", sa.func.substr(code, 1, 1)),
                     else_=sa.func.substr(code, 1, 2))
    return sa.cast(digits, sa.Integer)


def network_stats_kept(session: Session, *, filters: DashboardFilters, include_unpublished: bool, top_pairs: int | None,
                       now: datetime, ttl: int) -> tuple[NetworkStats, datetime]:
    """`network_stats`, kept `ttl` seconds per filters and audience (app.dashboards.snapshots); with when they
    were counted."""
    key = (tuple(sorted(filters.as_args().items())), include_unpublished, top_pairs)
    return NETWORK_FIGURES.get(key, lambda: network_stats(session, filters=filters,
                                                          include_unpublished=include_unpublished,
                                                          top_pairs=top_pairs), now=now, ttl=ttl)


def network_stats(session: Session, *, filters: DashboardFilters | None = None,
                  include_unpublished: bool = False, top_pairs: int | None = TOP_PAIRS_PUBLIC) -> NetworkStats:
    """Every figure of the network dashboard, in a constant number of aggregate queries; `top_pairs=None`
    keeps every flow."""
    filters = filters or DashboardFilters()
    topic_rows = session.execute(sa.select(Topic.id, Topic.slug, Topic.name)).all()
    if filters.topic and filters.topic not in {slug for _, slug, _ in topic_rows}:
        raise FilterInvalid("dashboards.filter.topic_invalid", field="topic")
    dialect = session.get_bind().dialect.name
    events = _events(filters, include_unpublished)
    practices = _practices(filters, include_unpublished)
    people = _people(filters, include_unpublished)
    participant = User.__table__.alias("participant")

    # 1. who learns from whom: people of one organisation confirmed in events another one hosts; only the top
    # pairs leave the database, with the number of all pairs counted by a window over the groups
    people_count = sa.func.count(sa.distinct(Enrolment.user_id))
    flow_stmt = (
        sa.select(participant.c.organisation_id, event_host.c.organisation_id, people_count,
                  sa.func.count().over())
        .select_from(Enrolment)
        .join(participant, participant.c.id == Enrolment.user_id)
        .join(event_host, event_host.c.event_id == Enrolment.event_id)
        .where(Enrolment.status == "confirmed", Enrolment.event_id.in_(events),
               participant.c.organisation_id.is_not(None),
               participant.c.organisation_id != event_host.c.organisation_id)
        .group_by(participant.c.organisation_id, event_host.c.organisation_id)
        .order_by(people_count.desc(), participant.c.organisation_id, event_host.c.organisation_id))
    if top_pairs is not None:
        flow_stmt = flow_stmt.limit(top_pairs)
    flow_rows = session.execute(flow_stmt).all()
    flows = [Flow(from_organisation_id=a, to_organisation_id=b, people=n) for a, b, n, _ in flow_rows]
    flow_pairs = flow_rows[0][3] if flow_rows else 0

    # 2. events per year by format and by country (countries -> regions here: at most ~250 rows a year)
    year = _year(Event.starts_at, dialect)
    by_year: dict[tuple[int, str], int] = defaultdict(int)
    by_year_region: dict[tuple[int, str], int] = defaultdict(int)
    by_region: dict[str, int] = defaultdict(int)
    for y, fmt, country, n in session.execute(
            sa.select(year, Event.format, Event.country, sa.func.count())
            .where(Event.id.in_(events)).group_by(year, Event.format, Event.country)):
        region = region_of(country)
        by_year[(y, fmt)] += n
        by_year_region[(y, region)] += n
        by_region[region] += n

    # 3. reach by topic: events, practices, people
    reach: dict[int, dict[str, int]] = defaultdict(lambda: {"events": 0, "practices": 0, "people": 0})
    for kind, table, column, chosen in (
            ("events", event_topic, event_topic.c.event_id, events),
            ("practices", practice_topic, practice_topic.c.practice_id, practices),
            ("people", profile_topic, profile_topic.c.user_id, people)):
        stmt = (sa.select(table.c.topic_id, sa.func.count(sa.distinct(column)))
                .where(column.in_(chosen)).group_by(table.c.topic_id))
        if filters.topic:
            stmt = stmt.where(table.c.topic_id == _topic_id(filters.topic))
        for topic_id, n in session.execute(stmt):
            reach[topic_id][kind] = n
    slug_of = {topic_id: slug for topic_id, slug, _ in topic_rows}
    reach_by_topic = {slug_of[topic_id]: Reach(**counts) for topic_id, counts in reach.items()
                      if topic_id in slug_of}

    # 4. reach by SDG: practices and people (events have no goals)
    sdg: dict[int, dict[str, int]] = defaultdict(lambda: {"events": 0, "practices": 0, "people": 0})
    for goal, n in session.execute(
            sa.select(PracticeSdgGoal.goal, sa.func.count(sa.distinct(PracticeSdgGoal.practice_id)))
            .where(PracticeSdgGoal.practice_id.in_(practices)).group_by(PracticeSdgGoal.goal)):
        sdg[goal]["practices"] = n
    goal = _goal_of_target()
    for g, n in session.execute(
            sa.select(goal, sa.func.count(sa.distinct(ProfileSdgTarget.user_id)))
            .where(ProfileSdgTarget.user_id.in_(people)).group_by(goal)):
        sdg[g]["people"] = n
    reach_by_sdg = {g: Reach(**counts) for g, counts in sorted(sdg.items())}

    # 5. the practices most organisations want to try (published ones only, whoever looks)
    wanting = sa.func.count(sa.distinct(PracticeInterest.organisation_id))
    interest = (sa.select(Practice.id, Practice.title, Practice.organisation_id, wanting)
                .join(PracticeInterest, PracticeInterest.practice_id == Practice.id)
                .where(Practice.id.in_(_practices(filters, False))))
    if filters.starts_from is not None:
        interest = interest.where(PracticeInterest.created_at >= filters.starts_from)
    if filters.starts_before is not None:
        interest = interest.where(PracticeInterest.created_at < filters.starts_before)
    most_wanted = [WantedPractice(practice_id=i, title=t, organisation_id=o, organisations=n)
                   for i, t, o, n in session.execute(
                       interest.group_by(Practice.id, Practice.title, Practice.organisation_id)
                       .order_by(wanting.desc(), Practice.id).limit(MOST_WANTED))]

    # 6. each organisation's activity: events hosted, participants sent (to any event), practices
    activity: dict[int, dict[str, int]] = defaultdict(
        lambda: {"events_hosted": 0, "participants_sent": 0, "practices": 0})
    for org, n in session.execute(
            sa.select(event_host.c.organisation_id, sa.func.count(sa.distinct(event_host.c.event_id)))
            .where(event_host.c.event_id.in_(events)).group_by(event_host.c.organisation_id)):
        activity[org]["events_hosted"] = n
    # people sent: the distinct people first (each belongs to one organisation), then counted per organisation
    sent = (sa.select(Enrolment.user_id).where(Enrolment.status == "confirmed", Enrolment.event_id.in_(events))
            .distinct().subquery())
    for org, n in session.execute(
            sa.select(participant.c.organisation_id, sa.func.count())
            .select_from(sent).join(participant, participant.c.id == sent.c.user_id)
            .where(participant.c.organisation_id.is_not(None))
            .group_by(participant.c.organisation_id)):
        activity[org]["participants_sent"] = n
    for org, n in session.execute(
            sa.select(Practice.organisation_id, sa.func.count())
            .where(Practice.id.in_(practices)).group_by(Practice.organisation_id)):
        activity[org]["practices"] = n
    cities = sorted((CityActivity(organisation_id=org, **counts) for org, counts in activity.items()),
                    key=lambda city: (-city.activity, city.organisation_id))

    # 7. the organisations named above, in one query
    ids = {city.organisation_id for city in cities} | {p.organisation_id for p in most_wanted}
    ids |= {f.from_organisation_id for f in flows} | {f.to_organisation_id for f in flows}
    organisations = {row.id: OrganisationRef(*row) for row in session.execute(
        sa.select(Organisation.id, Organisation.name, Organisation.city, Organisation.country,
                  Organisation.region, Organisation.latitude, Organisation.longitude)
        .where(Organisation.id.in_(sorted(ids))))}

    return NetworkStats(
        filters=filters, flows=flows, flow_pairs=flow_pairs,
        events_by_year=[YearCount(y, k, n) for (y, k), n in sorted(by_year.items())],
        events_by_year_region=[YearCount(y, k, n) for (y, k), n in sorted(by_year_region.items())],
        events_by_region=dict(sorted(by_region.items(), key=lambda item: (-item[1], item[0]))),
        reach_by_topic=dict(sorted(reach_by_topic.items())), reach_by_sdg=reach_by_sdg,
        most_wanted=most_wanted, cities=cities, organisations=organisations,
        topics={slug: name for _, slug, name in topic_rows},
    )
