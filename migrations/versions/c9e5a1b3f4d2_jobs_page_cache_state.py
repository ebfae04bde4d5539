"""jobs: page cache state (the token the guest cache of the public job pages is keyed by)

Revision ID: c9e5a1b3f4d2
Revises: 3f51385bd28a
Create Date: 2026-11-30 16:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c9e5a1b3f4d2'
down_revision = '3f51385bd28a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('jobs_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs_state'))
    )


def downgrade():
    op.drop_table('jobs_state')
