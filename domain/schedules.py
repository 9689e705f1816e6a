"""One loan's repayment schedule, period by period, exact to the fen.

Methods (``domain.debts.Method``):

* 等额本息 equal instalment: payment M = P·r(1+r)^n / ((1+r)^n − 1), rounded to the fen;
* 等额本金 equal principal: P/n principal each period plus interest on the balance;
* 先息后本 interest only, the principal with the last payment;
* 到期一次还本付息 bullet: principal and simple interest in one payment at maturity;
* 分期手续费 fee instalments: P/n principal plus a fee of P × fee rate every period, on the
  ORIGINAL principal (JD Baitiao, card instalments);
* 按日计息 daily interest: P/n principal each period plus interest on the balance for the
  actual days since the previous due date (Jiebei, Jintiao);
* revolving (credit card, Huabei): interest daily on the balance; either the minimum payment
  every cycle (``minimum`` given) or the balance cleared in ``months`` equal principal parts.

Rounding: each period's interest, fee and principal are rounded to the fen half-up, as a
lender prints them; the last period takes what is left, so principal sums exactly to P.

Due dates: the first due date is the first date after ``start`` (strictly after) that falls
on the due day; then the due day of each following month. A bullet loan matures ``months``
after ``start`` (same day of the month), whatever the due day. A due day beyond a month's end
falls on its last day (31 → 28/29/30) without drifting: 31 Jan, 28 Feb, 31 Mar.

Monthly-rate methods charge a whole month's interest every period, whatever the days
between due dates (as banks' 等额本息 tables do), except a first period shorter than a month
(a loan made on 30 Jan with due day 1): it is charged for its actual days only, at the daily
rate (year/360, month/30). Daily-interest and revolving charge actual days. Rates convert
day ↔ month ↔ year as lenders quote them (``domain.rates``).

Changes part-way (``changes``): extra payments with a shorter term or a lower payment, a
rate change from a period on, and statement corrections — the interest a lender actually
charged for a period replaces the computed one and the schedule re-bases from there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_UP, Decimal, localcontext
from enum import StrEnum

from domain.dates import add_months, clamp_day
from domain.debts import N_, Debt, Method, RateUnit
from domain.errors import DomainError
from domain.money import HUNDRED, ONE, ZERO, D, round_fen
from domain.rates import daily_fraction, monthly_fraction

# A schedule never runs longer than this many periods (50 years), whatever the terms.
MAX_PERIODS = 600


class ScheduleError(DomainError):
    """Terms that cannot make a schedule (no periods, a negative amount ...)."""


@dataclass(frozen=True, slots=True)
class ScheduleRow:
    period: int  # the month of the term it falls in (a bullet loan's one row is the last month)
    due_date: date
    payment: Decimal  # principal + interest + fee
    principal: Decimal
    interest: Decimal
    fee: Decimal
    balance: Decimal  # principal still owed after this payment


@dataclass(frozen=True, slots=True)
class Schedule:
    method: Method
    principal: Decimal
    rows: tuple[ScheduleRow, ...]

    @property
    def payment_total(self) -> Decimal:
        return sum((r.payment for r in self.rows), ZERO)

    @property
    def interest_total(self) -> Decimal:
        return sum((r.interest for r in self.rows), ZERO)

    @property
    def fee_total(self) -> Decimal:
        return sum((r.fee for r in self.rows), ZERO)

    @property
    def principal_total(self) -> Decimal:
        return sum((r.principal for r in self.rows), ZERO)

    @property
    def first_payment(self) -> Decimal:
        return self.rows[0].payment if self.rows else ZERO

    @property
    def end_date(self) -> date | None:
        return self.rows[-1].due_date if self.rows else None

    def cashflows(self, received: Decimal | None = None) -> list[Decimal]:
        """Monthly cash flows for the effective rate: −received, then each month's payment
        (0 in months without one, as before a bullet loan's maturity)."""
        got = self.principal if received is None else D(received)
        flows = [-got] + [ZERO] * (self.rows[-1].period if self.rows else 0)
        for r in self.rows:
            flows[r.period] += r.payment
        return flows


@dataclass(frozen=True, slots=True)
class MinimumPayment:
    """A revolving account's minimum payment: percent of the principal balance (rounded up to
    the fen), plus all interest and fees of the cycle, at least ``floor`` (or the whole
    balance if less)."""

    percent: Decimal
    floor: Decimal = ZERO


# --- changes part-way -------------------------------------------------------------


class Prepay(StrEnum):
    SHORTER_TERM = "shorter-term"  # keep the payment, finish earlier
    LOWER_PAYMENT = "lower-payment"  # keep the end date, pay less each period


@dataclass(frozen=True, slots=True)
class ExtraPayment:
    """Extra principal paid together with period ``period``'s payment."""

    period: int
    amount: Decimal
    mode: Prepay = Prepay.SHORTER_TERM


@dataclass(frozen=True, slots=True)
class RateChange:
    """A new rate from period ``period`` on (its interest already at the new rate)."""

    period: int
    rate: Decimal  # percent per unit
    unit: RateUnit


@dataclass(frozen=True, slots=True)
class StatementInterest:
    """The interest the lender actually charged for ``period``; the schedule re-bases on it."""

    period: int
    interest: Decimal


Change = ExtraPayment | RateChange | StatementInterest


# --- dates ---------------------------------------------------------------------------


def due_dates(start: date, due_day: int, count: int) -> list[date]:
    """``count`` due dates: the first on the due day strictly after ``start``, then monthly.

    Schedule functions default ``due_day`` to the start date's day: first payment a month later.
    """
    if not 1 <= due_day <= 31:
        raise ScheduleError(N_("the due day must be from 1 to 31, not {day}"), {"day": due_day})
    year, month = start.year, start.month
    if clamp_day(year, month, due_day) <= start:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    out = []
    for _ in range(count):
        out.append(clamp_day(year, month, due_day))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


# --- the engine --------------------------------------------------------------------


def annuity_payment(principal: Decimal, rate: Decimal, periods: int) -> Decimal:
    """等额本息 payment, rounded to the fen half-up; ``rate`` is a fraction per period."""
    if periods <= 0:
        raise ScheduleError(N_("a schedule needs at least one period"))
    if rate == 0:
        return round_fen(principal / periods)
    with localcontext() as ctx:
        ctx.prec = 40
        growth = (ONE + rate) ** periods
        return round_fen(principal * rate * growth / (growth - ONE))


def _check(principal: Decimal, months: int) -> Decimal:
    amount = round_fen(D(principal))
    if amount <= 0:
        raise ScheduleError(N_("the principal must be more than 0"))
    if not 1 <= months <= MAX_PERIODS:
        raise ScheduleError(
            N_("the number of months must be from 1 to {max}, not {months}"),
            {"max": MAX_PERIODS, "months": months},
        )
    return amount


def _amortize(
    method: Method,
    principal: Decimal,
    *,
    months: int,
    start: date,
    due_day: int | None,
    rate: Decimal,
    unit: RateUnit,
    fee_rate: Decimal,
    changes: Sequence[Change],
    minimum: MinimumPayment | None = None,
) -> Schedule:
    """The common period-by-period loop of every method except bullet."""
    original = _check(principal, months)
    due_day = start.day if due_day is None else due_day
    by_day = method in (Method.DAILY_INTEREST, Method.REVOLVING)
    minimum_path = method is Method.REVOLVING and minimum is not None
    term = MAX_PERIODS if minimum_path else months
    dates = due_dates(start, due_day, term)
    rate_changes = {c.period: c for c in changes if isinstance(c, RateChange)}
    statements = {c.period: round_fen(D(c.interest)) for c in changes if isinstance(c, StatementInterest)}
    extras: dict[int, list[ExtraPayment]] = {}
    for c in changes:
        if isinstance(c, ExtraPayment):
            extras.setdefault(c.period, []).append(c)
    fee_each = round_fen(original * D(fee_rate) / HUNDRED) if method is Method.FEE_INSTALLMENT else ZERO

    per_period = daily_fraction(rate, unit) if by_day else monthly_fraction(rate, unit)
    balance = original
    payment = annuity_payment(original, per_period, term) if method is Method.EQUAL_INSTALLMENT else ZERO
    principal_part = round_fen(original / term)
    rows: list[ScheduleRow] = []
    previous = start
    for period in range(1, term + 1):
        due = dates[period - 1]
        remaining = term - period + 1
        if period in rate_changes:
            change = rate_changes[period]
            per_period = (
                daily_fraction(change.rate, change.unit)
                if by_day
                else monthly_fraction(change.rate, change.unit)
            )
            if method is Method.EQUAL_INSTALLMENT:
                payment = annuity_payment(balance, per_period, remaining)
        if period in statements:
            interest = statements[period]
        elif by_day:
            interest = round_fen(balance * per_period * (due - previous).days)
        elif period == 1 and due < add_months(start, 1):  # a short first period: its days only
            rate_now = rate_changes[1] if 1 in rate_changes else RateChange(1, rate, unit)
            interest = round_fen(balance * daily_fraction(rate_now.rate, rate_now.unit) * (due - start).days)
        else:
            interest = round_fen(balance * per_period)
        last = period == term and not minimum_path
        if method is Method.EQUAL_INSTALLMENT:
            due_principal = max(payment - interest, ZERO)
        elif method is Method.INTEREST_ONLY:
            due_principal = ZERO
        elif minimum_path:
            assert minimum is not None
            # rounded up: a percent of a few fen must still pay something, or it never ends
            share = (balance * D(minimum.percent) / HUNDRED).quantize(Decimal("0.01"), ROUND_UP)
            due_principal = max(share, D(minimum.floor) - interest, ZERO)
        else:
            due_principal = principal_part
        paid_principal = balance if last else min(due_principal, balance)
        balance -= paid_principal
        extra = ZERO
        reprice = False
        for ex in extras.get(period, ()):
            amount = min(round_fen(D(ex.amount)), balance)
            if amount > 0:
                extra += amount
                balance -= amount
                reprice = reprice or ex.mode is Prepay.LOWER_PAYMENT
        if period in statements and method is Method.EQUAL_INSTALLMENT and balance > 0:
            reprice = True  # the lender's figure moved the balance: the rest follows from it
        if reprice and balance > 0 and remaining > 1:
            if method is Method.EQUAL_INSTALLMENT:
                payment = annuity_payment(balance, per_period, remaining - 1)
            elif not minimum_path:
                principal_part = round_fen(balance / (remaining - 1))
        fee = fee_each
        principal_paid = paid_principal + extra
        rows.append(
            ScheduleRow(period, due, principal_paid + interest + fee, principal_paid, interest, fee, balance)
        )
        previous = due
        if balance == 0:
            break
    return Schedule(method, original, tuple(rows))


def equal_installment_schedule(
    principal: Decimal,
    rate: Decimal,
    unit: RateUnit,
    months: int,
    start: date,
    *,
    due_day: int | None = None,
    changes: Sequence[Change] = (),
) -> Schedule:
    """等额本息: the same payment every month; the last one absorbs the rounding."""
    return _amortize(
        Method.EQUAL_INSTALLMENT,
        principal,
        months=months,
        start=start,
        due_day=due_day,
        rate=rate,
        unit=unit,
        fee_rate=ZERO,
        changes=changes,
    )


def equal_principal_schedule(
    principal: Decimal,
    rate: Decimal,
    unit: RateUnit,
    months: int,
    start: date,
    *,
    due_day: int | None = None,
    changes: Sequence[Change] = (),
) -> Schedule:
    """等额本金: P/n principal each month plus the interest on what is still owed."""
    return _amortize(
        Method.EQUAL_PRINCIPAL,
        principal,
        months=months,
        start=start,
        due_day=due_day,
        rate=rate,
        unit=unit,
        fee_rate=ZERO,
        changes=changes,
    )


def interest_only_schedule(
    principal: Decimal,
    rate: Decimal,
    unit: RateUnit,
    months: int,
    start: date,
    *,
    due_day: int | None = None,
    changes: Sequence[Change] = (),
) -> Schedule:
    """先息后本: interest each month, the whole principal with the last payment."""
    return _amortize(
        Method.INTEREST_ONLY,
        principal,
        months=months,
        start=start,
        due_day=due_day,
        rate=rate,
        unit=unit,
        fee_rate=ZERO,
        changes=changes,
    )


def fee_installment_schedule(
    principal: Decimal,
    fee_rate: Decimal,
    months: int,
    start: date,
    *,
    due_day: int | None = None,
    rate: Decimal = ZERO,
    unit: RateUnit = RateUnit.MONTH,
    changes: Sequence[Change] = (),
) -> Schedule:
    """分期手续费: P/n principal plus P × fee_rate% each month (fee on the original principal).

    A shorter term after an extra payment also ends the fees: none is charged for periods
    that no longer exist (lenders differ; check the contract).
    """
    return _amortize(
        Method.FEE_INSTALLMENT,
        principal,
        months=months,
        start=start,
        due_day=due_day,
        rate=rate,
        unit=unit,
        fee_rate=fee_rate,
        changes=changes,
    )


def daily_interest_schedule(
    principal: Decimal,
    rate: Decimal,
    unit: RateUnit,
    months: int,
    start: date,
    *,
    due_day: int | None = None,
    changes: Sequence[Change] = (),
) -> Schedule:
    """按日计息: P/n principal each month plus balance × daily rate × actual days."""
    return _amortize(
        Method.DAILY_INTEREST,
        principal,
        months=months,
        start=start,
        due_day=due_day,
        rate=rate,
        unit=unit,
        fee_rate=ZERO,
        changes=changes,
    )


def revolving_schedule(
    principal: Decimal,
    rate: Decimal,
    unit: RateUnit,
    start: date,
    *,
    due_day: int | None = None,
    minimum: MinimumPayment | None = None,
    months: int = 12,
    changes: Sequence[Change] = (),
) -> Schedule:
    """A revolving balance with no new spending: daily interest on the balance.

    With ``minimum``: the minimum payment every cycle until the balance is gone (at most
    MAX_PERIODS cycles — the last row's balance shows what is still owed then). Without:
    the balance cleared in ``months`` equal principal parts.
    """
    if minimum is not None and (minimum.percent <= 0 and minimum.floor <= 0):
        raise ScheduleError(N_("a minimum payment needs a percent or a floor more than 0"))
    return _amortize(
        Method.REVOLVING,
        principal,
        months=months,
        start=start,
        due_day=due_day,
        rate=rate,
        unit=unit,
        fee_rate=ZERO,
        changes=changes,
        minimum=minimum,
    )


def bullet_schedule(
    principal: Decimal, rate: Decimal, unit: RateUnit, months: int, start: date, *, due_day: int | None = None
) -> Schedule:
    """到期一次还本付息: one payment at maturity, ``months`` after ``start`` (row period = months),
    principal plus simple interest. The loan runs its term from the day it was made, so
    ``due_day`` is not used (kept for a uniform signature).

    A rate quoted per day charges the actual days from ``start``; per month or year, whole
    months (no compounding either way).
    """
    amount = _check(principal, months)
    maturity = add_months(start, months)
    if unit is RateUnit.DAY:
        interest = round_fen(amount * daily_fraction(rate, unit) * (maturity - start).days)
    else:
        interest = round_fen(amount * monthly_fraction(rate, unit) * months)
    row = ScheduleRow(months, maturity, amount + interest, amount, interest, ZERO, ZERO)
    return Schedule(Method.BULLET, amount, (row,))


def schedule_for(
    debt: Debt, changes: Iterable[Change] = (), minimum: MinimumPayment | None = None
) -> Schedule:
    """The schedule of a debt as entered (its method, principal, rate, fees, term and dates).

    ``minimum`` only matters for revolving debts: given, the schedule is "minimum payment
    every cycle"; not given, the balance is cleared over the debt's months.
    """
    c = tuple(changes)
    p, r, u, n, s, dd = debt.principal, debt.rate, debt.rate_unit, debt.months, debt.start_date, debt.due_day
    match debt.method:
        case Method.EQUAL_INSTALLMENT:
            return equal_installment_schedule(p, r, u, n, s, due_day=dd, changes=c)
        case Method.EQUAL_PRINCIPAL:
            return equal_principal_schedule(p, r, u, n, s, due_day=dd, changes=c)
        case Method.INTEREST_ONLY:
            return interest_only_schedule(p, r, u, n, s, due_day=dd, changes=c)
        case Method.BULLET:
            return bullet_schedule(p, r, u, n, s, due_day=dd)
        case Method.FEE_INSTALLMENT:
            return fee_installment_schedule(p, debt.fee_rate, n, s, due_day=dd, rate=r, unit=u, changes=c)
        case Method.DAILY_INTEREST:
            return daily_interest_schedule(p, r, u, n, s, due_day=dd, changes=c)
        case Method.REVOLVING:
            return revolving_schedule(p, r, u, s, due_day=dd, minimum=minimum, months=n, changes=c)
    raise ScheduleError(N_("unknown repayment method {method}"), {"method": str(debt.method)})
