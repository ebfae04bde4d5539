"""payments: kode unik and the amount received on a transfer, refunds owed, escrow on the ledger;
orders: when a part shipped, when its money was released, a problem the customer reported

Revision ID: 8b3d5f1e9a27
Revises: 81331dbb09f6
Create Date: 2026-11-30 15:30:00

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '8b3d5f1e9a27'
down_revision = '81331dbb09f6'
branch_labels = None
depends_on = None

OPEN_TRANSFER = "provider = 'bank_transfer' AND status = 'pending'"


def upgrade():
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unique_code_idr', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('received_idr', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('flagged_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index('uq_payments_open_transfer_code', 'payments', ['unique_code_idr'], unique=True,
                    sqlite_where=sa.text(OPEN_TRANSFER), postgresql_where=sa.text(OPEN_TRANSFER))
    # Transfers still open today have no code: give each its own, by id (1..999, then 0 again).
    op.execute("UPDATE payments SET unique_code_idr = 1 + (id % 999) "
               f"WHERE {OPEN_TRANSFER}")

    op.create_table(
        'refunds',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('payment_id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('order_part_id', sa.Integer(), nullable=True),
        sa.Column('amount_idr', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=20), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('reference', sa.String(length=120), nullable=True),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_refunds_payment_id_payments')),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_refunds_order_id_orders')),
        sa.ForeignKeyConstraint(['order_part_id'], ['order_parts.id'],
                                name=op.f('fk_refunds_order_part_id_order_parts')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_refunds_recorded_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_refunds')),
        sa.UniqueConstraint('order_part_id', name=op.f('uq_refunds_order_part_id')),
    )
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refunds_payment_id'), ['payment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_refunds_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_refunds_status'), ['status'], unique=False)

    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('available_at', sa.DateTime(timezone=True), nullable=True))
    # What was credited before escrow existed stays available, as it was.
    op.execute("UPDATE ledger_entries SET available_at = created_at")

    with op.batch_alter_table('order_parts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shipped_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('released_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('problem_reported_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('problem_note', sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f('ix_order_parts_shipped_at'), ['shipped_at'], unique=False)
    op.execute("UPDATE order_parts SET shipped_at = (SELECT min(order_events.created_at) FROM order_events "
               "WHERE order_events.part_id = order_parts.id AND order_events.status = 'shipped')")
    op.execute("UPDATE order_parts SET released_at = updated_at WHERE status IN ('shipped', 'delivered', 'completed')")


def downgrade():
    with op.batch_alter_table('order_parts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_parts_shipped_at'))
        batch_op.drop_column('problem_note')
        batch_op.drop_column('problem_reported_at')
        batch_op.drop_column('released_at')
        batch_op.drop_column('shipped_at')
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.drop_column('available_at')
    op.drop_table('refunds')
    op.drop_index('uq_payments_open_transfer_code', table_name='payments')
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_column('flagged_at')
        batch_op.drop_column('received_idr')
        batch_op.drop_column('unique_code_idr')
