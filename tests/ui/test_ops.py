"""Op[T] and the change broadcast: results on the GUI thread, changes only to the pages concerned,
known problems in the person's language, bugs never swallowed, a progress dialog for slow work."""

from __future__ import annotations

import logging
import sys
import threading
import time
from pathlib import Path
from typing import Any, ClassVar

import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QVBoxLayout, QWidget

from ui.context import Changed, changed_from_name
from ui.ops import Op
from ui.pages.base import Page


class _Counting(Page):
    listens_to: ClassVar[Changed] = Changed.ALL

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.refreshes = 0

    def refresh(self) -> None:
        super().refresh()
        self.refreshes += 1


class BudgetOnly(_Counting):
    listens_to = Changed.BUDGET


class PaymentsAndDebts(_Counting):
    listens_to = Changed.PAYMENTS | Changed.DEBTS


def _host(context: Any, qtbot: Any) -> tuple[QWidget, QPushButton, BudgetOnly, PaymentsAndDebts]:
    host = QWidget()
    layout = QVBoxLayout(host)
    button = QPushButton("Go", host)
    budget, payments = BudgetOnly(context, host), PaymentsAndDebts(context, host)
    for widget in (button, budget, payments):
        layout.addWidget(widget)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    return host, button, budget, payments


def _settle(qtbot: Any, op: Op[Any]) -> None:
    qtbot.waitUntil(lambda: not op.running, timeout=20000)


def test_a_clicked_op_delivers_its_result_on_the_gui_thread_to_the_pages_concerned(context, qtbot):
    host, button, budget, payments = _host(context, qtbot)
    before = (budget.refreshes, payments.refreshes)
    seen: list[tuple[int, bool]] = []
    worker_threads: list[int] = []

    def work(services: Any) -> int:
        worker_threads.append(threading.get_ident())
        return len(services.list_debts())

    ops: list[Op[int]] = []
    button.clicked.connect(
        lambda: ops.append(
            Op(
                host,
                context,
                work,
                changes=Changed.PAYMENTS,
                on_success=lambda n: seen.append(
                    (n, QThread.currentThread() is QApplication.instance().thread())
                ),
            ).run_in_background()
        )
    )
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    _settle(qtbot, ops[0])
    assert seen == [(len(context.services.list_debts()), True)]
    assert worker_threads and worker_threads[0] != threading.get_ident()  # the work ran off the GUI thread
    assert payments.refreshes == before[1] + 1
    assert budget.refreshes == before[0]  # a PAYMENTS change is none of the budget page's business


def test_the_broadcast_reaches_exactly_the_pages_that_listen(context, qtbot):
    _host_widget, _button, budget, payments = _host(context, qtbot)
    start = (budget.refreshes, payments.refreshes)
    context.broadcast(Changed.BUDGET)
    assert (budget.refreshes, payments.refreshes) == (start[0] + 1, start[1])
    context.broadcast(Changed.DEBTS | Changed.REMINDERS)
    assert (budget.refreshes, payments.refreshes) == (start[0] + 1, start[1] + 1)
    context.broadcast(Changed.ALL)
    assert (budget.refreshes, payments.refreshes) == (start[0] + 2, start[1] + 2)
    context.broadcast(Changed.NONE)  # nothing changed: nobody re-reads
    assert (budget.refreshes, payments.refreshes) == (start[0] + 2, start[1] + 2)
    with pytest.raises(TypeError):
        context.broadcast("payments")  # type: ignore[arg-type]
    assert changed_from_name("all") is Changed.ALL
    with pytest.raises(ValueError):
        changed_from_name("debt")  # a misspelt name is an error, not a change nobody hears


def test_the_window_pages_declare_what_concerns_them(window):
    from ui.pages import PAGE_KEYS

    for key in PAGE_KEYS:
        page = window.show_page(key)
        assert isinstance(page.listens_to, Changed) and page.listens_to, key
    assert not window.pages["settings"].listens_to & Changed.PAYMENTS
    assert window.pages["payments"].listens_to & Changed.PAYMENTS


def test_a_known_problem_is_shown_in_chinese_in_the_chinese_window_and_changes_nothing(
    window, context, qtbot, tmp_path, monkeypatch
):
    import ui.errors
    import ui.files
    from services import safety

    shown: list[tuple[str, str, str]] = []
    monkeypatch.setattr(
        ui.errors, "_present", lambda box: shown.append((box.objectName(), box.windowTitle(), box.text()))
    )
    good = safety.backup_now(context.services, out=tmp_path / "good.sqlite3")
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(good.read_bytes()[:5000])  # cut short, as by a full USB stick
    monkeypatch.setattr(ui.files, "ask_open_path", lambda *_a, **_k: damaged)
    names = sorted(d.name for d in context.services.list_debts())
    context.set_language("zh_CN")
    try:
        page = window.show_page("settings")
        QTest.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(shown), timeout=20000)
    finally:
        context.set_language("en_US")
    ((kind, title, text),) = shown
    assert kind == "errorMessage"
    assert title == "无法恢复备份"  # "The backup could not be restored"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text  # the reason too, in Chinese
    assert window.isEnabled()  # the window waited for the restore, and is back
    assert sorted(d.name for d in context.services.list_debts()) == names


def test_restore_by_click_runs_through_an_op_and_every_page_shows_the_restored_data(
    window, context, qtbot, tmp_path, monkeypatch
):
    import ui.files
    from services import safety

    good = safety.backup_now(context.services, out=tmp_path / "good.sqlite3")
    count = len(context.services.list_debts())
    context.services.remove_debt(context.services.list_debts()[0].id)
    debts = window.show_page("debts")
    debts.refresh()
    assert debts.model.rowCount() == count - 1
    monkeypatch.setattr(ui.files, "ask_open_path", lambda *_a, **_k: good)
    page = window.show_page("settings")
    QTest.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.result.text().startswith("Restored from"), timeout=20000)
    assert len(context.services.list_debts()) == count
    assert window.show_page("debts").model.rowCount() == count


def test_an_unexpected_error_is_not_swallowed(context, qtbot):
    host, button, budget, _payments = _host(context, qtbot)
    before = budget.refreshes
    succeeded: list[object] = []
    ops: list[Op[None]] = []

    def broken(_services: Any) -> None:
        raise RuntimeError("simulated fault")

    button.clicked.connect(
        lambda: ops.append(
            Op(host, context, broken, changes=Changed.BUDGET, on_success=succeeded.append).run_in_background()
        )
    )
    with qtbot.captureExceptions() as raised:
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        _settle(qtbot, ops[0])
        qtbot.waitUntil(lambda: bool(raised), timeout=5000)
    assert [type(exc) for _type, exc, _tb in raised] == [RuntimeError]
    assert succeeded == [] and budget.refreshes == before  # a failed op changes nothing it says


@pytest.mark.qt_no_exception_capture
def test_the_installed_hook_reports_a_bug_from_an_op_loudly_with_what_was_being_done(
    context, qtbot, monkeypatch, caplog
):
    import ui.errors

    shown: list[tuple[str, str, str]] = []
    monkeypatch.setattr(
        ui.errors, "_present", lambda box: shown.append((box.objectName(), box.windowTitle(), box.text()))
    )
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    ui.errors.install_excepthook()
    host, _button, _budget, _payments = _host(context, qtbot)

    def broken(_services: Any) -> None:
        raise KeyError("simulated fault")

    with caplog.at_level(logging.ERROR):
        op = Op(
            host,
            context,
            broken,
            title="The plan was not saved",
            outcome="The plan was not saved; your data was not changed.",
        ).run_in_background()
        _settle(qtbot, op)
        qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    ((kind, title, text),) = shown
    assert (kind, title) == ("crashDialog", "The plan was not saved")
    assert text.startswith("The plan was not saved; your data was not changed.")
    assert any("simulated fault" in r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)


def _progress_dialogs() -> list[QProgressDialog]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QProgressDialog) and w.objectName() == "opProgress" and w.isVisible()
    ]


def test_a_slow_op_shows_a_progress_dialog_without_cancel_and_closes_it(context, qtbot):
    host, _button, _budget, _payments = _host(context, qtbot)
    release = threading.Event()

    def slow(_services: Any) -> str:
        release.wait(10)
        return "done"

    results: list[str] = []
    op = Op(host, context, slow, on_success=results.append, progress="Making the PDF…").run_in_background()
    qtbot.waitUntil(lambda: bool(_progress_dialogs()), timeout=5000)
    (dialog,) = _progress_dialogs()
    assert dialog.labelText() == "Making the PDF…"
    assert dialog.findChildren(QPushButton) == []  # this op cannot be cancelled: no Cancel button
    release.set()
    _settle(qtbot, op)
    qtbot.waitUntil(lambda: not _progress_dialogs(), timeout=5000)
    assert results == ["done"]


def test_a_quick_op_shows_no_progress_and_a_cancelled_one_delivers_nothing(context, qtbot):
    host, _button, _budget, _payments = _host(context, qtbot)
    quick: list[int] = []
    op = Op(host, context, lambda _s: 1, on_success=quick.append, progress="Exporting…").run_in_background()
    _settle(qtbot, op)
    assert quick == [1]
    QTest.qWait(700)  # past the half second: the finished op never shows its dialog
    assert not _progress_dialogs()

    started = time.monotonic()
    delivered: list[str] = []

    def stoppable(_services: Any) -> str:
        while not slow_op.cancelled and time.monotonic() - started < 10:
            time.sleep(0.02)
        return "stopped early"

    slow_op: Op[str] = Op(
        host, context, stoppable, on_success=delivered.append, progress="Making the PDF…", cancellable=True
    )
    slow_op.run_in_background()
    qtbot.waitUntil(lambda: bool(_progress_dialogs()), timeout=5000)
    (dialog,) = _progress_dialogs()
    (cancel,) = dialog.findChildren(QPushButton)
    QTest.mouseClick(cancel, Qt.MouseButton.LeftButton)
    _settle(qtbot, slow_op)
    assert slow_op.cancelled and delivered == []
    assert time.monotonic() - started < 5


def test_export_from_the_file_menu_runs_through_an_op(window, qtbot, tmp_path, monkeypatch):
    import ui.files

    out = tmp_path / "export.json"
    monkeypatch.setattr(ui.files, "ask_save_path", lambda *_a, **_k: out)
    window.act_export_json.trigger()
    qtbot.waitUntil(lambda: str(out) in window.statusBar().currentMessage(), timeout=20000)
    assert out.read_bytes().startswith(b"{")
    assert Path(out).stat().st_mode & 0o077 == 0  # private
