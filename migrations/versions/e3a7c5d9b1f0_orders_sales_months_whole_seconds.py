"""orders: the SQLite sales triggers count a sale in the Jakarta month of its whole second

SQLite rounds timestamps to the millisecond: a sale paid at 16:59:59.9997 UTC on a month's last day fell
in the next Jakarta month. ``core.sqltime.jakarta_date`` now reads the whole second; the triggers are
compiled from it, so SQLite databases get them again and their roll-up rebuilt. PostgreSQL keeps
microseconds and its triggers were right: nothing changes there.

Revision ID: e3a7c5d9b1f0
Revises: c9e5a1b3f4d2
Create Date: 2026-12-01 00:10:00
"""
import sqlalchemy as sa
from alembic import op

from marketplace.orders.rollup import install, uninstall

revision = 'e3a7c5d9b1f0'
down_revision = 'c9e5a1b3f4d2'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return

    def execute(sql):
        bind.execute(sa.text(sql))

    uninstall(execute, "sqlite")
    execute("DELETE FROM sales_months")
    install(execute, "sqlite")  # the roll-up from the parts, then the triggers


def downgrade():
    pass  # the triggers of the revision before would count the same sales, less that millisecond's
