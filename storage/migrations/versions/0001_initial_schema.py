"""The initial schema: lenders, debts, instalments, payments, reminders, budget, contacts, settings.

Money columns are INTEGER fen, rates exact decimal TEXT, lists JSON TEXT. Plain
column types here on purpose: a migration must not change when the models do.

Revision ID: 0001
Revises: 
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('budget',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('income', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget'))
    )
    op.create_table('budget_expenses',
    sa.Column('category', sa.String(length=100), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('category', name=op.f('pk_budget_expenses'))
    )
    op.create_table('lenders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('phone', sa.String(length=100), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('account_number', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lenders')),
    sa.UniqueConstraint('name', name=op.f('uq_lenders_name'))
    )
    op.create_table('settings',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('debts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('lender_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('principal', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('method', sa.String(length=32), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('rate', sa.Text(), nullable=False),
    sa.Column('rate_unit', sa.String(length=8), nullable=False),
    sa.Column('fee_rate', sa.Text(), nullable=False),
    sa.Column('due_day', sa.Integer(), nullable=False),
    sa.Column('grace_days', sa.Integer(), nullable=False),
    sa.Column('penalty_rate_multiplier', sa.Text(), nullable=False),
    sa.Column('late_fee_rate_per_day', sa.Text(), nullable=False),
    sa.Column('overdue_since', sa.Date(), nullable=True),
    sa.Column('overdue_amount', sa.Integer(), nullable=True),
    sa.Column('received_amount', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['lender_id'], ['lenders.id'], name=op.f('fk_debts_lender_id_lenders'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_debts'))
    )
    with op.batch_alter_table('debts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_debts_lender_id'), ['lender_id'], unique=False)

    op.create_table('contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('debt_id', sa.Integer(), nullable=True),
    sa.Column('when', sa.DateTime(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('who', sa.String(length=200), nullable=False),
    sa.Column('target', sa.String(length=16), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('conduct', sa.Text(), nullable=False),
    sa.Column('attachments', sa.Text(), nullable=False),
    sa.Column('phone_number', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['debt_id'], ['debts.id'], name=op.f('fk_contacts_debt_id_debts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_debt_id'), ['debt_id'], unique=False)

    op.create_table('instalments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('debt_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('principal', sa.Integer(), nullable=False),
    sa.Column('interest', sa.Integer(), nullable=False),
    sa.Column('fee', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['debt_id'], ['debts.id'], name=op.f('fk_instalments_debt_id_debts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instalments')),
    sa.UniqueConstraint('debt_id', 'period', name=op.f('uq_instalments_debt_id'))
    )
    with op.batch_alter_table('instalments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_instalments_debt_id'), ['debt_id'], unique=False)

    op.create_table('payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('debt_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('fees', sa.Integer(), nullable=False),
    sa.Column('interest', sa.Integer(), nullable=False),
    sa.Column('principal', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['debt_id'], ['debts.id'], name=op.f('fk_payments_debt_id_debts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments'))
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payments_debt_id'), ['debt_id'], unique=False)

    op.create_table('reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('debt_id', sa.Integer(), nullable=False),
    sa.Column('days_before', sa.Text(), nullable=False),
    sa.Column('enabled', sa.Integer(), nullable=False),
    sa.Column('last_fired', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['debt_id'], ['debts.id'], name=op.f('fk_reminders_debt_id_debts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders')),
    sa.UniqueConstraint('debt_id', name=op.f('uq_reminders_debt_id'))
    )


def downgrade() -> None:
    op.drop_table('reminders')
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payments_debt_id'))

    op.drop_table('payments')
    with op.batch_alter_table('instalments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_instalments_debt_id'))

    op.drop_table('instalments')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contacts_debt_id'))

    op.drop_table('contacts')
    with op.batch_alter_table('debts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_debts_lender_id'))

    op.drop_table('debts')
    op.drop_table('settings')
    op.drop_table('lenders')
    op.drop_table('budget_expenses')
    op.drop_table('budget')
