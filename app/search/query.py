"""Asking the index: one page of hits with their facet counts, in two queries whatever the page size.

Ranking is ours, not bm25 or ts_rank, so both databases order the same rows the same way: documents whose
title holds every word first, then the newest (sort_date), then kind and id (descending). Every word must
match, as a word prefix ("medel" finds Medellín; a one-character word only as itself).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

import app.search.messages  # noqa: F401  (the catalogue of the reasons raised here)
from app.errors import ValidationFailed
from app.search.fold import PREFIX_FROM, words
from app.search.highlight import highlight, snippet
from app.search.index import sync
from app.search.models import AUDIENCE, AUDIENCES, FACETS, PG_TSVECTOR, SearchDocument, SearchFacet
from app.search.registry import REGISTRY

MAX_CHARS = 200  # of a query; a longer one is cut (with a notice)
MAX_WORDS = 12
MAX_PER_PAGE = 50
MAX_PAGE = 10_000
FILTERS = ("type", "topic", "sdg", "region", "country", "stage", "language", "org_kind")


@dataclass(frozen=True)
class SearchQuery:
    q: str = ""
    type: str | None = None
    topic: str | None = None
    sdg: str | None = None
    region: str | None = None
    country: str | None = None
    stage: str | None = None
    language: str | None = None
    org_kind: str | None = None  # the kind of a person's organisation (municipality, ngo ...)
    page: int = 1
    per_page: int = 20

    def filters(self) -> dict[str, str]:
        return {name: value for name in FILTERS if (value := getattr(self, name))}


@dataclass
class Hit:
    type: str
    id: int
    title: str  # as written (in the reader's language when a translation exists)
    title_html: str  # escaped, the matched words in <mark>
    snippet: str  # escaped HTML, the matched words in <mark>
    url: str  # path under the site's root
    language: str  # of the title shown


@dataclass
class SearchPage:
    items: list[Hit]
    total: int
    page: int
    per_page: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    # (reason, values) to tell the reader (app/search/messages.py): query cut, no words, a filter left out
    notices: list[tuple[str, dict]] = field(default_factory=list)
    words: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class Words:
    """A query's words, after the caps."""

    items: tuple[str, ...]
    notices: tuple[str, ...]


def query_words(q: str | None) -> Words:
    """The folded words of a query: at most MAX_CHARS characters and MAX_WORDS words (a notice when cut;
    another when there is text but no word in it)."""
    text = (q or "").replace("\x00", " ").strip()
    notices = []
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        notices.append("search.query_cut")
    found = list(dict.fromkeys(words(text)))
    if len(found) > MAX_WORDS:
        found = found[:MAX_WORDS]
        if "search.query_cut" not in notices:
            notices.append("search.query_cut")
    if text and not found:
        notices.append("search.no_words")
    return Words(tuple(found), tuple(notices))


def _match(dialect: str, items: tuple[str, ...]):
    """A condition on search_document: every word matches a word of the document, as a prefix (a word of one
    character only as itself: "a" would otherwise match most of the index)."""
    table = SearchDocument.__table__
    if dialect == "postgresql":
        # words hold letters, digits and marks only: nothing to quote
        tsquery = " & ".join(f"'{w}':*" if len(w) >= PREFIX_FROM else f"'{w}'" for w in items)
        return sa.literal_column(PG_TSVECTOR).op("@@")(sa.cast(sa.literal(tsquery), postgresql.TSQUERY))
    if dialect == "sqlite":
        match = " AND ".join(f'"{w}"*' if len(w) >= PREFIX_FROM else f'"{w}"' for w in items)
        return table.c.id.in_(sa.select(sa.literal_column("rowid")).select_from(sa.table("search_fts"))
                              .where(sa.literal_column("search_fts").op("MATCH")(match)))
    # any other database: the same meaning spelt with LIKE on the folded words
    body = sa.literal(" ") + table.c.body_folded + sa.literal(" ")
    return sa.and_(*(body.like(_pattern(w)) for w in items))


def _pattern(word: str) -> str:
    """LIKE pattern over " " + folded words + " " (words hold no LIKE wildcard: "_" and "%" separate words)."""
    return f"% {word}%" if len(word) >= PREFIX_FROM else f"% {word} %"


def _title_rank(items: tuple[str, ...]):
    """0 when the title holds every word (as _match means it), else 1."""
    title = sa.literal(" ") + SearchDocument.__table__.c.title_folded + sa.literal(" ")
    return sa.case((sa.and_(*(title.like(_pattern(w)) for w in items)), 0), else_=1)


def validate_filters(query: SearchQuery) -> dict[str, str]:
    """The query's facet filters, normalised; ValidationFailed naming the field for a value that cannot be."""
    result = {}
    for name, value in query.filters().items():
        value = str(value).strip()
        if not value:
            continue
        if len(value) > 80 or "\x00" in value:
            raise ValidationFailed("search.filter_invalid", field=name, name=name)
        if name == "type":
            if value not in REGISTRY.sources:
                raise ValidationFailed("search.type_invalid", field="type", types=", ".join(sorted(REGISTRY.sources)))
        else:
            spec = REGISTRY.facets.get(name)
            if spec is not None and spec.valid is not None:
                normalised = spec.valid(value)
                if normalised is None:
                    raise ValidationFailed("search.filter_invalid", field=name, name=name)
                value = normalised
        result[name] = value
    return result


def clean_filters(query: SearchQuery) -> tuple[dict[str, str], list[tuple[str, dict]]]:
    """For pages: the valid filters, and (reason, values) for each value left out."""
    kept, dropped = {}, []
    for name, value in query.filters().items():
        try:
            kept.update(validate_filters(SearchQuery(**{name: value})))
        except ValidationFailed as exc:
            dropped.append((exc.reason, {"name": name, **exc.params}))
    return kept, dropped


def _withheld(audience: str, kind: str | None = None):
    """A select of the ids of documents (of this kind, when given) this audience may not find ("public":
    visitors, who do not find members-only ones), or None ("members": signed-in members find everything in the
    index). Applied to the facet rows and the hits directly: through the documents' id, it made an unfiltered
    count 5x slower."""
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}")
    if audience == "members":
        return None
    facets = SearchFacet.__table__
    stmt = sa.select(facets.c.document_id).where(facets.c.facet == AUDIENCE, facets.c.value == "members")
    return stmt.where(facets.c.kind == kind) if kind is not None else stmt


def _conditions(dialect: str, items: tuple[str, ...], filters: dict[str, str]) -> list:
    """The conditions on search_document of a query's words and filters (put straight on the table: a
    self-join through `id IN (...)` let PostgreSQL sort the whole table before joining)."""
    table, facets = SearchDocument.__table__, SearchFacet.__table__
    conditions = [_match(dialect, items)] if items else []
    for name, value in filters.items():
        if name == "type":
            conditions.append(table.c.kind == value)
        else:
            conditions.append(table.c.id.in_(
                sa.select(facets.c.document_id).where(facets.c.facet == name, facets.c.value == value)))
    return conditions


def run_search(session: Session, query: SearchQuery, *, language: str | None = None, strict: bool = True,
               context: int = 80, audience: str = "public") -> SearchPage:
    """One page of hits, their total and the facet counts of everything that matched (2 queries).

    `audience` "members" (a signed-in reader) also finds what only members may see (members-only profiles).

    With `strict`, a facet value that cannot be raises ValidationFailed naming it (the API's 422); without,
    it is left out and named in `notices` (pages)."""
    sync(session)
    per_page = min(max(int(query.per_page), 1), MAX_PER_PAGE)
    page = min(max(int(query.page), 1), MAX_PAGE)
    found = query_words(query.q)
    notices = [(reason, {}) for reason in found.notices]
    if strict:
        filters = validate_filters(query)
    else:
        filters, dropped = clean_filters(query)
        notices += dropped
    if not found.items and "search.no_words" in found.notices:
        return SearchPage(items=[], total=0, page=page, per_page=per_page, notices=notices)
    dialect = session.get_bind().dialect.name
    table, facets = SearchDocument.__table__, SearchFacet.__table__
    conditions = _conditions(dialect, found.items, filters)  # none: browsing everything
    kind = filters.get("type")
    # the facet rows carry their document's kind: one type alone (the people directory) is one range of
    # ix_search_facet_kind, counted in its order without going through the documents
    narrowing = conditions if len(conditions) > (1 if kind else 0) else []
    withheld = _withheld(audience, kind)
    connection = session.connection()
    counting = sa.select(facets.c.facet, facets.c.value, sa.func.count().label("n"), sa.literal(1).label("sign")
                         ).group_by(facets.c.facet, facets.c.value)
    shown = AUDIENCES if withheld is None else AUDIENCES[:1]
    if narrowing:  # a few documents: their rows by document id (the kind's range would be read whole)
        counting = counting.where(facets.c.document_id.in_(sa.select(table.c.id).where(*narrowing)))
        if withheld is not None:
            counting = counting.where(facets.c.audience.in_(shown))
    elif kind:
        # the rows carry their document's kind and audience: one range of ix_search_facet_kind per audience this
        # reader may find, each counted in the index's order (a visitor's: the public range alone)
        arms = [counting.where(facets.c.kind == kind, facets.c.audience == name) for name in shown]
        counting = sa.union_all(*arms) if len(arms) > 1 else arms[0]
    elif withheld is not None:
        # everything matched, minus the few documents this reader may not find, in one statement: excluding
        # them row by row made counting everything 3x slower
        minus = (sa.select(facets.c.facet, facets.c.value, sa.func.count().label("n"), sa.literal(-1).label("sign"))
                 .where(facets.c.document_id.in_(withheld)).group_by(facets.c.facet, facets.c.value))
        counting = sa.union_all(counting, minus)
    if withheld is not None:
        conditions = [*conditions, table.c.id.not_in(withheld)]
    totals: dict[tuple[str, str], int] = {}
    for facet, value, count, sign in connection.execute(counting).all():
        totals[(facet, value)] = totals.get((facet, value), 0) + sign * int(count)
    grouped: dict[str, list[tuple[str, int]]] = {name: [] for name in FACETS}
    for (facet, value), count in totals.items():
        if facet == AUDIENCE or count <= 0:
            continue
        grouped.setdefault(facet, []).append((value, count))
    for values in grouped.values():
        values.sort(key=lambda item: (-item[1], item[0]))
    total = sum(count for _, count in grouped.get("type", ()))
    items: list[Hit] = []
    if total and (page - 1) * per_page < total:
        stmt = sa.select(table.c.kind, table.c.object_id, table.c.title, table.c.titles, table.c.language,
                         table.c.summary, table.c.body, table.c.url).where(*conditions)
        # newest first, ties by kind and id (descending too, so the index on the three serves it backwards)
        order = [table.c.sort_date.desc(), table.c.kind.desc(), table.c.object_id.desc()]
        if found.items:
            order.insert(0, _title_rank(found.items))
        rows = connection.execute(stmt.order_by(*order).limit(per_page).offset((page - 1) * per_page)).all()
        items = [_hit(row, found.items, language, context) for row in rows]
    return SearchPage(items=items, total=total, page=page, per_page=per_page, facets=grouped, notices=notices,
                      words=list(found.items))


def _hit(row, items: tuple[str, ...], language: str | None, context: int) -> Hit:
    title, title_language = row.title, row.language
    translated = (row.titles or {}).get(language or "")
    if translated and language != row.language:
        title, title_language = translated, language
    return Hit(type=row.kind, id=row.object_id, title=title, title_html=highlight(title, items),
               snippet=snippet(row.body or row.summary or "", items, context=context), url=row.url,
               language=title_language or "")


def matching_ids(session: Session, q: str | None, kind: str | tuple[str, ...], *, audience: str = "members"):
    """A select of the ids of `kind` objects whose document holds every word of `q` (for a list's free-text
    filter, which applies its own visibility rules: every audience by default; syncs the index first). A query
    without a word matches nothing. Several kinds (a tuple): a select of (kind, object_id), the words searched
    once for all of them."""
    sync(session)
    found = query_words(q)
    table = SearchDocument.__table__
    if isinstance(kind, tuple):
        stmt = sa.select(table.c.kind, table.c.object_id).where(table.c.kind.in_(kind))
        withheld = _withheld(audience)
    else:
        stmt = sa.select(table.c.object_id).where(table.c.kind == kind)
        withheld = _withheld(audience, kind)
    if withheld is not None:
        stmt = stmt.where(table.c.id.not_in(withheld))
    if not found.items:
        return stmt.where(sa.false())
    return stmt.where(_match(session.get_bind().dialect.name, found.items))


def facet_labels(session: Session, facets: dict[str, list[tuple[str, int]]], translate: Callable[[str], str],
                 language: str = "en") -> dict[str, dict[str, str]]:
    """Each facet value's name for people, from the registered namers (the value itself otherwise)."""
    result: dict[str, dict[str, str]] = {}
    for name, values in facets.items():
        plain = [value for value, _ in values]
        if name == "type":
            result[name] = {v: translate(REGISTRY.sources[v].label) if v in REGISTRY.sources else v for v in plain}
            continue
        spec = REGISTRY.facets.get(name)
        labels = spec.labels(session, plain, translate, language) if spec is not None and spec.labels and plain else {}
        result[name] = {value: labels.get(value, value) for value in plain}
    return result
