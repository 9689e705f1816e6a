"""Undoable changes: each command calls one service method to do and one to undo.

The change is made before the command is pushed (so an error shows before
anything is recorded); the first ``redo()`` that ``QUndoStack.push`` calls is
therefore skipped. A delete keeps the snapshot the service returned, and its
undo puts back exactly that (same ids, in one transaction). A step that fails
(a new record took the id meanwhile) is dropped from the stack and its error
shown: the stack never claims a change that did not happen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand, QUndoStack

from domain.debts import Debt, DebtStatus, Payment
from domain.validation import DEBT_FIELDS
from ui.context import Changed

if TYPE_CHECKING:
    from services.app import Snapshot
    from ui.context import AppContext

DEBT_JSON_KEYS = DEBT_FIELDS  # the debt's JSON object, as the services take it
# Kept even when empty, so that undoing an edit also clears what the edit set.
CLEARABLE_KEYS = ("outstanding_principal", "outstanding_as_of")


def debt_data(debt: Debt) -> dict[str, object]:
    """The debt as the contract's debt JSON (what add_debt/update_debt take)."""
    out: dict[str, object] = {}
    for key in DEBT_JSON_KEYS:
        value = getattr(debt, key)
        if value is None:
            if key in CLEARABLE_KEYS:
                out[key] = None
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
    def __init__(self, context: AppContext, text: str, what: Changed) -> None:
        super().__init__(text)
        self.context = context
        self.what = what
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._run(self.do)

    def undo(self) -> None:
        self._run(self.revert)

    def _run(self, step: Callable[[], None]) -> None:
        try:
            step()
        except Exception:
            self.setObsolete(True)  # QUndoStack removes an obsolete command after undo()/redo()
            raise
        finally:
            self.context.broadcast(self.what)

    def do(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError


class AddDebt(_Command):
    """Undo removes the new debt; redo puts it back with the same id (later steps refer to it)."""

    def __init__(self, context: AppContext, text: str, debt_id: int, data: dict[str, object]) -> None:
        super().__init__(context, text, Changed.DEBTS)
        self.debt_id = debt_id
        self.data = data
        self.removed: Snapshot | None = None

    def do(self) -> None:
        if self.removed is None:
            self.debt_id = self.context.services.add_debt(self.data)
        else:
            self.context.services.restore_deleted(self.removed)

    def revert(self) -> None:
        self.removed = self.context.services.remove_debt(self.debt_id)


class UpdateDebt(_Command):
    def __init__(
        self,
        context: AppContext,
        text: str,
        debt_id: int,
        before: dict[str, object],
        after: dict[str, object],
    ) -> None:
        super().__init__(context, text, Changed.DEBTS)
        self.debt_id, self.before, self.after = debt_id, before, after

    def do(self) -> None:
        self.context.services.update_debt(self.debt_id, self.after)

    def revert(self) -> None:
        self.context.services.update_debt(self.debt_id, self.before)


class SetStatus(_Command):
    def __init__(
        self, context: AppContext, text: str, debt_id: int, before: DebtStatus, after: DebtStatus
    ) -> None:
        super().__init__(context, text, Changed.DEBTS)
        self.debt_id, self.before, self.after = debt_id, before, after

    def do(self) -> None:
        self.context.services.set_debt_status(self.debt_id, self.after)

    def revert(self) -> None:
        self.context.services.set_debt_status(self.debt_id, self.before)


class RemoveDebt(_Command):
    """Undo puts back the debt and all that was deleted with it, as it was (same ids)."""

    def __init__(self, context: AppContext, text: str, debt_id: int, removed: Snapshot) -> None:
        super().__init__(context, text, Changed.ALL)
        self.debt_id = debt_id
        self.removed = removed

    def do(self) -> None:
        self.removed = self.context.services.remove_debt(self.debt_id)

    def revert(self) -> None:
        self.context.services.restore_deleted(self.removed)


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
        super().__init__(context, text, Changed.PAYMENTS)
        self.payment_id, self.debt_id, self.amount, self.on, self.note = payment_id, debt_id, amount, on, note
        self.removed: Snapshot | None = None

    def do(self) -> None:
        if self.removed is None:
            self.payment_id = self.context.services.add_payment(self.debt_id, self.amount, self.on, self.note)
        else:
            self.context.services.restore_deleted(self.removed)  # the same id: later steps refer to it

    def revert(self) -> None:
        self.removed = self.context.services.remove_payment(self.payment_id)


class UpdatePayment(_Command):
    def __init__(
        self, context: AppContext, text: str, before: Payment, *, amount: Decimal, on: date, note: str
    ) -> None:
        super().__init__(context, text, Changed.PAYMENTS)
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
    """Undo puts the payment back with its id; the debt's payments are split again as before."""

    def __init__(self, context: AppContext, text: str, payment_id: int, removed: Snapshot) -> None:
        super().__init__(context, text, Changed.PAYMENTS)
        self.payment_id = payment_id
        self.removed = removed

    def do(self) -> None:
        self.removed = self.context.services.remove_payment(self.payment_id)

    def revert(self) -> None:
        self.context.services.restore_deleted(self.removed)


class RemoveContact(_Command):
    """Undo puts the contact-log entry back with its id and its link to a debt."""

    def __init__(self, context: AppContext, text: str, contact_id: int, removed: Snapshot) -> None:
        super().__init__(context, text, Changed.CONTACTS)
        self.contact_id = contact_id
        self.removed = removed

    def do(self) -> None:
        self.removed = self.context.services.remove_contact(self.contact_id)

    def revert(self) -> None:
        self.context.services.restore_deleted(self.removed)


def undo_stack(context: AppContext) -> QUndoStack:
    stack: Any = context.extras.get("undo")
    if stack is None:
        stack = QUndoStack(context)
        context.extras["undo"] = stack
    return stack  # type: ignore[no-any-return]
