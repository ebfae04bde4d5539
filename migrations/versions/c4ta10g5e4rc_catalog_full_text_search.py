"""catalog: full-text search table (SQLite FTS5 / PostgreSQL tsvector + GIN)

Revision ID: c4ta10g5e4rc
Revises: f9afa5b0b7d0
Create Date: 2026-11-23 08:10:00

Hand-written: the DDL lives in marketplace.catalog.search so it survives regenerating revisions.
"""
from alembic import op

from marketplace.catalog.search import create_search_schema, drop_search_schema

revision = 'c4ta10g5e4rc'
down_revision = 'f9afa5b0b7d0'
branch_labels = None
depends_on = None


def upgrade():
    create_search_schema(op.get_bind())


def downgrade():
    drop_search_schema(op.get_bind())
