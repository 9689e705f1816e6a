"""What is owed on a debt on a given day, and how a payment is split.

Payments are applied in the order of Civil Code Art. 561: costs (fees) first,
then interest, then principal. Each debt is split by its own contract, as its
lender's schedule (``domain.schedules``) does, so the person can check it by hand:

- Instalment loans (等额本息, 等额本金, 先息后本 and fee instalments) charge interest
  per period, not per day: each period's interest is the schedule's (a short first
  period is charged for its days only, as the schedule does), falling due on its
  due date. Once principal has been repaid ahead of the schedule, a period is
  charged on the principal actually outstanding (the schedule's interest × the
  outstanding principal / the schedule's); overdue principal bears no contract
  interest on top (the penalty interest of ``domain.overdue`` covers it). A
  payment pays the fees, interest and instalment principal fallen due; what is
  left pays the current period's interest (as the lender takes it when it debits
  the instalment), then principal. So a payment of the scheduled instalment on or a
  few days before its due date splits exactly as that schedule row.
- Daily-interest products (按日计息: Jiebei, Jintiao), cards (revolving: interest
  daily on the balance) and bullet loans accrue simple interest at the contract
  rate on the principal still outstanding, for the actual days since the last
  payment (or the start date). A revolving balance (a card's or Huabei's statement)
  has its interest-free repayment period (免息还款期, set by the issuer, PBOC
  银发〔2016〕111号 item 2): paid in full by its first due date, within the debt's
  grace days, it bears no interest; otherwise interest runs from the balance's date,
  as card agreements typically provide. The daily rate is ``domain.rates.daily_fraction``
  (年利率/360, 月利率/30, as Chinese lenders quote 日利率). Unpaid interest carries
  over; it does not itself bear interest.
- Fee-based instalments (``fee-installment``) charge each instalment's fee, as the
  schedule lists it, on its due date.
- Everything starts from the debt as it stands when it was entered
  (``domain.standing``): instalments paid before anything recorded, or the
  principal the lender showed on a day, are behind it; their fees and interest
  are not charged again.
- Penalty interest and late fees are not added here: ``domain.overdue`` projects
  those. The balance is the principal outstanding and is never negative; a
  payment larger than everything outstanding is refused.

The fold can be kept: ``LedgerState`` is where a debt's ledger stands just after a
payment, so the next payment is split by ``resume`` from it alone, and what is owed
on a later day read by ``outstanding_after``; both give exactly what ``allocate``
and ``outstanding`` give replaying every payment from the start.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from domain.debts import N_, Debt, Method
from domain.errors import DomainError
from domain.money import FEN, ZERO
from domain.rates import daily_fraction
from domain.schedules import due_dates
from domain.standing import standing


class OverpaymentError(DomainError):
    """A payment larger than everything outstanding on its date."""

    def __init__(self, amount: Decimal, owed: Decimal, on: date) -> None:
        super().__init__(
            N_("payment {amount} on {date} is more than the {owed} owed"),
            {"amount": amount, "date": on.isoformat(), "owed": owed},
        )
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
    """What is owed on a day: fees and interest due, and principal (the balance); of that principal,
    ``principal_due`` has fallen due with the schedule's instalments (instalment loans)."""

    fees: Decimal
    interest: Decimal
    principal: Decimal
    principal_due: Decimal = ZERO

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


# Methods whose interest is charged per period, as their schedule lists it.
PER_PERIOD = frozenset(
    {Method.EQUAL_INSTALLMENT, Method.EQUAL_PRINCIPAL, Method.INTEREST_ONLY, Method.FEE_INSTALLMENT}
)


@dataclass(frozen=True, slots=True)
class _Period:
    """One period of the debt's schedule: from ``begins`` (exclusive) to ``due``."""

    begins: date
    due: date
    opening: Decimal  # the schedule's principal outstanding during the period
    interest: Decimal  # the schedule's interest for it
    principal: Decimal  # the schedule's principal due with it


def _periods(debt: Debt) -> tuple[_Period, ...]:
    if debt.method not in PER_PERIOD:
        return ()
    out: list[_Period] = []
    point = standing(debt)  # the periods still to come where the debt stands
    begins = point.since
    for row in point.rows:
        out.append(_Period(begins, row.due_date, row.balance + row.principal, row.interest, row.principal))
        begins = row.due_date
    return tuple(out)


def _period_interest(period: _Period, principal: Decimal) -> Decimal:
    """A period's interest: the schedule's, or in proportion when less principal is outstanding."""
    if principal >= period.opening or period.opening <= 0:
        return period.interest
    if principal <= 0:
        return ZERO
    return (period.interest * principal / period.opening).quantize(FEN, rounding=ROUND_HALF_UP)


def _interest(debt: Debt, principal: Decimal, start: date, end: date) -> Decimal:
    if debt.method in PER_PERIOD or end <= start or principal <= 0:
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
    periods: tuple[_Period, ...] = ()
    charged: int = 0  # periods whose interest has been charged
    principal_paid: Decimal = ZERO
    free_until: date | None = None  # a revolving balance's interest-free period ends after this day
    deferred: Decimal = ZERO  # interest accrued inside that period: owed only if it is not paid in full


def _interest_free_until(debt: Debt, since: date) -> date | None:
    """The last day a revolving balance dated ``since`` can be paid in full without interest:
    its first due date after ``since``, plus the debt's grace days."""
    if debt.method is not Method.REVOLVING or debt.overdue_since is not None and debt.overdue_since <= since:
        return None
    return due_dates(since, debt.due_day, 1)[0] + timedelta(days=debt.grace_days)


def _start(debt: Debt) -> _State:
    """The debt as it stands when entered: nothing before it is owed again."""
    return _start_under(debt, terms_key(debt))


@lru_cache(maxsize=128)
def _start_under(debt: Debt, _terms: str) -> _State:
    """``_start``, built once per debt's terms (as written: 1.0 and 1.00 are not the same key),
    since every resumed payment needs the periods of its schedule."""
    if debt.instalments_paid <= 0 and debt.outstanding_principal is None:
        since, principal = debt.start_date, debt.principal
    else:
        point = standing(debt)
        since, principal = point.since, point.principal
    return _State(
        since,
        ZERO,
        ZERO,
        principal,
        fee_dues(debt),
        _periods(debt),
        free_until=_interest_free_until(debt, since),
    )


def _accrue(debt: Debt, state: _State, end: date) -> _State:
    """Interest from ``state.last`` to ``end``; inside the interest-free period it is held back,
    and charged (from the balance's date) once the period ends with principal still owed."""
    if state.free_until is None:
        interest = _interest(debt, state.principal, state.last, end)
        return replace(state, interest_due=state.interest_due + interest)
    if state.principal <= 0:  # paid in full within the period: the held-back interest is not owed
        return replace(state, free_until=None, deferred=ZERO)
    if end <= state.free_until:
        return replace(state, deferred=state.deferred + _interest(debt, state.principal, state.last, end))
    inside = state.deferred + _interest(debt, state.principal, state.last, state.free_until)
    after = _interest(debt, state.principal, state.free_until, end)
    return replace(state, interest_due=state.interest_due + inside + after, free_until=None, deferred=ZERO)


def _advance(debt: Debt, state: _State, on: date) -> tuple[_State, Outstanding]:
    """Accrue up to ``on`` and say what is outstanding that day."""
    end = max(on, state.last)
    state = _accrue(debt, state, end)
    interest_due = state.interest_due
    charged = state.charged
    while charged < len(state.periods) and state.periods[charged].due <= on:
        interest_due += _period_interest(state.periods[charged], state.principal)
        charged += 1
    scheduled = sum((p.principal for p in state.periods[:charged]), ZERO)
    principal_due = min(state.principal, max(ZERO, scheduled - state.principal_paid))
    fees_due = max(ZERO, fees_accrued(debt, on, state.fee_dues) - state.fees_paid)
    new_state = replace(state, last=end, interest_due=interest_due, charged=charged)
    return new_state, Outstanding(fees_due, interest_due, state.principal, principal_due)


def _current_period(state: _State, on: date) -> _Period | None:
    """The period ``on`` falls in when its interest is not charged yet (a payment before its due date)."""
    if state.charged < len(state.periods):
        period = state.periods[state.charged]
        if period.begins < on < period.due:
            return period
    return None


@dataclass(frozen=True, slots=True)
class LateCharges:
    """What being overdue has added and is still unpaid just before a payment (``domain.overdue``'s
    account: late fees and 违约金, penalty interest). A payment pays them first, with the costs and
    the interest (Civil Code Art. 561); they are not principal."""

    fees: Decimal = ZERO
    penalty: Decimal = ZERO


NO_LATE_CHARGES = LateCharges()


def _pay(
    state: _State, owed: Outstanding, amount: Decimal, on: date, late: LateCharges = NO_LATE_CHARGES
) -> tuple[_State, Split]:
    """Split ``amount``: late charges, fees, interest and instalment principal due, then the current
    period's interest (instalment loans), then principal."""
    period = _current_period(state, on)
    ahead = _period_interest(period, owed.principal - owed.principal_due) if period else ZERO
    total = owed.total + ahead + late.fees + late.penalty
    if amount > total:
        raise OverpaymentError(amount, total, on)
    late_fees = min(amount, late.fees)
    fees_paid = min(amount - late_fees, owed.fees)
    fees = late_fees + fees_paid
    penalty = min(amount - fees, late.penalty)
    interest_paid = min(amount - fees - penalty, owed.interest)
    interest = penalty + interest_paid
    principal_due = min(amount - fees - interest, owed.principal_due)
    rest = amount - fees - interest - principal_due
    interest_due = owed.interest - interest_paid
    charged = state.charged
    if period is not None and rest > 0:  # the current instalment's interest, taken with it
        taken = min(rest, ahead)
        interest += taken
        interest_due += ahead - taken
        rest -= taken
        charged += 1
    split = Split(fees, interest, principal_due + rest)
    return replace(
        state,
        interest_due=interest_due,
        fees_paid=state.fees_paid + fees_paid,
        principal=state.principal - split.principal,
        charged=charged,
        principal_paid=state.principal_paid + split.principal,
    ), split


def split_amount(owed: Outstanding, amount: Decimal, on: date) -> Split:
    """Apply an amount to fees, then interest, then principal (Civil Code Art. 561)."""
    if amount > owed.total:
        raise OverpaymentError(amount, owed.total, on)
    fees = min(amount, owed.fees)
    interest = min(amount - fees, owed.interest)
    return Split(fees, interest, amount - fees - interest)


def allocate(
    debt: Debt, payments: Sequence[tuple[date, Decimal]], late: Sequence[LateCharges] | None = None
) -> list[Split]:
    """Split each payment, in date order (ties in the given order), from the start of the debt.

    ``late`` (one per payment, in the same order) are the overdue charges unpaid just before
    each payment; they are paid first. Returns the splits in the order the payments were
    given. Raises OverpaymentError when a payment exceeds what is outstanding on its date.
    """
    order = sorted(range(len(payments)), key=lambda i: (payments[i][0], i))
    splits: dict[int, Split] = {}
    state = _start(debt)
    for index in order:
        on, amount = payments[index]
        state, owed = _advance(debt, state, on)
        state, splits[index] = _pay(state, owed, amount, on, late[index] if late else NO_LATE_CHARGES)
    return [splits[i] for i in range(len(payments))]


def outstanding(
    debt: Debt, payments: Sequence[tuple[date, Decimal]], on: date, late: Sequence[LateCharges] | None = None
) -> Outstanding:
    """What is owed on ``on`` after the given payments (those dated after ``on`` are ignored);
    ``late`` as for ``allocate``."""
    earlier = (i for i in range(len(payments)) if payments[i][0] <= on)
    order = sorted(earlier, key=lambda i: (payments[i][0], i))
    state = _start(debt)
    for index in order:
        when, amount = payments[index]
        state, owed = _advance(debt, state, when)
        state = _pay(state, owed, amount, when, late[index] if late else NO_LATE_CHARGES)[0]
    return _advance(debt, state, on)[1]


def days_overdue(debt: Debt, as_of: date) -> int:
    """On ``overdue_since`` + N days, N; 0 when the debt is current (grace days do not reset it)."""
    if debt.overdue_since is None or as_of < debt.overdue_since:
        return 0
    return (as_of - debt.overdue_since).days


# --- the running state, kept per payment ---------------------------------------------------------

# The fields of a debt its ledger does not depend on: a state stays good when only these change.
_NOT_TERMS = frozenset({"id", "name", "lender", "status"})


def terms_key(debt: Debt) -> str:
    """A short digest of the debt's terms: a state computed under other terms is not resumed from."""
    terms = tuple((f.name, str(getattr(debt, f.name))) for f in fields(debt) if f.name not in _NOT_TERMS)
    return hashlib.blake2b(repr(terms).encode(), digest_size=8).hexdigest()


@dataclass(frozen=True, slots=True)
class LedgerState:
    """Where a debt's ledger stands just after a payment (or at its start), beyond what comes from
    the debt's own terms (its schedule's periods and fees).

    ``fees_total`` and ``interest_total`` are what the payments so far were split into (late fees
    and penalty interest included); ``principal_paid`` is their principal. ``terms`` is the
    ``terms_key`` of the debt it was computed for.
    """

    last: date
    interest_due: Decimal
    fees_paid: Decimal  # the contract's fees paid (fee-installment debts)
    principal: Decimal  # principal outstanding
    charged: int = 0  # periods whose interest has been charged
    principal_paid: Decimal = ZERO
    free_until: date | None = None
    deferred: Decimal = ZERO
    fees_total: Decimal = ZERO
    interest_total: Decimal = ZERO
    terms: str = ""

    @property
    def paid_total(self) -> Decimal:
        """Everything the payments so far came to."""
        return self.fees_total + self.interest_total + self.principal_paid


def _fold_state(debt: Debt, state: LedgerState) -> _State:
    begin = _start(debt)
    return _State(
        state.last,
        state.interest_due,
        state.fees_paid,
        state.principal,
        begin.fee_dues,
        begin.periods,
        state.charged,
        state.principal_paid,
        state.free_until,
        state.deferred,
    )


def _kept(fold: _State, fees_total: Decimal, interest_total: Decimal, terms: str) -> LedgerState:
    return LedgerState(
        fold.last,
        fold.interest_due,
        fold.fees_paid,
        fold.principal,
        fold.charged,
        fold.principal_paid,
        fold.free_until,
        fold.deferred,
        fees_total,
        interest_total,
        terms,
    )


def start_state(debt: Debt) -> LedgerState:
    """The ledger before any payment: the debt as it stands when entered."""
    return _kept(_start(debt), ZERO, ZERO, terms_key(debt))


def resume(
    debt: Debt,
    state: LedgerState | None,
    payments: Sequence[tuple[date, Decimal]],
    late: Sequence[LateCharges] | None = None,
) -> list[tuple[Split, LedgerState]]:
    """Split the payments that follow ``state`` (None: the debt's start), each with the state just
    after it. They must be given in ledger order (by date; same-day ones as recorded): what
    ``allocate`` gives for them after those ``state`` stands after. ``late`` as for ``allocate``.
    Raises OverpaymentError as ``allocate`` does, ValueError when the dates are out of order.
    """
    begin = start_state(debt) if state is None else state
    fold = _fold_state(debt, begin)
    fees_total, interest_total, terms = begin.fees_total, begin.interest_total, terms_key(debt)
    out: list[tuple[Split, LedgerState]] = []
    previous: date | None = None
    for index, (on, amount) in enumerate(payments):
        if previous is not None and on < previous:
            raise ValueError("payments must be given in date order")
        previous = on
        fold, owed = _advance(debt, fold, on)
        fold, split = _pay(fold, owed, amount, on, late[index] if late else NO_LATE_CHARGES)
        fees_total += split.fees
        interest_total += split.interest
        out.append((split, _kept(fold, fees_total, interest_total, terms)))
    return out


def outstanding_after(debt: Debt, state: LedgerState | None, on: date) -> Outstanding:
    """What is owed on ``on`` when the last payment on or before it left ``state`` (None: no
    payment by then): ``outstanding`` without replaying the payments."""
    return _advance(debt, _fold_state(debt, start_state(debt) if state is None else state), on)[1]


def fits(debt: Debt, state: LedgerState, on: date) -> bool:
    """Whether ``state``, read back as the state after a payment dated ``on``, can be resumed from:
    computed under the debt's present terms, and whole (nothing negative, principal and principal
    paid adding up to what the debt started from, no more periods charged than it has). When in
    doubt the caller replays from the start instead."""
    begin = _start(debt)
    money = (
        state.interest_due,
        state.fees_paid,
        state.principal,
        state.principal_paid,
        state.deferred,
        state.fees_total,
        state.interest_total,
    )
    return (
        state.terms == terms_key(debt)
        and all(value >= 0 for value in money)
        and state.principal + state.principal_paid == begin.principal
        and 0 <= state.charged <= len(begin.periods)
        and state.last == max(on, begin.last)
        and (state.free_until is None or debt.method is Method.REVOLVING)
    )


_STATE_VERSION = "1"


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


def state_text(state: LedgerState) -> str:
    """A state as the exact text kept beside its payment (decimals as text, dates ISO), ending in a
    digest of the rest so that a text changed by anything but this function is not read back."""
    parts = (
        _STATE_VERSION,
        state.terms,
        state.last.isoformat(),
        str(state.interest_due),
        str(state.fees_paid),
        str(state.principal),
        str(state.charged),
        str(state.principal_paid),
        "" if state.free_until is None else state.free_until.isoformat(),
        str(state.deferred),
        str(state.fees_total),
        str(state.interest_total),
    )
    body = ";".join(parts)
    return f"{body};{_digest(body)}"


def _decimal(text: str) -> Decimal:
    value = Decimal(text)
    if not value.is_finite():
        raise ValueError(text)
    return value


def state_from_text(text: object) -> LedgerState | None:
    """``state_text`` read back; None when there is none or it cannot be read (then the ledger is
    replayed instead: the state is never more than a shortcut)."""
    if not isinstance(text, str):
        return None
    body, _sep, digest = text.rpartition(";")
    parts = body.split(";")
    if len(parts) != 12 or parts[0] != _STATE_VERSION or digest != _digest(body):
        return None
    try:
        return LedgerState(
            last=date.fromisoformat(parts[2]),
            interest_due=_decimal(parts[3]),
            fees_paid=_decimal(parts[4]),
            principal=_decimal(parts[5]),
            charged=int(parts[6]),
            principal_paid=_decimal(parts[7]),
            free_until=date.fromisoformat(parts[8]) if parts[8] else None,
            deferred=_decimal(parts[9]),
            fees_total=_decimal(parts[10]),
            interest_total=_decimal(parts[11]),
            terms=parts[1],
        )
    except (ValueError, InvalidOperation):
        return None
