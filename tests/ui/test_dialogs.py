"""The debt editor (preset, live validation beside the field, save with undo) and recording a payment."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QDialogButtonBox

from domain.debts import DebtKind, Method
from resources.rules import product_presets


def _editor(context, qtbot, debt=None):
    from ui.dialogs.debt_editor import DebtEditor

    editor = DebtEditor(context, debt)
    qtbot.addWidget(editor)
    return editor


def _save_enabled(editor) -> bool:
    return editor.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()


def test_editor_starts_from_the_preset(context, qtbot):
    editor = _editor(context, qtbot)
    editor.kind.setCurrentIndex(editor.kind.findData(DebtKind.HUABEI.value))
    preset = product_presets()[DebtKind.HUABEI]
    assert Method(editor.method.currentData()) is preset.method
    assert Decimal(editor.rate.text()) == preset.rate
    assert editor.due_day.value() == preset.due_day
    assert editor.lender.text() == preset.lender


def test_validation_message_appears_beside_the_field(context, qtbot):
    editor = _editor(context, qtbot)
    qtbot.keyClicks(editor.principal, "-5")
    qtbot.waitUntil(lambda: editor.errors["principal"].text() != "", timeout=3000)
    assert not _save_enabled(editor)
    assert editor.errors["name"].text() == ""  # only the bad field carries a message
    editor.principal.clear()
    qtbot.keyClicks(editor.principal, "3000")
    qtbot.waitUntil(lambda: editor.errors["principal"].text() == "", timeout=3000)
    assert _save_enabled(editor)


def test_a_rate_of_3650_percent_is_refused_beside_the_rate(context, qtbot):
    editor = _editor(context, qtbot)
    editor.principal.setText("3000")
    editor.rate.setText("3650")
    editor.rate_unit.setCurrentIndex(editor.rate_unit.findData("year"))
    editor.validate()
    assert editor.errors["rate"].text()


def test_adding_a_debt_through_the_editor(context, services, qtbot):
    from ui.undo import undo_stack

    before = len(services.list_debts())
    editor = _editor(context, qtbot)
    editor.kind.setCurrentIndex(editor.kind.findData(DebtKind.PRIVATE_LOAN.value))
    editor.name.setText("Loan from my sister")
    editor.lender.setText("Sister")
    editor.principal.setText("¥5,000")
    editor.months.setValue(10)
    assert editor.validate() == []
    editor.accept()
    debts = services.list_debts()
    assert len(debts) == before + 1
    added = next(d for d in debts if d.name == "Loan from my sister")
    assert added.principal == Decimal("5000") and added.months == 10 and added.kind is DebtKind.PRIVATE_LOAN
    undo_stack(context).undo()
    assert len(services.list_debts()) == before
    undo_stack(context).redo()
    assert len(services.list_debts()) == before + 1


def test_editing_keeps_other_terms(context, services, qtbot):
    debt = services.list_debts()[0]
    editor = _editor(context, qtbot, debt)
    editor.name.setText(debt.name + " (renamed)")
    editor.accept()
    changed = services.get_debt(debt.id)
    assert changed.name == debt.name + " (renamed)"
    assert (changed.principal, changed.rate, changed.months) == (debt.principal, debt.rate, debt.months)


def test_recording_a_payment_prefills_and_splits(window, services, qtbot):
    from tests.ui.conftest import TODAY
    from ui.dialogs.payment import PaymentDialog

    page = window.show_page("payments")
    debt = next(d for d in services.list_debts() if d.kind is DebtKind.BANK_LOAN)
    before = len(services.list_payments(debt.id))
    dialog = PaymentDialog(window.context, services.list_debts(), debt.id)
    qtbot.addWidget(dialog)
    assert dialog.amount.text()  # the amount due is pre-filled
    assert dialog.date.date().toPython() == TODAY
    dialog.amount.setText("1000")
    dialog.accept()
    payments = services.list_payments(debt.id)
    assert len(payments) == before + 1
    new = next(p for p in payments if p.id == dialog.saved_id)
    assert new.amount == Decimal("1000")
    assert new.fees + new.interest + new.principal == new.amount
    page._show_split(dialog.saved_id)
    assert "1,000.00" in page.split.text()
    window.undo_stack.undo()
    assert len(services.list_payments(debt.id)) == before


def test_a_negative_payment_is_refused_beside_the_amount(context, services, qtbot):
    from ui.dialogs.payment import PaymentDialog

    debt = services.list_debts()[0]
    before = len(services.list_payments())
    dialog = PaymentDialog(context, services.list_debts(), debt.id)
    qtbot.addWidget(dialog)
    dialog.amount.setText("-20")
    dialog.accept()
    assert dialog.error.text()
    assert len(services.list_payments()) == before


def test_logging_a_collection_contact(window, services, qtbot):
    from domain.debts import ContactConduct, ContactTarget
    from ui.dialogs.contact import ContactDialog

    page = window.show_page("overdue")
    debt_id = page.debt_id()
    before = len(services.list_contacts(debt_id))
    dialog = ContactDialog(window.context, debt_id)
    qtbot.addWidget(dialog)
    dialog.who.setText("Collector Wang")
    dialog.target.setCurrentIndex(dialog.target.findData(ContactTarget.EMPLOYER.value))
    dialog.conduct[ContactConduct.DISCLOSED_DEBT].setChecked(True)
    dialog.accept()
    contacts = services.list_contacts(debt_id)
    assert len(contacts) == before + 1
    assert page.contacts.rowCount() == before + 1


def test_editing_and_deleting_a_payment_with_undo(window, services, qtbot):
    from ui.dialogs.payment import PaymentDialog

    page = window.show_page("payments")
    payment = next(p for p in services.list_payments() if p.amount > Decimal("1000"))
    page.show_debt(payment.debt_id)
    dialog = PaymentDialog(window.context, services.list_debts(), payment.debt_id, payment)
    qtbot.addWidget(dialog)
    assert dialog.amount.text() == str(payment.amount)
    dialog.amount.setText("1000")
    dialog.accept()
    edited = next(p for p in services.list_payments(payment.debt_id) if p.id == payment.id)
    assert edited.amount == Decimal("1000")
    assert edited.fees + edited.interest + edited.principal == edited.amount
    window.undo_stack.undo()
    restored = next(p for p in services.list_payments(payment.debt_id) if p.id == payment.id)
    assert restored.amount == payment.amount

    count = len(services.list_payments(payment.debt_id))
    row = next(i for i, p in enumerate(page.model.rows) if p.id == payment.id)
    page.table.selectRow(row)
    page.delete_selected()
    assert len(services.list_payments(payment.debt_id)) == count - 1
    window.undo_stack.undo()
    amounts = sorted(p.amount for p in services.list_payments(payment.debt_id))
    assert len(amounts) == count and payment.amount in amounts
