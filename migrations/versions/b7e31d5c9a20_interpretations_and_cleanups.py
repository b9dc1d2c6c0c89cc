"""interpretations released with their policy, cleanup lists, validity trace

Items get ``interpretation_form`` and ``replaced_by_id``; new tables for the bureau's interpretation setting,
the interpretation due dates (lag mode) and the decisions of cleanup lists. Existing ``policies`` columns
accept the ``cleanup`` type.

Revision ID: b7e31d5c9a20
Revises: e7c1a9d4b250
Create Date: 2026-12-02 01:30:00

"""
import json

from alembic import op
import sqlalchemy as sa


revision = 'b7e31d5c9a20'
down_revision = 'e7c1a9d4b250'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('items', sa.Column('interpretation_form', sa.String(length=24), nullable=True))
    # Plain ALTER TABLE (no batch copy of the items table); SQLite takes the reference inline.
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE items ADD COLUMN replaced_by_id INTEGER REFERENCES items (id)')
    else:
        op.add_column('items', sa.Column('replaced_by_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_items_replaced_by_id_items'), 'items', 'items', ['replaced_by_id'], ['id'])

    op.create_table('interpretation_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('item_types', sa.JSON(), nullable=False),
    sa.Column('include_normative', sa.Boolean(), nullable=False),
    sa.Column('mode', sa.String(length=8), nullable=False),
    sa.Column('lag_days', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("mode IN ('sync', 'lag')", name=op.f('ck_interpretation_settings_mode')),
    sa.CheckConstraint('lag_days >= 0', name=op.f('ck_interpretation_settings_lag_days')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'],
                            name=op.f('fk_interpretation_settings_organization_id_organizations')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_interpretation_settings_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interpretation_settings')),
    sa.UniqueConstraint('organization_id', name=op.f('uq_interpretation_settings_organization_id'))
    )
    op.create_table('interpretation_dues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=True),
    sa.Column('remind_at', sa.DateTime(), nullable=True),
    sa.Column('reminded_at', sa.DateTime(), nullable=True),
    sa.Column('overdue_at', sa.DateTime(), nullable=True),
    sa.Column('satisfied_at', sa.DateTime(), nullable=True),
    sa.Column('interpretation_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['interpretation_id'], ['items.id'], name=op.f('fk_interpretation_dues_interpretation_id_items')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'],
                            name=op.f('fk_interpretation_dues_organization_id_organizations')),
    sa.ForeignKeyConstraint(['policy_id'], ['items.id'], name=op.f('fk_interpretation_dues_policy_id_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interpretation_dues')),
    sa.UniqueConstraint('policy_id', name=op.f('uq_interpretation_dues_policy_id'))
    )
    with op.batch_alter_table('interpretation_dues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interpretation_dues_organization_id'), ['organization_id'], unique=False)

    op.create_table('cleanup_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cleanup_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=8), nullable=False),
    sa.Column('replaced_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('applied_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("outcome IN ('keep', 'amend', 'repeal', 'expire')", name=op.f('ck_cleanup_decisions_outcome')),
    sa.ForeignKeyConstraint(['cleanup_id'], ['items.id'], name=op.f('fk_cleanup_decisions_cleanup_id_items')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_cleanup_decisions_item_id_items')),
    sa.ForeignKeyConstraint(['replaced_by_id'], ['items.id'], name=op.f('fk_cleanup_decisions_replaced_by_id_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cleanup_decisions')),
    sa.UniqueConstraint('cleanup_id', 'item_id', name=op.f('uq_cleanup_decisions_cleanup_id_item_id'))
    )
    with op.batch_alter_table('cleanup_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cleanup_decisions_cleanup_id'), ['cleanup_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cleanup_decisions_item_id'), ['item_id'], unique=False)

    _policies_accept_cleanups()


def _policies_accept_cleanups():
    conn = op.get_bind()
    columns = sa.table('columns', sa.column('id', sa.Integer), sa.column('code', sa.String),
                       sa.column('accepts', sa.JSON))
    for column_id, accepts in conn.execute(sa.select(columns.c.id, columns.c.accepts)
                                           .where(columns.c.code == 'policies')).fetchall():
        accepts = json.loads(accepts) if isinstance(accepts, str) else list(accepts or [])
        if 'cleanup' not in accepts:
            conn.execute(columns.update().where(columns.c.id == column_id).values(accepts=accepts + ['cleanup']))


def downgrade():
    with op.batch_alter_table('cleanup_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cleanup_decisions_item_id'))
        batch_op.drop_index(batch_op.f('ix_cleanup_decisions_cleanup_id'))
    op.drop_table('cleanup_decisions')
    with op.batch_alter_table('interpretation_dues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interpretation_dues_organization_id'))
    op.drop_table('interpretation_dues')
    op.drop_table('interpretation_settings')
    if op.get_bind().dialect.name == 'sqlite':
        with op.batch_alter_table('items', schema=None, recreate='always') as batch_op:
            batch_op.drop_column('replaced_by_id')
    else:
        op.drop_constraint(op.f('fk_items_replaced_by_id_items'), 'items', type_='foreignkey')
        op.drop_column('items', 'replaced_by_id')
    op.drop_column('items', 'interpretation_form')
