"""orders: sales per business and Jakarta month (sales_months), kept in step with order parts by triggers

Revision ID: 3f51385bd28a
Revises: b8d4f0a2e3c1
Create Date: 2026-11-30 16:00:00

Hand-written: the trigger DDL lives in marketplace.orders.rollup (one place for both dialects).
"""
import sqlalchemy as sa
from alembic import op

from marketplace.orders.rollup import install, uninstall

revision = '3f51385bd28a'
down_revision = 'b8d4f0a2e3c1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sales_months',
    sa.Column('business_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('orders', sa.Integer(), nullable=False),
    sa.Column('revenue_idr', sa.BigInteger(), nullable=False),
    sa.Column('items_idr', sa.BigInteger(), nullable=False),
    sa.Column('refunds', sa.Integer(), nullable=False),
    sa.Column('refunded_idr', sa.BigInteger(), nullable=False),
    sa.Column('cancelled', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('business_id', 'month', name=op.f('pk_sales_months'))
    )
    bind = op.get_bind()
    install(lambda sql: bind.execute(sa.text(sql)), bind.dialect.name)


def downgrade():
    bind = op.get_bind()
    uninstall(lambda sql: bind.execute(sa.text(sql)), bind.dialect.name)
    op.drop_table('sales_months')
