"""Each page builds and shows the demo data; the main actions work through the real services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from domain.debts import DebtStatus
from tests.ui.conftest import TODAY
from ui.pages import PAGE_KEYS


@pytest.mark.parametrize("key", PAGE_KEYS)
def test_every_page_builds_and_shows(window, key):
    page = window.show_page(key)
    assert window.stack.currentWidget() is page
    assert page.isVisible()


def test_dashboard_shows_what_is_owed(window):
    page = window.show_page("dashboard")
    assert any(o.days_overdue == 120 for o in page.overdue.rows)  # the Baitiao arrears
    # An overdue debt's next instalment is still coming due; arrears are counted apart.
    baitiao = [d for d in page.dues.rows if d.name.startswith("京东白条")]
    assert baitiao and all(d.due_date > TODAY and not d.overdue for d in baitiao)


def _window_on(services, qtbot):
    """The main window on ``services`` (a database of the test's own), shown."""
    from ui.app import make_application
    from ui.context import AppContext
    from ui.main_window import MainWindow

    make_application()
    w = MainWindow()
    qtbot.addWidget(w)
    w.attach(AppContext(services, today=lambda: TODAY))
    w.show()
    return w


def test_dashboard_figures_are_the_ones_worked_by_hand(empty_services, qtbot):
    # A bank loan of 12,000.00 in 12 interest-free equal shares of principal, due on the 28th from
    # 2026-11-28 (1,000.00 each), and 5,000.00 lent by a friend, repaid at once on 2027-10-01.
    empty_services.add_debt(
        {
            "name": "消费贷",
            "lender": "某银行",
            "kind": "bank_loan",
            "principal": "12000.00",
            "start_date": "2026-10-28",
            "method": "equal-principal",
            "months": 12,
            "rate": "0",
            "due_day": 28,
        }
    )
    empty_services.add_debt(
        {
            "name": "向张伟借款",
            "lender": "张伟",
            "kind": "private_loan",
            "principal": "5000.00",
            "start_date": "2026-10-01",
            "method": "bullet",
            "months": 12,
            "rate": "0",
            "due_day": 1,
        }
    )
    w = _window_on(empty_services, qtbot)
    page = w.show_page("dashboard")
    qtbot.waitUntil(lambda: bool(page.lenders.rows), timeout=5000)
    # Owed: 12,000.00 + 5,000.00 = 17,000.00; due within the week (2026-11-23 to 11-30): the loan's
    # 1,000.00 on 11-28; the friend's 5,000.00 falls due next October, outside it. Nothing is overdue.
    assert page.total.value.text() == "CN¥17,000.00"
    assert page.due7.value.text() == "CN¥1,000.00"
    assert {row[0] for row in page.lenders.rows} == {"某银行", "张伟"}
    assert [(d.name, d.due_date, d.amount) for d in page.dues.rows][:1] == [
        ("消费贷", date(2026, 11, 28), Decimal("1000.00"))
    ]
    assert page.overdue.rows == []
    from ui.worker import wait_for_tasks

    wait_for_tasks()
    w.context = None  # the fixture closes the database


def test_debts_table_lists_sorts_and_filters(window, services, qtbot):
    page = window.show_page("debts")
    assert page.model.rowCount() == len(services.list_debts())
    page.search.setText("白条")
    assert page.proxy.rowCount() == 1
    page.search.setText("")
    balances = [
        page.proxy.index(r, 3).data(Qt.ItemDataRole.UserRole + 1) for r in range(page.proxy.rowCount())
    ]
    assert balances == sorted(balances, reverse=True)


def test_settle_with_undo(window, services, qtbot):
    page = window.show_page("debts")
    debt = next(d for d in services.list_debts() if d.kind.value == "private_loan")
    page.select_debt(debt.id)
    page.settle_button.click()
    assert services.get_debt(debt.id).status is DebtStatus.SETTLED
    window.undo_stack.undo()
    assert services.get_debt(debt.id).status is debt.status


def test_delete_with_undo_restores_payments(window, services):
    page = window.show_page("debts")
    debt = next(d for d in services.list_debts() if services.list_payments(d.id))
    paid_before = sorted((p.date, p.amount) for p in services.list_payments(debt.id))
    count = len(services.list_debts())
    page.select_debt(debt.id)
    page.delete_selected()
    assert len(services.list_debts()) == count - 1
    window.undo_stack.undo()
    restored = next(d for d in services.list_debts() if d.name == debt.name)
    assert sorted((p.date, p.amount) for p in services.list_payments(restored.id)) == paid_before
    assert len(services.list_debts()) == count


def test_payments_ledger_and_split(window, services, qtbot):
    page = window.show_page("payments")
    assert page.model.total() == len(services.list_payments())
    debt = next(d for d in services.list_debts() if services.list_payments(d.id))
    page.show_debt(debt.id)
    assert page.model.total() == len(services.list_payments(debt.id))


def test_schedule_view_lists_instalments(context, services, qtbot):
    from ui.dialogs.schedule import ScheduleDialog

    debt = next(d for d in services.list_debts() if d.method.value == "equal-installment")
    dialog = ScheduleDialog(context, debt)
    qtbot.addWidget(dialog)
    model = dialog.view.model
    assert model.rowCount() == debt.months
    last = model.row_at(model.rowCount() - 1)
    assert last.balance == 0
    assert sum((r.principal for r in model.rows), Decimal(0)) == debt.principal


def test_budget_page_saves_and_proposes(window, services, qtbot):
    page = window.show_page("budget")
    for row in list(page.expense_rows):
        page.remove_expense_row(row)
    page.income.setText("9000")
    page.add_expense_row("Rent", "2500")
    page.add_expense_row("Food", "1,500")
    page.save_button.click()
    budget = services.get_budget()
    assert budget.income == Decimal("9000")
    assert budget.essential_total == Decimal("4000")
    assert "5,000.00" in page.affordable.text()
    offers = [row[0].monthly for row in page.proposal.rows]
    assert offers and sum(offers, Decimal(0)) <= Decimal("5000")
    assert all(o > 0 for o in offers)


def test_budget_field_message_beside_the_field(window):
    page = window.show_page("budget")
    page.income.setText("lots")
    page.income.textEdited.emit("lots")
    assert page.income_error.text()
    assert not page.save_button.isEnabled()
    page.income.setText("9000")
    row = page.add_expense_row("Rent", "-1")
    page.read()
    assert row.error.text() and not page.save_button.isEnabled()
    row.amount.setText("2500")
    assert page.read() is not None and row.error.text() == ""


def test_budget_page_shows_every_saved_category(window, services):
    page = window.show_page("budget")
    saved = services.get_budget()
    shown = {r.name.text(): Decimal(r.amount.text()) for r in page.expense_rows}
    assert shown == dict(saved.expenses)
    page.save_button.click()  # saving unchanged keeps every category
    assert dict(services.get_budget().expenses) == dict(saved.expenses)


def test_settings_shows_data_file(window, services):
    page = window.show_page("settings")
    assert str(services.path) in page.folder.text()


def test_backup_now_writes_a_copy(window, services, tmp_path, qtbot):
    page = window.show_page("settings")
    target = tmp_path / "copy.sqlite3"
    page.backup_now(target)
    qtbot.waitUntil(lambda: target.exists() and "copy.sqlite3" in page.result.text(), timeout=10000)
    from services.app import Services

    with Services.open(target) as copy:
        assert len(copy.list_debts()) == len(services.list_debts())


def test_empty_database_greets_and_loads_demo(empty_services, qtbot):
    w = _window_on(empty_services, qtbot)
    page = w.show_page("dashboard")
    assert page.stack.currentWidget() is page.welcome
    page.welcome.demo_button.click()
    assert len(empty_services.list_debts()) == 6
    assert page.stack.currentWidget() is page.body


def test_user_error_is_a_message_not_a_crash(qtbot):
    import ui.errors
    from services.errors import UserError

    ui.errors.shown.clear()
    ui.errors.show_exception(UserError("The file is locked."))
    assert ui.errors.shown == [("errorMessage", "The file is locked.")]
    ui.errors.show_exception(KeyError("bug"))
    assert ui.errors.shown[-1][0] == "crashDialog"


def test_language_switch_relabels_without_restart(window, qtbot):
    debts = window.show_page("debts")
    assert window.sidebar.item(0).text() == "Overview"
    with qtbot.waitSignal(window.context.language_changed):
        window.switch_language("zh_CN")
    assert window.sidebar.item(0).text() == "概览"
    assert debts.title.text() == "债务"
    assert debts.model.headerData(0, Qt.Orientation.Horizontal) == "债务名称"
    assert "¥" in debts.model.index(0, 3).data() and "CN¥" not in debts.model.index(0, 3).data()
    from PySide6.QtWidgets import QDialogButtonBox

    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save)
    assert buttons.button(QDialogButtonBox.StandardButton.Save).text() == "保存"  # Qt's own texts too
    window.switch_language("en_US")
    assert debts.title.text() == "Debts"


def test_shortcuts_switch_pages(window, qtbot):
    from PySide6.QtTest import QTest

    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    QTest.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.current == "plan"
    assert isinstance(window.pages["plan"].title, QLabel)


def test_restore_replaces_data_and_keeps_a_safety_copy(window, services, tmp_path, demo_template):
    page = window.show_page("settings")
    debt = services.list_debts()[0]
    services.remove_debt(debt.id)
    before = len(services.list_debts())
    page.restore(demo_template)
    assert len(services.list_debts()) == before + 1
    assert "demo.sqlite3" in page.result.text()
    assert list((tmp_path / "backups").glob("*.sqlite3"))


def test_restore_from_a_broken_file_changes_nothing(window, services, tmp_path):
    import ui.errors

    page = window.show_page("settings")
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json", encoding="utf-8")
    before = len(services.list_debts())
    from services.errors import UserError

    with pytest.raises(UserError):
        page.restore(bad)
    assert len(services.list_debts()) == before
    assert ui.errors.shown == []


def test_budget_leads_into_letters_and_reminders(window):
    page = window.show_page("budget")
    page.letters_button.click()
    assert window.current == "letters"
    letters = window.pages["letters"]
    if hasattr(letters, "kind_box"):
        assert letters.kind_box.currentData() == "proposal"
    window.show_page("budget")
    page.reminders_button.click()
    assert window.current == "reminders"


def test_record_payment_from_anywhere_preselects_the_debt(window, services, monkeypatch):
    from ui.dialogs.payment import PaymentDialog

    opened = []
    monkeypatch.setattr(PaymentDialog, "exec", lambda self: opened.append(self.debt.currentData()) or 0)
    debt = services.list_debts()[2]
    window.record_payment(debt.id)
    assert window.current == "payments"
    assert opened == [debt.id]


def test_ctrl_n_opens_the_editor_and_ctrl_z_undoes(window, services, qtbot, monkeypatch):
    from PySide6.QtTest import QTest

    from ui.dialogs.debt_editor import DebtEditor

    opened = []
    monkeypatch.setattr(DebtEditor, "exec", lambda self: opened.append(self) or 0)
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.current == "debts" and len(opened) == 1
    page = window.pages["debts"]
    debt = services.list_debts()[0]
    page.select_debt(debt.id)
    page.archive_button.click()
    assert services.get_debt(debt.id).status is DebtStatus.ARCHIVED
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert services.get_debt(debt.id).status is debt.status


def test_uncaught_errors_go_through_the_hook(qtbot, monkeypatch):
    import sys

    import ui.errors
    from services.errors import UserError

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    ui.errors.install_excepthook()
    ui.errors.shown.clear()
    try:
        raise UserError("Disk full: nothing was saved.")
    except UserError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    try:
        raise RuntimeError("bug")
    except RuntimeError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    assert ui.errors.shown[0] == ("errorMessage", "Disk full: nothing was saved.")
    assert ui.errors.shown[1][0] == "crashDialog"


def test_dark_colours_on_request_and_back(window):
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    page = window.show_page("settings")
    page.scheme.setCurrentIndex(page.scheme.findData("dark"))
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128
    page.scheme.setCurrentIndex(page.scheme.findData("system"))
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() >= 128


def test_a_restore_failing_after_the_file_was_closed_leaves_it_open(
    window, context, tmp_path, demo_template, monkeypatch
):
    # The backup is sound (verified before anything is closed), then the swap itself fails: the
    # data file is as it was and the window works on it again, not on a closed database.
    import services.safety
    from services.errors import StorageError

    def failing_swap(*_args, **_kwargs):
        raise StorageError("the disk is full")

    monkeypatch.setattr(services.safety, "restore", failing_swap)
    page = window.show_page("settings")
    before = len(context.services.list_debts())
    old = context.services
    with pytest.raises(StorageError):
        page.restore(demo_template)
    assert context.services is not old  # the reopened file, not the closed one
    assert len(context.services.list_debts()) == before
    context.services.add_payment(
        context.services.list_debts()[0].id, "1.00", context.today()
    )  # it takes writes again
