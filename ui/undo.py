"""Undoable changes: each command calls one service method to do and one to undo.

The change is made before the command is pushed (so an error shows before
anything is recorded); the first ``redo()`` that ``QUndoStack.push`` calls is
therefore skipped.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand, QUndoStack

from domain.debts import Debt, DebtStatus, Payment

if TYPE_CHECKING:
    from ui.context import AppContext

DEBT_JSON_KEYS = (
    "name",
    "lender",
    "kind",
    "principal",
    "start_date",
    "method",
    "months",
    "rate",
    "rate_unit",
    "fee_rate",
    "due_day",
    "grace_days",
    "penalty_rate_multiplier",
    "late_fee_rate_per_day",
    "overdue_since",
    "overdue_amount",
    "received_amount",
)


def debt_data(debt: Debt) -> dict[str, object]:
    """The debt as the contract's debt JSON (what add_debt/update_debt take)."""
    out: dict[str, object] = {}
    for key in DEBT_JSON_KEYS:
        value = getattr(debt, key)
        if value is None:
            continue
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        elif hasattr(value, "value"):
            value = value.value
        out[key] = value
    return out


class _Command(QUndoCommand):
    def __init__(self, context: AppContext, text: str, what: str) -> None:
        super().__init__(text)
        self.context = context
        self.what = what
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self.do()
        self.context.notify(self.what)

    def undo(self) -> None:
        self.revert()
        self.context.notify(self.what)

    def do(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError


class AddDebt(_Command):
    def __init__(self, context: AppContext, text: str, debt_id: int, data: dict[str, object]) -> None:
        super().__init__(context, text, "debts")
        self.debt_id = debt_id
        self.data = data

    def do(self) -> None:
        self.debt_id = self.context.services.add_debt(self.data)

    def revert(self) -> None:
        self.context.services.remove_debt(self.debt_id)


class UpdateDebt(_Command):
    def __init__(
        self,
        context: AppContext,
        text: str,
        debt_id: int,
        before: dict[str, object],
        after: dict[str, object],
    ) -> None:
        super().__init__(context, text, "debts")
        self.debt_id, self.before, self.after = debt_id, before, after

    def do(self) -> None:
        self.context.services.update_debt(self.debt_id, self.after)

    def revert(self) -> None:
        self.context.services.update_debt(self.debt_id, self.before)


class SetStatus(_Command):
    def __init__(
        self, context: AppContext, text: str, debt_id: int, before: DebtStatus, after: DebtStatus
    ) -> None:
        super().__init__(context, text, "debts")
        self.debt_id, self.before, self.after = debt_id, before, after

    def do(self) -> None:
        self.context.services.set_debt_status(self.debt_id, self.after)

    def revert(self) -> None:
        self.context.services.set_debt_status(self.debt_id, self.before)


class RemoveDebt(_Command):
    """Deleting keeps a copy of the debt and its payments so undo can put them back."""

    def __init__(self, context: AppContext, text: str, debt: Debt, payments: list[Payment]) -> None:
        super().__init__(context, text, "all")
        assert debt.id is not None
        self.debt_id = debt.id
        self.debt = debt
        self.payments = sorted(payments, key=lambda p: (p.date, p.id or 0))

    def do(self) -> None:
        self.context.services.remove_debt(self.debt_id)

    def revert(self) -> None:
        services = self.context.services
        self.debt_id = services.add_debt(debt_data(self.debt))
        for p in self.payments:
            services.add_payment(self.debt_id, p.amount, p.date, p.note)
        if self.debt.status is not DebtStatus.ACTIVE:
            services.set_debt_status(self.debt_id, self.debt.status)


class AddPayment(_Command):
    def __init__(
        self,
        context: AppContext,
        text: str,
        payment_id: int,
        *,
        debt_id: int,
        amount: Decimal,
        on: date,
        note: str,
    ) -> None:
        super().__init__(context, text, "payments")
        self.payment_id, self.debt_id, self.amount, self.on, self.note = payment_id, debt_id, amount, on, note

    def do(self) -> None:
        self.payment_id = self.context.services.add_payment(self.debt_id, self.amount, self.on, self.note)

    def revert(self) -> None:
        self.context.services.remove_payment(self.payment_id)


class UpdatePayment(_Command):
    def __init__(
        self, context: AppContext, text: str, before: Payment, *, amount: Decimal, on: date, note: str
    ) -> None:
        super().__init__(context, text, "payments")
        assert before.id is not None
        self.before = before
        self.after = (amount, on, note)

    def do(self) -> None:
        assert self.before.id is not None
        self.context.services.update_payment(self.before.id, *self.after)

    def revert(self) -> None:
        assert self.before.id is not None
        self.context.services.update_payment(
            self.before.id, self.before.amount, self.before.date, self.before.note
        )


class RemovePayment(_Command):
    def __init__(self, context: AppContext, text: str, payment: Payment) -> None:
        super().__init__(context, text, "payments")
        self.payment = payment
        assert payment.id is not None
        self.payment_id: int = payment.id

    def do(self) -> None:
        self.context.services.remove_payment(self.payment_id)

    def revert(self) -> None:
        p = self.payment
        self.payment_id = self.context.services.add_payment(p.debt_id, p.amount, p.date, p.note)


def undo_stack(context: AppContext) -> QUndoStack:
    stack: Any = context.extras.get("undo")
    if stack is None:
        stack = QUndoStack(context)
        context.extras["undo"] = stack
    return stack  # type: ignore[no-any-return]
