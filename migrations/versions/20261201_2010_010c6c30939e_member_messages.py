"""Messages between members (issue 14, point 2): messages, their reports, suspended senders, Reply-To in the outbox

Revision ID: 010c6c30939e
Revises: 2c13218b9d92
Create Date: 2026-12-01 19:23:30.111154

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '010c6c30939e'
down_revision = '2c13218b9d92'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contact_suspension',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=1000), nullable=False),
    sa.Column('suspended_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['suspended_by_id'], ['user_account.id'], name=op.f('fk_contact_suspension_suspended_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_contact_suspension_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_contact_suspension'))
    )
    op.create_table('message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=True),
    sa.Column('recipient_id', sa.Integer(), nullable=True),
    sa.Column('sender_name', sa.String(length=200), server_default='', nullable=False),
    sa.Column('recipient_name', sa.String(length=200), server_default='', nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('text', sa.String(length=5000), nullable=False),
    sa.Column('origin_url', sa.String(length=500), server_default='', nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_message_practice_id_practice'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recipient_id'], ['user_account.id'], name=op.f('fk_message_recipient_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['sender_id'], ['user_account.id'], name=op.f('fk_message_sender_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message'))
    )
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.create_index('ix_message_recipient_created', ['recipient_id', 'created_at'], unique=False)
        batch_op.create_index('ix_message_sender_created', ['sender_id', 'created_at'], unique=False)

    op.create_table('message_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=1000), server_default='', nullable=False),
    sa.Column('status', sa.String(length=10), server_default='open', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('open','dismissed','actioned')", name=op.f('ck_message_report_status')),
    sa.ForeignKeyConstraint(['handled_by_id'], ['user_account.id'], name=op.f('fk_message_report_handled_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['message_id'], ['message.id'], name=op.f('fk_message_report_message_id_message'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['user_account.id'], name=op.f('fk_message_report_reporter_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_report')),
    sa.UniqueConstraint('message_id', 'reporter_id', name=op.f('uq_message_report_message_id_reporter_id'))
    )
    with op.batch_alter_table('message_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_report_message_id'), ['message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_message_report_status'), ['status'], unique=False)

    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply_to_addr', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('reply_to_name', sa.String(length=200), nullable=True))



def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('reply_to_name')
        batch_op.drop_column('reply_to_addr')

    with op.batch_alter_table('message_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_report_status'))
        batch_op.drop_index(batch_op.f('ix_message_report_message_id'))

    op.drop_table('message_report')
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index('ix_message_sender_created')
        batch_op.drop_index('ix_message_recipient_created')

    op.drop_table('message')
    op.drop_table('contact_suspension')
