"""The window's pages read through the services: a damaged row is left out and reported, the rest shows."""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import date, datetime
from decimal import Decimal

import pytest

from domain.debts import Budget, ContactChannel, ContactEntry, DebtStatus
from services import overview, reminders
from services.app import ReminderRule, Services
from services.errors import DamagedRowError
from storage.models import DebtRow
from storage.rows import read_values

AS_OF = date(2026, 11, 23)

# (SQL, table and id the report must name); one kind of damage for each table a page reads.
DAMAGE = {
    "debt": ("UPDATE debts SET principal = 'abc' WHERE id = 3", "table debts, id 3"),
    "payment": ("UPDATE payments SET date = '2026-02-30' WHERE id = 1", "table payments, id 1"),
    "lender": ("UPDATE lenders SET kind = 'mystery' WHERE id = 2", "table lenders, id 2"),
    "contact": ("UPDATE contacts SET conduct = 'not json' WHERE id = 2", "table contacts, id 2"),
    "reminder": ("UPDATE reminders SET days_before = 'x' WHERE debt_id = 3", "table reminders, id 3"),
    "budget": ("UPDATE budget SET income = 1.5", "table budget, id 1"),
    "expense": (
        "UPDATE budget_expenses SET amount = 'x' WHERE category = '房租'",
        "table budget_expenses, category '房租'",
    ),
}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    from services.demo import build_demo

    db = tmp_path_factory.mktemp("template") / "demo.sqlite3"
    with Services.open(db) as svc:
        build_demo(svc, AS_OF)
    return db


@pytest.fixture(params=sorted(DAMAGE))
def damaged(request, template, tmp_path):
    sql, named = DAMAGE[request.param]
    db = tmp_path / "d.sqlite3"
    with contextlib.closing(sqlite3.connect(template)) as src, contextlib.closing(sqlite3.connect(db)) as dst:
        src.backup(dst)
        dst.execute(sql)
        dst.commit()
    reported: list[str] = []
    with Services.open(db, on_problem=reported.append) as svc:
        yield svc, named, reported


def test_every_page_s_reads_leave_the_damaged_row_out_and_name_it(damaged):
    svc, named, reported = damaged
    shown = overview.overview(svc, AS_OF)
    rows = overview.debt_rows(svc, AS_OF)
    overview.compare_plans(svc, Decimal(9000), AS_OF, ("avalanche", "snowball"))
    overview.affordable_per_month(svc)
    reminders.dues_within(svc, AS_OF, 30)
    svc.page_payments(None, None, 200)
    svc.list_lenders()
    svc.list_contacts()
    svc.list_reminders()
    svc.get_budget()
    for row in rows:
        svc.list_payments(row.debt.id)
    assert shown.debt_count >= 4
    assert any(named in line for line in reported), reported
    assert len(reported) == len(set(reported))  # each damaged row once, however often it was read
    assert all("\n" not in line for line in reported)


def test_a_use_case_about_the_damaged_record_says_so(template, tmp_path):
    db = tmp_path / "d.sqlite3"
    with contextlib.closing(sqlite3.connect(template)) as src, contextlib.closing(sqlite3.connect(db)) as dst:
        src.backup(dst)
        dst.execute("UPDATE debts SET start_date = '2026-02-30' WHERE id = 3")
        dst.commit()
    with Services.open(db, on_problem=lambda _text: None) as svc:
        for call in (
            lambda: svc.get_debt(3),
            lambda: svc.debt_summary(3, AS_OF),
            lambda: svc.add_payment(3, "1.00", AS_OF),
            lambda: svc.update_debt(3, {"months": 6}),
        ):
            with pytest.raises(DamagedRowError, match="table debts, id 3, column start_date"):
                call()
        assert svc.list_payments(3)  # its payments can still be read
        svc.remove_debt(3)  # and the damaged debt removed
        assert [d.id for d in svc.list_debts()] == [1, 2, 4, 5, 6]


def test_writing_over_a_damaged_row_mends_it(template, tmp_path):
    db = tmp_path / "d.sqlite3"
    with contextlib.closing(sqlite3.connect(template)) as src, contextlib.closing(sqlite3.connect(db)) as dst:
        src.backup(dst)
        dst.execute("UPDATE debts SET status = 'frozen' WHERE id = 3")
        dst.execute("UPDATE reminders SET days_before = 'x' WHERE debt_id = 3")
        dst.execute("UPDATE contacts SET \"when\" = 'noon' WHERE id = 2")
        dst.execute("UPDATE budget SET income = 'lots'")
        dst.commit()
    reported: list[str] = []
    with Services.open(db, on_problem=reported.append) as svc:
        svc.set_debt_status(3, DebtStatus.ACTIVE)
        svc.set_reminder(ReminderRule(3, (3, 1)))
        svc.update_contact(
            ContactEntry(
                id=2,
                debt_id=1,
                when=datetime(2026, 9, 24, 23, 10),
                channel=ContactChannel.PHONE,
                who="催收员",
            )
        )
        svc.set_budget(Budget(income=Decimal(9000)))
        assert reported == []
        with svc.transaction() as s:
            assert read_values(s.connection(), DebtRow).problems == []
        assert svc.get_debt(3).status is DebtStatus.ACTIVE
        assert svc.get_budget().income == Decimal(9000)
        assert [r.days_before for r in svc.list_reminders() if r.debt_id == 3] == [(3, 1)]
        assert reported == []
