"""A debt as it stands when entered: instalments already paid, and the principal the lender shows on a day.

Existing debts keep their figures: 0 instalments paid and no outstanding principal mean
"nothing before the first recorded payment is assumed paid", as before.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('debts') as batch:
        batch.add_column(sa.Column('instalments_paid', sa.Integer(), server_default='0', nullable=False))
        batch.add_column(sa.Column('outstanding_principal', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('outstanding_as_of', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('debts') as batch:
        batch.drop_column('outstanding_as_of')
        batch.drop_column('outstanding_principal')
        batch.drop_column('instalments_paid')
