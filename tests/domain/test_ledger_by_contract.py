"""The ledger splits a payment by the debt's own contract, as the lender's schedule does.

Figures are worked by hand in each test; the 等额本息 vector (12,000 at 12% over 12 months:
1,066.19 a month, month 1 interest 120.00, principal 946.19) is numpy-financial's.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy_financial as npf

from domain.debts import Debt, DebtKind, Method, RateUnit
from domain.ledger import allocate, outstanding
from domain.schedules import schedule_for

D = Decimal
ANNUITY = Debt(
    name="贷款",
    lender="银行",
    kind=DebtKind.BANK_LOAN,
    principal=D("12000.00"),
    start_date=date(2026, 1, 15),
    method=Method.EQUAL_INSTALLMENT,
    months=12,
    rate=D("12"),
    rate_unit=RateUnit.YEAR,
    due_day=15,
)


def _with(debt: Debt, **changes: object) -> Debt:
    return Debt(**{**{name: getattr(debt, name) for name in debt.__slots__}, **changes})


def test_an_instalment_paid_on_its_due_date_splits_as_its_schedule_row():
    assert round(-npf.pmt(0.01, 12, 12000), 2) == 1066.19
    # Feb 15 ends a 31-day month, but the period's interest is a month's: 12000 x 1% = 120.00
    # (by actual days it would be 12000 x 12% / 360 x 31 = 124.00). Mar 15 ends a 28-day month:
    # (12000 - 946.19) x 1% = 110.5381 -> 110.54, principal 1066.19 - 110.54 = 955.65.
    splits = allocate(ANNUITY, [(date(2026, 2, 15), D("1066.19")), (date(2026, 3, 15), D("1066.19"))])
    assert [(s.interest, s.principal) for s in splits] == [
        (D("120.00"), D("946.19")),
        (D("110.54"), D("955.65")),
    ]
    rows = schedule_for(ANNUITY).rows
    assert [(s.interest, s.principal) for s in splits] == [(r.interest, r.principal) for r in rows[:2]]


def test_every_instalment_on_time_follows_the_whole_schedule():
    for method in (Method.EQUAL_INSTALLMENT, Method.EQUAL_PRINCIPAL, Method.INTEREST_ONLY):
        debt = _with(ANNUITY, method=method)
        rows = schedule_for(debt).rows
        splits = allocate(debt, [(r.due_date, r.payment) for r in rows])
        assert [(s.interest, s.principal) for s in splits] == [(r.interest, r.principal) for r in rows]
        assert outstanding(debt, [(r.due_date, r.payment) for r in rows], rows[-1].due_date).total == 0


def test_equal_principal_charges_a_month_not_the_days():
    # 等额本金: 12000 / 12 = 1000 principal; month 1 interest 12000 x 1% = 120.00 (not 124.00 for
    # 31 days), month 2 11000 x 1% = 110.00 (not 11000 x 12% / 360 x 28 = 102.67).
    debt = _with(ANNUITY, method=Method.EQUAL_PRINCIPAL)
    splits = allocate(debt, [(date(2026, 2, 15), D("1120.00")), (date(2026, 3, 15), D("1110.00"))])
    assert [(s.interest, s.principal) for s in splits] == [
        (D("120.00"), D("1000.00")),
        (D("110.00"), D("1000.00")),
    ]


def test_an_instalment_paid_a_few_days_early_splits_the_same():
    # paid on Feb 12 for the Feb 15 instalment: the lender takes the period's interest with it
    [split] = allocate(ANNUITY, [(date(2026, 2, 12), D("1066.19"))])
    assert (split.interest, split.principal) == (D("120.00"), D("946.19"))
    # and nothing more falls due for that period on Feb 15
    assert outstanding(ANNUITY, [(date(2026, 2, 12), D("1066.19"))], date(2026, 2, 15)).interest == 0


def test_a_late_instalment_pays_its_own_row_not_the_next_period():
    # the Feb 15 instalment paid on Mar 1 (inside the next period): 120.00 interest and its
    # 946.19 of principal fallen due; the next period's interest falls due on Mar 15
    [split] = allocate(ANNUITY, [(date(2026, 3, 1), D("1066.19"))])
    assert (split.interest, split.principal) == (D("120.00"), D("946.19"))


def test_a_short_first_period_charges_its_days_not_a_month():
    # lent on 30 Jan, due on the 1st: the first period is 2 days: 12000 x 12% / 360 x 2 = 8.00,
    # not a month's 120.00; the instalment stays 1066.19, so 1058.19 of principal
    debt = _with(ANNUITY, start_date=date(2026, 1, 30), due_day=1)
    first = schedule_for(debt).rows[0]
    assert (first.due_date, first.interest, first.principal) == (date(2026, 2, 1), D("8.00"), D("1058.19"))
    [split] = allocate(debt, [(date(2026, 2, 1), D("1066.19"))])
    assert (split.interest, split.principal) == (D("8.00"), D("1058.19"))
    # the second period is a whole month again: (12000 - 1058.19) x 1% = 109.4181 -> 109.42
    assert schedule_for(debt).rows[1].interest == D("109.42")


def test_daily_interest_products_charge_the_actual_days():
    # 借呗 15,000 at 0.04% a day from 12 Jul, due on the 12th: Aug 12 is 31 days later:
    # 15000 x 0.0004 x 31 = 186.00, principal 15000 / 12 = 1250.00; Sep 12, 31 days on 13750:
    # 170.50; paid 3 days late on Sep 15: 34 days, 13750 x 0.0004 x 34 = 187.00
    jiebei = Debt(
        name="借呗",
        lender="支付宝",
        kind=DebtKind.JIEBEI,
        principal=D("15000.00"),
        start_date=date(2026, 7, 12),
        method=Method.DAILY_INTEREST,
        months=12,
        rate=D("0.04"),
        rate_unit=RateUnit.DAY,
        due_day=12,
    )
    rows = schedule_for(jiebei).rows
    assert (rows[0].interest, rows[1].interest) == (D("186.00"), D("170.50"))
    on_time = allocate(jiebei, [(date(2026, 8, 12), D("1436.00")), (date(2026, 9, 12), D("1420.50"))])
    assert [(s.interest, s.principal) for s in on_time] == [
        (D("186.00"), D("1250.00")),
        (D("170.50"), D("1250.00")),
    ]
    late = allocate(jiebei, [(date(2026, 8, 12), D("1436.00")), (date(2026, 9, 15), D("1437.00"))])
    assert (late[1].interest, late[1].principal) == (D("187.00"), D("1250.00"))


CARD_MAY = Debt(
    name="信用卡",
    lender="银行",
    kind=DebtKind.CREDIT_CARD,
    principal=D("10000.00"),
    start_date=date(2026, 5, 25),
    method=Method.REVOLVING,
    months=12,
    rate=D("0.05"),
    rate_unit=RateUnit.DAY,
    due_day=25,
    grace_days=3,
)


def test_a_card_accrues_daily_on_the_balance_once_its_interest_free_period_ends():
    # A statement balance of 10,000 on May 25, due Jun 25, 3 grace days: not paid in full by
    # Jun 28, so interest runs from May 25 at 0.05% a day: 10,000 x 0.0005 x 36 days
    # (May 25 -> Jun 30) = 180.00 first, then 820.00 principal.
    [split] = allocate(CARD_MAY, [(date(2026, 6, 30), D("1000.00"))])
    assert (split.interest, split.principal) == (D("180.00"), D("820.00"))


def test_a_card_statement_paid_in_full_by_its_due_date_bears_no_interest():
    # 10,000 paid on Jun 27, inside the grace days after the Jun 25 due date: all of it principal.
    [split] = allocate(CARD_MAY, [(date(2026, 6, 27), D("10000.00"))])
    assert (split.interest, split.principal) == (D("0"), D("10000.00"))
    assert outstanding(CARD_MAY, [(date(2026, 6, 27), D("10000.00"))], date(2026, 8, 1)).total == 0


def test_a_part_payment_in_the_interest_free_period_leaves_interest_from_the_statement_date():
    # 4,000 on Jun 20 goes to principal (nothing is charged yet); the rest is not paid by Jun 28,
    # so interest runs from May 25: 10,000 x 0.0005 x 26 days (May 25 -> Jun 20) = 130.00, then
    # 6,000 x 0.0005 x 10 days (Jun 20 -> Jun 30) = 30.00: 160.00 on Jun 30.
    paid = [(date(2026, 6, 20), D("4000.00"))]
    [split] = allocate(CARD_MAY, paid)
    assert (split.interest, split.principal) == (D("0"), D("4000.00"))
    owed = outstanding(CARD_MAY, paid, date(2026, 6, 30))
    assert (owed.interest, owed.principal) == (D("160.00"), D("6000.00"))
