"""Good practices in the search: published ones, in every language they are written in, with their SDG goals,
stage, topics and place; and how the SDG and stage facets are checked and named."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.directory.models import Organisation, Topic
from app.directory.search_documents import place_texts
from app.errors import msg
from app.practices.limits import SECTIONS, STAGES
from app.practices.models import (
    Practice,
    PracticeIndicator,
    PracticeSdgGoal,
    PracticeTranslation,
    practice_topic,
)
from app.practices.sdg import GOAL_NAMES, normalise_target
from app.search.registry import FacetSpec, Parent, SearchDoc, Source, loaded

STAGE_LABELS = {"idea": msg("Idea"), "pilot": msg("Pilot"), "implemented": msg("Implemented"),
                "scaled": msg("Scaled up")}


def practice_document(practice: Practice) -> SearchDoc | None:
    """None unless published."""
    if practice.status != "published":
        return None
    # collections sorted here, in Python: a document must not depend on the database's collation
    translations = sorted(practice.translations, key=lambda t: t.language)
    topics = sorted(practice.topics, key=lambda t: (t.name, t.slug))
    indicators = sorted(practice.indicators, key=lambda i: (i.position, i.indicator))
    texts = [getattr(practice, name) or "" for name in SECTIONS]
    for translation in translations:
        texts += [translation.summary or "", *(getattr(translation, name) or "" for name in SECTIONS)]
    texts += [practice.organisation.name if practice.organisation else "", *(t.name for t in topics),
              *(i.indicator for i in indicators)]
    return SearchDoc(
        kind="practice", object_id=practice.id, title=practice.title, url=f"/practices/{practice.id}",
        sort_date=practice.published_at or practice.updated_at, language=practice.language or "",
        summary=practice.summary or "", texts=tuple(texts),
        titles={t.language: t.title for t in translations if t.language != practice.language},
        places=(practice.city or "", *place_texts(practice.country)),
        facets={"topic": [t.slug for t in topics], "sdg": [str(g) for g in practice.sdg_goals],
                "region": [practice.region], "country": [practice.country], "stage": [practice.stage],
                "language": [practice.language, *(t.language for t in translations)]},
    )


def _load(session, ids):
    return session.scalars(
        sa.select(Practice).where(Practice.id.in_(ids)).options(
            selectinload(Practice.translations), selectinload(Practice.topics), selectinload(Practice.goal_rows),
            selectinload(Practice.indicators), selectinload(Practice.organisation)))


PRACTICES = Source(kind="practice", model=Practice, load=_load, build=practice_document,
                   all_ids=lambda: sa.select(Practice.id).where(Practice.status == "published")
                   .order_by(Practice.id), label=msg("Good practice"))


def _child(row):
    practice_id = loaded(row, "practice_id")
    return [("practice", practice_id)] if practice_id else []


PARENTS = (
    Parent(PracticeTranslation, _child),
    Parent(PracticeSdgGoal, _child),
    Parent(PracticeIndicator, _child),
    Parent(Topic, lambda topic: [("practice", sa.select(practice_topic.c.practice_id)
                                  .where(practice_topic.c.topic_id == loaded(topic, "id")))]),
    Parent(Organisation, lambda org: [("practice", sa.select(Practice.id)
                                       .where(Practice.organisation_id == loaded(org, "id")))]),
)


def _sdg_valid(value: str) -> str | None:
    """A goal (1-17) or, for what carries targets (people's expertise), an official target code."""
    value = value.strip()
    if "." in value:
        return normalise_target(value)
    return str(int(value)) if value.isdigit() and 1 <= int(value) <= 17 else None


def _sdg_labels(session, values, translate, language):
    labels = {}
    for v in values:
        goal = int(v.split(".")[0]) if v.split(".")[0].isdigit() else None
        if goal in GOAL_NAMES:
            labels[v] = f"{v} · {translate(GOAL_NAMES[goal])}" if "." not in v else v
    return labels


FACETS = {
    "sdg": FacetSpec(valid=_sdg_valid, labels=_sdg_labels),
    "stage": FacetSpec(valid=lambda v: v if v in STAGES else None, labels=lambda session, values, translate,
                       language: {v: translate(STAGE_LABELS[v]) for v in values if v in STAGE_LABELS}),
}
