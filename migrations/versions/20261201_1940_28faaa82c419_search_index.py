"""One search (issue 13, point 4): search_document and search_facet, with the FTS5 table and its triggers on
SQLite, or a generated tsvector column of the documents' words and its GIN index on PostgreSQL.

The statements for the FTS5 table and the tsvector column are written out here (a migration is a snapshot; the app
makes the same objects for create_all in app/search/models.py). The index starts empty: `flask search reindex`
fills it from the data (`flask seed-demo` does it too).

Revision ID: 28faaa82c419
Revises: 55275737f94f
Create Date: 2026-12-01 18:48:02.245871

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '28faaa82c419'
down_revision = '55275737f94f'
branch_labels = None
depends_on = None

SQLITE_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(body_folded, content='search_document', "
    "content_rowid='id', tokenize=\"unicode61 remove_diacritics 0 categories 'L* N* M* Co'\", prefix='2 3')",
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


def _run(statements):
    dialect = op.get_bind().dialect.name
    for statement in statements.get(dialect, ()):
        op.execute(statement)


def upgrade():
    op.create_table('search_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('titles', sa.JSON(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('title_folded', sa.Text(), nullable=False),
    sa.Column('body_folded', sa.Text(), nullable=False),
    sa.Column('url', sa.String(length=300), nullable=False),
    sa.Column('sort_date', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_document')),
    sa.UniqueConstraint('kind', 'object_id', name='one_per_object')
    )
    with op.batch_alter_table('search_document', schema=None) as batch_op:
        batch_op.create_index('ix_search_document_order', ['sort_date', 'kind', 'object_id'], unique=False)

    op.create_table('search_facet',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('facet', sa.String(length=16), nullable=False),
    sa.Column('value', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['search_document.id'], name=op.f('fk_search_facet_document_id_search_document'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', 'facet', 'value', name=op.f('pk_search_facet'))
    )
    with op.batch_alter_table('search_facet', schema=None) as batch_op:
        batch_op.create_index('ix_search_facet_value', ['facet', 'value', 'document_id'], unique=False)

    _run({"sqlite": SQLITE_DDL, "postgresql": PG_DDL})


def downgrade():
    _run({"sqlite": SQLITE_DROP, "postgresql": PG_DROP})
    with op.batch_alter_table('search_facet', schema=None) as batch_op:
        batch_op.drop_index('ix_search_facet_value')

    op.drop_table('search_facet')
    with op.batch_alter_table('search_document', schema=None) as batch_op:
        batch_op.drop_index('ix_search_document_order')

    op.drop_table('search_document')
