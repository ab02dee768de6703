"""A published practice as the workflow leaves it, built directly (the open-data, verification and digest
tests need published rows, not the editing journey that tests/practices/test_services.py covers)."""

from __future__ import annotations

from datetime import UTC, datetime

from app.practices.models import Practice, PracticeSdgGoal, PracticeSdgTarget
from tests.factories import make_organisation, make_user, topic

PUBLISHED = datetime(2030, 1, 10, 9, 0, tzinfo=UTC)


def published_practice(session, *, organisation=None, contact=None, topics=("energy-efficiency",), goals=(7,),
                       targets=("7.3",), status="published", published_at=PUBLISHED, **overrides) -> Practice:
    organisation = organisation or make_organisation(session)
    values = {"title": "Solar roofs on schools", "summary": "Schools produce their own power.",
              "country": organisation.country, "city": organisation.city, "stage": "implemented",
              "status": status, "published_at": published_at if status in ("published", "archived") else None,
              "created_at": published_at, "updated_at": published_at, "language": "en",
              "contact_id": (contact or make_user(session, organisation_id=organisation.id)).id}
    values.update(overrides)
    practice = Practice(organisation=organisation, **values)
    practice.topics = [topic(session, slug) for slug in topics]
    practice.goal_rows = [PracticeSdgGoal(goal=g) for g in goals]
    practice.target_rows = [PracticeSdgTarget(target=t) for t in targets]
    session.add(practice)
    session.flush()
    return practice
