"""The demo database under a fake clock: the tray shows the right reminders at the right times."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from domain.schedules import schedule_for
from services.app import Services
from services.demo import build_demo
from ui.context import AppContext
from ui.tray import ReminderScheduler, TrayController

AS_OF = date(2026, 11, 23)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def today(self) -> date:
        return self.now.date()


@pytest.fixture
def demo(tmp_path):
    svc = Services.open(tmp_path / "demo.sqlite3")
    build_demo(svc, AS_OF)
    yield svc
    svc.close()


def ids_by_name(svc):
    return {d.name: d.id for d in svc.list_debts()}


def test_demo_week_under_a_fake_clock(qtbot, demo):
    ids = ids_by_name(demo)
    baitiao, card = ids["京东白条 12期"], ids["招商银行信用卡"]
    # The dates the expectations below rest on, read from the schedules themselves.
    assert date(2026, 11, 26) in [r.due_date for r in schedule_for(demo.get_debt(baitiao)).rows]
    assert date(2026, 11, 25) in [r.due_date for r in schedule_for(demo.get_debt(card)).rows]

    clock = Clock(datetime(2026, 11, 23, 8, 0))
    context = AppContext(demo, today=clock.today)
    tray = TrayController(context, scheduler=ReminderScheduler(context, now=clock), use_tray=True)
    shown = []
    tray.tray.showMessage = lambda title, body, *a: shown.append((clock.now, title))
    fired = []
    tray.scheduler.reminders_fired.connect(
        lambda rs: fired.extend((clock.now, r.debt_id, r.kind.value, r.missed) for r in rs)
    )
    # Checks around each morning's 09:00 and in the evening (a check a minute would do the same, slower).
    moments = [
        datetime(2026, 11, d, 8, 0) + timedelta(minutes=m)
        for d in range(23, 29)
        for m in (0, 59, 60, 61, 120, 720)
    ]
    for moment in moments:
        clock.now = moment
        tray.scheduler.check()
        if clock.now == datetime(2026, 11, 27, 10, 0):
            demo.add_payment(card, "2309.37", date(2026, 11, 27))  # the card is paid late
    day = lambda d, h=9: datetime(2026, 11, d, h, 0)  # noqa: E731
    # Baitiao (no rule of its own: the defaults 3 and 1 days before, due day, daily while overdue) is in
    # arrears since July: every morning. The card's stored rule is 3 and 1 days before (no due-day
    # reminder); once its Nov 25 instalment is left unpaid it is overdue and reminded of daily, until paid.
    assert fired == [
        (day(23, 8), baitiao, "overdue", 1),  # start-up: yesterday's 09:00 arrears reminder, once
        (day(23, 8), card, "before", 1),  # and yesterday's "3 days before Nov 25", once
        (day(23), baitiao, "overdue", 2),  # arrears + 3 days before Nov 26, in one message
        (day(24), baitiao, "overdue", 1),
        (day(24), card, "before", 1),  # 1 day before Nov 25
        (day(25), baitiao, "overdue", 2),  # arrears + 1 day before Nov 26
        (day(26), baitiao, "overdue", 2),  # arrears + the Nov 26 due day
        (day(26), card, "overdue", 1),  # Nov 25 passed unpaid
        (day(27), baitiao, "overdue", 1),
        (day(27), card, "overdue", 1),
        (day(28), baitiao, "overdue", 1),  # the card was paid on Nov 27: quiet again
    ]
    assert len(shown) == 7  # one message per check that fired, however many debts
    assert shown[0] == (day(23, 8), "2 payment reminders")
    assert shown[2] == (day(24), "2 payment reminders")
    assert shown[1] == (day(23), "Overdue: 京东白条 12期")
