"""one working copy per published item

Revision ID: a1c0ffee0010
Revises: 57eebcd9743e
Create Date: 2026-12-01 22:30:00

"""
from alembic import op


revision = 'a1c0ffee0010'
down_revision = '57eebcd9743e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_items_working_copy_of_id'))
        batch_op.create_index(batch_op.f('ix_items_working_copy_of_id'), ['working_copy_of_id'], unique=True)


def downgrade():
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_items_working_copy_of_id'))
        batch_op.create_index(batch_op.f('ix_items_working_copy_of_id'), ['working_copy_of_id'], unique=False)
