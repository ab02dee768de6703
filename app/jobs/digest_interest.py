"""New "We want to try this" registrations for the organiser digest.

Who hears about a city's interest in a practice: the organisers of the events where the practice was
presented (they plan the next dialogue event or information trip on the topic) and the reviewer who
published it (they know the practice and its people). A practice with neither (never presented, published
by someone who is no longer an organiser) reports to every admin, so no signal is lost. Only people who
still hold an organiser or admin role and whose account is active hear anything.

Everything is read in a constant number of queries per run, whatever the number of practices.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.auth.models import User
from app.auth.rules import MANAGER_ROLES
from app.directory.models import Organisation
from app.events.models import event_organiser
from app.practices.models import Practice, PracticeInterest, PracticeRevision, practice_event


@dataclass(frozen=True)
class InterestLine:
    practice_id: int
    practice_title: str
    organisation: str  # the city (organisation) that wants to try it
    country: str
    note: str
    created_at: datetime
    url: str = ""


@dataclass
class InterestAudience:
    """The new registrations of the window, by the user ids that should hear of them."""

    lines: dict[int, list[InterestLine]]

    @property
    def user_ids(self) -> list[int]:
        return sorted(self.lines)

    def since(self, user_id: int, since: datetime) -> list[InterestLine]:
        return [line for line in self.lines.get(user_id, []) if line.created_at > since]


def interest_audience(session: Session, *, since: datetime, now: datetime,
                      practice_url=lambda practice_id: f"/practices/{practice_id}") -> InterestAudience:
    """New interest in published practices between since and now, and who should hear of each (4 queries)."""
    rows = session.execute(
        sa.select(PracticeInterest.practice_id, Practice.title, Organisation.name, Organisation.country,
                  PracticeInterest.note, PracticeInterest.created_at)
        .join(Practice, Practice.id == PracticeInterest.practice_id)
        .join(Organisation, Organisation.id == PracticeInterest.organisation_id)
        .where(Practice.status == "published", PracticeInterest.created_at > since,
               PracticeInterest.created_at <= now)
        .order_by(PracticeInterest.created_at, PracticeInterest.id)
    ).all()
    if not rows:
        return InterestAudience(lines={})
    practice_ids = {row[0] for row in rows}
    managers = (sa.select(User.id).where(User.is_active_account.is_(True), User.role.in_(MANAGER_ROLES))
                .scalar_subquery())
    audience: dict[int, set[int]] = defaultdict(set)
    for practice_id, user_id in session.execute(
        sa.select(practice_event.c.practice_id, event_organiser.c.user_id)
        .join(event_organiser, event_organiser.c.event_id == practice_event.c.event_id)
        .where(practice_event.c.practice_id.in_(practice_ids), event_organiser.c.user_id.in_(managers))
    ):
        audience[practice_id].add(user_id)
    # the reviewer of the latest publication of each practice
    latest = (sa.select(PracticeRevision.practice_id, sa.func.max(PracticeRevision.number).label("number"))
              .where(PracticeRevision.practice_id.in_(practice_ids), PracticeRevision.action == "published")
              .group_by(PracticeRevision.practice_id).subquery())
    for practice_id, user_id in session.execute(
        sa.select(PracticeRevision.practice_id, PracticeRevision.actor_id)
        .join(latest, sa.and_(latest.c.practice_id == PracticeRevision.practice_id,
                              latest.c.number == PracticeRevision.number))
        .where(PracticeRevision.actor_id.in_(managers))
    ):
        audience[practice_id].add(user_id)
    if practice_ids - set(audience):
        admins = set(session.scalars(sa.select(User.id).where(User.is_active_account.is_(True),
                                                              User.role == "admin")))
        for practice_id in practice_ids - set(audience):
            audience[practice_id] = set(admins)
    lines: dict[int, list[InterestLine]] = defaultdict(list)
    for practice_id, title, organisation, country, note, created_at in rows:
        line = InterestLine(practice_id, title, organisation, country, note, created_at, practice_url(practice_id))
        for user_id in audience.get(practice_id, ()):
            lines[user_id].append(line)
    return InterestAudience(lines=dict(lines))
