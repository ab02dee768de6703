"""The search index: one row per findable thing (search_document) and its facet values (search_facet).

The words are folded in Python (app/search/fold.py) and stored as `body_folded`, every distinct word of the
document once, separated by single spaces; `title_folded` holds the title's words (its translations' too),
which rank first. Each database finds words its own way over that same column:
- SQLite: an FTS5 table with external content (search_fts), kept in step by triggers on search_document;
- PostgreSQL: a stored generated column search_words = array_to_tsvector(string_to_array(body_folded, ' '))
  with a GIN index: the words become lexemes verbatim (no parser, no dictionary), so prefix queries
  ('medel':*) mean what FTS5's "medel"* means.
Neither is in the metadata (the column's type and expression exist on one database only): the migration
creates them, and so does create_all (the DDL hooks below), for tests and `flask seed-demo` on a fresh file.
Alembic's comparison leaves them out (UNMANAGED, include_name).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.sqltypes import UTCDateTime

KIND_MAX = 20
FACETS = ("type", "topic", "sdg", "region", "country", "stage", "language", "org_kind")
# a facet no one filters by: documents only members may find carry audience=members (nothing for public ones)
AUDIENCE = "audience"
AUDIENCES = ("public", "members")

# the same classes as fold._word_pattern: letters, numbers, marks and private use are parts of words
FTS5_TOKENIZE = "unicode61 remove_diacritics 0 categories 'L* N* M* Co'"
# PostgreSQL: the words as a tsvector, a generated column (stored: a query matching most documents reads it
# instead of building 20,000 tsvectors) with a GIN index
PG_TSVECTOR = "search_document.search_words"

SQLITE_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(body_folded, content='search_document', "
    f"content_rowid='id', tokenize=\"{FTS5_TOKENIZE}\", prefix='2 3')",
    "CREATE TRIGGER IF NOT EXISTS search_document_fts_insert AFTER INSERT ON search_document BEGIN "
    "INSERT INTO search_fts(rowid, body_folded) VALUES (new.id, new.body_folded); END",
    "CREATE TRIGGER IF NOT EXISTS search_document_fts_delete AFTER DELETE ON search_document BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, body_folded) VALUES ('delete', old.id, old.body_folded); END",
    "CREATE TRIGGER IF NOT EXISTS search_document_fts_update AFTER UPDATE OF body_folded ON search_document BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, body_folded) VALUES ('delete', old.id, old.body_folded); "
    "INSERT INTO search_fts(rowid, body_folded) VALUES (new.id, new.body_folded); END",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS search_document_fts_update",
    "DROP TRIGGER IF EXISTS search_document_fts_delete",
    "DROP TRIGGER IF EXISTS search_document_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
)
PG_DDL = (
    "ALTER TABLE search_document ADD COLUMN IF NOT EXISTS search_words tsvector "
    "GENERATED ALWAYS AS (array_to_tsvector(string_to_array(body_folded, ' '))) STORED",
    "CREATE INDEX IF NOT EXISTS ix_search_document_words ON search_document USING gin (search_words)",
)
PG_DROP = ("DROP INDEX IF EXISTS ix_search_document_words",
           "ALTER TABLE search_document DROP COLUMN IF EXISTS search_words")
# names that live beside the metadata (made by the DDL above); Alembic's comparison skips them
UNMANAGED = frozenset({"search_fts", "search_fts_data", "search_fts_idx", "search_fts_docsize",
                       "search_fts_config", "search_fts_content", "ix_search_document_words", "search_words"})


def include_name(name, type_, parent_names) -> bool:
    """Alembic's filter: compare everything but the objects made beside the metadata (UNMANAGED)."""
    return name not in UNMANAGED


class SearchDocument(db.Model):
    """One public thing as the search sees it (rebuilt from its domain object by the registered builder)."""

    __tablename__ = "search_document"
    __table_args__ = (
        sa.UniqueConstraint("kind", "object_id", name="one_per_object"),
        sa.Index("ix_search_document_order", "sort_date", "kind", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(KIND_MAX))  # event, practice, programme, organisation
    object_id: Mapped[int] = mapped_column(sa.Integer)
    language: Mapped[str] = mapped_column(sa.String(16), default="")  # of the original
    title: Mapped[str] = mapped_column(sa.Text)  # as written, for the results
    titles: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # translated titles by language
    summary: Mapped[str] = mapped_column(sa.Text, default="")  # shown when the match is elsewhere
    body: Mapped[str] = mapped_column(sa.Text, default="")  # the searched text as written, for snippets
    title_folded: Mapped[str] = mapped_column(sa.Text, default="")
    body_folded: Mapped[str] = mapped_column(sa.Text, default="")  # every distinct word, title included
    url: Mapped[str] = mapped_column(sa.String(300))  # path under the site's root, e.g. /events/12
    sort_date: Mapped[datetime] = mapped_column(UTCDateTime())


class SearchFacet(db.Model):
    """One facet value of a document (type=event, topic=mobility, sdg=11, region=155, country=DE ...), with
    the document's kind copied beside it: counting one kind's facets (the people directory: 230,000 rows for
    18,000 people) reads one range of ix_search_facet_kind in order, where going through the documents' ids
    sorted every row into a temporary b-tree (13x slower on SQLite). The document's audience is copied too: the
    directory a visitor reads counts the public range alone (kind, audience=public), where subtracting the
    members-only documents' rows took a third of the time on PostgreSQL."""

    __tablename__ = "search_facet"
    __table_args__ = (sa.Index("ix_search_facet_value", "facet", "value", "document_id"),
                      sa.Index("ix_search_facet_kind", "kind", "audience", "facet", "value", "document_id"))

    document_id: Mapped[int] = mapped_column(sa.ForeignKey("search_document.id", ondelete="CASCADE"),
                                             primary_key=True)
    facet: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    value: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(KIND_MAX))  # the document's (which never changes)
    audience: Mapped[str] = mapped_column(sa.String(16), default="public")  # the document's (AUDIENCES)


def create_search_objects(connection: sa.Connection) -> None:
    """The FTS5 table and its triggers (SQLite) or the GIN index (PostgreSQL), after search_document exists."""
    statements = {"sqlite": SQLITE_DDL, "postgresql": PG_DDL}.get(connection.dialect.name, ())
    for statement in statements:
        connection.exec_driver_sql(statement)


def drop_search_objects(connection: sa.Connection) -> None:
    statements = {"sqlite": SQLITE_DROP, "postgresql": PG_DROP}.get(connection.dialect.name, ())
    for statement in statements:
        connection.exec_driver_sql(statement)


@sa.event.listens_for(SearchDocument.__table__, "after_create")
def _after_create(table, connection, **_):
    create_search_objects(connection)


@sa.event.listens_for(SearchDocument.__table__, "before_drop")
def _before_drop(table, connection, **_):
    drop_search_objects(connection)
