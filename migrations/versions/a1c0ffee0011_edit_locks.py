"""edit locks

Revision ID: a1c0ffee0011
Revises: a1c0ffee0010
Create Date: 2026-12-01 22:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a1c0ffee0011'
down_revision = 'a1c0ffee0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'edit_locks',
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('acquired_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_edit_locks_item_id_items'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_edit_locks_user_id_users')),
        sa.PrimaryKeyConstraint('item_id', name=op.f('pk_edit_locks')),
    )


def downgrade():
    op.drop_table('edit_locks')
