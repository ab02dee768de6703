"""Events, programmes and modules in more than one language: each has an original language (existing rows:
English) and translations of its text, one row per language (issue 12, point 7).

The services (app.content_language) refuse a translation into the original language and an original language
that has a translation; the database keeps one translation per language, never an empty code, and its triggers
never store a translation row in its item's original language (app.content_language.original_language_guard
writes the same SQL for create_all).

Revision ID: d5e6f7081923
Revises: c4d5e6f70812
Create Date: 2026-12-01 19:00:00
"""

import sqlalchemy as sa
from alembic import op

# (translation table, foreign key, parent table)
TRANSLATIONS = (("event_translation", "event_id", "event"), ("programme_translation", "programme_id", "programme"),
                ("module_translation", "module_id", "learning_module"))


def _guard_sql(dialect: str, table: str, fk: str, parent: str) -> list[str]:
    name = f"{table}_not_original"
    test = f"NEW.language = (SELECT language FROM {parent} WHERE id = NEW.{fk})"
    if dialect == "postgresql":
        return [
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF {test} THEN "
            f"RAISE EXCEPTION 'a translation cannot be in the original language' USING ERRCODE = 'check_violation'; "
            f"END IF; RETURN NEW; END $$",
            f"CREATE TRIGGER {name} BEFORE INSERT OR UPDATE OF language, {fk} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}()",
        ]
    return [
        f"CREATE TRIGGER {name}_{when.lower()} BEFORE {when}{' OF language, ' + fk if when == 'UPDATE' else ''} "
        f"ON {table} FOR EACH ROW WHEN {test} "
        f"BEGIN SELECT RAISE(ABORT, 'a translation cannot be in the original language'); END"
        for when in ("INSERT", "UPDATE")
    ]


revision = "d5e6f7081923"
down_revision = "c4d5e6f70812"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event_translation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.CheckConstraint("language <> ''", name=op.f('ck_event_translation_language_not_empty')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_translation_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_translation')),
    sa.UniqueConstraint('event_id', 'language', name='uq_event_translation_event_language')
    )
    op.create_table('programme_translation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.CheckConstraint("language <> ''", name=op.f('ck_programme_translation_language_not_empty')),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_programme_translation_programme_id_programme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_translation')),
    sa.UniqueConstraint('programme_id', 'language', name='uq_programme_translation_programme_language')
    )
    op.create_table('module_translation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('objectives', sa.Text(), nullable=False),
    sa.CheckConstraint("language <> ''", name=op.f('ck_module_translation_language_not_empty')),
    sa.ForeignKeyConstraint(['module_id'], ['learning_module.id'], name=op.f('fk_module_translation_module_id_learning_module'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_module_translation')),
    sa.UniqueConstraint('module_id', 'language', name='uq_module_translation_module_language')
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=16), server_default='en', nullable=False))

    with op.batch_alter_table('learning_module', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=16), server_default='en', nullable=False))

    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=16), server_default='en', nullable=False))

    dialect = op.get_bind().dialect.name
    for table, fk, parent in TRANSLATIONS:
        for statement in _guard_sql(dialect, table, fk, parent):
            op.execute(statement)


def downgrade():
    # the tables first: their triggers read the language columns dropped after them
    op.drop_table('module_translation')
    op.drop_table('programme_translation')
    op.drop_table('event_translation')
    if op.get_bind().dialect.name == "postgresql":
        for table, _fk, _parent in TRANSLATIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {table}_not_original()")
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.drop_column('language')

    with op.batch_alter_table('learning_module', schema=None) as batch_op:
        batch_op.drop_column('language')

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('language')
