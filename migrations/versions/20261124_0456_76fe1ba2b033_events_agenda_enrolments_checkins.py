"""events agenda enrolments checkins

Revision ID: 76fe1ba2b033
Revises: 5c1d0e7a9b21
Create Date: 2026-11-24 04:56:52.485541

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '76fe1ba2b033'
down_revision = '5c1d0e7a9b21'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=220), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('format', sa.String(length=20), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), server_default='draft', nullable=False),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('venue', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('city', sa.String(length=120), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('online_url', sa.String(length=300), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('registration_opens_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('registration_closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('requires_approval', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('waitlist_mode', sa.String(length=8), server_default='auto', nullable=False),
    sa.Column('offer_hours', sa.Integer(), server_default='48', nullable=False),
    sa.Column('hours', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('min_attendance_percent', sa.Integer(), server_default='100', nullable=False),
    sa.Column('auto_certificates', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('reminder_offsets_hours', sa.JSON(), nullable=False),
    sa.Column('revision', sa.Integer(), server_default='0', nullable=False),
    sa.Column('lock_version', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('duplicated_from_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("format IN ('conference','workshop','training','information_trip')", name=op.f('ck_event_format')),
    sa.CheckConstraint("status IN ('draft','published','cancelled')", name=op.f('ck_event_status')),
    sa.CheckConstraint("waitlist_mode IN ('auto','offer')", name=op.f('ck_event_waitlist_mode')),
    sa.CheckConstraint('capacity IS NULL OR capacity >= 0', name=op.f('ck_event_capacity_not_negative')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_event_ends_after_start')),
    sa.CheckConstraint('hours IS NULL OR hours >= 0', name=op.f('ck_event_hours_not_negative')),
    sa.CheckConstraint('min_attendance_percent BETWEEN 1 AND 100', name=op.f('ck_event_min_attendance_range')),
    sa.CheckConstraint('offer_hours > 0', name=op.f('ck_event_offer_hours_positive')),
    sa.CheckConstraint('registration_closes_at IS NULL OR registration_opens_at IS NULL OR registration_closes_at > registration_opens_at', name=op.f('ck_event_registration_window')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_event_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['duplicated_from_id'], ['event.id'], name=op.f('fk_event_duplicated_from_id_event'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event')),
    sa.UniqueConstraint('slug', name=op.f('uq_event_slug'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_city'), ['city'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_country'), ['country'], unique=False)
        batch_op.create_index('ix_event_status_starts_at', ['status', 'starts_at'], unique=False)

    op.create_table('enrolment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('waitlist_seq', sa.Integer(), nullable=True),
    sa.Column('offer_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ticket_code', sa.String(length=16), nullable=False),
    sa.Column('is_over_capacity', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('enrolled_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('cancel_reason', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status <> 'offered' OR offer_expires_at IS NOT NULL", name=op.f('ck_enrolment_offer_has_deadline')),
    sa.CheckConstraint("status IN ('pending','confirmed','waitlisted','offered','expired','cancelled','rejected')", name=op.f('ck_enrolment_status')),
    sa.CheckConstraint("status NOT IN ('waitlisted','offered') OR waitlist_seq IS NOT NULL", name=op.f('ck_enrolment_waitlist_has_seq')),
    sa.ForeignKeyConstraint(['enrolled_by_id'], ['user_account.id'], name=op.f('fk_enrolment_enrolled_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_enrolment_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_enrolment_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolment')),
    sa.UniqueConstraint('event_id', 'user_id', name='uq_enrolment_event_user'),
    sa.UniqueConstraint('event_id', 'waitlist_seq', name='uq_enrolment_event_waitlist_seq'),
    sa.UniqueConstraint('ticket_code', name=op.f('uq_enrolment_ticket_code'))
    )
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.create_index('ix_enrolment_event_status', ['event_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrolment_user_id'), ['user_id'], unique=False)

    op.create_table('event_host',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_host_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_event_host_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'organisation_id', name=op.f('pk_event_host'))
    )
    with op.batch_alter_table('event_host', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_host_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('event_organiser',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_organiser_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_event_organiser_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'user_id', name=op.f('pk_event_organiser'))
    )
    with op.batch_alter_table('event_organiser', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_organiser_user_id'), ['user_id'], unique=False)

    op.create_table('event_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('speakers', sa.String(length=500), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_event_session_ends_after_start')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_session_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_session'))
    )
    with op.batch_alter_table('event_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_session_event_id'), ['event_id'], unique=False)

    op.create_table('event_topic',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_topic_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_event_topic_topic_id_topic'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'topic_id', name=op.f('pk_event_topic'))
    )
    with op.batch_alter_table('event_topic', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_topic_topic_id'), ['topic_id'], unique=False)

    op.create_table('checkin',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('day', sa.Date(), nullable=True),
    sa.Column('method', sa.String(length=12), nullable=False),
    sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('checked_in_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(session_id IS NULL) <> (day IS NULL)', name=op.f('ck_checkin_session_xor_day')),
    sa.ForeignKeyConstraint(['checked_in_by_id'], ['user_account.id'], name=op.f('fk_checkin_checked_in_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_checkin_enrolment_id_enrolment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['event_session.id'], name=op.f('fk_checkin_session_id_event_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkin')),
    sa.UniqueConstraint('enrolment_id', 'day', name='uq_checkin_enrolment_day'),
    sa.UniqueConstraint('enrolment_id', 'session_id', name='uq_checkin_enrolment_session')
    )
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkin_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkin_session_id'), ['session_id'], unique=False)

    op.create_table('event_notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_event_notification_enrolment_id_enrolment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_notification_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_event_notification_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_notification'))
    )
    with op.batch_alter_table('event_notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_notification_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_notification_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_notification_kind'), ['kind'], unique=False)




def downgrade():

    with op.batch_alter_table('event_notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_notification_kind'))
        batch_op.drop_index(batch_op.f('ix_event_notification_event_id'))
        batch_op.drop_index(batch_op.f('ix_event_notification_enrolment_id'))

    op.drop_table('event_notification')
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkin_session_id'))
        batch_op.drop_index(batch_op.f('ix_checkin_enrolment_id'))

    op.drop_table('checkin')
    with op.batch_alter_table('event_topic', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_topic_topic_id'))

    op.drop_table('event_topic')
    with op.batch_alter_table('event_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_session_event_id'))

    op.drop_table('event_session')
    with op.batch_alter_table('event_organiser', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_organiser_user_id'))

    op.drop_table('event_organiser')
    with op.batch_alter_table('event_host', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_host_organisation_id'))

    op.drop_table('event_host')
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrolment_user_id'))
        batch_op.drop_index('ix_enrolment_event_status')

    op.drop_table('enrolment')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index('ix_event_status_starts_at')
        batch_op.drop_index(batch_op.f('ix_event_country'))
        batch_op.drop_index(batch_op.f('ix_event_city'))

    op.drop_table('event')

