"""Where a debt stands on a day: ``DebtSummary`` and the functions that figure it.

Without SQLAlchemy: the services (``services.debts``) and the window's quick first screen
(``services.first_screen``) give the same figures from the same code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from domain import ledger
from domain.debts import Debt, DebtStatus, Payment
from domain.money import ZERO
from domain.status import AS_STORED, Standing, standing_of

# A payment's place in its debt's ledger: by date, same-day ones in the order they were recorded.
LedgerKey = tuple[date, int]


def stored_day(value: object) -> date | None:
    """A date as stored (ISO text), or None when it is not one."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


class KeptState(NamedTuple):
    """The payment a ledger resumes after (its key) and the state kept with it."""

    key: LedgerKey | None
    state: ledger.LedgerState | None

    @property
    def usable(self) -> bool:
        return self.key is None or self.state is not None


def kept_from(debt: Debt, found: tuple[int, object, object] | None) -> KeptState:
    """The kept state of the payment ``found`` as stored (its id, date and ledger state; None: no
    payment): ``(None, None)`` when there is none (the ledger starts from the debt itself),
    ``(key, None)`` when its state is missing or cannot be trusted (the ledger is replayed)."""
    if found is None:
        return KeptState(None, None)
    payment_id, stored, text = found
    on = stored_day(stored)
    state = ledger.state_from_text(text)
    if on is None or state is None or not ledger.fits(debt, state, on):
        return KeptState((on or date.min, payment_id), None)
    return KeptState((on, payment_id), state)


def arrears_start(debt: Debt) -> LedgerKey | None:
    """Where the payments of a debt with arrears start counting for them: their late charges depend
    on every payment since ``overdue_since``, under the overdue terms as they are now."""
    return None if debt.overdue_since is None else (debt.overdue_since, 0)


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


class LedgerReads(NamedTuple):
    """How one debt's payments are read, for ``figure``: each raises what its reader raises."""

    # The state kept with the last payment before a key (None: of all) dated on or before a day.
    kept: Callable[[LedgerKey | None, date], KeptState]
    # Every payment of the debt, in ledger order.
    every: Callable[[], Sequence[Payment]]
    # The payments from a key on, dated on or before a day, in ledger order.
    since: Callable[[LedgerKey, date], Sequence[Payment]]


def figure(
    debt: Debt, as_of: date, terms: Mapping[str, object], reads: LedgerReads, replay: bool = False
) -> tuple[DebtSummary, tuple[Payment, ...]]:
    """Where ``debt`` stands on ``as_of``, with the payments its arrears are figured from (all, or
    those since its first overdue day).

    From the ledger state kept with its last payment by ``as_of`` (one read), not from replaying
    its payments; a debt with arrears reads its payments since its first overdue day too. With
    ``replay`` (a damaged payment), or without a state that fits, every payment is replayed.
    Raises OverpaymentError.
    """
    arrears = arrears_start(debt)
    kept = None if replay else reads.kept(arrears, as_of)
    if kept is None or not kept.usable:
        payments = tuple(reads.every())
        return summarize(debt, payments, as_of, late_for(debt, payments, terms)), payments
    tail: tuple[Payment, ...] = ()
    if arrears is not None and arrears[0] <= as_of:
        tail = tuple(reads.since(arrears, as_of))
    return summarize_kept(debt, as_of, kept, tail=tail, late=late_for(debt, tail, terms)), tail
