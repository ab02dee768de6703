"""Practices carry a covering index of what /match reads of each published one (status, organisation, region,
language, id): the match's scan of 10,000 practices reads the index, not the wide rows (about half the time of
its practice part; issue 14, speed)

Revision ID: c4f1a9e2b7d6
Revises: 0db7d0013cbd
Create Date: 2026-12-01 22:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c4f1a9e2b7d6'
down_revision = '0db7d0013cbd'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('practice', schema=None) as batch_op:
        batch_op.create_index('ix_practice_match', ['status', 'organisation_id', 'region', 'language', 'id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('practice', schema=None) as batch_op:
        batch_op.drop_index('ix_practice_match')
