"""A first use with the keyboard only, in both languages: no mouse event anywhere.

From an empty database, with the clock at 2026-11-23: Ctrl+N adds a Baitiao debt (its start date and
its arrears since 2026-07-26 typed in), Ctrl+R records a payment of 500, and the Letters page (its
Ctrl+number) writes a negotiation letter and saves it as a PDF, reached by the Alt+letter mnemonics.
Every key goes through QTest.keyClick/keyClicks to the widget that has the focus, as from a keyboard.
Modal dialogs run their real widgets: ``exec`` is replaced by "show, let the person type, return the result".

The journey is a list of steps; a step slots in where it belongs (the guide, once the window has it).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog

from ui.pages import PAGE_KEYS

AS_OF = date(2026, 11, 23)


class NoMouse(QObject):
    """Fails the test on any mouse press: the journey must need none."""

    def __init__(self) -> None:
        super().__init__()
        self.pressed: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            self.pressed.append(type(watched).__name__)
        return False


@pytest.fixture(params=["zh_CN", "en_US"])
def lang(request: pytest.FixtureRequest) -> str:
    from resources.i18n import set_language

    set_language(request.param)  # tests/conftest.py puts en_US back afterwards
    return request.param


@pytest.fixture
def keyboard_window(lang, empty_services, qtbot):
    from ui.app import make_application
    from ui.context import AppContext
    from ui.main_window import MainWindow
    from ui.qtlang import install_qt_translations

    app = make_application()
    install_qt_translations(lang)
    context = AppContext(empty_services, today=lambda: AS_OF)
    window = MainWindow()
    qtbot.addWidget(window)
    window.attach(context)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    guard = NoMouse()
    app.installEventFilter(guard)
    yield window
    app.removeEventFilter(guard)
    assert guard.pressed == []
    from ui.worker import wait_for_tasks

    wait_for_tasks()
    window.context = None  # the fixture closes the database
    install_qt_translations("en_US")


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """One key to whatever has the keyboard focus now."""
    target = QApplication.focusWidget() or QApplication.activeWindow()
    assert target is not None
    QTest.keyClick(target, key, modifier)


def type_text(text: str) -> None:
    target = QApplication.focusWidget()
    assert target is not None
    QTest.keyClicks(target, text)


def run_modal(monkeypatch, dialog_class, act: Callable[[object], None]) -> list:
    """The next ``dialog_class.exec()`` shows the dialog and waits in its own event loop, as exec does,
    while ``act`` types into it; it returns the dialog's result."""
    seen: list = []
    failures: list[BaseException] = []

    def fake_exec(self):
        self.show()
        seen.append(self)
        loop = QEventLoop()
        self.finished.connect(loop.quit)

        def typing() -> None:
            try:
                self.activateWindow()  # as the window system does for a new dialog
                QApplication.processEvents()
                assert QTest.qWaitForWindowActive(self.windowHandle()), "the dialog is not the active window"
                assert QApplication.activeWindow() is self
                act(self)
            except BaseException as exc:  # reported by the test, after the loop ends
                failures.append(exc)
            if self.isVisible():
                self.reject()

        QTimer.singleShot(0, typing)
        QTimer.singleShot(30000, loop.quit)  # never wait forever
        loop.exec()
        owner = self.parentWidget()
        if owner is not None:  # the window system gives the window back its focus
            owner.window().activateWindow()
            QApplication.processEvents()
        if failures:
            raise failures[0]
        return self.result()

    monkeypatch.setattr(dialog_class, "exec", fake_exec)
    return seen


# --- the steps ------------------------------------------------------------------------------------


def add_debt(window, qtbot, monkeypatch, _tmp_path) -> None:
    """Ctrl+N: the editor opens on its first field; the Baitiao preset stays; amount and arrears typed."""
    from ui.dialogs.debt_editor import DebtEditor

    def fill(editor) -> None:
        assert editor.focusWidget() is editor.kind  # the first field, Baitiao preselected
        press(Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)  # the amount borrowed
        assert editor.focusWidget() is editor.principal
        type_text("6000")
        press(Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)  # the start date, its text selected
        assert editor.focusWidget() is editor.start_date
        type_text("2026-01-15")
        press(Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)  # "I have already missed a payment"
        qtbot.waitUntil(editor.overdue_check.isChecked, timeout=2000)  # Qt clicks it as if pressed
        press(Qt.Key.Key_Tab)
        assert editor.focusWidget() is editor.overdue_since  # Tab reaches the date, its text selected
        type_text("2026-07-26")
        press(Qt.Key.Key_Tab)
        qtbot.waitUntil(lambda: editor.summary.text() == "", timeout=3000)
        assert [e.text() for e in editor.errors.values() if e.text()] == []
        press(Qt.Key.Key_Return)  # saves

    seen = run_modal(monkeypatch, DebtEditor, fill)
    press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert len(seen) == 1 and seen[0].result() == DebtEditor.DialogCode.Accepted
    (debt,) = window.context.services.list_debts()
    assert debt.principal == Decimal("6000.00")
    assert debt.start_date == date(2026, 1, 15)
    assert debt.overdue_since == date(2026, 7, 26)


def record_payment(window, qtbot, monkeypatch, _tmp_path) -> None:
    """Ctrl+R: the payment dialog; Alt+A to the amount, 500 typed over what was filled in, Enter."""
    from ui.dialogs.payment import PaymentDialog

    def pay(dialog) -> None:
        assert dialog.focusWidget() is dialog.debt
        press(Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
        assert dialog.focusWidget() is dialog.amount
        press(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        type_text("500")
        press(Qt.Key.Key_Return)

    seen = run_modal(monkeypatch, PaymentDialog, pay)
    press(Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert len(seen) == 1
    (debt,) = window.context.services.list_debts()
    (payment,) = window.context.services.list_payments(debt.id)
    assert payment.amount == Decimal("500.00") and payment.date == AS_OF


def make_letter(window, qtbot, monkeypatch, tmp_path) -> None:
    """The Letters page by its Ctrl+number; Alt+N for my name, Alt+W writes, Alt+S saves the PDF."""
    from ui.worker import wait_for_tasks

    target = tmp_path / "letter.pdf"
    asked = []

    def save_as(_parent=None, _caption="", suggested="", *_a, **_k):
        asked.append(suggested)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    number = PAGE_KEYS.index("letters") + 1
    press(getattr(Qt.Key, f"Key_{number % 10}"), Qt.KeyboardModifier.ControlModifier)
    page = window.pages["letters"]
    assert window.stack.currentWidget() is page
    press(Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)  # my full name (asked for: none is kept yet)
    assert QApplication.focusWidget() is page.person_fields["name"]
    type_text("Li Ming")
    from ui.pages.letters import BudgetQuestion

    def budget(dialog) -> None:  # no budget is kept yet: the letter asks for what it states
        assert dialog.focusWidget() is dialog.income
        type_text("8000")
        press(Qt.Key.Key_Tab)
        assert dialog.focusWidget() is dialog.no_income  # "I have no income at the moment", in order
        press(Qt.Key.Key_Tab)
        assert dialog.focusWidget() is dialog.expenses
        type_text("5000")
        press(Qt.Key.Key_Return)

    asked_budget = run_modal(monkeypatch, BudgetQuestion, budget)
    press(Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)  # write the letter (Qt presses the button)
    qtbot.waitUntil(lambda: len(asked_budget) == 1, timeout=5000)
    assert window.context.services.get_budget().income == Decimal("8000")
    qtbot.waitUntil(lambda: "Li Ming" in page.editor.toPlainText(), timeout=5000)
    press(Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)  # save the PDF
    qtbot.waitUntil(lambda: (wait_for_tasks(), target.exists())[1], timeout=20000)
    from resources.i18n import get_language
    from ui.files import documents_folder

    zh = get_language() == "zh_CN"
    assert Path(asked[0]) == documents_folder() / (
        "协商还款申请_2026-11-23.pdf" if zh else "negotiation-letter_2026-11-23.pdf"
    )
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    assert "Li Ming" in text


def open_guide(window, qtbot, _monkeypatch, _tmp_path) -> None:
    """F1 (Help > the guide): the answers for this debt and the steps; Tab reaches a step, Space ticks it."""
    press(Qt.Key.Key_F1)
    page = window.pages["guide"]
    assert window.stack.currentWidget() is page
    assert page.guide is not None
    assert "hometown_visit" in [a.topic for a in page.guide.answers]
    assert len(page.guide.steps) >= 3
    boxes = list(page.step_boxes.values())
    qtbot.waitUntil(boxes[0].isVisible, timeout=3000)  # the page is on screen, as a person sees it
    seen = []
    for _ in range(60):  # Tab through the page until the first step's box has the focus
        if QApplication.focusWidget() is boxes[0]:
            break
        seen.append(QApplication.focusWidget().objectName() or type(QApplication.focusWidget()).__name__)
        press(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is boxes[0], " ".join(seen)
    press(Qt.Key.Key_Space)
    assert boxes[0].isChecked()


# The guide goes after the payment: it answers what to do next.
JOURNEY = (add_debt, record_payment, open_guide, make_letter)


def test_a_first_use_with_the_keyboard_only(keyboard_window, qtbot, monkeypatch, tmp_path):
    for step in JOURNEY:
        step(keyboard_window, qtbot, monkeypatch, tmp_path)
