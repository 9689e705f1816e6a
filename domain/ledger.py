"""What is owed on a debt on a given day, and how a payment is split.

Payments are applied in the order of Civil Code Art. 561: costs (fees) first,
then interest, then principal. The accrual is deliberately simple and stated
here so the person can check it by hand:

- Interest-bearing methods accrue simple interest at the contract rate on the
  principal still outstanding, for the actual days since the last payment (or
  the start date). A yearly rate is divided by 360 and a monthly rate by 30 to
  get the daily rate, as Chinese lenders quote 日利率 (年利率/360, 月利率/30).
  Unpaid interest carries over; it does not itself bear interest.
- Fee-based instalments (``fee-installment``) accrue one month's fee (the fee
  rate times the original principal) on each due date reached, for at most
  ``months`` instalments; they accrue no interest.
- Penalty interest and late fees are not added here: ``domain.overdue`` projects
  those. The balance is the principal outstanding and is never negative; a
  payment larger than everything outstanding is refused.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from domain.debts import Debt, Method, RateUnit
from domain.money import FEN, ZERO

DAYS_PER_YEAR = Decimal(360)
DAYS_PER_MONTH = Decimal(30)


class OverpaymentError(ValueError):
    """A payment larger than everything outstanding on its date."""

    def __init__(self, amount: Decimal, owed: Decimal, on: date) -> None:
        super().__init__(f"payment {amount} on {on} is more than the {owed} owed")
        self.amount = amount
        self.owed = owed
        self.on = on


@dataclass(frozen=True, slots=True)
class Split:
    """How one payment was applied."""

    fees: Decimal
    interest: Decimal
    principal: Decimal

    @property
    def total(self) -> Decimal:
        return self.fees + self.interest + self.principal


@dataclass(frozen=True, slots=True)
class Outstanding:
    """What is owed on a day: fees and interest due, and principal (the balance)."""

    fees: Decimal
    interest: Decimal
    principal: Decimal

    @property
    def total(self) -> Decimal:
        return self.fees + self.interest + self.principal


def daily_rate(debt: Debt) -> Decimal:
    """The contract rate per day as a fraction (not percent)."""
    fraction = debt.rate / 100
    if debt.rate_unit is RateUnit.DAY:
        return fraction
    if debt.rate_unit is RateUnit.MONTH:
        return fraction / DAYS_PER_MONTH
    return fraction / DAYS_PER_YEAR


def due_date(debt: Debt, period: int) -> date:
    """The due date of instalment ``period`` (1-based): ``due_day`` of the month after start + period - 1.

    A due day beyond the month's end falls on its last day (31 -> 28/29/30).
    """
    month_index = debt.start_date.month - 1 + period
    year = debt.start_date.year + month_index // 12
    month = month_index % 12 + 1
    day = min(debt.due_day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def fees_accrued(debt: Debt, on: date) -> Decimal:
    """Instalment fees fallen due by ``on`` (fee-installment debts only)."""
    if debt.method is not Method.FEE_INSTALLMENT or debt.fee_rate == 0:
        return ZERO
    monthly = (debt.principal * debt.fee_rate / 100).quantize(FEN, rounding=ROUND_HALF_UP)
    periods = 0
    for period in range(1, debt.months + 1):
        if due_date(debt, period) > on:
            break
        periods += 1
    return monthly * periods


def _interest(debt: Debt, principal: Decimal, start: date, end: date) -> Decimal:
    if debt.method is Method.FEE_INSTALLMENT or end <= start or principal <= 0:
        return ZERO
    days = (end - start).days
    return (principal * daily_rate(debt) * days).quantize(FEN, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class _State:
    last: date
    interest_due: Decimal
    fees_paid: Decimal
    principal: Decimal


def _advance(debt: Debt, state: _State, on: date) -> tuple[_State, Outstanding]:
    """Accrue up to ``on`` and say what is outstanding that day."""
    end = max(on, state.last)
    interest_due = state.interest_due + _interest(debt, state.principal, state.last, end)
    fees_due = max(ZERO, fees_accrued(debt, on) - state.fees_paid)
    new_state = _State(end, interest_due, state.fees_paid, state.principal)
    return new_state, Outstanding(fees_due, interest_due, state.principal)


def _apply(state: _State, owed: Outstanding, split: Split) -> _State:
    return _State(state.last, owed.interest - split.interest, state.fees_paid + split.fees,
                  state.principal - split.principal)


def split_amount(owed: Outstanding, amount: Decimal, on: date) -> Split:
    """Apply an amount to fees, then interest, then principal (Civil Code Art. 561)."""
    if amount > owed.total:
        raise OverpaymentError(amount, owed.total, on)
    fees = min(amount, owed.fees)
    interest = min(amount - fees, owed.interest)
    return Split(fees, interest, amount - fees - interest)


def allocate(debt: Debt, payments: Sequence[tuple[date, Decimal]]) -> list[Split]:
    """Split each payment, in date order (ties in the given order), from the start of the debt.

    Returns the splits in the order the payments were given. Raises
    OverpaymentError when a payment exceeds what is outstanding on its date.
    """
    order = sorted(range(len(payments)), key=lambda i: (payments[i][0], i))
    splits: dict[int, Split] = {}
    state = _State(debt.start_date, ZERO, ZERO, debt.principal)
    for index in order:
        on, amount = payments[index]
        state, owed = _advance(debt, state, on)
        split = split_amount(owed, amount, on)
        state = _apply(state, owed, split)
        splits[index] = split
    return [splits[i] for i in range(len(payments))]


def outstanding(debt: Debt, payments: Sequence[tuple[date, Decimal]], on: date) -> Outstanding:
    """What is owed on ``on`` after the given payments (those dated after ``on`` are ignored)."""
    earlier = [p for p in payments if p[0] <= on]
    order = sorted(range(len(earlier)), key=lambda i: (earlier[i][0], i))
    state = _State(debt.start_date, ZERO, ZERO, debt.principal)
    for index in order:
        when, amount = earlier[index]
        state, owed = _advance(debt, state, when)
        state = _apply(state, owed, split_amount(owed, amount, when))
    return _advance(debt, state, on)[1]


def days_overdue(debt: Debt, as_of: date) -> int:
    """On ``overdue_since`` + N days, N; 0 when the debt is current (grace days do not reset it)."""
    if debt.overdue_since is None or as_of < debt.overdue_since:
        return 0
    return (as_of - debt.overdue_since).days
