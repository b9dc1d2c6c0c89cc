"""covering public list indexes: disclosure, working copy and validity in the listing and year indexes

A deep page of a column (OFFSET several thousand) walked the listing index and read every skipped row from the
table to test ``disclosure`` and ``working_copy_of_id``: ~15 ms at page 350 of a column of 7,000 items. With
those columns in the index the skipped rows are tested in the index alone (~0.7 ms), and a list filtered
by validity is counted from the index.

Revision ID: 3f9a6c2e8d41
Revises: 750040b699c0
Create Date: 2026-12-02 05:50:00

"""
from alembic import op


revision = '3f9a6c2e8d41'
down_revision = '750040b699c0'
branch_labels = None
depends_on = None

LISTING = ['organization_id', 'state', 'column_id', 'published_at', 'id']
YEAR = ['organization_id', 'state', 'column_id', 'index_year', 'published_at', 'id']
COVER = ['disclosure', 'working_copy_of_id', 'validity']


def upgrade():
    op.drop_index('ix_items_public_listing', table_name='items')
    op.create_index('ix_items_public_listing', 'items', LISTING + COVER, unique=False)
    op.drop_index('ix_items_public_year', table_name='items')
    op.create_index('ix_items_public_year', 'items', YEAR + COVER, unique=False)


def downgrade():
    op.drop_index('ix_items_public_year', table_name='items')
    op.create_index('ix_items_public_year', 'items', YEAR, unique=False)
    op.drop_index('ix_items_public_listing', table_name='items')
    op.create_index('ix_items_public_listing', 'items', LISTING, unique=False)
