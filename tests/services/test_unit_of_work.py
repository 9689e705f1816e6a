"""One use case, one transaction: ``with services.unit():`` on a real database."""

from __future__ import annotations

import threading
from datetime import date, time
from decimal import Decimal

import pytest

from domain.reminders import ReminderRule
from services import reminders
from services.app import Services
from services.overdue import set_term_overrides
from services.planning import plan_debts

DAY = date(2026, 11, 23)
LOAN = {
    "name": "Loan",
    "lender": "Bank",
    "kind": "bank_loan",
    "principal": "1200.00",
    "start_date": "2026-01-15",
    "method": "equal-principal",
    "months": 12,
    "rate": "0",
    "rate_unit": "year",
    "due_day": 15,
}
OVERDUE = {**LOAN, "name": "Late", "overdue_since": "2026-09-15"}


class Boom(Exception):
    pass


@pytest.fixture
def svc(tmp_path):
    with Services.open(tmp_path / "d.sqlite3") as services:
        yield services


def _count_sessions(svc, monkeypatch) -> list[str]:
    opened: list[str] = []
    db = svc.database
    for name in ("transaction", "reading"):
        original = getattr(db, name)

        def counted(original=original, name=name):
            opened.append(name)
            return original()

        monkeypatch.setattr(db, name, counted)
    return opened


def test_calls_inside_a_unit_commit_together(svc):
    with svc.unit():
        debt_id = svc.add_debt(LOAN)
        svc.add_payment(debt_id, "100.00", date(2026, 2, 15))
        assert [p.amount for p in svc.list_payments(debt_id)] == [Decimal("100.00")]  # sees its own writes
    assert len(svc.list_payments(debt_id)) == 1


def test_a_failure_inside_a_unit_leaves_nothing_of_it(svc):
    with pytest.raises(Boom), svc.unit():
        debt_id = svc.add_debt(LOAN)
        svc.add_payment(debt_id, "100.00", date(2026, 2, 15))
        raise Boom
    assert svc.is_empty()


def test_a_unit_is_one_session(svc, monkeypatch):
    debt_id = svc.add_debt(LOAN)
    opened = _count_sessions(svc, monkeypatch)
    with svc.unit():
        svc.add_payment(debt_id, "100.00", date(2026, 2, 15))
        svc.get_debt(debt_id)
        svc.set_setting("a", "b")
    assert opened == ["transaction"]


def test_a_reading_unit_refuses_a_write(svc):
    with pytest.raises(RuntimeError), svc.unit(writes=False):
        svc.set_setting("a", "b")
    assert svc.get_setting("a") is None


def test_another_thread_does_not_join_the_unit(svc):
    seen: list[object] = []
    with svc.unit():
        svc.set_setting("a", "inside")
        worker = threading.Thread(target=lambda: seen.append(svc.get_setting("a")))
        worker.start()
        worker.join()
    assert seen == [None]  # the other thread reads what was committed, not the open unit
    assert svc.get_setting("a") == "inside"


def test_setting_a_reminder_rule_is_one_transaction(svc, monkeypatch):
    debt_id = svc.add_debt(LOAN)
    rule = ReminderRule(days_before=(3,), on_due_day=True, daily_while_overdue=False, at=time(9, 0))

    def broken(debt_id, **details):
        raise Boom  # the rule's details cannot be written after the reminders table was

    monkeypatch.setattr(svc, "set_reminder_details", broken)
    with pytest.raises(Boom):
        reminders.set_rule(svc, debt_id, rule)
    monkeypatch.undo()
    assert svc.list_reminders() == []  # the first write went with the second
    opened = _count_sessions(svc, monkeypatch)
    reminders.set_rule(svc, debt_id, rule)
    assert opened == ["transaction"]
    assert [r.days_before for r in svc.list_reminders()] == [(3, 0)]


def test_a_plan_reads_the_database_once(svc, monkeypatch):
    svc.add_debt(LOAN)
    late = svc.add_debt(OVERDUE)
    svc.add_payment(late, "50.00", date(2026, 10, 1))
    set_term_overrides(svc, late, {"report_day_typical": 20})  # read in the same session
    opened = _count_sessions(svc, monkeypatch)
    debts = plan_debts(svc, DAY)
    assert opened == ["reading"]
    # Late: 100.00 a month due Sep 15, Oct 15, Nov 15 (1,200 over 12 at 0%); 50.00 paid. Penalty
    # interest is 1.5 x 0% and a bank loan's terms take no cycle fee: 300.00 - 50.00 = 250.00.
    assert sorted(d.name for d in debts) == ["Late", "Loan"]
    [late_debt] = [d for d in debts if d.name == "Late"]
    assert late_debt.days_overdue == (DAY - date(2026, 9, 15)).days
    assert late_debt.arrears == Decimal("250.00")


def test_a_domain_error_reaches_the_person_in_their_language():
    from domain.schedules import ScheduleError
    from resources.i18n import set_language
    from services.errors import domain_message, user_error

    error = ScheduleError(
        "the number of months must be from 1 to {max}, not {months}", {"max": 360, "months": 0}
    )
    assert domain_message(error) == "the number of months must be from 1 to 360, not 0"
    set_language("zh_CN")
    assert domain_message(error) == "期数须在 1 到 360 之间，而不是 0"
    assert (
        user_error(error, "Cannot build the plan: {reason}").message
        == "无法生成还款计划：期数须在 1 到 360 之间，而不是 0"
    )
