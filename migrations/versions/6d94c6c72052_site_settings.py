"""site settings (footer identity, contact, privacy/guide/rules pages)

Revision ID: 6d94c6c72052
Revises: b7e3f2a9c014
Create Date: 2026-12-02 01:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '6d94c6c72052'
down_revision = 'b7e3f2a9c014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('site_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('host_org', sa.String(length=200), nullable=False),
    sa.Column('site_code', sa.String(length=40), nullable=False),
    sa.Column('icp_record', sa.String(length=100), nullable=False),
    sa.Column('police_record', sa.String(length=100), nullable=False),
    sa.Column('contact_address', sa.String(length=300), nullable=False),
    sa.Column('contact_phone', sa.String(length=60), nullable=False),
    sa.Column('contact_email', sa.String(length=200), nullable=False),
    sa.Column('privacy_html', sa.Text(), nullable=False),
    sa.Column('guide_html', sa.Text(), nullable=False),
    sa.Column('rules_html', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_site_settings_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_settings'))
    )


def downgrade():
    op.drop_table('site_settings')
