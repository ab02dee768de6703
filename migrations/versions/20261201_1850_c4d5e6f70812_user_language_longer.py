"""users.language holds longer locale codes (region variants, the test pseudo-locale)

Revision ID: c4d5e6f70812
Revises: b3c4d5e6f701
Create Date: 2026-12-01 18:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c4d5e6f70812"
down_revision = "b3c4d5e6f701"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.alter_column("language", existing_type=sa.String(length=8), type_=sa.String(length=16),
                              existing_nullable=False, existing_server_default="en")


def downgrade():
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.alter_column("language", existing_type=sa.String(length=16), type_=sa.String(length=8),
                              existing_nullable=False, existing_server_default="en")
