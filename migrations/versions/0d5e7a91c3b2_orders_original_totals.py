"""orders: an order keeps its original total; fully cancelled unpaid orders cancel their payment

Data only. Cancelling an unpaid part used to lower ``orders.total_idr`` (to 0 when every part was
cancelled), so "My orders" showed Rp 0; what is still due lives in ``payments.amount_idr``.

Revision ID: 0d5e7a91c3b2
Revises: 31aaac1e100a
Create Date: 2026-11-23 16:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0d5e7a91c3b2'
down_revision = '31aaac1e100a'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("UPDATE orders SET total_idr = items_idr + delivery_idr WHERE total_idr <> items_idr + delivery_idr")
    op.execute("UPDATE payments SET status = 'cancelled' WHERE status = 'pending' "
               "AND order_id IN (SELECT id FROM orders WHERE status = 'cancelled')")


def downgrade():
    pass  # the lowered totals were the bug; nothing to restore
