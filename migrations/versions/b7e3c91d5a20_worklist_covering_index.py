"""worklist covering index on items (state, section, workflow version, round, people, due date)

Revision ID: b7e3c91d5a20
Revises: c4d2e8a1f703
Create Date: 2026-12-02 01:30:00

"""
from alembic import op


revision = 'b7e3c91d5a20'
down_revision = 'c4d2e8a1f703'
branch_labels = None
depends_on = None

COLUMNS = ['state', 'section_id', 'workflow', 'workflow_version', 'organization_id', 'stage_round', 'author_id',
           'last_editor_id', 'working_copy_of_id', 'stage_due_at', 'updated_at']


def upgrade():
    op.create_index('ix_items_worklist', 'items', COLUMNS, unique=False)


def downgrade():
    op.drop_index('ix_items_worklist', table_name='items')
