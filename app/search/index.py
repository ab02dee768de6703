"""Keeping the index in step with the data, in the same transaction.

A session hook notes, after each flush, which registered objects were added, changed or deleted (and the
parents of changed child rows); before the commit those documents are rebuilt with Core statements on the
same connection, so a rollback leaves the index as it was and a commit never shows data the search has not
seen. `sync(session)` does the same on demand, for a caller that searches before committing.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.search.fold import pairs, unique, words
from app.search.models import AUDIENCE, SearchDocument, SearchFacet
from app.search.registry import REGISTRY, SearchDoc

PENDING = "search.pending"  # session.info: {kind: set of ids or selects}
BODY_MAX = 200_000  # characters of text kept as written for snippets (the words are all indexed)
_installed = False


def install() -> None:
    """Listen to every Session (once per process)."""
    global _installed
    if _installed:
        return
    sa.event.listen(Session, "after_flush", _after_flush)
    sa.event.listen(Session, "before_commit", sync)
    sa.event.listen(Session, "after_transaction_end", _after_transaction_end)
    _installed = True


def _after_flush(session: Session, _context) -> None:
    if not REGISTRY.by_model:
        return
    pending = None
    for group in (session.new, session.dirty, session.deleted):
        for obj in group:
            if type(obj) not in REGISTRY.by_model:
                continue
            for kind, ids in REGISTRY.affected(obj):
                if pending is None:
                    pending = session.info.setdefault(PENDING, {})
                pending.setdefault(kind, set()).add(ids)


def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is None:  # the outermost: committed (already synced) or rolled back
        session.info.pop(PENDING, None)


def sync(session: Session) -> None:
    """Flush, then rebuild the documents of everything changed since the last sync (no query when nothing
    registered changed)."""
    session.flush()
    while pending := session.info.pop(PENDING, None):
        for kind, items in pending.items():
            ids = set()
            for item in items:
                if isinstance(item, int):
                    ids.add(item)
                else:
                    ids.update(session.scalars(item))
            rebuild(session, kind, sorted(ids))
        session.flush()  # a builder may have loaded something; nothing is expected to change


def rebuild(session: Session, kind: str, ids: list[int]) -> int:
    """Make the documents of these objects of one kind what their builder says now (removing those it says
    no to); returns how many documents were written."""
    source = REGISTRY.sources.get(kind)
    if source is None or not ids:
        return 0
    docs = []
    for start in range(0, len(ids), 500):
        for obj in source.load(session, ids[start:start + 500]):
            doc = source.build(obj)
            if doc is not None:
                docs.append(doc)
    kept = {doc.object_id for doc in docs}
    gone = [object_id for object_id in ids if object_id not in kept]
    table = SearchDocument.__table__
    for start in range(0, len(gone), 500):
        session.execute(sa.delete(table).where(table.c.kind == kind, table.c.object_id.in_(gone[start:start + 500])))
    write(session, docs)
    return len(docs)


def document_row(doc: SearchDoc) -> dict:
    """The search_document row of a SearchDoc: its words folded once, here."""
    title_words: list[str] = []
    for title in (doc.title, *doc.titles.values()):
        found = words(title)
        title_words += found + pairs(found)
    place_words: list[str] = []
    for place in doc.places:
        found = words(place)
        place_words += found + pairs(found)
    body = "\n".join(t for t in (doc.summary, *doc.texts) if t)
    every = unique([*title_words, *words(body), *place_words])
    return {
        "kind": doc.kind, "object_id": doc.object_id, "language": doc.language or "", "title": doc.title,
        "titles": {k: v for k, v in doc.titles.items() if v}, "summary": doc.summary or "",
        "body": body[:BODY_MAX], "title_folded": " ".join(unique(title_words)), "body_folded": " ".join(every),
        "url": doc.url, "sort_date": doc.sort_date,
    }


def facet_rows(doc: SearchDoc) -> list[tuple[str, str]]:
    values = {("type", doc.kind)}
    if doc.audience != "public":
        values.add((AUDIENCE, doc.audience))
    for facet, items in doc.facets.items():
        for value in items or ():
            if value not in (None, ""):
                values.add((facet, str(value)[:80]))
    return sorted(values)


def write(session: Session, docs: Iterable[SearchDoc]) -> None:
    """Upsert documents (by kind and object id: two transactions rebuilding the same one wait for each other
    instead of colliding) and replace their facets; a few statements per 500 documents."""
    docs = list(docs)
    table, facets = SearchDocument.__table__, SearchFacet.__table__
    dialect = session.get_bind().dialect.name
    for start in range(0, len(docs), 500):
        chunk = docs[start:start + 500]
        rows = [document_row(doc) for doc in chunk]
        if dialect in ("postgresql", "sqlite"):
            insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
            stmt = insert.on_conflict_do_update(
                index_elements=["kind", "object_id"],
                set_={name: insert.excluded[name] for name in rows[0] if name not in ("kind", "object_id")})
        else:  # pragma: no cover - other databases: no concurrent writers assumed
            session.execute(sa.delete(table).where(sa.tuple_(table.c.kind, table.c.object_id).in_(
                [(doc.kind, doc.object_id) for doc in chunk])))
            stmt = sa.insert(table)
        returned = session.execute(stmt.returning(table.c.id, sort_by_parameter_order=True), rows).scalars().all()
        session.execute(sa.delete(facets).where(facets.c.document_id.in_(returned)))
        facet_list = [{"document_id": document_id, "kind": doc.kind, "audience": doc.audience, "facet": facet,
                       "value": value}
                      for document_id, doc in zip(returned, chunk, strict=True) for facet, value in facet_rows(doc)]
        if facet_list:
            session.execute(sa.insert(facets), facet_list)


def reindex(session: Session, kinds: Iterable[str] | None = None) -> dict[str, int]:
    """Rebuild the whole index (or these kinds) from the data; returns documents written per kind."""
    session.flush()
    session.info.pop(PENDING, None)
    result = {}
    for kind in kinds or list(REGISTRY.sources):
        source = REGISTRY.sources[kind]
        session.execute(sa.delete(SearchDocument.__table__).where(SearchDocument.__table__.c.kind == kind))
        ids = list(session.scalars(source.all_ids()))
        written = 0
        for start in range(0, len(ids), 2000):
            docs = [d for obj in source.load(session, ids[start:start + 2000]) if (d := source.build(obj))]
            write(session, docs)
            written += len(docs)
        result[kind] = written
    return result
