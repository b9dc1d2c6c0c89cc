"""reply letter numbers

Revision ID: a1c0ffee0012
Revises: a1c0ffee0011
Create Date: 2026-12-01 22:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a1c0ffee0012'
down_revision = 'a1c0ffee0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'letter_counters',
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('last_value', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'],
                                name=op.f('fk_letter_counters_organization_id_organizations')),
        sa.PrimaryKeyConstraint('organization_id', 'year', name=op.f('pk_letter_counters')),
    )
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('letter_number_pattern', sa.String(length=100), nullable=True))
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('letter_no', sa.String(length=100), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_applications_organization_id_letter_no'), ['organization_id', 'letter_no'])


def downgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_applications_organization_id_letter_no'), type_='unique')
        batch_op.drop_column('letter_no')
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_column('letter_number_pattern')
    op.drop_table('letter_counters')
