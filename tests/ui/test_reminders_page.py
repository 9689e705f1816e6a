"""The Reminders page: coming dues, the rule editor, calendar export and the start-up toggles."""

from __future__ import annotations

from datetime import date, time

import pytest
from icalendar import Calendar
from PySide6.QtCore import Qt

from domain.reminders import ReminderRule
from resources.i18n import set_language
from services import reminders
from tests.reminder_db import ReminderServices
from ui.context import AppContext
from ui.pages.reminders import RemindersPage

TODAY = date(2026, 11, 23)


@pytest.fixture
def svc(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setattr("sys.platform", "linux")
    real = ReminderServices.open(tmp_path / "reminders.sqlite3")
    real.add("京东白条", "3000", date(2026, 9, 25), 6, 25)
    real.pay(1, date(2026, 10, 24), "500")
    real.add("Card", "6000", date(2026, 7, 5), 6, 5)
    with real:
        yield real


@pytest.fixture
def page(qtbot, svc):
    widget = RemindersPage(AppContext(svc, today=lambda: TODAY))
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    return widget


def test_lists_the_coming_dues(page, qtmodeltester):
    qtmodeltester.check(page.model)
    model = page.model
    rows = [[model.data(model.index(r, c)) for c in range(4)] for r in range(model.rowCount())]
    # 30 days from Nov 23: Baitiao Nov 25 and the card Dec 5 (Baitiao Dec 25 is past the window).
    assert rows == [
        ["京东白条", "Nov 25, 2026", "CN¥500.00", "due in 2 days (Nov 25, 2026)"],
        ["Card", "Dec 5, 2026", "CN¥1,000.00", "due in 12 days (Dec 5, 2026)"],
    ]
    page.window_days.setValue(40)
    assert model.rowCount() == 3


def test_double_click_asks_to_record_a_payment(qtbot, page):
    index = page.model.index(1, 0)
    with qtbot.waitSignal(page.record_payment_requested) as blocker:
        page.table.doubleClicked.emit(index)
    assert blocker.args == [2]


def test_rule_editor_saves_per_debt_and_defaults(page, svc):
    page.select_debt(2)
    assert page.follow_defaults.isChecked() and not page.due_day_box.isEnabled()
    page.follow_defaults.setChecked(False)
    page.day_boxes[3].setChecked(False)
    page.overdue_box.setChecked(False)
    page.save_rule()
    assert reminders.own_rule(svc, 2) == ReminderRule((1,), True, False, time(9, 0))
    assert reminders.own_rule(svc, 1) is None
    page.select_debt(None)
    page.day_boxes[1].setChecked(False)
    page.save_rule()
    assert reminders.default_rule(svc) == ReminderRule((3,), True, True, time(9, 0))
    page.select_debt(2)
    page.follow_defaults.setChecked(True)
    page.save_rule()
    assert reminders.own_rule(svc, 2) is None


def test_other_days_in_a_rule_survive_an_edit(page, svc):
    reminders.set_rule(svc, 1, ReminderRule((7, 3), True, True, time(8, 0)))
    page.refresh()
    page.select_debt(1)
    page.day_boxes[1].setChecked(True)
    page.save_rule()
    assert reminders.own_rule(svc, 1).days_before == (7, 3, 1)


def test_export_button_writes_a_calendar(page, tmp_path):
    path = page.export_calendar(tmp_path / "dues.ics")
    assert path == tmp_path / "dues.ics"
    events = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    # Baitiao Nov 25 .. Mar 25 (Oct 25 was paid), the card Dec 5 and Jan 5.
    assert len(events) == 5 + 2
    assert "Wrote 7 due dates" in page.status.text()


def test_start_at_login_and_tray_toggles(page, svc, tmp_path):
    entry = tmp_path / "config" / "autostart" / "debtkeeper.desktop"
    assert not page.autostart_box.isChecked()
    page.autostart_box.setChecked(True)
    assert entry.is_file()
    page.autostart_box.setChecked(False)
    assert not entry.exists()
    assert not page.tray_box.isChecked()
    page.tray_box.setChecked(True)
    assert reminders.close_to_tray(svc)


def test_chinese(page):
    set_language("zh_CN")
    page.context.language_changed.emit("zh_CN")
    assert page.title.text() == "还款提醒"
    assert page.model.headerData(1, Qt.Orientation.Horizontal) == "还款日"
    assert page.model.data(page.model.index(0, 2)) == "¥500.00"
