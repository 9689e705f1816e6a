"""Reminder use cases on a real database: rules in settings, firing recorded once, the calendar file."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from icalendar import Calendar

from domain.debts import DebtStatus
from domain.reminders import ReminderKind, ReminderRule
from services import reminders
from services.errors import NotFoundError, UserError
from tests.reminder_db import ReminderServices


@pytest.fixture
def svc(tmp_path):
    real = ReminderServices.open(tmp_path / "reminders.sqlite3")
    # 1: 6 × 500 on the 25th from Oct 25; 2: settled; 3: stated arrears since Sep 5.
    real.add("Baitiao", "3000", date(2026, 9, 25), 6, 25)
    real.add("Old loan", "1200", date(2026, 9, 10), 12, 26)
    real.set_status(2, DebtStatus.SETTLED)
    real.add(
        "Card",
        "6000",
        date(2026, 7, 5),
        6,
        5,
        overdue_since=date(2026, 9, 5),
        overdue_amount=Decimal("2000.00"),
    )
    real.pay(1, date(2026, 10, 24), "500")
    with real:
        yield real


def test_shipped_defaults_are_read_from_the_rules_file():
    rule = reminders.shipped_default_rule()
    assert rule == ReminderRule((3, 1), True, True, time(9, 0))


def test_rules_per_debt_with_defaults_in_settings(svc):
    assert reminders.rule_for(svc, 1) == reminders.shipped_default_rule()
    mine = ReminderRule(days_before=(5,), at=time(20, 0))
    reminders.set_default_rule(svc, mine)
    assert reminders.rule_for(svc, 1) == mine
    own = ReminderRule(on_due_day=True)
    reminders.set_rule(svc, 3, own)
    # The database's reminders table holds the days (0 = the due day) and the rule's details.
    stored = {r.debt_id: r for r in svc.list_reminders()}[3]
    assert (tuple(stored.days_before), stored.enabled) == ((0,), True)
    assert (stored.follow_defaults, stored.daily_while_overdue, stored.at) == (False, False, "09:00")
    assert reminders.rules_for(svc, [1, 3]) == {1: mine, 3: own}
    reminders.set_rule(svc, 3, None)
    assert reminders.rule_for(svc, 3) == mine
    with pytest.raises(NotFoundError):
        reminders.set_rule(svc, 99, own)


def test_a_broken_setting_falls_back_to_the_defaults(svc):
    svc.set_setting("reminders.rules.1", "{not json")
    svc.set_setting("reminders.default_rule", json.dumps({"days_before": [400]}))
    assert reminders.rule_for(svc, 1) == reminders.shipped_default_rule()


def test_dues_within_a_week(svc):
    dues = reminders.dues_within(svc, date(2026, 11, 20), 7)
    assert [(d.debt_id, d.due_date, d.amount, d.overdue) for d in dues] == [
        # Stated 2,000 since Sep 5, but Sep, Oct and Nov instalments of 1,000 are all unpaid now.
        (3, date(2026, 9, 5), Decimal("3000.00"), True),
        (1, date(2026, 11, 25), Decimal("500.00"), False),
    ]
    # Never watched by the program: a passed instalment is taken as paid (the person's word).
    late = reminders.dues_within(svc, date(2026, 11, 26), 0)
    assert [(d.debt_id, d.overdue) for d in late] == [(3, True)]
    # Once a check has seen the debt, an instalment left unpaid after its date joins the arrears.
    reminders.fire_due_reminders(svc, datetime(2026, 11, 20, 9, 0))
    late = reminders.dues_within(svc, date(2026, 11, 26), 0)
    assert [(d.debt_id, d.due_date, d.amount, d.overdue) for d in late] == [
        (3, date(2026, 9, 5), Decimal("3000.00"), True),
        (1, date(2026, 11, 25), Decimal("500.00"), True),
    ]
    with pytest.raises(UserError):
        reminders.dues_within(svc, date(2026, 11, 20), -1)


def test_firing_is_recorded_so_each_reminder_comes_once(svc):
    start = "2026-11-21T00:00:00"
    svc.set_setting("reminders.last_fired", json.dumps({"1": start, "3": start}))
    reminders.set_rule(svc, 3, ReminderRule())  # silence the card for this test
    fired = reminders.fire_due_reminders(svc, datetime(2026, 11, 22, 9, 0))
    assert [(r.debt_id, r.kind, r.days_before) for r in fired] == [(1, ReminderKind.BEFORE, 3)]
    assert reminders.last_fired(svc)[1] == datetime(2026, 11, 22, 9, 0)
    assert reminders.fire_due_reminders(svc, datetime(2026, 11, 22, 9, 1)) == []
    # Paid before the day-before reminder: nothing more for that instalment.
    svc.pay(1, date(2026, 11, 23), "500")
    assert reminders.fire_due_reminders(svc, datetime(2026, 11, 24, 9, 0)) == []
    # The next instalment's reminders start on Dec 22.
    fired = reminders.fire_due_reminders(svc, datetime(2026, 12, 22, 9, 0))
    assert [(r.debt_id, r.dues[0].due_date) for r in fired] == [(1, date(2026, 12, 25))]


def test_nothing_for_settled_debts(svc):
    fired = reminders.fire_due_reminders(svc, datetime(2026, 12, 31, 23, 0))
    assert 2 not in {r.debt_id for r in fired}
    assert all(d.debt_id != 2 for d in reminders.all_dues(svc, date(2026, 10, 1)))


def test_texts_in_both_languages(svc):
    fired = reminders.fire_due_reminders(svc, datetime(2026, 11, 23, 9, 0))
    card = next(r for r in fired if r.debt_id == 3)
    title, body = reminders.reminder_text(card, date(2026, 11, 23), "zh_CN")
    assert "逾期" in title and "¥3,000.00" in body and "2026年9月5日" in body
    title, body = reminders.reminder_text(card, date(2026, 11, 23), "en_US")
    assert title == "Overdue: Card" and "CN¥3,000.00" in body


def test_export_ics_writes_every_due_date(svc, tmp_path):
    path = tmp_path / "dues.ics"
    count = reminders.export_ics(svc, path, date(2026, 11, 23))
    events = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    # Baitiao: Nov 25 .. Mar 25 (5 left); the card: its arrears and its last due (Jan 5 2027... none left).
    uids = sorted(str(e["uid"]) for e in events)
    assert count == len(events)
    assert "debt-3-overdue@debtkeeper" in uids
    assert [u for u in uids if u.startswith("debt-1-")] == [
        "debt-1-20261125@debtkeeper",
        "debt-1-20261225@debtkeeper",
        "debt-1-20270125@debtkeeper",
        "debt-1-20270225@debtkeeper",
        "debt-1-20270325@debtkeeper",
    ]
    with pytest.raises(UserError):
        reminders.export_ics(svc, tmp_path / "missing" / "dues.ics", date(2026, 11, 23))


def test_the_calendar_file_remembers_its_events_and_cancels_a_paid_instalment(svc, tmp_path):
    path = tmp_path / "dues.ics"
    reminders.export_ics(svc, path, date(2026, 11, 23))
    kept = json.loads(svc.get_setting(reminders.SETTING_CALENDAR))
    assert kept["debt-1-20261125@debtkeeper"][1:] == [0, "2026-11-25", "Pay Baitiao: CN¥500.00"]
    svc.pay(1, date(2026, 11, 24), "500")  # the Nov 25 instalment
    count = reminders.export_ics(svc, path, date(2026, 11, 24))
    found = {str(e["uid"]): e for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")}
    paid = found["debt-1-20261125@debtkeeper"]
    assert (str(paid["status"]), int(paid["sequence"])) == ("CANCELLED", 1)
    assert int(found["debt-1-20261225@debtkeeper"]["sequence"]) == 0  # unchanged: the same number
    assert count == len(found) - 1  # the due dates written: the cancelled event is not one
    assert json.loads(svc.get_setting(reminders.SETTING_CALENDAR))["debt-1-20261125@debtkeeper"][1] == 1


def test_a_debt_paid_off_by_its_payments_asks_for_nothing(tmp_path):
    from services.app import Services

    day = date(2026, 11, 20)
    with Services.open(tmp_path / "db.sqlite3") as real:
        debt_id = real.add_debt(
            {
                "name": "Loan",
                "lender": "Bank",
                "kind": "bank_loan",
                "principal": "1200.00",
                "start_date": "2026-10-01",
                "method": "equal-principal",
                "months": 12,
                "rate": "0",
                "due_day": 1,
            }
        )
        assert [d.due_date for d in reminders.dues_within(real, day, 14)] == [date(2026, 12, 1)]
        summary = real.debt_summary(debt_id, day)
        real.add_payment(debt_id, summary.balance + summary.interest_due + summary.fees_due, day)
        assert reminders.all_dues(real, day) == []
        assert reminders.fire_due_reminders(real, datetime(2026, 11, 28, 9, 0)) == []
