"""Where a debt stands on a day: ``DebtSummary`` and the functions that figure it.

Without SQLAlchemy: the services (``services.debts``) and the window's quick first screen
(``services.first_screen``) give the same figures from the same code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from domain import ledger
from domain.debts import Debt, DebtStatus, Payment
from domain.money import ZERO
from domain.status import AS_STORED, Standing, standing_of

if TYPE_CHECKING:
    from services.records import KeptState


@dataclass(frozen=True, slots=True)
class DebtSummary:
    """Where a debt stands on ``as_of``: what was paid, what is left, how late it is."""

    debt: Debt
    as_of: date
    balance: Decimal  # principal outstanding, never negative
    principal_paid: Decimal
    interest_paid: Decimal
    fees_paid: Decimal
    total_paid: Decimal
    interest_due: Decimal  # accrued and unpaid on as_of (ledger's simple accrual)
    fees_due: Decimal
    days_overdue: int  # on overdue_since + N days: N; 0 when current
    status: DebtStatus  # the derived standing as a DebtStatus (for labels)
    last_payment: date | None
    standing: Standing = Standing.CURRENT  # current|overdue|settled|archived (domain.status)


def summarize(
    debt: Debt, payments: Sequence[Payment], as_of: date, late: Sequence[ledger.LateCharges] | None = None
) -> DebtSummary:
    """Where ``debt`` stands on ``as_of`` after ``payments`` (raises OverpaymentError)."""
    paid = [p for p in payments if p.date <= as_of]
    owed = ledger.outstanding(debt, [(p.date, p.amount) for p in payments], as_of, late)
    return _summary(debt, as_of, owed, paid, last_payment=max((p.date for p in paid), default=None))


def summarize_kept(
    debt: Debt,
    as_of: date,
    kept: KeptState,
    *,
    tail: Sequence[Payment] = (),
    late: Sequence[ledger.LateCharges] | None = None,
) -> DebtSummary:
    """``summarize`` from the state kept with the debt's last payment on or before ``as_of`` (or
    before ``tail``), without reading the payments before it. ``tail``: the payments after it up to
    ``as_of`` (of a debt with arrears, those since its first overdue day, their late charges
    ``late`` figured now). Raises OverpaymentError."""
    steps = ledger.resume(debt, kept.state, [(p.date, p.amount) for p in tail], late)
    owed = ledger.outstanding_after(debt, steps[-1][1] if steps else kept.state, as_of)
    before = kept.state or ledger.start_state(debt)
    last = tail[-1].date if tail else kept.key[0] if kept.key else None
    return _summary(debt, as_of, owed, tail, last_payment=last, before=before)


def _summary(
    debt: Debt,
    as_of: date,
    owed: ledger.Outstanding,
    paid: Sequence[Payment],
    *,
    last_payment: date | None,
    before: ledger.LedgerState | None = None,
) -> DebtSummary:
    """The summary from what is owed and the payments made by ``as_of`` (after those ``before``
    already counts)."""
    balance = max(ZERO, owed.principal)
    state, overdue = standing_of(debt.status, balance, ledger.days_overdue(debt, as_of))
    fees, interest, principal = (
        (before.fees_total, before.interest_total, before.principal_paid) if before else (ZERO, ZERO, ZERO)
    )
    fees += sum((p.fees for p in paid), ZERO)
    interest += sum((p.interest for p in paid), ZERO)
    principal += sum((p.principal for p in paid), ZERO)
    return DebtSummary(
        debt=debt,
        as_of=as_of,
        balance=balance,
        principal_paid=principal,
        interest_paid=interest,
        fees_paid=fees,
        total_paid=fees + interest + principal,  # each payment's parts add up to it (storage.rows)
        interest_due=owed.interest,
        fees_due=owed.fees,
        days_overdue=overdue,
        status=AS_STORED[state],
        standing=state,
        last_payment=last_payment,
    )


def late_for(
    debt: Debt, payments: Sequence[Payment], overrides: Mapping[str, object]
) -> list[ledger.LateCharges] | None:
    """The overdue charges each payment pays first (``services.overdue.late_charges``); None for a
    debt without arrears or payments."""
    if debt.overdue_since is None or not payments:
        return None
    from services.overdue import late_charges

    return late_charges(debt, [(p.date, p.amount) for p in payments], overrides)
