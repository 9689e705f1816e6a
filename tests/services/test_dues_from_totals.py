"""The reminders' dues of a debt without arrears take what was paid since the instalments the record
follows, summed where it is stored: the same dues as from every payment read, damaged ones left out."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date, timedelta
from decimal import Decimal

import pytest

from domain.reminders import dues_for_debt
from services.app import Services
from services.reminders import debt_dues, debt_schedule

LOAN = {
    "name": "招行消费贷",
    "lender": "招商银行",
    "kind": "bank_loan",
    "principal": "12000.00",
    "start_date": "2026-01-10",
    "method": "equal-installment",
    "months": 12,
    "rate": "12",
    "rate_unit": "year",
}
AS_OF = date(2026, 9, 20)


@pytest.fixture
def loan(tmp_path):
    db = tmp_path / "d.sqlite3"
    with Services.open(db) as svc:
        debt_id = svc.add_debt(LOAN)
        day = date(2026, 1, 11)
        while day <= date(2026, 10, 5):  # 20.00 every five days, some after AS_OF
            svc.add_payment(debt_id, "20.00", day)
            day += timedelta(days=5)
    return db, debt_id


def _by_hand(svc: Services, debt_id: int, after: date | None, until: date) -> Decimal:
    return sum(
        (
            p.amount
            for p in svc.list_payments(debt_id)
            if (after is None or p.date > after) and p.date <= until
        ),
        Decimal(0),
    )


@pytest.mark.parametrize("after", [None, date(2026, 8, 10), date(2026, 9, 20)])
def test_the_total_paid_is_the_sum_of_the_payments_in_the_range(loan, after):
    db, debt_id = loan
    with Services.open(db) as svc:
        assert svc.paid_total(debt_id, after, AS_OF) == _by_hand(svc, debt_id, after, AS_OF)
    # 54 payments of 20.00 from 11 Jan to 5 Oct; after 10 Aug up to 20 Sep: 14 Aug .. 18 Sep, 8 of them
    with Services.open(db) as svc:
        assert svc.paid_total(debt_id, date(2026, 8, 10), AS_OF) == Decimal("160.00")


@pytest.mark.parametrize("tracked", [None, date(2026, 3, 1), date(2026, 9, 1)])
def test_the_dues_are_those_of_every_payment(loan, tracked):
    db, debt_id = loan
    with Services.open(db) as svc:
        debt = svc.get_debt(debt_id)
        every = dues_for_debt(debt, debt_schedule(svc, debt), svc.list_payments(debt_id), AS_OF, tracked)
        assert debt_dues(svc, debt, AS_OF, tracked) == every
        assert every  # something is due: the test compares real dues


def test_a_damaged_payment_in_the_range_is_left_out_and_named(loan):
    db, debt_id = loan
    with closing(sqlite3.connect(db)) as conn:
        # the payment of 13 Sep: its amount no longer adds up to its parts
        conn.execute("UPDATE payments SET amount = amount + 100 WHERE date = '2026-09-13'")
        conn.commit()
    named: list[str] = []
    with Services.open(db, on_problem=named.append) as svc:
        total = svc.paid_total(debt_id, date(2026, 8, 10), AS_OF)
        assert total == Decimal("140.00")  # the other seven
        assert any("payments" in text for text in named)


def test_a_payment_damaged_by_another_program_while_open_is_not_summed(loan):
    # The scan for damaged payments is kept while the database is unchanged; another program's
    # write (SQLite's data_version) makes it look again.
    db, debt_id = loan
    named: list[str] = []
    with Services.open(db, on_problem=named.append) as svc:
        assert svc.paid_total(debt_id, date(2026, 8, 10), AS_OF) == Decimal("160.00")
        with closing(sqlite3.connect(db)) as conn:
            conn.execute("UPDATE payments SET amount = amount + 100 WHERE date = '2026-09-13'")
            conn.commit()
        assert svc.paid_total(debt_id, date(2026, 8, 10), AS_OF) == Decimal("140.00")
        assert any("payments" in text for text in named)
