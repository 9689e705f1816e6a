"""Payment splitting (fees, then interest, then principal) and what is outstanding.

Expected figures are worked by hand from the stated rules: instalment loans charge each
period's interest as their schedule does; daily-interest products and cards accrue simple
interest for the actual days (daily rate = yearly / 360, monthly / 30).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.debts import Debt, DebtKind, Method, RateUnit
from domain.ledger import OverpaymentError, allocate, days_overdue, fees_accrued, outstanding

D = Decimal
LOAN = Debt(
    name="Loan",
    lender="Bank",
    kind=DebtKind.BANK_LOAN,
    principal=D("10000.00"),
    start_date=date(2026, 1, 1),
    method=Method.EQUAL_INSTALLMENT,
    months=12,
    rate=D("3.6"),
    rate_unit=RateUnit.YEAR,
)
BAITIAO = Debt(
    name="白条",
    lender="京东金融",
    kind=DebtKind.JD_BAITIAO,
    principal=D("12000.00"),
    start_date=date(2026, 1, 15),
    method=Method.FEE_INSTALLMENT,
    months=12,
    fee_rate=D("0.5"),
    due_day=10,
)


def test_interest_first_then_principal():
    # the first period's interest, 10000 x 3.6% / 12 = 30.00 (a month, whatever its 31 days)
    [split] = allocate(LOAN, [(date(2026, 2, 1), D("1000.00"))])
    assert (split.fees, split.interest, split.principal) == (0, D("30.00"), D("970.00"))


def test_unpaid_interest_carries_over_and_is_paid_before_principal():
    # Feb 1: 30.00 interest; paying 20 leaves 10.00. Mar 1: the second period's interest is the
    # schedule's (9180.33 x 0.3% = 27.54; the overdue principal bears penalty, not contract
    # interest): 10.00 + 27.54 = 37.54, then 62.46 of principal.
    splits = allocate(LOAN, [(date(2026, 2, 1), D("20.00")), (date(2026, 3, 1), D("100.00"))])
    assert splits[0].interest == D("20.00") and splits[0].principal == 0
    assert splits[1].interest == D("37.54") and splits[1].principal == D("62.46")


def test_monthly_and_daily_rates():
    monthly = Debt(**{**_fields(LOAN), "rate": D("1.5"), "rate_unit": RateUnit.MONTH})
    daily = Debt(**{**_fields(LOAN), "rate": D("0.05"), "rate_unit": RateUnit.DAY})
    by_day = Debt(**{**_fields(daily), "method": Method.DAILY_INTEREST})
    # a period of 10000 x 1.5% = 150.00 ; 0.05% a day x 30 = 1.5% a month: 150.00 a period too
    assert outstanding(monthly, [], date(2026, 2, 1)).interest == D("150.00")
    assert outstanding(daily, [], date(2026, 2, 1)).interest == D("150.00")
    # by the day: 10000 x 0.05% x 30 days (Jan 1 -> Jan 31) = 150.00
    assert outstanding(by_day, [], date(2026, 1, 31)).interest == D("150.00")


def test_fee_installment_fees_fall_due_on_each_due_date():
    # 0.5% of 12000 = 60.00 a month; due dates Feb 10, Mar 10, ...
    assert fees_accrued(BAITIAO, date(2026, 2, 9)) == 0
    assert fees_accrued(BAITIAO, date(2026, 2, 10)) == D("60.00")
    assert fees_accrued(BAITIAO, date(2027, 6, 1)) == D("720.00")  # at most 12 instalments
    [split] = allocate(BAITIAO, [(date(2026, 3, 10), D("1060.00"))])
    assert (split.fees, split.interest, split.principal) == (D("120.00"), 0, D("940.00"))


def test_overpayment_is_refused_with_what_was_owed():
    # 10000 of principal and the first period's 30.00 of interest
    with pytest.raises(OverpaymentError) as info:
        allocate(LOAN, [(date(2026, 2, 1), D("10030.01"))])
    assert info.value.owed == D("10030.00")
    assert allocate(LOAN, [(date(2026, 2, 1), D("10030.00"))])[0].principal == D("10000.00")


def test_fees_follow_the_engine_s_due_dates_at_month_end():
    # due day 31 from Jan 5: Jan 31, Feb 28, Mar 31 (the engine's dates, the ledger's fees)
    debt = Debt(**{**_fields(BAITIAO), "due_day": 31, "start_date": date(2026, 1, 5), "months": 3})
    assert fees_accrued(debt, date(2026, 2, 27)) == D("60.00")
    assert fees_accrued(debt, date(2026, 2, 28)) == D("120.00")
    assert fees_accrued(debt, date(2026, 3, 31)) == D("180.00")


def test_days_overdue_counts_from_the_first_missed_due_date():
    debt = Debt(**{**_fields(LOAN), "overdue_since": date(2026, 7, 25), "grace_days": 3})
    assert days_overdue(debt, date(2026, 7, 24)) == 0
    assert days_overdue(debt, date(2026, 7, 25)) == 0
    assert days_overdue(debt, date(2026, 7, 25) + timedelta(days=120)) == 120
    assert days_overdue(LOAN, date(2030, 1, 1)) == 0


def _fields(debt):
    return {name: getattr(debt, name) for name in debt.__slots__}


amounts = st.integers(min_value=1, max_value=500_000).map(lambda fen: D(fen) / 100)


@given(
    payments=st.lists(st.tuples(st.integers(0, 400), amounts), max_size=12),
    method=st.sampled_from([Method.EQUAL_INSTALLMENT, Method.FEE_INSTALLMENT, Method.REVOLVING]),
)
def test_splits_add_up_and_the_balance_never_goes_negative(payments, method):
    debt = Debt(**{**_fields(BAITIAO), "method": method, "rate": D("0.05"), "rate_unit": RateUnit.DAY})
    dated = [(debt.start_date + timedelta(days=d), a) for d, a in payments]
    try:
        splits = allocate(debt, dated)
    except OverpaymentError:
        return
    for (_, amount), split in zip(dated, splits, strict=True):
        assert split.total == amount
        assert min(split.fees, split.interest, split.principal) >= 0
    assert sum(s.principal for s in splits) <= debt.principal
    last = max((d for d, _ in dated), default=debt.start_date)
    left = outstanding(debt, dated, last)
    assert left.principal == debt.principal - sum(s.principal for s in splits)


@given(
    payments=st.lists(
        st.tuples(st.integers(0, 400), amounts), min_size=2, max_size=6, unique_by=lambda p: p[0]
    )
)
def test_allocation_does_not_depend_on_the_order_given(payments):
    dated = [(LOAN.start_date + timedelta(days=d), a) for d, a in payments]
    try:
        forward = allocate(LOAN, dated)
    except OverpaymentError:
        return
    backward = allocate(LOAN, dated[::-1])
    assert forward == backward[::-1]
