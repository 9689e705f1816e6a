"""Recording or editing a payment: today by default, the amount due pre-filled."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from domain.debts import Debt, Payment
from resources.i18n import _, tr
from ui import labels
from ui.context import Changed
from ui.dialogs.debt_editor import pydate
from ui.models import WARNING_COLOUR
from ui.widgets import date_field, with_mnemonic

if TYPE_CHECKING:
    from ui.context import AppContext


class PaymentDialog(QDialog):
    """``payment=None`` records a new one on one of ``debts``; otherwise edits it."""

    def __init__(
        self,
        context: AppContext,
        debts: list[Debt],
        debt_id: int | None = None,
        payment: Payment | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("paymentDialog")
        self.context = context
        self.payment = payment
        self.saved_id: int | None = None
        self.setWindowTitle(_("Record a payment") if payment is None else _("Edit payment"))
        self.resize(520, 300)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.debt = QComboBox(self)
        self.debt.setObjectName("field_debt")
        for d in debts:
            self.debt.addItem(f"{d.name} — {d.lender}", d.id)
        if debt_id is not None:
            self.debt.setCurrentIndex(max(0, self.debt.findData(debt_id)))
        self.debt.setEnabled(payment is None)
        self.amount = QLineEdit(self)
        self.amount.setObjectName("field_amount")
        self.date = date_field(self, payment.date if payment else context.today(), "field_date")
        self.date.refused.connect(lambda _text: self.error.setText(self.date.problem))
        self.note = QLineEdit(self)
        self.note.setObjectName("field_note")
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setObjectName("error_amount")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {WARNING_COLOUR.name()};")
        form.addRow(with_mnemonic(_("Debt"), "D"), self.debt)
        self.prefilled = QLabel(self)
        self.prefilled.setObjectName("prefilledNote")
        self.prefilled.setWordWrap(True)
        self.error.setAccessibleName(_("Problem with the amount"))
        form.addRow(with_mnemonic(_("Amount"), "A"), self.amount)
        form.addRow("", self.prefilled)
        form.addRow("", self.error)
        form.addRow(with_mnemonic(_("Date"), "T"), self.date)
        form.addRow(with_mnemonic(_("Note"), "N"), self.note)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        self.restart_warning = QLabel(self)
        self.restart_warning.setWordWrap(True)
        layout.addWidget(self.restart_warning)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.debt.currentIndexChanged.connect(self._prefill)
        if payment is not None:
            self.amount.setText(str(payment.amount))
            self.note.setText(payment.note)
        else:
            self._prefill()
        self.hint.setText(
            _("Payments are applied to fees first, then interest, then principal (Civil Code Art. 561).")
        )

    def _debt_id(self) -> int | None:
        value = self.debt.currentData()
        return int(value) if value is not None else None

    def _prefill(self) -> None:
        from services.overview import amount_due

        debt_id = self._debt_id()
        self.restart_warning.setText("")
        self.prefilled.setText("")
        if debt_id is None:
            return
        debt = self.context.services.get_debt(debt_id)
        due = amount_due(self.context.services, debt, self.context.today())
        self.amount.setText("" if due is None else str(due))
        if due is not None:
            # Say where the figure comes from, so nobody takes it for a demand.
            self.prefilled.setText(
                tr(
                    "Filled in with what is due now ({amount}); change it if you paid a different amount.",
                    amount=labels.money(due),
                )
            )
        self.restart_warning.setText(restart_warning_text(self.context, debt_id))

    def accept(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from domain.money import MoneyError, parse_amount
        from services.errors import UserError
        from ui.undo import AddPayment, UpdatePayment, undo_stack

        debt_id = self._debt_id()
        if debt_id is None:
            return
        try:
            amount = parse_amount(self.amount.text())
        except (MoneyError, InvalidOperation, ValueError):
            self.error.setText(_("Enter an amount such as 500 or 1,234.50."))
            return
        if amount <= Decimal("0"):
            self.error.setText(_("The amount must be more than zero."))
            return
        on = pydate(self.date.date())
        note = self.note.text().strip()
        services = self.context.services
        # The warning is there only when the period may have ended or ends within six months: then a
        # payment can cost a real defence, so it is asked about once, before anything is saved.
        warning = self.restart_warning.text()
        if (
            self.payment is None
            and warning
            and QMessageBox.question(
                self,
                _("Before you record this payment"),
                warning + "\n\n" + _("Record the payment anyway?"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            != QMessageBox.StandardButton.Yes
        ):
            return
        try:
            if self.payment is None:
                self.saved_id = services.add_payment(debt_id, amount, on, note)
                command: object = AddPayment(
                    self.context,
                    tr("Record payment of {amount}", amount=self.amount.text()),
                    self.saved_id,
                    debt_id=debt_id,
                    amount=amount,
                    on=on,
                    note=note,
                )
            else:
                assert self.payment.id is not None
                services.update_payment(self.payment.id, amount, on, note)
                self.saved_id = self.payment.id
                command = UpdatePayment(
                    self.context, _("Edit payment"), self.payment, amount=amount, on=on, note=note
                )
        except UserError as exc:
            self.error.setText(str(exc))
            return
        undo_stack(self.context).push(command)  # type: ignore[arg-type]
        self.context.broadcast(Changed.PAYMENTS)
        super().accept()


def restart_warning_text(context: AppContext, debt_id: int) -> str:
    """The limitation-period warning before a payment (a part-payment restarts the period)."""
    from services.overdue import restart_warning

    return restart_warning(context.services, debt_id, "payment", context.today()) or ""
