"""Tray scheduler with a fake clock on a real database: the right reminder at the right minute, once;
banner; close to tray."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

import ui.tray
from services import reminders
from tests.reminder_db import ReminderServices
from ui.context import AppContext
from ui.tray import OverdueBanner, ReminderScheduler, TrayController, start_reminders


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def today(self) -> date:
        return self.now.date()


@pytest.fixture
def svc(tmp_path):
    real = ReminderServices.open(tmp_path / "reminders.sqlite3")
    real.add("Baitiao", "3000", date(2026, 9, 25), 6, 25)  # 500 due on the 25th
    real.pay(1, date(2026, 10, 24), "500")
    real.set_setting("reminders.last_fired", json.dumps({"1": "2026-11-21T00:00:00"}))
    with real:
        yield real


@pytest.fixture
def clock():
    return Clock(datetime(2026, 11, 21, 0, 0))


@pytest.fixture
def context(svc, clock):
    return AppContext(svc, today=clock.today)


def test_scheduler_fires_each_reminder_once_at_its_minute(qtbot, context, clock):
    scheduler = ReminderScheduler(context, now=clock)
    fired_at = []
    scheduler.reminders_fired.connect(lambda rs: fired_at.extend((clock.now, r.kind.value) for r in rs))
    end = datetime(2026, 11, 26, 12, 0)
    while clock.now <= end:
        scheduler.check()
        clock.now += timedelta(minutes=10)
    assert fired_at == [
        (datetime(2026, 11, 22, 9, 0), "before"),
        (datetime(2026, 11, 24, 9, 0), "before"),
        (datetime(2026, 11, 25, 9, 0), "due_day"),
        (datetime(2026, 11, 26, 9, 0), "overdue"),
    ]


def test_timer_checks_by_itself(qtbot, context, clock):
    clock.now = datetime(2026, 11, 22, 9, 0)
    scheduler = ReminderScheduler(context, now=clock, interval_ms=20)
    with qtbot.waitSignal(scheduler.reminders_fired, timeout=2000) as blocker:
        scheduler.start()
    assert [r.days_before for r in blocker.args[0]] == [3]
    scheduler.stop()


def test_missed_reminders_catch_up_in_one_banner_message(qtbot, context, clock):
    banner = OverdueBanner(context)
    qtbot.addWidget(banner)
    controller = TrayController(
        context, scheduler=ReminderScheduler(context, now=clock), banner=banner, use_tray=False
    )
    clock.now = datetime(2026, 11, 27, 8, 0)  # computer off since Nov 21
    fired = controller.scheduler.check()
    # By now the Nov 25 instalment is arrears: reminded of on its day and daily since (Nov 25, Nov 26).
    assert len(fired) == 1 and fired[0].missed == 2
    lines = banner.lines()
    assert lines[0].startswith("Overdue: Baitiao") and "2 reminders" in lines[0]
    assert not banner.isHidden()
    assert controller.scheduler.check() == []
    with qtbot.waitSignal(controller.record_payment_requested) as blocker:
        banner.findChild(QPushButton, "record_1").click()
    assert blocker.args == [1]
    banner.findChild(QPushButton, "dismiss").click()
    # Still overdue: the banner keeps the arrears line, without the reminder message.
    assert banner.lines() == ["Baitiao: CN¥500.00 overdue since Nov 25, 2026"]


def test_banner_hides_when_nothing_is_urgent(qtbot, context, clock, svc):
    banner = OverdueBanner(context)
    qtbot.addWidget(banner)
    assert banner.isHidden()
    clock.now = datetime(2026, 11, 25, 10, 0)
    context.notify("reminders")
    assert banner.lines() == ["Baitiao: CN¥500.00 due today"]
    svc.pay(1, date(2026, 11, 25), "500")
    context.notify("payments")
    assert banner.lines() == [] and banner.isHidden()


def test_tray_message_and_record_action(qtbot, context, clock):
    controller = TrayController(context, scheduler=ReminderScheduler(context, now=clock), use_tray=True)
    shown = []
    controller.tray.showMessage = lambda title, body, *a: shown.append((title, body))
    clock.now = datetime(2026, 11, 24, 9, 0)
    controller.scheduler.check()
    assert shown[0][0] == "Payment coming: Baitiao"
    assert "due tomorrow" in shown[0][1] and "record the payment" in shown[0][1]
    with qtbot.waitSignal(controller.record_payment_requested) as blocker:
        controller.tray.messageClicked.emit()
    assert blocker.args == [1]
    labels = [a.text() for a in controller.tray.contextMenu().actions()]
    assert "Record payment: Baitiao" in labels
    assert context.extras["tray"] is controller


def test_close_minimises_to_tray_only_when_asked(qtbot, context, svc):
    window = QWidget()
    qtbot.addWidget(window)
    controller = TrayController(context, use_tray=True)
    controller.tray.showMessage = lambda *a: None
    controller.install_close_to_tray(window)
    window.show()
    reminders.set_close_to_tray(svc, True)
    assert window.close() is False and window.isHidden()
    window.show()
    reminders.set_close_to_tray(svc, False)
    assert window.close() is True
    QApplication.setQuitOnLastWindowClosed(True)


def test_quit_from_the_tray_menu_closes_even_with_close_to_tray(qtbot, context, svc, monkeypatch):
    window = QWidget()
    qtbot.addWidget(window)
    controller = TrayController(context, use_tray=True)
    controller.tray.showMessage = lambda *a: None
    controller.install_close_to_tray(window)
    reminders.set_close_to_tray(svc, True)
    window.show()
    quits = []
    monkeypatch.setattr(QApplication, "quit", lambda: quits.append(True))
    quit_action = controller.tray.contextMenu().actions()[-1]
    assert quit_action.text() == "Quit"
    quit_action.trigger()
    # Closed for real: the tray path would have kept the program alive after its last window.
    assert window.isHidden() and quits == [True] and QApplication.quitOnLastWindowClosed()


def test_without_a_tray_closing_closes(qtbot, context, svc):
    window = QWidget()
    qtbot.addWidget(window)
    controller = TrayController(context, use_tray=False)
    controller.install_close_to_tray(window)
    reminders.set_close_to_tray(svc, True)
    window.show()
    assert window.close() is True
    assert window.testAttribute(Qt.WidgetAttribute.WA_WState_Hidden)


def test_start_reminders_wires_the_window(qtbot, context, clock, monkeypatch):
    from PySide6.QtWidgets import QSystemTrayIcon

    from ui.pages.reminders import RemindersPage

    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))

    class Now(datetime):  # the window's scheduler reads the time of day from the system clock
        @classmethod
        def now(cls, tz=None):  # noqa: ANN001, ANN206 (datetime's own signature)
            return clock.now

    monkeypatch.setattr(ui.tray, "datetime", Now)
    window = QWidget()
    qtbot.addWidget(window)
    opened = []
    clock.now = datetime(2026, 11, 22, 9, 30)
    controller, banner = start_reminders(context, window, opened.append)
    qtbot.waitUntil(lambda: bool(banner.lines()), timeout=2000)  # the start-up check ran
    assert banner.lines()[0].startswith("Payment coming: Baitiao")
    banner.findChild(QPushButton, "record_1").click()
    page = RemindersPage(context)
    qtbot.addWidget(page)
    page.table.doubleClicked.emit(page.model.index(0, 0))
    assert opened == [1, 1]
    controller.scheduler.stop()


def test_a_failing_check_waits_for_the_next_minute(qtbot, context, clock, monkeypatch):
    from services.errors import UserError

    def locked(*_args):
        raise UserError("The database is locked")

    monkeypatch.setattr(reminders, "fire_due_reminders", locked)
    scheduler = ReminderScheduler(context, now=clock)
    assert scheduler.check() == []
