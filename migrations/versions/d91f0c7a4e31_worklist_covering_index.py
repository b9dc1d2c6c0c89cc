"""worklist covering index on items (state, section, workflow version, round, people, due date)

Revision ID: d91f0c7a4e31
Revises: b7e3c91d5a20
Create Date: 2026-12-02 01:30:00

"""
from alembic import op


revision = 'd91f0c7a4e31'
down_revision = 'b7e3c91d5a20'
branch_labels = None
depends_on = None

COLUMNS = ['state', 'section_id', 'workflow', 'workflow_version', 'organization_id', 'stage_round', 'author_id',
           'last_editor_id', 'working_copy_of_id', 'stage_due_at', 'updated_at']


def upgrade():
    op.create_index('ix_items_worklist', 'items', COLUMNS, unique=False)


def downgrade():
    op.drop_index('ix_items_worklist', table_name='items')
