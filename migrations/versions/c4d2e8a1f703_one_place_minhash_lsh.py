"""one-place rule: MinHash signature, shingle count and numbers on items; LSH band keys table

Replaces the 64-bit SimHash and the numbers hash. Existing items get their fingerprints here (in batches);
``flask --app wsgi cms one-place refresh`` recomputes them at any time.

Revision ID: c4d2e8a1f703
Revises: a17f0c3e9b21
Create Date: 2026-12-01 22:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c4d2e8a1f703'
down_revision = 'a17f0c3e9b21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('item_near_keys',
    sa.Column('key', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('item_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_item_near_keys_item_id_items')),
    sa.PrimaryKeyConstraint('key', 'item_id', name=op.f('pk_item_near_keys'))
    )
    with op.batch_alter_table('item_near_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_near_keys_item_id'), ['item_id'], unique=False)

    # Plain ALTER TABLE (SQLite >= 3.35 drops columns natively): a batch "move and copy" of the items table
    # would make SQLite check every foreign key into it row by row when the old table is dropped.
    op.add_column('items', sa.Column('body_minhash', sa.LargeBinary(), nullable=True))
    op.add_column('items', sa.Column('body_shingles', sa.Integer(), nullable=True))
    op.add_column('items', sa.Column('body_numbers', sa.Text(), nullable=True))
    op.drop_index(op.f('ix_items_numbers_hash'), table_name='items')
    op.drop_column('items', 'numbers_hash')
    op.drop_column('items', 'body_simhash')

    _backfill()


def _backfill():
    from cms.content.fingerprints import body_fingerprint
    from cms.content.sanitize import html_to_text

    conn = op.get_bind()
    items = sa.table('items', sa.column('id', sa.Integer), sa.column('body_html', sa.Text),
                     sa.column('body_hash', sa.String), sa.column('body_minhash', sa.LargeBinary),
                     sa.column('body_shingles', sa.Integer), sa.column('body_numbers', sa.Text))
    keys = sa.table('item_near_keys', sa.column('key', sa.BigInteger), sa.column('item_id', sa.Integer))
    last = 0
    while True:
        rows = conn.execute(sa.select(items.c.id, items.c.body_html).where(items.c.id > last)
                            .order_by(items.c.id).limit(1000)).fetchall()
        if not rows:
            break
        updates, key_rows = [], []
        for item_id, body in rows:
            fp = body_fingerprint(html_to_text(body or ""))
            updates.append({"b_id": item_id, "body_hash": fp["body_hash"], "body_minhash": fp["body_minhash"],
                            "body_shingles": fp["body_shingles"], "body_numbers": fp["body_numbers"]})
            key_rows += [{"key": k, "item_id": item_id} for k in dict.fromkeys(fp["keys"])]
        conn.execute(items.update().where(items.c.id == sa.bindparam("b_id")).values(
            body_hash=sa.bindparam("body_hash"), body_minhash=sa.bindparam("body_minhash"),
            body_shingles=sa.bindparam("body_shingles"), body_numbers=sa.bindparam("body_numbers")), updates)
        if key_rows:
            conn.execute(keys.insert(), key_rows)
        last = rows[-1][0]


def downgrade():
    op.add_column('items', sa.Column('body_simhash', sa.BigInteger(), nullable=True))
    op.add_column('items', sa.Column('numbers_hash', sa.String(length=40), nullable=True))
    op.create_index(op.f('ix_items_numbers_hash'), 'items', ['numbers_hash'], unique=False)
    op.drop_column('items', 'body_numbers')
    op.drop_column('items', 'body_shingles')
    op.drop_column('items', 'body_minhash')

    with op.batch_alter_table('item_near_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_near_keys_item_id'))

    op.drop_table('item_near_keys')
