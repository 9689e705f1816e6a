"""Keyboard and screen readers: every control on every page and in every dialog has a name, Tab is never
trapped in a table, and the dialogs' fields have mnemonics that jump to them.

The name checked is the one a screen reader gets: Qt's accessibility interface (``QAccessible``), which
uses the accessible name, else the text of a button, else the label whose buddy the control is.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QScrollBar,
    QWidget,
)

from tests.ui.test_every_button import dialog_makers
from ui.pages import PAGE_KEYS

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(params=["zh_CN", "en_US"])
def lang(request: pytest.FixtureRequest, context) -> str:
    context.set_language(request.param)  # tests/conftest.py puts en_US back afterwards
    return request.param


def spoken_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def part_of_another_control(widget: QWidget) -> bool:
    """A spin box's or combo box's line edit, a view's viewport, a scroll bar: spoken as their owner."""
    parent = widget.parentWidget()
    if isinstance(widget, QScrollBar) or isinstance(parent, QAbstractSpinBox | QComboBox):
        return True
    return isinstance(parent, QAbstractScrollArea) and parent.viewport() is widget


def unnamed_controls(root: QWidget, skip: tuple[QWidget, ...] = ()) -> list[str]:
    """Focusable controls without a spoken name (those inside ``skip`` are left out)."""
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus or not widget.isVisibleTo(root):
            continue
        if part_of_another_control(widget) or any(s.isAncestorOf(widget) for s in skip):
            continue
        if not spoken_name(widget):
            found.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return found


def tab_traps(root: QWidget) -> list[str]:
    return [
        f"{type(v).__name__} {v.objectName()!r}"
        for v in root.findChildren(QAbstractItemView)
        if v.isVisibleTo(root) and v.tabKeyNavigation()
    ]


def test_every_page_names_every_control_and_no_table_traps_tab(window, lang, qtbot):
    problems = {}
    for key in PAGE_KEYS:
        page = window.show_page(key)
        qtbot.wait(1)
        found = unnamed_controls(page) + [f"traps Tab: {t}" for t in tab_traps(page)]
        if found:
            problems[key] = found
    assert problems == {}
    assert unnamed_controls(window, skip=tuple(window.pages.values())) == []  # the sidebar, the banner
    # The names are in the window's language: a table on the overview is named in Chinese in Chinese.
    table = window.pages["dashboard"].findChild(QAbstractItemView, "lenderTable")
    assert bool(CJK.search(spoken_name(table))) == (lang == "zh_CN")


def test_every_dialog_names_every_control(context, lang, qtbot):
    problems = {}
    for name, (make, _fill) in dialog_makers(context).items():
        dialog = make()
        qtbot.addWidget(dialog)
        dialog.show()
        found = unnamed_controls(dialog) + [f"traps Tab: {t}" for t in tab_traps(dialog)]
        if found:
            problems[name] = found
        dialog.reject()
    assert problems == {}


def test_the_dialogs_fields_have_mnemonics_that_reach_them(context, lang, qtbot):
    """Alt + the marked letter of a caption moves the focus to its field, in both languages."""
    from ui.dialogs.debt_editor import DebtEditor
    from ui.dialogs.payment import PaymentDialog

    editor = DebtEditor(context)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow, timeout=3000)
    for key, label in editor.captions.items():
        if not label.isVisible():
            continue
        text = label.text()
        assert "&" in text, key
        if lang == "zh_CN":
            assert re.search(r"\(&[A-Z]\)", text), text  # 产品(&P), as Chinese programs write it
    # Alt+S goes to the start date; Alt+M to the repayment method (letters no other caption shares).
    QTest.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert editor.focusWidget() is editor.start_date
    QTest.keyClick(editor, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    assert editor.focusWidget() is editor.method
    editor.reject()

    debts = context.services.list_debts(include_archived=False)
    dialog = PaymentDialog(context, debts, debts[0].id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
    captions = [label for label in dialog.findChildren(QLabel) if label.buddy() is not None]
    assert {label.buddy() for label in captions} >= {dialog.debt, dialog.amount, dialog.date, dialog.note}
    assert all("&" in label.text() for label in captions)
    QTest.keyClick(dialog, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    assert dialog.focusWidget() is dialog.amount
    dialog.reject()


def test_tab_walks_the_debt_editor_in_the_order_it_reads(context, qtbot):
    """From the first field, Tab visits the debt, then its arrears, then where it stands, then its terms."""
    from ui.dialogs.debt_editor import DebtEditor

    editor = DebtEditor(context)
    qtbot.addWidget(editor)
    editor.show()
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow, timeout=3000)
    assert editor.focusWidget() is editor.kind  # opens on its first field
    editor.overdue_check.setChecked(True)  # so that the arrears fields take part
    visited = [editor.focusWidget()]
    for _step in range(12):
        QTest.keyClick(editor.focusWidget(), Qt.Key.Key_Tab)
        visited.append(editor.focusWidget())
    expected = [
        editor.kind,
        editor.name,
        editor.lender,
        editor.principal,
        editor.start_date,
        editor.method,
        editor.months,
        editor.overdue_check,
        editor.overdue_since,
        editor.overdue_amount,
        editor.instalments_paid,
        editor.outstanding,
        editor.outstanding_as_of,
    ]
    assert visited == expected
