"""jobs: the program's training record as a list of trainings kept by staff; applications keep what was sent

Revision ID: b8d4f0a2e3c1
Revises: 8b3d5f1e9a27
Create Date: 2026-11-30 16:00:00

The single training a graduate typed on their work profile becomes one record of kind "other" (its kind was
never asked); an application's training becomes the one-item list it sent.
"""
import json

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b8d4f0a2e3c1'
down_revision = '8b3d5f1e9a27'
branch_labels = None
depends_on = None


def _iso(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def upgrade():
    op.create_table('training_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('finished_on', sa.Date(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('finished_on IS NULL OR finished_on >= started_on', name=op.f('ck_training_records_training_dates_ordered')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_training_records_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_training_records_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_records'))
    )
    with op.batch_alter_table('training_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_records_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('trainings', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))

    bind = op.get_bind()
    bind.execute(sa.text(
        "INSERT INTO training_records (user_id, kind, title, started_on, finished_on, created_at) "
        "SELECT user_id, 'other', training_title, training_started_on, "
        "CASE WHEN training_finished_on >= training_started_on THEN training_finished_on END, updated_at "
        "FROM work_profiles WHERE training_title <> '' AND training_started_on IS NOT NULL"))
    rows = bind.execute(sa.text(
        "SELECT id, training_title, training_started_on, training_finished_on FROM applications "
        "WHERE training_title <> ''")).all()
    for application_id, title, started, finished in rows:
        sent = [{"kind": "other", "title": title, "started_on": _iso(started), "finished_on": _iso(finished)}]
        bind.execute(sa.text("UPDATE applications SET trainings = :t WHERE id = :i"),
                     {"t": json.dumps(sent), "i": application_id})

    for table in ('work_profiles', 'applications'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('training_title')
            batch_op.drop_column('training_started_on')
            batch_op.drop_column('training_finished_on')


def downgrade():
    for table in ('work_profiles', 'applications'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('training_finished_on', sa.Date(), nullable=True))
            batch_op.add_column(sa.Column('training_started_on', sa.Date(), nullable=True))
            batch_op.add_column(sa.Column('training_title', sa.String(length=160), nullable=False,
                                          server_default=''))
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_column('trainings')
    with op.batch_alter_table('training_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_records_user_id'))
    op.drop_table('training_records')
