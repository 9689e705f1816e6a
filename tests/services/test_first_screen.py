"""The first screen from the quick read shows exactly the figures the services give."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from services import overview, reminders
from services.app import Services
from services.demo import build_demo
from services.first_screen import open_first_screen

DAY = date(2026, 11, 23)
# 8,000 in 12 fee instalments of 0.5% (40.00 a month): 666.67 + 40.00 = 706.67 each, due on the 26th.
# Jul 26 to Oct 26 unpaid: 4 x 706.67 = 2,826.68 of arrears.
BAITIAO = {
    "name": "白条",
    "lender": "京东金融",
    "kind": "jd_baitiao",
    "principal": "8000.00",
    "start_date": "2026-06-26",
    "method": "fee-installment",
    "months": 12,
    "fee_rate": "0.5",
    "rate": "0",
    "due_day": 26,
    "penalty_rate_multiplier": "1",
    "late_fee_rate_per_day": "0.015",
    "grace_days": 0,
    "overdue_since": "2026-07-26",
    "overdue_amount": "2826.68",
}
CARD = {
    "name": "信用卡",
    "lender": "招商银行",
    "kind": "credit_card",
    "principal": "12000.00",
    "start_date": "2026-01-15",
    "method": "equal-installment",
    "months": 12,
    "rate": "0.05",
    "rate_unit": "day",
}


def _same_everywhere(path: Path, days: list[date]) -> None:
    quick = open_first_screen(path)
    assert quick is not None
    with Services.open(path) as svc:
        for day in days:
            assert overview.overview(quick, day) == overview.overview(svc, day), day
            assert reminders.dues_within(quick, day, 0) == reminders.dues_within(svc, day, 0), day


def test_the_demo_database_shows_the_same_overview_and_banner(tmp_path):
    path = tmp_path / "demo.sqlite3"
    with Services.open(path) as svc:
        build_demo(svc, DAY)
    _same_everywhere(path, [DAY, date(2026, 12, 20), date(2027, 6, 1)])
    quick = open_first_screen(path)
    assert quick is not None
    shown = overview.overview(quick, DAY)
    assert shown.debt_count == 6 and shown.overdue and shown.dues  # every part of the page has figures


def test_a_database_with_arrears_shows_the_same_overview_and_banner(tmp_path):
    path = tmp_path / "arrears.sqlite3"
    with Services.open(path) as svc:
        debt_id = svc.add_debt(BAITIAO)
        svc.add_payment(debt_id, "1000.00", DAY)
        card = svc.add_debt(CARD)
        svc.add_payment(card, "1066.19", date(2026, 2, 15))
    _same_everywhere(path, [DAY, date(2026, 12, 1)])
    quick = open_first_screen(path)
    assert quick is not None
    # By hand: the 1,000 pays the 50.88 late fee (2,826.68 x 0.015% x 120 days) first, then arrears:
    # 2,826.68 + 50.88 - 1,000 = 1,877.56 still overdue.
    [item] = overview.overview(quick, DAY).overdue
    assert (item.days_overdue, item.total_due) == (120, Decimal("1877.56"))


def test_the_quick_reader_cannot_write(tmp_path):
    path = tmp_path / "d.sqlite3"
    with Services.open(path) as svc:
        svc.add_debt(CARD)
    quick = open_first_screen(path)
    assert quick is not None
    for write in ("add_payment", "add_debt", "set_setting", "mark_reminded", "unit", "transaction"):
        with pytest.raises(AttributeError):
            getattr(quick, write)


def _long_ledger(path: Path, debt: dict, payments: int, first: date, amount: str) -> int:
    """A debt with ``payments`` payments a day apart from ``first``, written at once with the splits
    and ledger states recording each would have kept (``domain.ledger.resume``)."""
    import sqlite3
    from contextlib import closing
    from datetime import timedelta

    from domain import ledger
    from domain.money import to_fen

    with Services.open(path) as svc:
        debt_id = int(svc.add_debt(debt))
        loan = svc.get_debt(debt_id)
    paid = [(first + timedelta(days=i), Decimal(amount)) for i in range(payments)]
    rows = [
        (
            debt_id,
            on.isoformat(),
            to_fen(value),
            to_fen(s.fees),
            to_fen(s.interest),
            to_fen(s.principal),
            "",
            ledger.state_text(state),
        )
        for (on, value), (s, state) in zip(paid, ledger.resume(loan, None, paid), strict=True)
    ]
    with closing(sqlite3.connect(path)) as conn:
        conn.executemany(
            "INSERT INTO payments (debt_id, date, amount, fees, interest, principal, note, ledger_state) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.commit()
    return debt_id


def test_years_of_payments_show_the_same_overview_without_reading_them(tmp_path):
    # 12,000 payments in all, more than the quick read may read into Python (MAX_PAYMENTS): each debt
    # is figured from the state kept with its last payment, a debt in arrears from its payments since
    # its first overdue day, and what is due from sums.
    from storage.fastread import MAX_PAYMENTS

    path = tmp_path / "long.sqlite3"
    loan = {**CARD, "name": "房贷", "principal": "900000.00", "start_date": "2010-01-01", "months": 360}
    for n in range(3):
        _long_ledger(path, {**loan, "name": f"房贷 {n}"}, 4000, date(2015, 1, 1), "100.00")
    arrears = {**BAITIAO, "principal": "90000.00", "start_date": "2016-01-26", "months": 360}
    _long_ledger(path, arrears, 40, date(2026, 7, 1), "50.00")  # 26 paid before its arrears began
    with Services.open(path) as svc:
        assert svc.count_payments() > MAX_PAYMENTS
    _same_everywhere(path, [DAY, date(2026, 12, 20)])
    quick = open_first_screen(path)
    assert quick is not None
    shown = overview.overview(quick, DAY)
    assert shown.debt_count == 4 and len(shown.overdue) == 1
    quick.close()


def test_a_ledger_whose_kept_state_cannot_be_trusted_is_left_to_the_normal_opening(tmp_path):
    import sqlite3
    from contextlib import closing

    from services.first_screen import Unavailable
    from storage.fastread import MAX_PAYMENTS

    path = tmp_path / "long.sqlite3"
    loan = {**CARD, "principal": "900000.00", "start_date": "2010-01-01", "months": 360}
    _long_ledger(path, loan, MAX_PAYMENTS + 10, date(2011, 1, 1), "10.00")
    with closing(sqlite3.connect(path)) as conn:  # replayed from the start by the normal opening
        conn.execute("UPDATE payments SET ledger_state = 'garbled' WHERE id = (SELECT max(id) FROM payments)")
        conn.commit()
    quick = open_first_screen(path)
    assert quick is not None
    with pytest.raises(Unavailable):
        overview.overview(quick, DAY)
    quick.close()
    with Services.open(path) as svc:  # figured by replaying: the same balance as the kept states give
        assert svc.list_summaries(DAY)[0].balance > 0
