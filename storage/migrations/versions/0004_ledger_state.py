"""Each payment keeps the ledger's state just after it; payments are indexed in the order they are read.

``payments.ledger_state`` (text, NULL: not known yet) holds what ``domain.ledger.LedgerState``
holds, so a new payment is split from the last one's state instead of replaying the debt's
whole ledger; existing payments start with NULL and get theirs the first time their debt's
ledger is replayed. The index on ``debt_id`` alone gives way to one on (debt_id, date, id), the
order a debt's ledger is read in; (date, id) is the order of the whole ledger's pages.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('payments', sa.Column('ledger_state', sa.Text(), nullable=True))
    op.drop_index('ix_payments_debt_id', table_name='payments')
    op.create_index('ix_payments_debt_id_date_id', 'payments', ['debt_id', 'date', 'id'], unique=False)
    op.create_index('ix_payments_date_id', 'payments', ['date', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_payments_date_id', table_name='payments')
    op.drop_index('ix_payments_debt_id_date_id', table_name='payments')
    with op.batch_alter_table('payments') as batch:
        batch.drop_column('ledger_state')
    op.create_index('ix_payments_debt_id', 'payments', ['debt_id'], unique=False)
