"""jobs: a mentor's reference attached to an application

Revision ID: a7c3e9f1d2b0
Revises: 5e7a1c0d2b44
Create Date: 2026-11-30 15:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a7c3e9f1d2b0'
down_revision = '5e7a1c0d2b44'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('application_references',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('author_name', sa.String(length=120), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('attached_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_references_application_id_applications')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_references')),
    sa.UniqueConstraint('application_id', name=op.f('uq_application_references_application_id'))
    )


def downgrade():
    op.drop_table('application_references')
