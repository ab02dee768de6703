"""Turning a match list into enrolments: an organiser enrols people found by /match in an event they organise.

The existing enrolment service does the work (actor = the organiser: late and over-capacity rules as on the
participants page); people without an account are invited by email elsewhere (issue 14, point 6)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.auth.models import User
from app.errors import ValidationFailed
from app.events.enrolment import AlreadyEnrolled, enrol
from app.events.models import Event
from app.events.queries import managed_event, managed_events
from app.people import match_messages  # noqa: F401  (the catalogue of the reasons raised here)
from app.people.match_queries import visible_people
from app.people.matching import MAX_RESULTS
from app.people.models import Profile


@dataclass
class EnrolOutcome:
    enrolled: list[str] = field(default_factory=list)  # names
    already: list[str] = field(default_factory=list)


def events_to_invite_to(session: Session, *, user: User, now: datetime) -> list[Event]:
    """Published events the user organises that are not over, soonest first (the results page's choice)."""
    events = [e for e in managed_events(session, user=user) if e.status == "published" and e.ends_at > now]
    return sorted(events, key=lambda e: (e.starts_at, e.id))


def enrol_matched_people(session: Session, *, event_id: int | None, user_ids: list[int], actor_id: int,
                         now: datetime) -> EnrolOutcome:
    """Enrol the chosen people (visible profiles only) in an event the actor organises; people already enrolled
    are named, not refused. Any other refusal raises and the caller rolls everything back."""
    if event_id is None:
        raise ValidationFailed("match.no_event", field="event_id")
    managed_event(session, event_id, actor_id)  # NotFound / Forbidden
    ids = sorted(set(user_ids))
    if not ids:
        raise ValidationFailed("match.no_people", field="user_ids")
    if len(ids) > MAX_RESULTS:
        raise ValidationFailed("match.too_many", field="user_ids", name="user_ids", limit=MAX_RESULTS)
    people = dict(session.execute(sa.select(User.id, User.name).join(Profile, Profile.user_id == User.id)
                                  .where(User.id.in_(ids), visible_people(signed_in=True))).all())
    if set(people) != set(ids):
        raise ValidationFailed("match.person_not_listed", field="user_ids")
    outcome = EnrolOutcome()
    for user_id in ids:
        try:
            enrol(session, event_id=event_id, user_id=user_id, now=now, actor_id=actor_id)
        except AlreadyEnrolled as exc:
            if exc.reason == "enrolment.already_enrolled_race":
                raise  # the flush failed: the transaction is lost
            outcome.already.append(people[user_id])
        else:
            outcome.enrolled.append(people[user_id])
    return outcome
