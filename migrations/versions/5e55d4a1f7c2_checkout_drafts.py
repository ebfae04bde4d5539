"""orders: checkout drafts on the server, keyed by the cart (no address in the session cookie)

Revision ID: 5e55d4a1f7c2
Revises: 1813945ffc71
Create Date: 2026-11-30 12:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5e55d4a1f7c2'
down_revision = '1813945ffc71'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('checkout_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cart_id', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cart_id'], ['carts.id'], name=op.f('fk_checkout_drafts_cart_id_carts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkout_drafts')),
    sa.UniqueConstraint('cart_id', name=op.f('uq_checkout_drafts_cart_id'))
    )


def downgrade():
    op.drop_table('checkout_drafts')
