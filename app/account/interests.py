"""A member's interests: read and replace what they follow and how often the digest comes (services)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.account import interest_messages  # noqa: F401  (the catalogue entries of the reasons raised here)
from app.account.interests_models import (
    MemberInterest,
    interest_organisation,
    interest_region,
    interest_sdg_goal,
    interest_topic,
)
from app.directory.models import Organisation, Topic
from app.directory.regions import SUB_REGIONS
from app.directory.services import find_topics
from app.errors import ValidationFailed
from app.people.limits import DIGEST_FREQUENCIES
from app.practices.sdg import GOALS

DEFAULT_FREQUENCY = "weekly"
MAX_FOLLOWED = 100  # per list: more than the network has topics or sub-regions; a bound for organisations


@dataclass
class Interests:
    """What a member follows, as plain values (topics by slug, organisations by id)."""

    topics: list[str] = field(default_factory=list)
    sdg_goals: list[int] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    organisation_ids: list[int] = field(default_factory=list)
    frequency: str = DEFAULT_FREQUENCY

    @property
    def follows_anything(self) -> bool:
        return bool(self.topics or self.sdg_goals or self.regions or self.organisation_ids)


def get_interests(session: Session, user_id: int) -> Interests:
    """The member's interests (weekly and nothing followed when they never chose)."""
    row = session.get(MemberInterest, user_id)
    if row is None:
        return Interests()
    return Interests(
        topics=list(session.scalars(sa.select(Topic.slug).join(interest_topic, interest_topic.c.topic_id == Topic.id)
                                    .where(interest_topic.c.user_id == user_id).order_by(Topic.slug))),
        sdg_goals=list(session.scalars(sa.select(interest_sdg_goal.c.goal).where(interest_sdg_goal.c.user_id == user_id)
                                       .order_by(interest_sdg_goal.c.goal))),
        regions=list(session.scalars(sa.select(interest_region.c.region).where(interest_region.c.user_id == user_id)
                                     .order_by(interest_region.c.region))),
        organisation_ids=list(session.scalars(
            sa.select(interest_organisation.c.organisation_id).where(interest_organisation.c.user_id == user_id)
            .order_by(interest_organisation.c.organisation_id))),
        frequency=row.frequency,
    )


def _unique(values, *, field: str) -> list:
    out = list(dict.fromkeys(values))
    if len(out) > MAX_FOLLOWED:
        raise ValidationFailed("interests.too_many", field=field, maximum=MAX_FOLLOWED)
    return out


def validate_interests(session: Session, *, topics, sdg_goals, regions, organisation_ids, frequency) -> Interests:
    """Check every value (naming the field that is wrong) and return them normalised."""
    if frequency not in DIGEST_FREQUENCIES:
        raise ValidationFailed("interests.frequency_invalid", field="frequency", value=str(frequency)[:40])
    slugs = _unique((s.strip() for s in topics if s and s.strip()), field="topics")
    known = {t.slug for t in find_topics(session, slugs, field="topics")}
    goals = _unique(sdg_goals, field="sdg_goals")
    for goal in goals:
        if isinstance(goal, bool) or not isinstance(goal, int) or goal not in GOALS:
            raise ValidationFailed("interests.sdg_goal_invalid", field="sdg_goals", value=str(goal)[:20])
    codes = _unique((str(c).strip() for c in regions), field="regions")
    for code in codes:
        if code not in SUB_REGIONS:
            raise ValidationFailed("interests.region_invalid", field="regions", value=code[:20])
    org_ids = _unique(organisation_ids, field="organisation_ids")
    if org_ids:
        found = set(session.scalars(sa.select(Organisation.id).where(Organisation.id.in_(org_ids))))
        missing = [i for i in org_ids if i not in found]
        if missing:
            raise ValidationFailed("interests.organisation_unknown", field="organisation_ids",
                                   ids=", ".join(str(i) for i in missing[:10]))
    return Interests(topics=sorted(known), sdg_goals=sorted(goals), regions=sorted(codes),
                     organisation_ids=sorted(org_ids), frequency=frequency)


def save_interests(session: Session, *, user_id: int, interests: Interests, now: datetime) -> Interests:
    """Replace what the member follows and their frequency (validated first: nothing half-written)."""
    clean = validate_interests(session, topics=interests.topics, sdg_goals=interests.sdg_goals,
                               regions=interests.regions, organisation_ids=interests.organisation_ids,
                               frequency=interests.frequency)
    row = session.get(MemberInterest, user_id)
    if row is None:
        # the first digest covers the period before the member started following, not the whole past
        row = MemberInterest(user_id=user_id, created_at=now, last_digest_at=None)
        session.add(row)
    row.frequency = clean.frequency
    row.updated_at = now
    session.flush()
    for table in (interest_topic, interest_sdg_goal, interest_region, interest_organisation):
        session.execute(sa.delete(table).where(table.c.user_id == user_id))
    if clean.topics:
        ids = session.scalars(sa.select(Topic.id).where(Topic.slug.in_(clean.topics)))
        session.execute(sa.insert(interest_topic), [{"user_id": user_id, "topic_id": i} for i in ids])
    if clean.sdg_goals:
        session.execute(sa.insert(interest_sdg_goal), [{"user_id": user_id, "goal": g} for g in clean.sdg_goals])
    if clean.regions:
        session.execute(sa.insert(interest_region), [{"user_id": user_id, "region": r} for r in clean.regions])
    if clean.organisation_ids:
        session.execute(sa.insert(interest_organisation),
                        [{"user_id": user_id, "organisation_id": i} for i in clean.organisation_ids])
    session.flush()
    return clean


def set_frequency(session: Session, *, user_id: int, frequency: str, now: datetime) -> None:
    """Change only how often the digest comes ("never" is what unsubscribing does)."""
    if frequency not in DIGEST_FREQUENCIES:
        raise ValidationFailed("interests.frequency_invalid", field="frequency", value=str(frequency)[:40])
    row = session.get(MemberInterest, user_id)
    if row is None:
        row = MemberInterest(user_id=user_id, created_at=now)
        session.add(row)
    row.frequency = frequency
    row.updated_at = now
    session.flush()
