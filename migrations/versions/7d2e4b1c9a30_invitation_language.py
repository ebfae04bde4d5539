"""accounts: the language an invitation was sent in (so it can be sent again in it)

Revision ID: 7d2e4b1c9a30
Revises: 31aaac1e100a
Create Date: 2026-11-23 11:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7d2e4b1c9a30'
down_revision = '31aaac1e100a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=5), server_default='id', nullable=False))


def downgrade():
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_column('locale')
