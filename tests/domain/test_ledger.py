"""Payment splitting (fees, then interest, then principal) and what is outstanding.

Expected figures are worked by hand from the stated accrual rule (daily rate =
yearly / 360, monthly / 30; simple interest on outstanding principal).
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
LOAN = Debt(name="Loan", lender="Bank", kind=DebtKind.BANK_LOAN, principal=D("10000.00"),
            start_date=date(2026, 1, 1), method=Method.EQUAL_INSTALLMENT, months=12, rate=D("3.6"),
            rate_unit=RateUnit.YEAR)
BAITIAO = Debt(name="白条", lender="京东金融", kind=DebtKind.JD_BAITIAO, principal=D("12000.00"),
               start_date=date(2026, 1, 15), method=Method.FEE_INSTALLMENT, months=12, fee_rate=D("0.5"),
               due_day=10)


def test_interest_first_then_principal():
    # 10000 x 3.6% / 360 x 31 days (Jan) = 31.00
    [split] = allocate(LOAN, [(date(2026, 2, 1), D("1000.00"))])
    assert (split.fees, split.interest, split.principal) == (0, D("31.00"), D("969.00"))


def test_unpaid_interest_carries_over_and_is_paid_before_principal():
    # 31 days -> 31.00 interest; paying 20 leaves 11.00; the next 28 days on 10000 -> 28.00
    splits = allocate(LOAN, [(date(2026, 2, 1), D("20.00")), (date(2026, 3, 1), D("100.00"))])
    assert splits[0].interest == D("20.00") and splits[0].principal == 0
    assert splits[1].interest == D("39.00") and splits[1].principal == D("61.00")


def test_monthly_and_daily_rates():
    monthly = Debt(**{**_fields(LOAN), "rate": D("1.5"), "rate_unit": RateUnit.MONTH})
    daily = Debt(**{**_fields(LOAN), "rate": D("0.05"), "rate_unit": RateUnit.DAY})
    # 10000 x 1.5% / 30 x 30 = 150.00 ; 10000 x 0.05% x 30 = 150.00
    assert outstanding(monthly, [], date(2026, 1, 31)).interest == D("150.00")
    assert outstanding(daily, [], date(2026, 1, 31)).interest == D("150.00")


def test_fee_installment_fees_fall_due_on_each_due_date():
    # 0.5% of 12000 = 60.00 a month; due dates Feb 10, Mar 10, ...
    assert fees_accrued(BAITIAO, date(2026, 2, 9)) == 0
    assert fees_accrued(BAITIAO, date(2026, 2, 10)) == D("60.00")
    assert fees_accrued(BAITIAO, date(2027, 6, 1)) == D("720.00")  # at most 12 instalments
    [split] = allocate(BAITIAO, [(date(2026, 3, 10), D("1060.00"))])
    assert (split.fees, split.interest, split.principal) == (D("120.00"), 0, D("940.00"))


def test_overpayment_is_refused_with_what_was_owed():
    with pytest.raises(OverpaymentError) as info:
        allocate(LOAN, [(date(2026, 2, 1), D("10031.01"))])
    assert info.value.owed == D("10031.00")
    assert allocate(LOAN, [(date(2026, 2, 1), D("10031.00"))])[0].principal == D("10000.00")


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


@given(payments=st.lists(st.tuples(st.integers(0, 400), amounts), max_size=12),
       method=st.sampled_from([Method.EQUAL_INSTALLMENT, Method.FEE_INSTALLMENT, Method.REVOLVING]))
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


@given(payments=st.lists(st.tuples(st.integers(0, 400), amounts), min_size=2, max_size=6,
                         unique_by=lambda p: p[0]))
def test_allocation_does_not_depend_on_the_order_given(payments):
    dated = [(LOAN.start_date + timedelta(days=d), a) for d, a in payments]
    try:
        forward = allocate(LOAN, dated)
    except OverpaymentError:
        return
    backward = allocate(LOAN, dated[::-1])
    assert forward == backward[::-1]
