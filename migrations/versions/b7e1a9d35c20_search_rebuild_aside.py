"""search rebuild aside: outbox rows applied during a rebuild are kept for its replay; rebuild runs

Revision ID: b7e1a9d35c20
Revises: d91f0c7a4e31
Create Date: 2026-12-02 01:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b7e1a9d35c20'
down_revision = 'd91f0c7a4e31'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('search_outbox', sa.Column('applied_at', sa.DateTime(), nullable=True))
    op.create_table('search_rebuilds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('backend', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('outbox_mark', sa.Integer(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('items', sa.Integer(), nullable=True),
    sa.Column('replayed', sa.Integer(), nullable=True),
    sa.CheckConstraint("state IN ('running', 'done', 'failed')", name=op.f('ck_search_rebuilds_state')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_rebuilds'))
    )


def downgrade():
    op.drop_table('search_rebuilds')
    with op.batch_alter_table('search_outbox', schema=None) as batch_op:
        batch_op.drop_column('applied_at')
