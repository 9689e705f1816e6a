"""A debt as it stands: what is left of its schedule when the person entered it mid-life.

Most debts are entered months after they started. Two fields say what was already paid
before anything recorded in the program (the debt JSON's ``instalments_paid`` and
``outstanding_principal`` + ``outstanding_as_of``):

- ``instalments_paid`` = k: the first k instalments of the schedule were paid in full. What
  is left is the schedule from instalment k + 1 on; the principal then is the balance the
  schedule shows after instalment k, on its due date.
- ``outstanding_principal`` on ``outstanding_as_of``: the principal the lender shows on that
  day (for a card, the statement balance). What is left is the instalments due after that
  day (or after instalment k when both are given), re-based on that principal when the
  schedule says otherwise: the same number of instalments from that day, by the debt's own
  method; fee instalments keep their fee on the ORIGINAL principal, as lenders charge it.

Without either, the debt stands as it started. Every figure (balance, split of a payment,
arrears, plans, reminders, letters) starts from ``standing(debt)``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache

from domain.debts import Debt, Method
from domain.money import ZERO, round_fen
from domain.schedules import Schedule, ScheduleRow, schedule_for

# Instalments paid and the principal the lender shows must agree within this (yuan).
AGREEMENT_TOLERANCE = Decimal("1.00")


@dataclass(frozen=True, slots=True)
class StandingAtEntry:
    """Where a debt stands when the program takes it over."""

    since: date  # the day the figures hold: start date, last paid instalment's due date, or outstanding_as_of
    principal: Decimal  # principal still owed on ``since``
    rows: tuple[ScheduleRow, ...]  # the instalments still to come (principal sums to ``principal``)
    instalments_paid: int  # instalments of the full schedule behind it


def paid_instalments_balance(debt: Debt) -> Decimal | None:
    """The principal the schedule leaves after ``instalments_paid`` instalments (None when none)."""
    if debt.instalments_paid <= 0:
        return None
    rows = schedule_for(debt).rows
    k = min(debt.instalments_paid, len(rows) - 1)
    return rows[k - 1].balance if k > 0 else debt.principal


def _rebased(
    debt: Debt, principal: Decimal, since: date, count: int, *, first_period: int, original_fee: Decimal
) -> tuple[ScheduleRow, ...]:
    """``count`` instalments of ``principal`` from ``since``, by the debt's method."""
    if principal <= 0:
        return ()
    terms = replace(
        debt,
        principal=principal,
        start_date=since,
        months=max(1, count),
        instalments_paid=0,
        outstanding_principal=None,
        outstanding_as_of=None,
    )
    rows = schedule_for(terms).rows
    out = []
    for r in rows:
        fee = original_fee if debt.method is Method.FEE_INSTALLMENT else r.fee
        out.append(
            replace(r, period=r.period + first_period - 1, fee=fee, payment=r.principal + r.interest + fee)
        )
    return tuple(out)


@lru_cache(maxsize=1024)
def standing(debt: Debt) -> StandingAtEntry:
    """The debt as it stands after what was paid before the program knew of it (the same debt, the
    same answer: kept for the next page or check that asks, as a debt's terms are all in ``debt``)."""
    full = schedule_for(debt)
    rows = full.rows
    k = max(0, min(debt.instalments_paid, len(rows) - 1))
    since = rows[k - 1].due_date if k > 0 else debt.start_date
    left = rows[k:]
    principal = rows[k - 1].balance if k > 0 else full.principal
    if debt.outstanding_principal is None or debt.outstanding_as_of is None:
        return StandingAtEntry(since, principal, tuple(left), k)
    as_of = debt.outstanding_as_of
    if debt.instalments_paid <= 0:
        left = tuple(r for r in rows if r.due_date > as_of)
        k = len(rows) - len(left)
    outstanding = round_fen(debt.outstanding_principal)
    since = max(as_of, since)
    if sum((r.principal for r in left), ZERO) == outstanding and left:
        return StandingAtEntry(since, outstanding, tuple(left), k)
    if debt.method is Method.BULLET and left:
        # one payment at maturity: the same day, interest in proportion to the principal
        row = left[-1]
        interest = round_fen(row.interest * outstanding / full.principal)
        return StandingAtEntry(
            since,
            outstanding,
            (replace(row, principal=outstanding, interest=interest, payment=outstanding + interest),),
            k,
        )
    fee = rows[0].fee if rows else ZERO
    count = len(left)
    if debt.method is Method.REVOLVING:
        count = debt.months  # a card's balance is cleared over its months from the statement
    rebased = _rebased(debt, outstanding, since, max(count, 1), first_period=k + 1, original_fee=fee)
    return StandingAtEntry(since, outstanding, rebased, k)


def standing_schedule(debt: Debt) -> Schedule:
    """What is left of the debt's schedule, as a schedule (its principal = the principal still owed)."""
    s = standing(debt)
    return Schedule(debt.method, s.principal, s.rows)
