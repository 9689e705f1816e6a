"""The records several managers act on, read and locked inside the caller's session.

A debt and its payments belong together: a payment is split under its debt's
terms, and changing the debt splits every payment again. The helpers here do
that for the debts and payments managers, without either importing the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain import ledger
from domain.debts import N_, Debt, DebtStatus, FieldError, Payment
from domain.ids import DebtId
from services.errors import DamagedRowError, NotFoundError, ValidationError
from services.store import Store
from storage import rows
from storage.models import DebtRow, LenderRow, PaymentRow
from storage.rows import RowProblem

if TYPE_CHECKING:
    from storage.rows import RawSelect


def no_debt(debt_id: int | None) -> NotFoundError:
    from resources.i18n import tr

    return NotFoundError(tr("There is no debt with id {id}.", id=debt_id))


def no_payment(payment_id: int) -> NotFoundError:
    from resources.i18n import tr

    return NotFoundError(tr("There is no payment with id {id}.", id=payment_id))


def require_debt(s: Session, debt_id: int) -> None:
    """NotFoundError unless the debt exists (readable or not: nothing of it is read)."""
    if s.scalar(select(DebtRow.id).where(DebtRow.id == debt_id)) is None:
        raise no_debt(debt_id)


def read_debt(s: Session, debt_id: int) -> Debt:
    """One debt; NotFoundError when there is none, DamagedRowError when it cannot be read."""
    return Store.only(rows.read_debts(s.connection(), DebtRow.id == debt_id), lambda: no_debt(debt_id))


def debt_row(s: Session, debt_id: int) -> DebtRow:
    """The ORM row of a debt about to be changed (checked readable first)."""
    read_debt(s, debt_id)
    row = s.get(DebtRow, debt_id)
    assert row is not None
    return row


def lender_for(s: Session, debt: Debt) -> LenderRow:
    """The lender row a debt names, created when there is none yet."""
    row = s.scalar(select(LenderRow).where(LenderRow.name == debt.lender))
    if row is None:
        row = LenderRow(name=debt.lender, kind=debt.kind.value, phone="", address="", account_number="")
        s.add(row)
    return row


def debt_filter(include_archived: bool) -> tuple[Any, ...]:
    return () if include_archived else (DebtRow.status != DebtStatus.ARCHIVED.value,)


def payments_query(s: Session, debt_id: int | None) -> RawSelect:
    """The payments of one debt (NotFoundError when there is no such debt), or of all debts."""
    query = rows.raw_select(PaymentRow)
    if debt_id is None:
        return query
    require_debt(s, debt_id)
    return query.where(PaymentRow.debt_id == debt_id)


def read_payment(s: Session, payment_id: int) -> Payment:
    query = rows.raw_select(PaymentRow).where(PaymentRow.id == payment_id)
    return Store.only(rows.read_payments(s.connection(), query), lambda: no_payment(payment_id))


def require_readable_payments(s: Session, debt_id: int) -> None:
    """DamagedRowError when a payment of the debt cannot be read (they are split again together)."""
    query = rows.raw_select(PaymentRow).where(PaymentRow.debt_id == debt_id)
    read = rows.read_payments(s.connection(), query)
    if read.problems:
        raise DamagedRowError(read.problems[0])


def term_overrides(s: Session, debt_id: int | None) -> dict[str, object]:
    """The person's own overdue terms of a debt, read in ``s``."""
    from services.moved_settings import read_terms

    return read_terms(s, debt_id)


def late_charges(
    s: Session, debt: Debt, payments: Sequence[tuple[date, Decimal]]
) -> list[ledger.LateCharges] | None:
    """The overdue charges each payment pays first (services.overdue.late_charges), read in ``s``."""
    if debt.overdue_since is None or not payments:
        return None
    from services.overdue import late_charges as charges

    return charges(debt, payments, term_overrides(s, debt.id))


def resplit(s: Session, debt: Debt, extra: PaymentRow | None = None) -> None:
    """Split every payment of the debt again, in date order (raises OverpaymentError)."""
    assert debt.id is not None
    found = list(
        s.scalars(
            select(PaymentRow).where(PaymentRow.debt_id == debt.id).order_by(PaymentRow.date, PaymentRow.id)
        )
    )
    stored = [r for r in found if r is not extra]
    if extra is not None:
        stored.append(extra)  # a new payment goes after those of the same day
        stored.sort(key=lambda r: (r.date, r.id if r.id is not None else 1 << 62))
    paid = [(r.date, r.amount) for r in stored]
    splits = ledger.allocate(debt, paid, late_charges(s, debt, paid))
    for row, split in zip(stored, splits, strict=True):
        row.fees, row.interest, row.principal = split.fees, split.interest, split.principal


def overpayment(exc: ledger.OverpaymentError) -> ValidationError:
    """A payment that would pay more than is owed, as a field error."""
    from resources.i18n import format_money

    return ValidationError(
        [
            FieldError(
                "amount",
                N_("is more than the {owed} outstanding on {date}"),
                {"owed": format_money(exc.owed), "date": exc.on.isoformat()},
            )
        ]
    )


def overpaid(debt: Debt) -> RowProblem:
    """A debt whose stored terms owe less than the payments stored for it: one of them was changed."""
    from domain.money import to_fen

    problem = rows.ColumnProblem(
        "principal", N_("is less than the payments recorded for this debt"), (), to_fen(debt.principal)
    )
    return RowProblem("debts", "id", debt.id, (problem,))


def resplit_after(s: Session, debt_id: DebtId) -> None:
    """Split a debt's payments again after one of them came or went (refused when overpaid)."""
    debt = read_debt(s, debt_id)
    require_readable_payments(s, debt_id)
    try:
        resplit(s, debt)
    except ledger.OverpaymentError as exc:
        raise overpayment(exc) from None
