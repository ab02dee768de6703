"""Programmes in the search: published ones, with their modules' titles and topics."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.directory.models import Topic
from app.errors import msg
from app.learning.models import Module, Programme, ProgrammeTranslation, programme_topic
from app.search.registry import Parent, SearchDoc, Source, loaded


def programme_document(programme: Programme) -> SearchDoc | None:
    """None unless published (drafts are their organisers'; archived ones leave the catalogue)."""
    if programme.status != "published":
        return None
    translations = sorted(programme.translations, key=lambda t: t.language)
    topics = sorted(programme.topics, key=lambda t: (t.name, t.slug))  # not the collation's order
    modules = sorted(programme.active_modules, key=lambda m: (m.position, m.id))
    return SearchDoc(
        kind="programme", object_id=programme.id, title=programme.title, url=f"/programmes/{programme.slug}",
        sort_date=programme.published_at or programme.created_at, summary=programme.summary or "",
        texts=(programme.description or "", *(m.title for m in modules), *(t.name for t in topics),
               *(text for t in translations for text in (t.summary or "", t.description or ""))),
        titles={t.language: t.title for t in translations if t.language != programme.language},
        facets={"topic": [t.slug for t in topics]},
    )


def _load(session, ids):
    return session.scalars(sa.select(Programme).where(Programme.id.in_(ids))
                           .options(selectinload(Programme.topics), selectinload(Programme.modules),
                                    selectinload(Programme.translations)))


PROGRAMMES = Source(kind="programme", model=Programme, load=_load, build=programme_document,
                    all_ids=lambda: sa.select(Programme.id).where(Programme.status == "published")
                    .order_by(Programme.id), label=msg("Programme"))

PARENTS = (
    Parent(ProgrammeTranslation, lambda row: [("programme", loaded(row, "programme_id"))]
           if loaded(row, "programme_id") else []),
    Parent(Module, lambda module: [("programme", loaded(module, "programme_id"))]
           if loaded(module, "programme_id") else []),
    Parent(Topic, lambda topic: [("programme", sa.select(programme_topic.c.programme_id)
                                  .where(programme_topic.c.topic_id == loaded(topic, "id")))]),
)
