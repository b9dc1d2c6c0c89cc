"""scheduled publication and expiry of items; documents disclosed with an application's reply

Revision ID: b7e5d1a9c2f4
Revises: c4d2e8a1f703
Create Date: 2026-12-02 01:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b7e5d1a9c2f4'
down_revision = 'c4d2e8a1f703'
branch_labels = None
depends_on = None

STATE_OLD = "state IN ('draft', 'published', 'returned', 'retracted') OR state LIKE 'pending_%'"
STATE_NEW = "state IN ('draft', 'scheduled', 'published', 'returned', 'retracted') OR state LIKE 'pending_%'"


def upgrade():
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('publish_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_items_publish_at'), ['publish_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_expires_at'), ['expires_at'], unique=False)
        batch_op.drop_constraint(op.f('ck_items_state'), type_='check')
        batch_op.create_check_constraint('state', STATE_NEW)
    op.create_table(
        'application_documents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('content_type', sa.String(length=100), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['application_id'], ['applications.id'],
                                name=op.f('fk_application_documents_application_id_applications')),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'],
                                name=op.f('fk_application_documents_uploaded_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_application_documents')),
    )
    with op.batch_alter_table('application_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_documents_application_id'), ['application_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('application_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_documents_application_id'))
    op.drop_table('application_documents')
    op.execute("UPDATE items SET state = 'draft' WHERE state = 'scheduled'")
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_items_state'), type_='check')
        batch_op.create_check_constraint('state', STATE_OLD)
        batch_op.drop_index(batch_op.f('ix_items_expires_at'))
        batch_op.drop_index(batch_op.f('ix_items_publish_at'))
        batch_op.drop_column('expires_at')
        batch_op.drop_column('publish_at')
