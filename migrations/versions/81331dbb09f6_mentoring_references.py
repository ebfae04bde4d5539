"""mentoring: references for jobs (a graduate asks, the current mentor writes, the graduate attaches)

Revision ID: 81331dbb09f6
Revises: a7c3e9f1d2b0
Create Date: 2026-11-30 15:45:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '81331dbb09f6'
down_revision = 'a7c3e9f1d2b0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mentoring_references',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('graduate_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sa.String(length=120), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('written_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['graduate_id'], ['users.id'], name=op.f('fk_mentoring_references_graduate_id_users')),
    sa.ForeignKeyConstraint(['mentor_id'], ['users.id'], name=op.f('fk_mentoring_references_mentor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_references'))
    )
    with op.batch_alter_table('mentoring_references', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_references_graduate_id'), ['graduate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentoring_references_mentor_id'), ['mentor_id'], unique=False)
        batch_op.create_index('uq_mentoring_references_open', ['graduate_id'], unique=True,
                              sqlite_where=sa.text('written_at IS NULL'), postgresql_where=sa.text('written_at IS NULL'))


def downgrade():
    with op.batch_alter_table('mentoring_references', schema=None) as batch_op:
        batch_op.drop_index('uq_mentoring_references_open', sqlite_where=sa.text('written_at IS NULL'),
                            postgresql_where=sa.text('written_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_mentoring_references_mentor_id'))
        batch_op.drop_index(batch_op.f('ix_mentoring_references_graduate_id'))
    op.drop_table('mentoring_references')
