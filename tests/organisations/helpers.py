"""Rows the profile and map tests need that other packages' factories do not make (yet)."""

from __future__ import annotations

import itertools

from app.practices.models import Practice, PracticeSdgGoal, PracticeSdgTarget
from app.sqltypes import utcnow
from tests.factories import topic

_seq = itertools.count(1)


def make_map_practice(session, organisation, *, topics=(), goals=(), targets=(), **overrides) -> Practice:
    """A published practice of the organisation (a plain row: the practices services are another helper's)."""
    n = next(_seq)
    values = {"title": f"Practice {n}", "summary": "What the city did.", "organisation_id": organisation.id,
              "city": organisation.city, "country": organisation.country, "stage": "implemented",
              "status": "published", "published_at": utcnow(), "language": "en", "slug": f"practice-{n}"}
    values.update(overrides)
    practice = Practice(**values)
    practice.topics = [t if not isinstance(t, str) else topic(session, t) for t in topics]
    practice.goal_rows = [PracticeSdgGoal(goal=g) for g in goals]
    practice.target_rows = [PracticeSdgTarget(target=t) for t in targets]
    session.add(practice)
    session.flush()
    return practice
