"""item preview keys: signed, expiring preview links revocable per item

Revision ID: b7e3f2a9c014
Revises: b7e1a9d35c20
Create Date: 2026-12-02 01:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b7e3f2a9c014'
down_revision = 'b7e1a9d35c20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('item_preview_keys',
    sa.Column('item_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_item_preview_keys_item_id_items'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_item_preview_keys_issued_by_id_users')),
    sa.PrimaryKeyConstraint('item_id', name=op.f('pk_item_preview_keys'))
    )


def downgrade():
    op.drop_table('item_preview_keys')
