"""Loan schedules against published figures and numpy-financial (an independent oracle)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.debts import Debt, DebtKind, Method, RateUnit
from domain.schedules import (
    MAX_PERIODS,
    ExtraPayment,
    MinimumPayment,
    Prepay,
    RateChange,
    ScheduleError,
    StatementInterest,
    bullet_schedule,
    daily_interest_schedule,
    due_dates,
    equal_installment_schedule,
    equal_principal_schedule,
    fee_installment_schedule,
    interest_only_schedule,
    revolving_schedule,
    schedule_for,
)

START = date(2026, 1, 15)
Y = RateUnit.YEAR


def fen(x: float) -> Decimal:
    """A numpy-financial float rounded to the fen half-up (tests only)."""
    return Decimal(repr(float(x))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- published figures (loan tables and calculators) --------------------------------------------


def test_mortgage_equal_installment_1m_at_4_9_percent():
    s = equal_installment_schedule(Decimal(1000000), Decimal("4.9"), Y, 360, START)
    assert len(s.rows) == 360
    assert {r.payment for r in s.rows[:-1]} == {Decimal("5307.27")}
    assert abs(s.interest_total - Decimal("910616")) < 2  # published ≈ 910,616
    assert s.rows[-1].balance == 0


def test_mortgage_equal_principal_1m_at_4_9_percent():
    s = equal_principal_schedule(Decimal(1000000), Decimal("4.9"), Y, 360, START)
    assert s.rows[0].payment == Decimal("6861.11")
    drops = {s.rows[i].payment - s.rows[i + 1].payment for i in range(358)}
    assert drops <= {Decimal("11.34"), Decimal("11.33"), Decimal("11.35")}  # fen rounding of 11.3426
    assert s.interest_total == Decimal("737041.08")


def test_gnucash_manual_2000_at_5_percent_over_18():
    s = equal_installment_schedule(Decimal(2000), Decimal(5), Y, 18, START)
    first = s.rows[0]
    assert (first.payment, first.interest, first.principal, first.balance) == (
        Decimal("115.56"),
        Decimal("8.33"),
        Decimal("107.23"),
        Decimal("1892.77"),
    )


def test_kmymoney_300000_at_5_percent_over_360():
    s = equal_installment_schedule(Decimal(300000), Decimal(5), Y, 360, START)
    assert s.rows[0].payment == Decimal("1610.46")


def test_numpy_financial_12000_at_12_percent_over_12():
    s = equal_installment_schedule(Decimal(12000), Decimal(12), Y, 12, START)
    assert s.rows[0].payment == Decimal("1066.19")
    assert (s.rows[0].interest, s.rows[0].principal) == (Decimal("120.00"), Decimal("946.19"))
    assert s.interest_total == Decimal("794.23")


def test_pmt_example_15000_at_8_percent_over_60():
    s = equal_installment_schedule(Decimal(15000), Decimal(8), Y, 60, START)
    assert s.rows[0].payment == fen(-npf.pmt(0.08 / 12, 60, 15000)) == Decimal("304.15")


def test_zero_rate_splits_with_the_residue_last():
    s = equal_installment_schedule(Decimal("100.00"), Decimal(0), Y, 3, START)
    assert [r.principal for r in s.rows] == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    assert s.interest_total == 0


def test_baitiao_fee_instalments_charge_the_original_principal():
    s = fee_installment_schedule(Decimal(12000), Decimal("0.5"), 12, START)
    assert {r.fee for r in s.rows} == {Decimal("60.00")}
    assert {r.payment for r in s.rows} == {Decimal("1060.00")}
    assert s.fee_total == Decimal("720.00") and s.interest_total == 0


def test_interest_only_pays_principal_last():
    s = interest_only_schedule(Decimal(10000), Decimal(12), Y, 6, START)
    assert [r.principal for r in s.rows] == [0] * 5 + [Decimal(10000)]
    assert {r.interest for r in s.rows} == {Decimal("100.00")}


def test_bullet_simple_interest_at_maturity():
    s = bullet_schedule(Decimal(10000), Decimal(12), Y, 12, START, due_day=1)
    assert len(s.rows) == 1
    assert s.rows[0].due_date == date(2027, 1, 15)  # the term runs from the loan's day
    assert s.rows[0].payment == Decimal("11200.00") and s.rows[0].period == 12
    # 12% simple paid in one go after a year is less than 1% a month compounded: numpy-financial irr
    flows = s.cashflows()
    assert len(flows) == 13 and flows[1:12] == [0] * 11
    assert abs(npf.irr([float(f) for f in flows]) - 0.0094888) < 1e-6
    by_day = bullet_schedule(Decimal(10000), Decimal("0.05"), RateUnit.DAY, 12, START)
    assert by_day.rows[0].interest == Decimal("1825.00")  # 365 actual days × 5 yuan


def test_daily_interest_counts_actual_days_including_leap_february():
    s = daily_interest_schedule(Decimal(12000), Decimal("0.05"), RateUnit.DAY, 12, date(2028, 1, 10))
    feb, mar = s.rows[0], s.rows[1]  # 2028-01-10 → 02-10 (31 days), → 03-10 (29 days: leap year)
    assert feb.interest == Decimal("186.00")
    assert mar.interest == (Decimal(11000) * Decimal("0.0005") * 29).quantize(Decimal("0.01"))


def test_thirty_years_of_daily_interest():
    s = daily_interest_schedule(Decimal(500000), Decimal("0.02"), RateUnit.DAY, 360, date(2026, 3, 1))
    assert len(s.rows) == 360 and s.principal_total == Decimal(500000)
    days = (s.rows[-1].due_date - date(2026, 3, 1)).days
    assert days == 10958  # 30 years incl. 8 leap days
    balance = Decimal(500000)
    prev = date(2026, 3, 1)
    total = Decimal(0)
    for r in s.rows:  # recompute independently row by row
        owed = balance * Decimal("0.0002") * (r.due_date - prev).days
        total += owed.quantize(Decimal("0.01"), ROUND_HALF_UP)
        balance -= r.principal
        prev = r.due_date
    assert s.interest_total == total


def test_bullet_maturity_clamps_at_month_end():
    s = bullet_schedule(Decimal(10000), Decimal(12), Y, 1, date(2028, 1, 31))
    assert s.rows[0].due_date == date(2028, 2, 29)


def test_due_day_31_clamps_without_drifting():
    assert due_dates(date(2027, 12, 31), 31, 4) == [
        date(2028, 1, 31),
        date(2028, 2, 29),
        date(2028, 3, 31),
        date(2028, 4, 30),
    ]
    assert due_dates(date(2026, 1, 31), 31, 2) == [date(2026, 2, 28), date(2026, 3, 31)]


def test_first_due_date_is_strictly_after_start():
    assert due_dates(date(2026, 1, 15), 15, 1) == [date(2026, 2, 15)]
    assert due_dates(date(2026, 1, 10), 15, 1) == [date(2026, 1, 15)]
    with pytest.raises(ScheduleError):
        due_dates(START, 32, 1)


def test_one_period_and_one_fen():
    one = equal_installment_schedule(Decimal(1000), Decimal(12), Y, 1, START)
    assert [(r.principal, r.interest) for r in one.rows] == [(Decimal(1000), Decimal("10.00"))]
    tiny = equal_installment_schedule(Decimal("0.01"), Decimal(12), Y, 12, START)
    assert tiny.principal_total == Decimal("0.01")
    assert all(r.balance >= 0 for r in tiny.rows)


@pytest.mark.parametrize(
    "principal,months",
    [(Decimal(0), 12), (Decimal(-5), 12), (Decimal(100), 0), (Decimal(100), MAX_PERIODS + 1)],
)
def test_bad_terms_are_refused(principal, months):
    with pytest.raises(ScheduleError):
        equal_installment_schedule(principal, Decimal(5), Y, months, START)


def test_revolving_minimum_payment_path_terminates_and_never_grows():
    s = revolving_schedule(
        Decimal(20000),
        Decimal("0.05"),
        RateUnit.DAY,
        START,
        minimum=MinimumPayment(Decimal(10), Decimal(100)),
    )
    assert s.rows[-1].balance == 0 and len(s.rows) < MAX_PERIODS
    for r in s.rows:
        assert r.payment >= min(r.principal + r.interest, Decimal(100))
    balances = [r.balance for r in s.rows]
    assert balances == sorted(balances, reverse=True)
    # first cycle: 10% of 20,000 plus the interest (31 days × 0.05% × 20,000 = 310)
    assert s.rows[0].payment == Decimal("2310.00")


def test_revolving_without_minimum_clears_in_the_months_given():
    s = revolving_schedule(Decimal(6000), Decimal("0.05"), RateUnit.DAY, START, months=6)
    assert len(s.rows) == 6 and s.principal_total == 6000


def test_schedule_for_uses_the_debts_terms():
    debt = Debt(
        name="x",
        lender="y",
        kind=DebtKind.BANK_LOAN,
        principal=Decimal(12000),
        start_date=START,
        method=Method.EQUAL_INSTALLMENT,
        months=12,
        rate=Decimal(1),
        rate_unit=RateUnit.MONTH,
        due_day=31,
    )
    s = schedule_for(debt)
    assert s.rows[0].payment == Decimal("1066.19")
    assert s.rows[0].due_date == date(2026, 1, 31)
    assert s.rows[1].due_date == date(2026, 2, 28)
    for method in Method:
        other = schedule_for(Debt(**{**{f: getattr(debt, f) for f in debt.__slots__}, "method": method}))
        assert other.principal_total == Decimal(12000)


# --- changes part-way -----------------------------------------------------------


def test_extra_payment_shorter_term_keeps_payment_and_saves_interest():
    base = equal_installment_schedule(Decimal(100000), Decimal(6), Y, 60, START)
    extra = ExtraPayment(12, Decimal(20000), Prepay.SHORTER_TERM)
    s = equal_installment_schedule(Decimal(100000), Decimal(6), Y, 60, START, changes=[extra])
    assert len(s.rows) < 60
    assert s.rows[20].payment == base.rows[20].payment
    assert s.interest_total < base.interest_total
    assert s.principal_total == Decimal(100000)
    assert s.rows[11].principal == base.rows[11].principal + 20000


def test_extra_payment_lower_payment_keeps_term():
    base = equal_installment_schedule(Decimal(100000), Decimal(6), Y, 60, START)
    s = equal_installment_schedule(
        Decimal(100000),
        Decimal(6),
        Y,
        60,
        START,
        changes=[ExtraPayment(12, Decimal(20000), Prepay.LOWER_PAYMENT)],
    )
    assert len(s.rows) == 60
    # independent: numpy's pmt on the balance left after month 12, over the 48 months left
    assert s.rows[12].payment == fen(-npf.pmt(0.005, 48, float(s.rows[11].balance)))
    assert s.rows[12].payment < base.rows[12].payment


def test_rate_change_part_way_recomputes_the_payment():
    s = equal_installment_schedule(
        Decimal(200000), Decimal("4.9"), Y, 120, START, changes=[RateChange(25, Decimal("3.9"), Y)]
    )
    assert s.rows[24].interest == fen(float(s.rows[23].balance) * 0.039 / 12)
    assert s.rows[24].payment == fen(-npf.pmt(0.039 / 12, 96, float(s.rows[23].balance)))
    assert len(s.rows) == 120 and s.rows[-1].balance == 0


def test_statement_interest_rebases_the_schedule():
    s = equal_installment_schedule(
        Decimal(12000), Decimal(12), Y, 12, START, changes=[StatementInterest(1, Decimal("125.40"))]
    )
    assert s.rows[0].interest == Decimal("125.40")
    assert s.rows[0].balance == Decimal(12000) - (Decimal("1066.19") - Decimal("125.40"))
    assert s.rows[1].interest == fen(float(s.rows[0].balance) * 0.01)
    assert s.principal_total == Decimal(12000) and len(s.rows) == 12


def test_equal_principal_extra_payment_lower_payment_spreads_the_rest():
    s = equal_principal_schedule(
        Decimal(12000),
        Decimal(12),
        Y,
        12,
        START,
        changes=[ExtraPayment(2, Decimal(1000), Prepay.LOWER_PAYMENT)],
    )
    assert s.rows[2].principal == Decimal("900.00")  # (12,000 − 2,000 − 1,000) / 10
    assert s.principal_total == 12000


# --- properties -------------------------------------------------------------------

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000000"), places=2)
rates = st.decimals(min_value=Decimal(0), max_value=Decimal(36), places=2)
terms = st.integers(min_value=1, max_value=360)
days = st.integers(min_value=1, max_value=31)
starts = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))


@settings(max_examples=60, deadline=None)
@given(amounts, rates, terms, st.tuples(days, starts), st.sampled_from(list(Method)))
def test_principal_sums_exactly_and_balance_never_negative(principal, rate, months, when, method):
    due_day, start = when
    debt = Debt(
        name="p",
        lender="l",
        kind=DebtKind.OTHER,
        principal=principal,
        start_date=start,
        method=method,
        months=months,
        rate=rate,
        rate_unit=Y,
        fee_rate=Decimal("0.5"),
        due_day=due_day,
    )
    s = schedule_for(debt)
    assert s.principal_total == principal
    assert all(r.balance >= 0 and r.principal >= 0 and r.interest >= 0 for r in s.rows)
    assert all(r.payment == r.principal + r.interest + r.fee for r in s.rows)
    assert s.rows[-1].balance == 0
    assert all(a.due_date < b.due_date for a, b in zip(s.rows, s.rows[1:], strict=False))


@settings(max_examples=40, deadline=None)
@given(
    st.decimals(min_value=Decimal(100), max_value=Decimal("5000000"), places=2),
    st.decimals(min_value=Decimal("0.1"), max_value=Decimal(36), places=2),
    terms,
)
def test_equal_installment_matches_numpy_financial(principal, rate, months):
    s = equal_installment_schedule(principal, rate, Y, months, START)
    r = float(rate) / 1200
    # half-up of the exact value sits within half a fen of the (float) oracle's unrounded one
    assert abs(float(s.rows[0].payment) + npf.pmt(r, months, float(principal))) <= 0.005 + 1e-7
    assert abs(float(s.rows[0].interest) - float(principal) * r) <= 0.005 + 1e-7
    exact_interest = -sum(npf.ipmt(r, k, months, float(principal)) for k in range(1, months + 1))
    # the payment is rounded (≤ half a fen off), and so is each period's interest (≤ half a fen);
    # both stay in the balance and compound until the last payment absorbs them
    # (error_{k+1} = error_k·(1+r) + interest rounding − payment rounding)
    drift = 2 * 0.005 * ((1 + r) ** months - 1) / r + 0.005 * months + 0.01
    assert abs(float(s.interest_total) - exact_interest) <= drift


@settings(max_examples=30, deadline=None)
@given(
    amounts,
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("0.1"), places=3),
    st.decimals(min_value=Decimal(1), max_value=Decimal(20), places=1),
    st.decimals(min_value=Decimal(0), max_value=Decimal(500), places=0),
)
def test_revolving_minimum_never_increases_the_balance(principal, daily, percent, floor):
    s = revolving_schedule(principal, daily, RateUnit.DAY, START, minimum=MinimumPayment(percent, floor))
    balances = [principal, *(r.balance for r in s.rows)]
    assert all(a >= b >= 0 for a, b in zip(balances, balances[1:], strict=False))
    assert s.rows[-1].due_date <= START + timedelta(days=31 * MAX_PERIODS)
