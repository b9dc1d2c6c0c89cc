"""consultations: the period record of a consultation item, the public's comments, the bureau setting

Revision ID: b7e3c91d5a20
Revises: b7e31d5c9a20
Create Date: 2026-12-02 01:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b7e3c91d5a20'
down_revision = 'b7e31d5c9a20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('consultations',
    sa.Column('item_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('shortened_reason', sa.Text(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_early_reason', sa.Text(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('feedback_item_id', sa.Integer(), nullable=True),
    sa.Column('feedback_due_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('major_decision', 'normative', 'other')", name=op.f('ck_consultations_kind')),
    sa.CheckConstraint('closes_on >= opens_on', name=op.f('ck_consultations_period')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_consultations_closed_by_id_users')),
    sa.ForeignKeyConstraint(['feedback_item_id'], ['items.id'], name=op.f('fk_consultations_feedback_item_id_items')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_consultations_item_id_items')),
    sa.PrimaryKeyConstraint('item_id', name=op.f('pk_consultations'))
    )
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultations_closes_on'), ['closes_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultations_feedback_item_id'), ['feedback_item_id'], unique=False)

    op.create_table('consultation_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=True),
    sa.Column('contact', sa.String(length=200), nullable=True),
    sa.Column('wants_reply', sa.Boolean(), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('moderation_reason', sa.Text(), nullable=True),
    sa.Column('moderated_by_id', sa.Integer(), nullable=True),
    sa.Column('moderated_at', sa.DateTime(), nullable=True),
    sa.Column('handling', sa.String(length=16), nullable=True),
    sa.Column('handling_reason', sa.Text(), nullable=True),
    sa.Column('theme', sa.String(length=50), nullable=True),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.Column('handled_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("state IN ('pending', 'published', 'rejected')", name=op.f('ck_consultation_comments_state')),
    sa.CheckConstraint("handling IS NULL OR handling IN ('adopted', 'partly', 'not_adopted', 'not_applicable')",
                       name=op.f('ck_consultation_comments_handling')),
    sa.CheckConstraint("handling <> 'not_adopted' OR (handling_reason IS NOT NULL AND handling_reason <> '')",
                       name=op.f('ck_consultation_comments_not_adopted_reason')),
    sa.CheckConstraint('wants_reply = false OR contact IS NOT NULL', name=op.f('ck_consultation_comments_reply_contact')),
    sa.ForeignKeyConstraint(['handled_by_id'], ['users.id'], name=op.f('fk_consultation_comments_handled_by_id_users')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_consultation_comments_item_id_items')),
    sa.ForeignKeyConstraint(['moderated_by_id'], ['users.id'], name=op.f('fk_consultation_comments_moderated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_comments'))
    )
    with op.batch_alter_table('consultation_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_comments_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_comments_state'), ['state'], unique=False)

    op.create_table('consultation_settings',
    sa.Column('organization_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('feedback_working_days', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('feedback_working_days BETWEEN 1 AND 120', name=op.f('ck_consultation_settings_feedback_days')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'],
                            name=op.f('fk_consultation_settings_organization_id_organizations')),
    sa.PrimaryKeyConstraint('organization_id', name=op.f('pk_consultation_settings'))
    )


def downgrade():
    op.drop_table('consultation_settings')
    with op.batch_alter_table('consultation_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_comments_state'))
        batch_op.drop_index(batch_op.f('ix_consultation_comments_item_id'))
    op.drop_table('consultation_comments')
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultations_feedback_item_id'))
        batch_op.drop_index(batch_op.f('ix_consultations_closes_on'))
    op.drop_table('consultations')
