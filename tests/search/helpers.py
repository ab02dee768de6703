"""A local factory for practices (the practices helper owns make_practice in tests/factories.py)."""

from __future__ import annotations

import itertools

from app.sqltypes import utcnow
from tests.factories import make_organisation, topic

_seq = itertools.count(1)


def make_search_practice(session, *, organisation=None, topics=(), goals=(), translations=(), **overrides):
    """A published practice (ORM objects only): translations as (language, title, summary) tuples."""
    from app.practices.models import Practice, PracticeSdgGoal, PracticeTranslation

    n = next(_seq)
    organisation = organisation or make_organisation(session)
    values = {"title": f"Practice {n}", "summary": "What a city did.", "status": "published", "language": "en",
              "organisation_id": organisation.id, "city": organisation.city, "country": organisation.country,
              "stage": "implemented", "solution": "", "published_at": utcnow()}
    values.update(overrides)
    practice = Practice(**values)
    practice.topics = [t if not isinstance(t, str) else topic(session, t) for t in topics]
    practice.goal_rows = [PracticeSdgGoal(goal=g) for g in goals]
    practice.translations = [PracticeTranslation(language=lang, title=title, summary=summary)
                             for lang, title, summary in translations]
    session.add(practice)
    session.flush()
    return practice
