"""The debt editor says where a debt stands (已还期数 / 当前剩余本金), and a card reads as a card."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.debts import DebtKind
from ui.widgets import plain_text


def _editor(context, qtbot, debt=None):
    from ui.dialogs.debt_editor import DebtEditor

    editor = DebtEditor(context, debt)
    qtbot.addWidget(editor)
    return editor


@pytest.mark.parametrize(
    ("lang", "loan", "card"),
    [
        ("zh_CN", ("借款金额", "已还期数", "当前剩余本金"), ("额度", "账单金额", "账单日", "还款日")),
        (
            "en_US",
            ("Amount borrowed", "Instalments already paid", "Principal still owed now"),
            ("Credit limit", "Statement balance", "Statement date", "Payment due day"),
        ),
    ],
)
def test_a_loan_and_a_card_have_their_own_captions(context, qtbot, lang, loan, card):
    from resources.i18n import set_language

    set_language(lang)  # tests/conftest.py puts en_US back afterwards
    editor = _editor(context, qtbot)
    editor.kind.setCurrentIndex(editor.kind.findData(DebtKind.JD_BAITIAO.value))
    captions = {k: plain_text(c.text()) for k, c in editor.captions.items()}  # as said, without the mnemonic
    assert (captions["principal"], captions["instalments_paid"], captions["outstanding_principal"]) == loan
    editor.kind.setCurrentIndex(editor.kind.findData(DebtKind.CREDIT_CARD.value))
    captions = {k: plain_text(c.text()) for k, c in editor.captions.items()}  # as said, without the mnemonic
    assert (
        captions["principal"],
        captions["outstanding_principal"],
        captions["outstanding_as_of"],
        captions["due_day"],
    ) == card
    assert "借款金额" not in captions.values() and "月数" not in captions.values()


def test_instalments_paid_and_outstanding_principal_are_saved(context, services, qtbot):
    editor = _editor(context, qtbot)
    editor.kind.setCurrentIndex(editor.kind.findData(DebtKind.JD_BAITIAO.value))
    editor.principal.setText("8000.00")
    editor.start_date.setDate(date(2026, 3, 25))
    editor.months.setValue(12)
    editor.due_day.setValue(23)
    editor.instalments_paid.setValue(4)
    editor.outstanding.setText("5333.32")
    from ui.dialogs.debt_editor import qdate

    editor.outstanding_as_of.setDate(qdate(date(2026, 7, 23)))
    assert editor.validate() == []
    editor.accept()
    debt = services.get_debt(editor.saved_id)
    assert (debt.instalments_paid, debt.outstanding_principal, debt.outstanding_as_of) == (
        4,
        Decimal("5333.32"),
        date(2026, 7, 23),
    )
    # the two figures must agree within 1.00: 5,000 against the 5,333.32 four instalments leave
    again = _editor(context, qtbot, debt)
    again.outstanding.setText("5000.00")
    again.validate()
    assert "instalments_paid" in again.errors["outstanding_principal"].text()
