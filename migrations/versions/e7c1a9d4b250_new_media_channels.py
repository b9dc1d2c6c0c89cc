"""new media channels: per-bureau channel settings, an item's channels, the posting record

Revision ID: e7c1a9d4b250
Revises: b7e5d1a9c2f4
Create Date: 2026-12-02 01:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'e7c1a9d4b250'
down_revision = 'b7e5d1a9c2f4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('channel_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("channel IN ('wechat', 'weibo', 'toutiao')", name=op.f('ck_channel_settings_channel')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'],
                            name=op.f('fk_channel_settings_organization_id_organizations')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_channel_settings_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_settings')),
    sa.UniqueConstraint('organization_id', 'channel', name=op.f('uq_channel_settings_organization_id_channel')),
    )
    with op.batch_alter_table('channel_settings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_channel_settings_organization_id'), ['organization_id'], unique=False)

    op.create_table('item_channels',
    sa.Column('item_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.CheckConstraint("channel IN ('website', 'wechat', 'weibo', 'toutiao')", name=op.f('ck_item_channels_channel')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_item_channels_item_id_items')),
    sa.PrimaryKeyConstraint('item_id', 'channel', name=op.f('pk_item_channels')),
    )

    op.create_table('channel_posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('posted_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('adapter', sa.String(length=32), nullable=False),
    sa.CheckConstraint("channel IN ('website', 'wechat', 'weibo', 'toutiao')", name=op.f('ck_channel_posts_channel')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_channel_posts_item_id_items')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_channel_posts_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_posts')),
    sa.UniqueConstraint('item_id', 'channel', name=op.f('uq_channel_posts_item_id_channel')),
    )
    with op.batch_alter_table('channel_posts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_channel_posts_item_id'), ['item_id'], unique=False)


def downgrade():
    with op.batch_alter_table('channel_posts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_channel_posts_item_id'))
    op.drop_table('channel_posts')
    op.drop_table('item_channels')
    with op.batch_alter_table('channel_settings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_channel_settings_organization_id'))
    op.drop_table('channel_settings')
