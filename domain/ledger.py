"""What is owed on a debt on a given day, and how a payment is split.

Payments are applied in the order of Civil Code Art. 561: costs (fees) first,
then interest, then principal. The accrual is deliberately simple and stated
here so the person can check it by hand:

- Interest-bearing methods accrue simple interest at the contract rate on the
  principal still outstanding, for the actual days since the last payment (or
  the start date). The daily rate is ``domain.rates.daily_fraction`` (年利率/360,
  月利率/30, as Chinese lenders quote 日利率). Unpaid interest carries over; it
  does not itself bear interest.
- Fee-based instalments (``fee-installment``) accrue each instalment's fee, as
  the repayment engine (``domain.schedules``) lists it, on its due date; they
  accrue no interest.
- Everything starts from the debt as it stands when it was entered
  (``domain.standing``): instalments paid before anything recorded, or the
  principal the lender showed on a day, are behind it; their fees are not charged.
- Penalty interest and late fees are not added here: ``domain.overdue`` projects
  those. The balance is the principal outstanding and is never negative; a
  payment larger than everything outstanding is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from domain.debts import Debt, Method
from domain.money import FEN, ZERO
from domain.rates import daily_fraction
from domain.standing import standing


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
    return daily_fraction(debt.rate, debt.rate_unit)


def fee_dues(debt: Debt) -> tuple[tuple[date, Decimal], ...]:
    """(due date, fee) of every instalment fee still to come on a fee-installment debt as it stands."""
    if debt.method is not Method.FEE_INSTALLMENT or debt.fee_rate == 0:
        return ()
    return tuple((row.due_date, row.fee) for row in standing(debt).rows if row.fee)


def fees_accrued(debt: Debt, on: date, dues: Sequence[tuple[date, Decimal]] | None = None) -> Decimal:
    """Instalment fees fallen due by ``on`` (fee-installment debts only)."""
    return sum((fee for due, fee in (fee_dues(debt) if dues is None else dues) if due <= on), ZERO)


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
    fee_dues: tuple[tuple[date, Decimal], ...]


def _start(debt: Debt) -> _State:
    """The debt as it stands when entered: nothing before it is owed again."""
    if debt.instalments_paid <= 0 and debt.outstanding_principal is None:
        return _State(debt.start_date, ZERO, ZERO, debt.principal, fee_dues(debt))
    point = standing(debt)
    return _State(point.since, ZERO, ZERO, point.principal, fee_dues(debt))


def _advance(debt: Debt, state: _State, on: date) -> tuple[_State, Outstanding]:
    """Accrue up to ``on`` and say what is outstanding that day."""
    end = max(on, state.last)
    interest_due = state.interest_due + _interest(debt, state.principal, state.last, end)
    fees_due = max(ZERO, fees_accrued(debt, on, state.fee_dues) - state.fees_paid)
    new_state = replace(state, last=end, interest_due=interest_due)
    return new_state, Outstanding(fees_due, interest_due, state.principal)


def _apply(state: _State, owed: Outstanding, split: Split) -> _State:
    return replace(state, interest_due=owed.interest - split.interest, fees_paid=state.fees_paid + split.fees,
                   principal=state.principal - split.principal)


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
    state = _start(debt)
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
    state = _start(debt)
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
