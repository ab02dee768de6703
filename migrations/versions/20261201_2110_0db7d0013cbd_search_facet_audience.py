"""Search facets carry their document's audience, indexed (kind, audience, facet, value, document_id): a visitor's
people directory counts the public range alone instead of subtracting the members-only documents' rows (issue 14,
speed)

Revision ID: 0db7d0013cbd
Revises: 5e8d2c4a7f13
Create Date: 2026-12-01 21:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0db7d0013cbd'
down_revision = '5e8d2c4a7f13'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('search_facet', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audience', sa.String(length=16), nullable=True))
    # the rows already there take their document's audience: members when it has the audience=members facet row
    op.execute("UPDATE search_facet SET audience = CASE WHEN document_id IN (SELECT f.document_id FROM search_facet f "
               "WHERE f.facet = 'audience' AND f.value = 'members') THEN 'members' ELSE 'public' END")
    with op.batch_alter_table('search_facet', schema=None) as batch_op:
        batch_op.alter_column('audience', existing_type=sa.String(length=16), nullable=False)
        batch_op.drop_index('ix_search_facet_kind')
        batch_op.create_index('ix_search_facet_kind', ['kind', 'audience', 'facet', 'value', 'document_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('search_facet', schema=None) as batch_op:
        batch_op.drop_index('ix_search_facet_kind')
        batch_op.create_index('ix_search_facet_kind', ['kind', 'facet', 'value', 'document_id'], unique=False)
        batch_op.drop_column('audience')
