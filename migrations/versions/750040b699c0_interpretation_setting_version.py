"""interpretation settings: a version for optimistic concurrency (the settings screen, stale -> 409)

Revision ID: 750040b699c0
Revises: 6d94c6c72052
Create Date: 2026-12-02 05:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '750040b699c0'
down_revision = '6d94c6c72052'
branch_labels = None
depends_on = None


def upgrade():
    # Rows saved before this revision count as version 1 (the unsaved default is 0).
    with op.batch_alter_table('interpretation_settings') as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))


def downgrade():
    with op.batch_alter_table('interpretation_settings') as batch_op:
        batch_op.drop_column('version')
