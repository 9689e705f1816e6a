"""A debt's one effective annual rate (PBOC announcement 〔2021〕第3号), used everywhere it is shown.

The cash flows are what actually reached the person (``received_amount`` when interest was
taken in advance, Civil Code Art. 670) at month 0, then each payment of the debt's schedule
in the month of the term it falls in (a bullet loan's single payment in its last month, not
its first). The rate is the monthly internal rate of return; ``apr`` is the figure shown as
"the effective annual rate": monthly IRR × 12 (labelled simple, as the announcement requires);
the compound figure (1 + IRR)^12 − 1 goes with it where both are shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

from domain.debts import Debt
from domain.money import D
from domain.rates import EffectiveRate, effective_rate

ZERO = Decimal("0")


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


def debt_rate(debt: Debt, rows: Sequence[PaymentRowLike] | None = None) -> EffectiveRate | None:
    """The debt's effective rate from its schedule (``rows``, else ``schedule_for(debt)``);
    None when there is no schedule or no rate balances the flows."""
    if rows is None:
        from domain.schedules import schedule_for

        try:
            rows = schedule_for(debt).rows
        except (ValueError, ArithmeticError):
            return None
    if not rows:
        return None
    try:
        return loan_rate(received(debt), rows)
    except (ValueError, ArithmeticError):
        return None


def debt_apr(debt: Debt, rows: Sequence[PaymentRowLike] | None = None) -> Decimal | None:
    """The one effective annual rate of a debt, percent (monthly IRR × 12), unrounded."""
    rate = debt_rate(debt, rows)
    return None if rate is None else rate.apr_simple
