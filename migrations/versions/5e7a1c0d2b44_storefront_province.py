"""catalog: a storefront's province (moved from the seller's delivery settings); delivery zones use it

Revision ID: 5e7a1c0d2b44
Revises: 5e55d4a1f7c2
Create Date: 2026-11-30 13:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e7a1c0d2b44'
down_revision = '5e55d4a1f7c2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('businesses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('province', sa.String(length=60), nullable=True))
    op.execute("UPDATE businesses SET province = (SELECT delivery_settings.province FROM delivery_settings "
               "WHERE delivery_settings.business_id = businesses.id)")
    with op.batch_alter_table('delivery_settings', schema=None) as batch_op:
        batch_op.drop_column('province')


def downgrade():
    with op.batch_alter_table('delivery_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('province', sa.String(length=60), nullable=True))
    op.execute("UPDATE delivery_settings SET province = (SELECT businesses.province FROM businesses "
               "WHERE businesses.id = delivery_settings.business_id)")
    with op.batch_alter_table('businesses', schema=None) as batch_op:
        batch_op.drop_column('province')
