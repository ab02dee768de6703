"""Events in the search: every event the public can open (not drafts), with its hosts, topics and place."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.directory.models import Organisation, Topic
from app.directory.regions import region_of
from app.directory.search_documents import place_texts
from app.errors import msg
from app.events.models import Event, EventTranslation, event_host, event_topic
from app.search.registry import Parent, SearchDoc, Source, loaded


def event_document(event: Event) -> SearchDoc | None:
    """None for a draft (only its organisers see it)."""
    if event.status == "draft":
        return None
    # an event is found by any of its titles, summaries and descriptions: the original's or a translation's
    translations = sorted(event.translations, key=lambda t: t.language)
    titles = {t.language: t.title for t in translations if t.language != event.language}
    # collections sorted here, in Python: in memory they keep the order they were set in, read back they
    # follow the database's collation; a document must not depend on either
    topics = sorted(event.topics, key=lambda t: (t.name, t.slug))
    hosts = sorted(h.name for h in event.hosts)
    return SearchDoc(
        kind="event", object_id=event.id, title=event.title, url=f"/events/{event.id}", sort_date=event.starts_at,
        language=(event.languages or [""])[0], summary=event.summary or "",
        texts=(event.description or "", event.venue or "", *hosts, *(t.name for t in topics),
               *(text for t in translations for text in (t.summary or "", t.description or ""))),
        titles=titles, places=(event.city or "", *place_texts(event.country)),
        facets={"topic": [t.slug for t in topics], "region": [region_of(event.country)],
                "country": [event.country or ""], "language": list(event.languages or [])},
    )


def _load(session, ids):
    return session.scalars(sa.select(Event).where(Event.id.in_(ids))
                           .options(selectinload(Event.topics), selectinload(Event.hosts),
                                    selectinload(Event.translations)))


EVENTS = Source(kind="event", model=Event, load=_load, build=event_document,
                all_ids=lambda: sa.select(Event.id).where(Event.status != "draft").order_by(Event.id),
                label=msg("Event"))

PARENTS = (
    Parent(EventTranslation, lambda row: [("event", loaded(row, "event_id"))] if loaded(row, "event_id") else []),
    # a renamed topic or host changes the words of the events that show it
    Parent(Topic, lambda topic: [("event", sa.select(event_topic.c.event_id)
                                  .where(event_topic.c.topic_id == loaded(topic, "id")))]),
    Parent(Organisation, lambda org: [("event", sa.select(event_host.c.event_id)
                                       .where(event_host.c.organisation_id == loaded(org, "id")))]),
)
