"""The payments page: the ledger of one debt (or all), record, edit and delete with undo."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from domain.debts import DebtStatus, Payment
from resources.i18n import N_, _, tr
from ui import labels
from ui.context import Changed
from ui.models import Column, LazyRowsModel
from ui.pages.base import Page, note_label, title_label

if TYPE_CHECKING:
    from ui.context import AppContext

ALL = -1


def payment_columns(names: dict[int, str]) -> tuple[Column, ...]:
    return (
        Column(N_("Date"), lambda p: p.date, "date"),
        Column(N_("Debt"), lambda p: names.get(p.debt_id, "")),
        Column(N_("Amount"), lambda p: p.amount, "money"),
        Column(N_("Fees part"), lambda p: p.fees, "money"),
        Column(N_("Interest part"), lambda p: p.interest, "money"),
        Column(N_("Principal part"), lambda p: p.principal, "money"),
        Column(N_("Note"), lambda p: p.note),
    )


class PaymentsPage(Page):
    #: the changes that concern this page
    listens_to: ClassVar[Changed] = Changed.DEBTS | Changed.PAYMENTS

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.debt_names: dict[int, str] = {}
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = title_label(self)
        top.addWidget(self.title)
        top.addStretch(1)
        self.debt_label = QLabel(self)
        self.debt = QComboBox(self)
        self.debt.setObjectName("ledgerDebt")
        self.debt.setMinimumWidth(260)
        top.addWidget(self.debt_label)
        top.addWidget(self.debt)
        layout.addLayout(top)
        buttons = QHBoxLayout()
        self.record_button = QPushButton(self)
        self.record_button.setObjectName("recordPayment")
        self.edit_button = QPushButton(self)
        self.delete_button = QPushButton(self)
        for b in (self.record_button, self.edit_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.split = note_label(self)
        self.split.setObjectName("paymentSplit")
        layout.addWidget(self.split)
        self.model = LazyRowsModel(payment_columns(self.debt_names), self)
        self.table = QTableView(self)
        self.table.setObjectName("ledgerTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.totals = QLabel(self)
        layout.addWidget(self.totals)

        self.record_button.clicked.connect(lambda _checked=False: self.record_payment())
        self.edit_button.clicked.connect(self.edit_selected)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.delete_button.clicked.connect(self.delete_selected)
        self.debt.currentIndexChanged.connect(lambda _i: self._load_ledger())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Payments"))
        self.table.setAccessibleName(_("Payments"))
        self.debt_label.setText(_("Ledger of"))
        if self.debt.count():
            self.debt.setItemText(0, _("All debts"))
        self.record_button.setText(_("Record a payment…"))
        self.edit_button.setText(_("Edit…"))
        self.delete_button.setText(_("Delete…"))
        self.model.retranslate()

    def refresh(self) -> None:
        super().refresh()
        debts = self.context.services.list_debts(include_archived=True)
        current = self.debt.currentData()
        self.debt_names.clear()
        self.debt_names.update({d.id: d.name for d in debts if d.id is not None})
        self.debt.blockSignals(True)
        self.debt.clear()
        self.debt.addItem(_("All debts"), ALL)
        for d in debts:
            self.debt.addItem(f"{d.name} — {d.lender}", d.id)
        index = self.debt.findData(current) if current is not None else 0
        self.debt.setCurrentIndex(max(0, index))
        self.debt.blockSignals(False)
        self._load_ledger()

    def selected_debt_id(self) -> int | None:
        value = self.debt.currentData()
        return None if value in (None, ALL) else int(value)

    def chosen_debt_id(self) -> int | None:
        """The debt a person has chosen here: the ledger's, else that of the selected payment."""
        debt_id = self.selected_debt_id()
        if debt_id is None and (payment := self.selected()) is not None:
            debt_id = payment.debt_id
        return debt_id

    def show_debt(self, debt_id: int) -> None:
        if self._stale:
            self.refresh()
        self.debt.setCurrentIndex(max(0, self.debt.findData(debt_id)))

    def _load_ledger(self) -> None:
        """Count the ledger and read its first batch; the rest is read as the table scrolls (newest first)."""
        debt_id = self.selected_debt_id()
        total = self.context.services.count_payments(debt_id)
        self.model.set_source(
            total,
            lambda last, limit: self.context.services.page_payments(
                debt_id, None if last is None else (last.date, last.id), limit
            ),
        )
        self.totals.setText(tr("{count} payments", count=total))
        self._update_buttons()

    def selected(self) -> Payment | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        has = self.selected() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        self.record_button.setEnabled(bool(self.debt_names))

    def _show_split(self, payment_id: int | None) -> None:
        if payment_id is None:
            return
        p = self.context.services.get_payment(payment_id)
        self.split.setText(
            tr(
                "{date}: {amount} paid — {fees} fees, {interest} interest, {principal} principal.",
                date=labels.day(p.date),
                amount=labels.money(p.amount),
                fees=labels.money(p.fees),
                interest=labels.money(p.interest),
                principal=labels.money(p.principal),
            )
        )

    def record_payment(self, debt_id: int | None = None) -> None:
        from ui.dialogs.payment import PaymentDialog

        if self._stale:
            self.refresh()
        chosen = debt_id if debt_id is not None else self.chosen_debt_id()
        # Archived debts are not offered, unless it is the one chosen (its ledger is on screen).
        debts = [
            d
            for d in self.context.services.list_debts(include_archived=True)
            if d.status is not DebtStatus.ARCHIVED or d.id == chosen
        ]
        if not debts:
            from ui.errors import show_error

            show_error(_("Add a debt first: a payment is always made on a debt."), self)
            return
        dialog = PaymentDialog(self.context, debts, chosen, None, self)
        if dialog.exec():
            self.refresh()
            self._show_split(dialog.saved_id)

    def edit_selected(self) -> None:
        from ui.dialogs.payment import PaymentDialog

        payment = self.selected()
        if payment is None:
            return
        debts = self.context.services.list_debts(include_archived=True)
        dialog = PaymentDialog(self.context, debts, payment.debt_id, payment, self)
        if dialog.exec():
            self.refresh()
            self._show_split(dialog.saved_id)

    def delete_selected(self) -> None:
        from ui.undo import RemovePayment, undo_stack

        payment = self.selected()
        if payment is None or payment.id is None:
            return
        answer = QMessageBox.question(
            self,
            _("Please confirm"),
            tr(
                "Delete the payment of {amount} on {date}? You can undo this with Ctrl+Z.",
                amount=labels.money(payment.amount),
                date=labels.day(payment.date),
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        removed = self.context.services.remove_payment(payment.id)
        undo_stack(self.context).push(RemovePayment(self.context, _("Delete payment"), payment.id, removed))
        self.context.broadcast(Changed.PAYMENTS)
