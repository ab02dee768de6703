"""learning programmes certificates calendar cache scheduler

Revision ID: a7a8d2294df2
Revises: 76fe1ba2b033
Create Date: 2026-11-24 05:28:20.371248

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7a8d2294df2'
down_revision = '76fe1ba2b033'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('job_lease',
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('holder', sa.String(length=120), nullable=False),
    sa.Column('acquired_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_job_lease'))
    )
    op.create_table('job_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('holder', sa.String(length=120), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('duration_ms', sa.Integer(), nullable=True),
    sa.Column('result', sa.String(length=500), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_run'))
    )
    with op.batch_alter_table('job_run', schema=None) as batch_op:
        batch_op.create_index('ix_job_run_name_started_at', ['name', 'started_at'], unique=False)

    op.create_table('scheduler_heartbeat',
    sa.Column('instance', sa.String(length=120), nullable=False),
    sa.Column('hostname', sa.String(length=200), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('beat_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('instance', name=op.f('pk_scheduler_heartbeat'))
    )
    with op.batch_alter_table('scheduler_heartbeat', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scheduler_heartbeat_beat_at'), ['beat_at'], unique=False)

    op.create_table('digest_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('covered_until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('sent','skipped')", name=op.f('ck_digest_sent_status')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_digest_sent_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digest_sent')),
    sa.UniqueConstraint('user_id', 'local_date', name='uq_digest_sent_user_local_date')
    )
    op.create_table('programme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=220), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), server_default='draft', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('draft','published','archived')", name=op.f('ck_programme_status')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_programme_created_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme')),
    sa.UniqueConstraint('slug', name=op.f('uq_programme_slug'))
    )
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_status'), ['status'], unique=False)

    op.create_table('calendar_vevent_cache',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('variant', sa.String(length=12), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('source_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sessions_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('sessions_updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('site_key', sa.String(length=40), nullable=False),
    sa.Column('ics', sa.LargeBinary(), nullable=False),
    sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_calendar_vevent_cache_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'variant', name=op.f('pk_calendar_vevent_cache'))
    )
    op.create_table('certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('programme_id', sa.Integer(), nullable=True),
    sa.Column('hours', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('language', sa.String(length=8), server_default='en', nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoke_reason', sa.Text(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
    sa.CheckConstraint("(kind = 'event' AND event_id IS NOT NULL AND programme_id IS NULL) OR (kind = 'programme' AND programme_id IS NOT NULL AND event_id IS NULL)", name=op.f('ck_certificate_kind_matches_target')),
    sa.CheckConstraint("kind IN ('event','programme')", name=op.f('ck_certificate_kind')),
    sa.CheckConstraint('hours >= 0', name=op.f('ck_certificate_hours_not_negative')),
    sa.CheckConstraint('revoked_at IS NOT NULL OR revoke_reason IS NULL', name=op.f('ck_certificate_reason_only_when_revoked')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_certificate_event_id_event'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['holder_id'], ['user_account.id'], name=op.f('fk_certificate_holder_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['user_account.id'], name=op.f('fk_certificate_issued_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_certificate_programme_id_programme'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['replaces_id'], ['certificate.id'], name=op.f('fk_certificate_replaces_id_certificate'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['user_account.id'], name=op.f('fk_certificate_revoked_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate')),
    sa.UniqueConstraint('code', name=op.f('uq_certificate_code')),
    sa.UniqueConstraint('replaces_id', name=op.f('uq_certificate_replaces_id'))
    )
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.create_index('ix_certificate_event_id', ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_holder_id'), ['holder_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_pdf_sha256'), ['pdf_sha256'], unique=False)
        batch_op.create_index('ix_certificate_programme_id', ['programme_id'], unique=False)
        batch_op.create_index('uq_certificate_valid_event', ['holder_id', 'event_id'], unique=True, sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))
        batch_op.create_index('uq_certificate_valid_programme', ['holder_id', 'programme_id'], unique=True, sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))

    op.create_table('learning_module',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('objectives', sa.Text(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('is_required', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('completion', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("completion IN ('event','self_study')", name=op.f('ck_learning_module_completion')),
    sa.CheckConstraint('hours >= 0', name=op.f('ck_learning_module_hours_not_negative')),
    sa.CheckConstraint('position >= 0', name=op.f('ck_learning_module_position_not_negative')),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_learning_module_programme_id_programme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learning_module'))
    )
    with op.batch_alter_table('learning_module', schema=None) as batch_op:
        batch_op.create_index('ix_learning_module_programme_position', ['programme_id', 'position'], unique=False)

    op.create_table('programme_completion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hours', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.CheckConstraint('hours >= 0', name=op.f('ck_programme_completion_hours_not_negative')),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_programme_completion_programme_id_programme'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_programme_completion_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_completion')),
    sa.UniqueConstraint('programme_id', 'user_id', name='uq_programme_completion_user')
    )
    with op.batch_alter_table('programme_completion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_completion_user_id'), ['user_id'], unique=False)

    op.create_table('programme_organiser',
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_programme_organiser_programme_id_programme'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_programme_organiser_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('programme_id', 'user_id', name=op.f('pk_programme_organiser'))
    )
    with op.batch_alter_table('programme_organiser', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_organiser_user_id'), ['user_id'], unique=False)

    op.create_table('programme_participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_programme_participant_programme_id_programme'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_programme_participant_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_participant')),
    sa.UniqueConstraint('programme_id', 'user_id', name='uq_programme_participant_user')
    )
    with op.batch_alter_table('programme_participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_participant_user_id'), ['user_id'], unique=False)

    op.create_table('programme_topic',
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_programme_topic_programme_id_programme'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_programme_topic_topic_id_topic'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('programme_id', 'topic_id', name=op.f('pk_programme_topic'))
    )
    with op.batch_alter_table('programme_topic', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_topic_topic_id'), ['topic_id'], unique=False)

    op.create_table('learning_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_learning_audit_actor_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['module_id'], ['learning_module.id'], name=op.f('fk_learning_audit_module_id_learning_module'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_learning_audit_programme_id_programme'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_learning_audit_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learning_audit'))
    )
    with op.batch_alter_table('learning_audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_learning_audit_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_learning_audit_user_id'), ['user_id'], unique=False)

    op.create_table('module_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(event_id IS NULL) <> (session_id IS NULL)', name=op.f('ck_module_link_event_xor_session')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_module_link_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_module_link_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['module_id'], ['learning_module.id'], name=op.f('fk_module_link_module_id_learning_module'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['event_session.id'], name=op.f('fk_module_link_session_id_event_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_module_link')),
    sa.UniqueConstraint('module_id', 'event_id', name='uq_module_link_module_event'),
    sa.UniqueConstraint('module_id', 'session_id', name='uq_module_link_module_session')
    )
    with op.batch_alter_table('module_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_module_link_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_module_link_module_id'), ['module_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_module_link_session_id'), ['session_id'], unique=False)

    op.create_table('module_prerequisite',
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('prerequisite_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('module_id <> prerequisite_id', name=op.f('ck_module_prerequisite_not_self')),
    sa.ForeignKeyConstraint(['module_id'], ['learning_module.id'], name=op.f('fk_module_prerequisite_module_id_learning_module'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['prerequisite_id'], ['learning_module.id'], name=op.f('fk_module_prerequisite_prerequisite_id_learning_module'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('module_id', 'prerequisite_id', name=op.f('pk_module_prerequisite'))
    )
    with op.batch_alter_table('module_prerequisite', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_module_prerequisite_prerequisite_id'), ['prerequisite_id'], unique=False)

    op.create_table('reminder_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('offset_hours', sa.Integer(), nullable=False),
    sa.Column('event_starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('times_sent', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('offset_hours > 0', name=op.f('ck_reminder_sent_offset_positive')),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_reminder_sent_enrolment_id_enrolment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_sent')),
    sa.UniqueConstraint('enrolment_id', 'offset_hours', name='uq_reminder_sent_enrolment_offset')
    )
    op.create_table('submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=True),
    sa.Column('status', sa.String(length=12), server_default='submitted', nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reviewer_comment', sa.Text(), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status = 'submitted' OR reviewed_at IS NOT NULL", name=op.f('ck_submission_reviewed_has_date')),
    sa.CheckConstraint("status IN ('submitted','approved','returned')", name=op.f('ck_submission_status')),
    sa.CheckConstraint("text <> '' OR link IS NOT NULL", name=op.f('ck_submission_has_content')),
    sa.ForeignKeyConstraint(['module_id'], ['learning_module.id'], name=op.f('fk_submission_module_id_learning_module'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user_account.id'], name=op.f('fk_submission_reviewed_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_submission_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submission'))
    )
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.create_index('ix_submission_status_module', ['status', 'module_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submission_user_id'), ['user_id'], unique=False)

    op.create_table('module_completion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source', sa.String(length=12), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('submission_id', sa.Integer(), nullable=True),
    sa.Column('retained_reason', sa.Text(), nullable=True),
    sa.CheckConstraint("source <> 'manual' OR recorded_by_id IS NOT NULL OR note <> ''", name=op.f('ck_module_completion_manual_is_attributed')),
    sa.CheckConstraint("source IN ('attendance','submission','manual')", name=op.f('ck_module_completion_source')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_module_completion_event_id_event'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['module_id'], ['learning_module.id'], name=op.f('fk_module_completion_module_id_learning_module'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_module_completion_recorded_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], name=op.f('fk_module_completion_submission_id_submission'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_module_completion_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_module_completion')),
    sa.UniqueConstraint('module_id', 'user_id', name='uq_module_completion_module_user')
    )
    with op.batch_alter_table('module_completion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_module_completion_user_id'), ['user_id'], unique=False)




def downgrade():

    with op.batch_alter_table('module_completion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_module_completion_user_id'))

    op.drop_table('module_completion')
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_user_id'))
        batch_op.drop_index('ix_submission_status_module')

    op.drop_table('submission')
    op.drop_table('reminder_sent')
    with op.batch_alter_table('module_prerequisite', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_module_prerequisite_prerequisite_id'))

    op.drop_table('module_prerequisite')
    with op.batch_alter_table('module_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_module_link_session_id'))
        batch_op.drop_index(batch_op.f('ix_module_link_module_id'))
        batch_op.drop_index(batch_op.f('ix_module_link_event_id'))

    op.drop_table('module_link')
    with op.batch_alter_table('learning_audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_learning_audit_user_id'))
        batch_op.drop_index(batch_op.f('ix_learning_audit_programme_id'))

    op.drop_table('learning_audit')
    with op.batch_alter_table('programme_topic', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_topic_topic_id'))

    op.drop_table('programme_topic')
    with op.batch_alter_table('programme_participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_participant_user_id'))

    op.drop_table('programme_participant')
    with op.batch_alter_table('programme_organiser', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_organiser_user_id'))

    op.drop_table('programme_organiser')
    with op.batch_alter_table('programme_completion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_completion_user_id'))

    op.drop_table('programme_completion')
    with op.batch_alter_table('learning_module', schema=None) as batch_op:
        batch_op.drop_index('ix_learning_module_programme_position')

    op.drop_table('learning_module')
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_index('uq_certificate_valid_programme', sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))
        batch_op.drop_index('uq_certificate_valid_event', sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))
        batch_op.drop_index('ix_certificate_programme_id')
        batch_op.drop_index(batch_op.f('ix_certificate_pdf_sha256'))
        batch_op.drop_index(batch_op.f('ix_certificate_holder_id'))
        batch_op.drop_index('ix_certificate_event_id')

    op.drop_table('certificate')
    op.drop_table('calendar_vevent_cache')
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_status'))

    op.drop_table('programme')
    op.drop_table('digest_sent')
    with op.batch_alter_table('scheduler_heartbeat', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scheduler_heartbeat_beat_at'))

    op.drop_table('scheduler_heartbeat')
    with op.batch_alter_table('job_run', schema=None) as batch_op:
        batch_op.drop_index('ix_job_run_name_started_at')

    op.drop_table('job_run')
    op.drop_table('job_lease')

