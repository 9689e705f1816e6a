"""A debt's one effective annual rate (PBOC announcement 〔2021〕第3号), used everywhere it is shown.

The cash flows are what actually reached the person (``received_amount`` when interest was
taken in advance, Civil Code Art. 670) at month 0, then each payment of the debt's schedule
in the month of the term it falls in (a bullet loan's single payment in its last month, not
its first); when the first due date of an interest-bearing loan comes sooner than a month
after the loan, each payment is placed that much earlier (a first period of 17 days in 31:
at 17/31, 1 + 17/31 … months).
The rate is the monthly internal rate of return; ``apr`` is the figure shown as
"the effective annual rate": monthly IRR × 12 (labelled simple, as the announcement requires);
the compound figure (1 + IRR)^12 − 1 goes with it where both are shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal, localcontext
from typing import Protocol

from domain.debts import Debt, Method
from domain.money import HUNDRED, ONE, ZERO, D
from domain.rates import EffectiveRate, effective_rate


class PaymentRowLike(Protocol):
    """The part of a schedule row the rate reads (``domain.schedules.ScheduleRow``)."""

    @property
    def principal(self) -> Decimal: ...
    @property
    def interest(self) -> Decimal: ...
    @property
    def fee(self) -> Decimal: ...


def received(debt: Debt) -> Decimal:
    """What reached the person: ``received_amount`` when it is less than the principal (砍头息)."""
    if debt.received_amount is not None and 0 < debt.received_amount < debt.principal:
        return debt.received_amount
    return debt.principal


def monthly_flows(received_amount: Decimal, rows: Sequence[PaymentRowLike]) -> list[Decimal]:
    """−received at month 0, then each row's payment in its month of the term.

    A row's month is its ``period`` (``ScheduleRow.period``: a bullet loan's one row is its
    last month); rows without one are taken as months 1, 2, 3 … in order. Months with no
    payment hold 0, so every payment is discounted for the time until it is paid.
    """
    months = [int(getattr(r, "period", 0) or k) for k, r in enumerate(rows, start=1)]
    flows = [-D(received_amount)] + [ZERO] * (max(months) if months else 0)
    for month, r in zip(months, rows, strict=True):
        flows[month] += r.principal + r.interest + r.fee
    return flows


def loan_rate(received_amount: Decimal, rows: Sequence[PaymentRowLike]) -> EffectiveRate:
    """The effective rate of a schedule against what was received (ValueError when none balances)."""
    return effective_rate(monthly_flows(received_amount, rows))


def first_period_fraction(debt: Debt, first_due: date) -> Decimal:
    """How much of a month the first period is: 1 for a whole month (or more), else its days over
    the days of the month from the start (lent on 15 Jan, first due 20 Jan: 5/31)."""
    from domain.dates import add_months

    month_later = add_months(debt.start_date, 1)
    if first_due >= month_later or first_due <= debt.start_date:
        return ONE
    return Decimal((first_due - debt.start_date).days) / Decimal((month_later - debt.start_date).days)


def shifted_rate(received_amount: Decimal, rows: Sequence[PaymentRowLike], shift: Decimal) -> EffectiveRate:
    """The effective rate when every payment comes ``1 − shift`` of a month earlier than its month
    of the term (a short first period): the monthly IRR r with
    received = Σ payment_k × (1 + r)^−(k − 1 + shift), found in Decimal by Newton steps kept inside
    a bracket that always holds the root (a step that would leave it halves the bracket instead),
    until a step moves the rate by less than 10^−28."""
    flows = monthly_flows(received_amount, rows)
    later = list(reversed(flows[1:]))

    def npv_and_slope(rate: Decimal) -> tuple[Decimal, Decimal]:
        # npv = f_0 + v^shift × S(v), S(v) = Σ f_k v^(k − 1), v = 1 / (1 + rate): Horner for S and S'
        v = ONE / (ONE + rate)
        total = slope = ZERO
        for f in later:
            slope = slope * v + total
            total = total * v + f
        power = v**shift
        npv = flows[0] + total * power
        d_dv = shift * power / v * total + power * slope
        return npv, -v * v * d_dv  # dv/drate = −v²

    with localcontext() as ctx:
        ctx.prec = 34
        low, high = Decimal("-0.99"), Decimal("1")
        while npv_and_slope(high)[0] < 0 and high < 1000:
            high *= 4
        npv_low, npv_high = npv_and_slope(low)[0], npv_and_slope(high)[0]
        if npv_low * npv_high > 0:
            raise ValueError("no rate balances these cash flows")
        low_positive = npv_low > 0
        rate = ZERO if low < 0 < high else (low + high) / 2
        for _ in range(400):
            npv, slope = npv_and_slope(rate)
            if npv == 0:
                break
            if (npv > 0) == low_positive:
                low = rate
            else:
                high = rate
            step = rate - npv / slope if slope else None
            following = step if step is not None and low < step < high else (low + high) / 2
            moved = abs(following - rate)
            rate = following
            if moved < TOLERANCE or high - low < TOLERANCE:
                break
        irr = +rate
        compound = (ONE + irr) ** 12 - ONE
    return EffectiveRate(irr * HUNDRED, irr * 12 * HUNDRED, compound * HUNDRED)


TOLERANCE = Decimal("1e-28")


def debt_rate(debt: Debt, rows: Sequence[PaymentRowLike] | None = None) -> EffectiveRate | None:
    """The debt's effective rate from its schedule (``rows``, else ``schedule_for(debt)``);
    None when there is no schedule or no rate balances the flows.

    When the first due date comes less than a month after the money was lent, the first period's
    interest is charged for its days (``domain.schedules``), so every payment is discounted for
    the time it is really paid (``first_period_fraction``), not a whole month later. Fee
    instalments charge the same fee for every instalment, priced by the month as their lenders
    quote them: each payment stays in its month of the term.
    """
    if rows is None:
        from domain.schedules import schedule_for

        try:
            rows = schedule_for(debt).rows
        except (ValueError, ArithmeticError):
            return None
    if not rows:
        return None
    first_due = getattr(rows[0], "due_date", None)
    shift = ONE
    by_instalment_fee = debt.method is Method.FEE_INSTALLMENT
    if first_due is not None and getattr(rows[0], "period", 1) == 1 and not by_instalment_fee:
        shift = first_period_fraction(debt, first_due)
    try:
        if shift == ONE:
            return loan_rate(received(debt), rows)
        return shifted_rate(received(debt), rows, shift)
    except (ValueError, ArithmeticError):
        return None


def debt_apr(debt: Debt, rows: Sequence[PaymentRowLike] | None = None) -> Decimal | None:
    """The one effective annual rate of a debt, percent (monthly IRR × 12), unrounded."""
    rate = debt_rate(debt, rows)
    return None if rate is None else rate.apr_simple
