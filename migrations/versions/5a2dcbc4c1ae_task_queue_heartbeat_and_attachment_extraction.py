"""task queue heartbeat and attachment extraction

The consumer's heartbeat (read by /healthz), and per attachment the text extracted by a queue task
within caps with its status. Existing attachments start "pending": the consumer's periodic duty
extracts them.

Revision ID: 5a2dcbc4c1ae
Revises: c5bf5d6cd9d0
Create Date: 2026-12-01 21:39:17.133320

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a2dcbc4c1ae'
down_revision = 'c5bf5d6cd9d0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('job_heartbeats',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('beat_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_job_heartbeats'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extraction_status', sa.String(length=16), server_default='pending', nullable=False))
        batch_op.add_column(sa.Column('extracted_text', sa.Text(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_attachments_extraction_status'),
            "extraction_status IN ('pending', 'done', 'truncated', 'failed', 'skipped')")



def downgrade():
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_attachments_extraction_status'), type_='check')
        batch_op.drop_column('extracted_text')
        batch_op.drop_column('extraction_status')

    op.drop_table('job_heartbeats')
