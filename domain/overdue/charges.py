"""What is in arrears and what it costs, day by day: penalty interest and late fees (see the package)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from domain.dates import add_months
from domain.debts import N_, Debt, Method, Payment
from domain.money import HUNDRED, ZERO, round_fen
from domain.overdue._common import _money, _pct, penalty_daily_rate
from domain.overdue.types import (
    ArrearsRowLike,
    Charges,
    Instalment,
    OverdueRules,
    ProjectionPoint,
    RuleUse,
)
from domain.standing import AGREEMENT_TOLERANCE

# --- arrears --------------------------------------------------------------------------


def arrears(
    debt: Debt, rows: Sequence[ArrearsRowLike] | None = None, as_of: date | None = None
) -> tuple[tuple[Instalment, ...], RuleUse]:
    """What fell (or falls) due from ``overdue_since`` on, and how it was found.

    ``overdue_amount`` (the arrears the person entered) wins; else the schedule's
    rows due from the first missed date up to ``as_of`` (when given: instalments
    not yet due are not arrears); else an estimate from the terms.
    """
    if debt.overdue_since is None:
        return (), RuleUse("arrears", N_("Nothing is overdue."), {}, None)
    since = debt.overdue_since
    if debt.overdue_amount is not None:
        stated = Instalment(since, debt.overdue_amount)
        later = _missed_after_stated(debt, rows, as_of)
        if later:
            return (stated, *later), RuleUse(
                "arrears",
                N_(
                    "Arrears as you entered them: {amount} overdue since {date}, plus {count} instalment(s) "
                    "of the schedule that fell due after them ({later})."
                ),
                {
                    "amount": _money(debt.overdue_amount),
                    "date": since.isoformat(),
                    "count": str(len(later)),
                    "later": _money(sum((i.amount for i in later), ZERO)),
                },
                None,
            )
        return (stated,), RuleUse(
            "arrears",
            N_("Arrears as you entered them: {amount} overdue since {date}."),
            {"amount": _money(debt.overdue_amount), "date": since.isoformat()},
            None,
        )
    if rows:
        due = tuple(
            Instalment(r.due_date, r.principal, r.interest, r.fee)
            for r in rows
            if r.due_date >= since and (as_of is None or r.due_date <= as_of)
        )
        return due, RuleUse(
            "arrears",
            N_("Arrears from the repayment schedule: every instalment due from {date} on."),
            {"date": since.isoformat()},
            None,
        )
    if (
        debt.method in (Method.BULLET, Method.INTEREST_ONLY, Method.REVOLVING, Method.DAILY_INTEREST)
        or debt.months <= 1
    ):
        return (Instalment(since, debt.principal),), RuleUse(
            "arrears",
            N_("Estimate: the whole principal {amount} is due from {date}."),
            {"amount": _money(debt.principal), "date": since.isoformat()},
            None,
        )
    # Instalment loans without a schedule: equal shares of principal, one a month.
    share = round_fen(debt.principal / debt.months)
    due_list = [Instalment(add_months(since, k), share) for k in range(debt.months - 1)]
    due_list.append(
        Instalment(add_months(since, debt.months - 1), debt.principal - share * (debt.months - 1))
    )
    return tuple(due_list), RuleUse(
        "arrears",
        N_("Estimate: {share} of principal a month from {date} (enter the arrears for exact figures)."),
        {"share": _money(share), "date": since.isoformat()},
        None,
    )


def _missed_after_stated(
    debt: Debt, rows: Sequence[ArrearsRowLike] | None, as_of: date | None
) -> tuple[Instalment, ...]:
    """The schedule's instalments that fell due after the arrears the person entered.

    The entered ``overdue_amount`` stands for the schedule's instalments due from
    ``overdue_since`` on, as many as it covers (their running sum within the entered
    amount, charges included, plus ``AGREEMENT_TOLERANCE``; at least the first). An
    instalment due after those and by ``as_of`` was missed too, unless payments
    cover it. A card's statement is not a schedule: nothing is added to it.
    """
    since = debt.overdue_since
    if since is None or debt.overdue_amount is None or not rows or debt.method is Method.REVOLVING:
        return ()
    due = sorted((r for r in rows if r.due_date >= since), key=lambda r: r.due_date)
    covered, running = 0, ZERO
    for row in due:
        running += row.principal + row.interest + row.fee
        if covered and running > debt.overdue_amount + AGREEMENT_TOLERANCE:
            break
        covered += 1
    return tuple(
        Instalment(r.due_date, r.principal, r.interest, r.fee)
        for r in due[covered:]
        if as_of is None or r.due_date <= as_of
    )


# --- the day-by-day account ------------------------------------------------------------


@dataclass(slots=True)
class _Due:
    inst: Instalment
    principal: Decimal
    interest: Decimal
    penalty: Decimal = ZERO
    fee: Decimal = ZERO
    paid_on: date | None = None

    @property
    def owed(self) -> Decimal:
        return self.principal + self.interest + self.penalty + self.fee


def _apply_payment(dues: list[_Due], cycle: list[Decimal], amount: Decimal, on: date) -> None:
    """Costs first, then interest, then principal, oldest first (Civil Code Art. 561)."""
    left = amount

    def take(current: Decimal) -> Decimal:
        nonlocal left
        used = min(current, left)
        left -= used
        return current - used

    cycle[0] = take(cycle[0])
    for d in dues:
        d.fee = take(d.fee)
    for d in dues:
        d.penalty = take(d.penalty)
    for d in dues:
        d.interest = take(d.interest)
    for d in dues:
        d.principal = take(d.principal)
    for d in dues:
        if d.paid_on is None and d.owed == 0:
            d.paid_on = on


def _pay_within_grace(
    dues: list[_Due], cycle: list[Decimal], amount: Decimal, on: date, grace: timedelta
) -> None:
    """Apply a payment; an instalment it pays in full within its grace days costs nothing extra.

    The grace waiver comes before the payment, so no part of the payment goes to charges that
    are then waived (the instalment would stay part unpaid). A payment that does not clear
    such an instalment waives nothing: it is applied as if the grace did not exist.
    """
    in_grace = [d for d in dues if d.owed > 0 and on - d.inst.due_date <= grace and (d.penalty or d.fee)]
    if in_grace:
        before = [(d.principal, d.interest, d.penalty, d.fee, d.paid_on) for d in dues]
        cycle_before = cycle[0]
        for d in in_grace:
            d.penalty = d.fee = ZERO
        _apply_payment(dues, cycle, amount, on)
        if all(d.owed == 0 for d in in_grace):
            return
        for d, (principal, interest, penalty, fee, paid_on) in zip(dues, before, strict=True):
            d.principal, d.interest, d.penalty, d.fee, d.paid_on = principal, interest, penalty, fee, paid_on
        cycle[0] = cycle_before
    _apply_payment(dues, cycle, amount, on)


def charges_on(
    debt: Debt, instalments: Sequence[Instalment], payments: Iterable[Payment], on: date, rules: OverdueRules
) -> Charges:
    """The arrears and the charges accrued on them by ``on``, after the payments made by then."""
    terms = rules.terms
    since = debt.overdue_since
    if since is None or not instalments:
        return Charges(on, 0, False, ZERO, ZERO, ZERO, ZERO)
    pen_rate, pen_rule = penalty_daily_rate(debt, rules)
    fee_rate = debt.late_fee_rate_per_day / HUNDRED
    grace = timedelta(days=debt.grace_days)
    used = [pen_rule]
    if fee_rate > 0:
        used.append(
            RuleUse(
                "late_fees",
                N_("Late fee: {rate} a day of the {base}."),
                {"rate": _pct(debt.late_fee_rate_per_day), "base": terms.late_fee_base},
                terms.cited,
            )
        )
    if terms.cycle_fee_percent > 0:
        used.append(
            RuleUse(
                "late_fees",
                N_("违约金: {percent} of the unpaid minimum payment, once a billing cycle."),
                {"percent": _pct(terms.cycle_fee_percent)},
                terms.cited,
            )
        )

    dues = [_Due(i, i.principal, i.interest + i.fee) for i in instalments if i.due_date <= on]
    cycle_fee = [ZERO]  # 违约金 per unpaid cycle: owed to the debt as a whole
    cycle_dates = []
    if terms.cycle_fee_percent > 0:
        k = 0
        while (charge_day := add_months(since, k) + grace + timedelta(days=1)) <= on:
            cycle_dates.append(charge_day)
            k += 1
    pays = sorted((p for p in payments if since <= p.date <= on), key=lambda p: p.date)
    breakpoints = sorted({d.inst.due_date for d in dues} | {p.date for p in pays} | set(cycle_dates) | {on})
    # Charges accrue only on instalments already due at the cursor, so starting at the
    # earliest event (a payment may come before the first listed due date) is safe.
    cursor = breakpoints[0]
    for point in breakpoints:
        days = (point - cursor).days
        if days:
            for d in dues:
                if d.inst.due_date <= cursor and d.owed > 0:
                    pen_base = d.principal + (
                        d.interest if terms.penalty_base == "principal_and_interest" else 0
                    )
                    fee_base = d.principal + (d.interest if terms.late_fee_base == "overdue_amount" else 0)
                    d.penalty += pen_base * pen_rate * days
                    d.fee += fee_base * fee_rate * days
        cursor = point
        for p in pays:
            if p.date == point:
                _pay_within_grace(dues, cycle_fee, p.amount, point, grace)
        if point in cycle_dates:
            unpaid_minimum = sum((d.principal + d.interest for d in dues if d.inst.due_date < point), ZERO)
            cycle_fee[0] += unpaid_minimum * terms.cycle_fee_percent / HUNDRED

    # Grace: an instalment paid within its grace days, or still inside them, costs nothing extra.
    waived_grace = False
    for d in dues:
        settled_or_now = d.paid_on or on
        if settled_or_now - d.inst.due_date <= grace and (d.penalty or d.fee):
            d.penalty = d.fee = ZERO
            waived_grace = True
    if on - since <= grace and cycle_fee[0]:
        cycle_fee[0] = ZERO
    principal = sum((d.principal for d in dues), ZERO)
    interest = sum((d.interest for d in dues), ZERO)
    penalty = round_fen(sum((d.penalty for d in dues), ZERO))  # rounded once, at the statement date
    fees = sum((d.fee for d in dues), ZERO) + cycle_fee[0]
    if terms.late_fee_cap_percent is not None:
        cap = (
            sum((i.amount for i in instalments if i.due_date <= on), ZERO)
            * terms.late_fee_cap_percent
            / HUNDRED
        )
        if fees > cap:
            fees = cap
            used.append(
                RuleUse(
                    "late_fees",
                    N_("Late fees are capped at {percent} of the arrears."),
                    {"percent": _pct(terms.late_fee_cap_percent)},
                    terms.cited,
                )
            )
    fees = round_fen(fees)  # rounded once, at the statement date
    owed = principal + interest + penalty + fees
    days = (on - since).days if owed > 0 else 0
    in_grace = 0 < days <= debt.grace_days
    if in_grace or waived_grace:
        used.append(
            RuleUse(
                "grace",
                N_("Grace period of {days} days: paid within it, nothing extra is charged."),
                {"days": str(debt.grace_days)},
                terms.cited,
            )
        )
    return Charges(
        on, max(days, 0), in_grace, round_fen(principal), round_fen(interest), penalty, fees, tuple(used)
    )


def project(
    debt: Debt,
    instalments: Sequence[Instalment],
    payments: Iterable[Payment],
    as_of: date,
    dates: Iterable[date],
    *,
    rules: OverdueRules,
) -> tuple[ProjectionPoint, ...]:
    """What the arrears come to on each of ``dates`` if nothing more is paid after ``as_of``."""
    paid = [p for p in payments if p.date <= as_of]
    now = charges_on(debt, instalments, paid, as_of, rules).total_due
    points = []
    for on in sorted(dates):
        c = charges_on(debt, instalments, paid, on, rules)
        points.append(
            ProjectionPoint(
                on, c.days_overdue, c.penalty_interest, c.late_fees, c.total_due, c.total_due - now
            )
        )
    return tuple(points)
