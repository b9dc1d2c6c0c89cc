"""public listing indexes: latest items, column by year, id as tie-break

Revision ID: a17f0c3e9b21
Revises: 4173c7323cf7
Create Date: 2026-12-01 21:50:00

"""
from alembic import op


revision = 'a17f0c3e9b21'
down_revision = '4173c7323cf7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index('ix_items_public_listing')
        batch_op.create_index('ix_items_public_listing',
                              ['organization_id', 'state', 'column_id', 'published_at', 'id'], unique=False)
        batch_op.create_index('ix_items_public_year',
                              ['organization_id', 'state', 'column_id', 'index_year', 'published_at', 'id'],
                              unique=False)
        batch_op.create_index('ix_items_public_latest', ['organization_id', 'state', 'published_at', 'id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index('ix_items_public_latest')
        batch_op.drop_index('ix_items_public_year')
        batch_op.drop_index('ix_items_public_listing')
        batch_op.create_index('ix_items_public_listing', ['organization_id', 'state', 'column_id', 'published_at'],
                              unique=False)
