"""The tables: typed SQLAlchemy 2.0 models, and their mapping to domain values.

Rows never leave storage/: ``storage.rows`` reads them into the frozen values of
``domain.debts`` (checking each, so a damaged row is reported, not fatal), and
``debt_columns``/``contact_columns`` write those values back. Every schema change is an
Alembic revision in ``storage/migrations/versions``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from domain.debts import (
    ContactEntry,
    Debt,
    DebtKind,
    DebtStatus,
)
from storage.types import ExactDecimal, Fen, StringList

# Named constraints, so that later migrations (batch mode on SQLite) can find them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class LenderRow(Base):
    __tablename__ = "lenders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(32), default=DebtKind.OTHER.value)
    phone: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    account_number: Mapped[str] = mapped_column(String(100), default="")


class DebtRow(Base):
    __tablename__ = "debts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    lender_id: Mapped[int] = mapped_column(ForeignKey("lenders.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    principal: Mapped[Decimal] = mapped_column(Fen)
    start_date: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(32))
    months: Mapped[int] = mapped_column(Integer)
    rate: Mapped[Decimal] = mapped_column(ExactDecimal)
    rate_unit: Mapped[str] = mapped_column(String(8))
    fee_rate: Mapped[Decimal] = mapped_column(ExactDecimal)
    due_day: Mapped[int] = mapped_column(Integer)
    grace_days: Mapped[int] = mapped_column(Integer)
    penalty_rate_multiplier: Mapped[Decimal] = mapped_column(ExactDecimal)
    late_fee_rate_per_day: Mapped[Decimal] = mapped_column(ExactDecimal)
    overdue_since: Mapped[date | None] = mapped_column(Date, nullable=True)
    overdue_amount: Mapped[Decimal | None] = mapped_column(Fen, nullable=True)
    received_amount: Mapped[Decimal | None] = mapped_column(Fen, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default=DebtStatus.ACTIVE.value)
    instalments_paid: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    outstanding_principal: Mapped[Decimal | None] = mapped_column(Fen, nullable=True)
    outstanding_as_of: Mapped[date | None] = mapped_column(Date, nullable=True)

    lender: Mapped[LenderRow] = relationship(lazy="joined")


class InstalmentRow(Base):
    """One scheduled instalment of a debt, as the lender's schedule lists it."""

    __tablename__ = "instalments"
    __table_args__ = (UniqueConstraint("debt_id", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    debt_id: Mapped[int] = mapped_column(ForeignKey("debts.id", ondelete="CASCADE"), index=True)
    period: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Fen)
    principal: Mapped[Decimal] = mapped_column(Fen)
    interest: Mapped[Decimal] = mapped_column(Fen)
    fee: Mapped[Decimal] = mapped_column(Fen)


class PaymentRow(Base):
    __tablename__ = "payments"
    # A debt's ledger is read in (date, id) order, and so is the whole ledger's page by page.
    __table_args__ = (
        Index("ix_payments_debt_id_date_id", "debt_id", "date", "id"),
        Index("ix_payments_date_id", "date", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    debt_id: Mapped[int] = mapped_column(ForeignKey("debts.id", ondelete="CASCADE"))
    date: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Fen)
    fees: Mapped[Decimal] = mapped_column(Fen)
    interest: Mapped[Decimal] = mapped_column(Fen)
    principal: Mapped[Decimal] = mapped_column(Fen)
    note: Mapped[str] = mapped_column(Text, default="")
    # Since revision 0004: the ledger's state just after this payment (``domain.ledger.state_text``);
    # NULL when not known yet. A shortcut only: services.records replays when it is missing or off.
    ledger_state: Mapped[str | None] = mapped_column(Text, nullable=True)


class ReminderRow(Base):
    """When to remind about a debt's dues: days before each due date."""

    __tablename__ = "reminders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    debt_id: Mapped[int] = mapped_column(ForeignKey("debts.id", ondelete="CASCADE"), unique=True)
    days_before: Mapped[list[str]] = mapped_column(StringList)
    enabled: Mapped[int] = mapped_column(Integer, default=1)
    last_fired: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Since revision 0003: the rule's details (1 = the debt follows the person's defaults again).
    follow_defaults: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    daily_while_overdue: Mapped[int | None] = mapped_column(Integer, nullable=True)
    at_time: Mapped[str | None] = mapped_column(String(5), nullable=True)


class DebtTermsRow(Base):
    """The contract's own overdue terms of one debt, over its kind's preset (NULL: the preset's)."""

    __tablename__ = "debt_terms"

    debt_id: Mapped[int] = mapped_column(ForeignKey("debts.id", ondelete="CASCADE"), primary_key=True)
    penalty_interest: Mapped[int | None] = mapped_column(Integer, nullable=True)
    penalty_base: Mapped[str | None] = mapped_column(String(32), nullable=True)
    late_fee_base: Mapped[str | None] = mapped_column(String(32), nullable=True)
    cycle_fee_percent: Mapped[str | None] = mapped_column(Text, nullable=True)
    late_fee_cap_percent: Mapped[str | None] = mapped_column(Text, nullable=True)  # "": no cap
    rate_fallback: Mapped[str | None] = mapped_column(String(16), nullable=True)
    report_day_min: Mapped[int | None] = mapped_column(Integer, nullable=True)
    report_day_typical: Mapped[int | None] = mapped_column(Integer, nullable=True)
    report_day_max: Mapped[int | None] = mapped_column(Integer, nullable=True)


class BudgetRow(Base):
    """The budget profile: one row (id 1)."""

    __tablename__ = "budget"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    income: Mapped[Decimal] = mapped_column(Fen)


class ExpenseRow(Base):
    """One essential expense category of the budget profile, per month."""

    __tablename__ = "budget_expenses"

    category: Mapped[str] = mapped_column(String(100), primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Fen)


class ContactRow(Base):
    """One collection contact, kept as evidence (survives removing its debt)."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    debt_id: Mapped[int | None] = mapped_column(
        ForeignKey("debts.id", ondelete="SET NULL"), nullable=True, index=True
    )
    when: Mapped[datetime] = mapped_column(DateTime)
    channel: Mapped[str] = mapped_column(String(16))
    who: Mapped[str] = mapped_column(String(200))
    target: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text, default="")
    conduct: Mapped[list[str]] = mapped_column(StringList)
    attachments: Mapped[list[str]] = mapped_column(StringList)
    phone_number: Mapped[str] = mapped_column(String(50), default="")


class SettingRow(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# --- rows <-> domain values -----------------------------------------------------


def debt_columns(debt: Debt) -> dict[str, object]:
    """A debt's terms as column values (the lender is linked separately)."""
    return {
        "name": debt.name,
        "kind": debt.kind.value,
        "principal": debt.principal,
        "start_date": debt.start_date,
        "method": debt.method.value,
        "months": debt.months,
        "rate": debt.rate,
        "rate_unit": debt.rate_unit.value,
        "fee_rate": debt.fee_rate,
        "due_day": debt.due_day,
        "grace_days": debt.grace_days,
        "penalty_rate_multiplier": debt.penalty_rate_multiplier,
        "late_fee_rate_per_day": debt.late_fee_rate_per_day,
        "overdue_since": debt.overdue_since,
        "overdue_amount": debt.overdue_amount,
        "received_amount": debt.received_amount,
        "status": debt.status.value,
        "instalments_paid": debt.instalments_paid,
        "outstanding_principal": debt.outstanding_principal,
        "outstanding_as_of": debt.outstanding_as_of,
    }


def debt_fill_row(row: DebtRow, debt: Debt, lender: LenderRow) -> DebtRow:
    """Copy a debt's terms onto a row (the lender already resolved to its row)."""
    for name, value in debt_columns(debt).items():
        setattr(row, name, value)
    row.lender = lender
    return row


def contact_columns(entry: ContactEntry) -> dict[str, object]:
    """A contact-log entry as column values."""
    return {
        "debt_id": entry.debt_id,
        "when": entry.when,
        "channel": entry.channel.value,
        "who": entry.who,
        "target": entry.target.value,
        "summary": entry.summary,
        "conduct": sorted(c.value for c in entry.conduct),
        "attachments": list(entry.attachments),
        "phone_number": entry.phone_number,
    }
