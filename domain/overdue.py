"""What being overdue costs and triggers, day by day.

For one debt, its payments and an as-of date: how many days it is overdue, what
is in arrears, the penalty interest and late fees that accrued, the total due
now and on future dates, the escalation timeline (reminders, credit report,
risk class, collection, lawsuit, enforcement), the legal checks a person can
dispute with, and the limitation period. Every figure comes with the rule it
used (``RuleUse``) so the person sees why.

Day numbering (ARCHITECTURE.md): ``overdue_since`` is the first missed due
date; on ``overdue_since + N`` days the debt is N days overdue. Grace days are
counted in; paid within them, nothing is charged (容时容差), after them charges
count from the due date.

Rounding: charges accrue unrounded, day by day on the amounts outstanding;
penalty interest and late fees are each rounded half-up to the fen once, at the
date asked for, as a statement prints them. Arrears are already whole fen.
Texts are English msgids with ``{params}``, translated where shown.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from domain.debts import N_, ContactEntry, ContactTarget, Debt, DebtKind, Method, Payment, RateUnit
from domain.money import ZERO, round_fen
from domain.rates import effective_rate
from domain.rules import Cited, Escalation, LegalRules, LprTable, OverdueTerms, Rule, Step

HUNDRED = Decimal("100")
PAST, CURRENT, COMING = "past", "current", "coming"
# How close to its end a limitation period must be before a restarting action is
# warned about (a choice of this program, not a rule of law).
WARN_WINDOW_MONTHS = 6


class ScheduleRowLike(Protocol):
    """The part of a schedule row (domain.schedules) the overdue engine reads."""

    @property
    def due_date(self) -> date: ...
    @property
    def principal(self) -> Decimal: ...
    @property
    def interest(self) -> Decimal: ...
    @property
    def fee(self) -> Decimal: ...


@dataclass(frozen=True, slots=True)
class OverdueRules:
    """Everything the engine needs from resources/rules, for one debt's kind."""

    terms: OverdueTerms
    legal: LegalRules
    lpr: LprTable
    escalation: Escalation


@dataclass(frozen=True, slots=True)
class Instalment:
    """An amount in arrears (or falling due later), overdue from its due date."""

    due_date: date
    principal: Decimal
    interest: Decimal = ZERO
    fee: Decimal = ZERO

    @property
    def amount(self) -> Decimal:
        return self.principal + self.interest + self.fee


@dataclass(frozen=True, slots=True)
class RuleUse:
    """Which rule a figure came from: msgid + params, and its citation."""

    figure: str
    text: str
    params: Mapping[str, str]
    cited: Cited | None


@dataclass(frozen=True, slots=True)
class Charges:
    """The state of the arrears on one date."""

    on: date
    days_overdue: int
    in_grace: bool
    overdue_principal: Decimal
    overdue_interest: Decimal  # contractual interest and instalment fees in arrears
    penalty_interest: Decimal
    late_fees: Decimal
    rules_used: tuple[RuleUse, ...] = ()

    @property
    def total_due(self) -> Decimal:
        return self.overdue_principal + self.overdue_interest + self.penalty_interest + self.late_fees

    @property
    def charges(self) -> Decimal:
        return self.penalty_interest + self.late_fees


@dataclass(frozen=True, slots=True)
class ProjectionPoint:
    on: date
    days_overdue: int
    penalty_interest: Decimal
    late_fees: Decimal
    total_due: Decimal
    more_than_now: Decimal  # what waiting until ``on`` adds to today's total


@dataclass(frozen=True, slots=True)
class Event:
    """One step of the escalation timeline, placed on this debt's calendar."""

    key: str
    kind: str
    day: int
    day_to: int | None  # None: from ``day`` on
    on: date
    on_to: date | None
    text: str
    params: Mapping[str, str]
    cited: Cited
    commonly: bool
    status: str  # past | current | coming
    applies: bool = True


@dataclass(frozen=True, slots=True)
class LegalCheck:
    kind: str
    ok: bool
    applies: bool
    text: str
    params: Mapping[str, str]
    cited: Cited
    amount: Decimal | None = None  # what the person can dispute, when it is a sum


@dataclass(frozen=True, slots=True)
class Limitation:
    """When the three-year limitation period ends, and what started it."""

    starts: date
    ends: date
    basis: str  # last_due | last_payment | last_demand | overdue_since
    expired: bool
    cited: Cited
    last_payment: date | None = None
    last_demand: date | None = None


@dataclass(frozen=True, slots=True)
class OverdueReport:
    debt_id: int | None
    kind: DebtKind
    as_of: date
    days_overdue: int
    in_grace: bool
    grace_days: int
    stage: str
    overdue_principal: Decimal
    overdue_interest: Decimal
    penalty_interest: Decimal
    late_fees: Decimal
    total_due: Decimal
    events: tuple[Event, ...]
    limitation: Limitation
    legal_checks: tuple[LegalCheck, ...]
    projection: tuple[ProjectionPoint, ...]
    rules_used: tuple[RuleUse, ...] = field(default_factory=tuple)


# --- dates ------------------------------------------------------------------------


def add_months(day: date, months: int, on_day: int | None = None) -> date:
    """The same day ``months`` later; a day beyond the month's end falls on its last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(on_day or day.day, last))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


def next_due_date(as_of: date, due_day: int) -> date:
    """The first due date on or after ``as_of`` for a monthly due day."""
    this_month = add_months(as_of.replace(day=1), 0, due_day)
    return this_month if this_month >= as_of else add_months(as_of.replace(day=1), 1, due_day)


# --- rates ------------------------------------------------------------------------


def daily_rate(rate: Decimal, unit: RateUnit, legal: LegalRules) -> Decimal:
    """A percent rate per unit as a fraction per day (year / 360, month / 30 by the day-count rule)."""
    per_year, per_month = legal.day_count()
    if unit is RateUnit.DAY:
        return rate / HUNDRED
    if unit is RateUnit.MONTH:
        return rate / HUNDRED / per_month
    return rate / HUNDRED / per_year


def annual_percent(rate: Decimal, unit: RateUnit, legal: LegalRules) -> Decimal:
    """A percent rate per unit as a simple percent a year."""
    per_year, _ = legal.day_count()
    if unit is RateUnit.DAY:
        return rate * per_year
    if unit is RateUnit.MONTH:
        return rate * 12
    return rate


def _pct(value: Decimal) -> str:
    """A percent as plain text for a message parameter: "12.00", "0.015" (small daily rates keep 4 places)."""
    places = Decimal("0.0001") if abs(value) < 1 else Decimal("0.01")
    text = format(value.quantize(places, rounding=ROUND_HALF_UP).normalize(), "f")
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}"


def _money(value: Decimal) -> str:
    return f"{round_fen(value):.2f}"


def penalty_daily_rate(debt: Debt, rules: OverdueRules) -> tuple[Decimal, RuleUse]:
    """The daily penalty rate (fraction) and the rule that set it."""
    terms = rules.terms
    if not terms.penalty_interest:
        return ZERO, RuleUse(
            "penalty_interest",
            N_("This kind of debt charges no penalty interest; lateness costs the late fee."),
            {},
            terms.cited,
        )
    if debt.rate > 0:
        rate = daily_rate(debt.rate, debt.rate_unit, rules.legal) * debt.penalty_rate_multiplier
        return rate, RuleUse(
            "penalty_interest",
            N_("Penalty interest: the contract rate {rate} per {unit} × {multiplier}, on {base}."),
            {
                "rate": _pct(debt.rate),
                "unit": debt.rate_unit.value,
                "multiplier": str(debt.penalty_rate_multiplier),
                "base": terms.penalty_base,
            },
            terms.cited,
        )
    if terms.rate_fallback == "lpr" and debt.overdue_since is not None:
        lpr = rules.lpr.at(debt.overdue_since)
        if lpr is not None:
            per_year, _ = rules.legal.day_count()
            return lpr.one_year / HUNDRED / per_year, RuleUse(
                "penalty_interest",
                N_("No rate was agreed: overdue interest at the one-year LPR of {lpr} in force on {date}."),
                {"lpr": _pct(lpr.one_year), "date": debt.overdue_since.isoformat()},
                terms.cited,
            )
    return ZERO, RuleUse(
        "penalty_interest", N_("No rate is recorded, so no penalty interest is counted."), {}, terms.cited
    )


# --- arrears --------------------------------------------------------------------------


def arrears(
    debt: Debt, rows: Sequence[ScheduleRowLike] | None = None
) -> tuple[tuple[Instalment, ...], RuleUse]:
    """What fell (or falls) due from ``overdue_since`` on, and how it was found.

    ``overdue_amount`` (the arrears the person entered) wins; else the schedule's
    rows due from the first missed date; else an estimate from the terms.
    """
    if debt.overdue_since is None:
        return (), RuleUse("arrears", N_("Nothing is overdue."), {}, None)
    since = debt.overdue_since
    if debt.overdue_amount is not None:
        return (Instalment(since, debt.overdue_amount),), RuleUse(
            "arrears",
            N_("Arrears as you entered them: {amount} overdue since {date}."),
            {"amount": _money(debt.overdue_amount), "date": since.isoformat()},
            None,
        )
    if rows:
        due = tuple(
            Instalment(r.due_date, r.principal, r.interest, r.fee) for r in rows if r.due_date >= since
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
                _apply_payment(dues, cycle_fee, p.amount, point)
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


# --- stage and timeline ------------------------------------------------------------


def stage_for(days_overdue: int, bucket_days: int = 30, max_code: int = 7) -> str:
    """M0 current; M1 1-30 days; ... M7 over 180 (the credit report's 30-day buckets)."""
    if days_overdue <= 0:
        return "M0"
    return f"M{min(max_code, -(-days_overdue // bucket_days))}"


def _status(days: int, first: int, last: int | None) -> str:
    if days < first:
        return COMING
    if last is None or days <= last:
        return CURRENT
    return PAST


def timeline(
    debt: Debt, days_overdue: int, overdue_principal: Decimal, as_of: date, rules: OverdueRules
) -> tuple[Event, ...]:
    """The escalation steps for this debt's kind, dated from its first missed due date.

    A debt that is not overdue gets the same steps dated from its next due date, all coming.
    """
    esc, terms = rules.escalation, rules.terms
    base = debt.overdue_since or next_due_date(as_of, debt.due_day)
    events: list[Event] = []

    def add(
        step: Step,
        first: int,
        last: int | None,
        *,
        params: Mapping[str, str] | None = None,
        text: str | None = None,
        cited: Cited | None = None,
        applies: bool = True,
    ) -> None:
        events.append(
            Event(
                key=step.key,
                kind=step.kind,
                day=first,
                day_to=last,
                on=base + timedelta(days=first),
                on_to=base + timedelta(days=last) if last is not None else None,
                text=text or step.text,
                params=dict(params or {}),
                cited=cited or step.cited,
                commonly=step.commonly,
                status=_status(days_overdue, first, last),
                applies=applies,
            )
        )

    for step in esc.steps:
        if not step.applies(debt.kind):
            continue
        if step.day == "grace":
            if debt.grace_days > 0:
                add(step, debt.grace_days, debt.grace_days)
        elif step.day == "report":
            if terms.report_day_max > 0:
                add(
                    step,
                    terms.report_day_min,
                    terms.report_day_max,
                    params={"typical": str(terms.report_day_typical)},
                )
        else:
            first = int(step.day)
            add(step, first, None if step.open_ended else (step.day_to if step.day_to is not None else first))
    if terms.report_day_max > 0:
        bucket = esc.report_bucket_days
        code_step = Step(
            "report_code", frozenset({"all"}), 0, None, False, "report_code", "", True, esc.report_cited
        )
        for code in range(1, esc.report_max_code + 1):
            first = (code - 1) * bucket + 1
            last = None if code == esc.report_max_code else code * bucket
            text = (
                N_("If reported, each monthly record shows {code}: {first}–{last} days overdue.")
                if last is not None
                else N_("If reported, each monthly record shows {code}: more than {over} days overdue.")
            )
            add(
                code_step,
                first,
                last,
                params={"code": str(code), "first": str(first), "last": str(last), "over": str(first - 1)},
                text=text,
            )
    for risk in esc.risk_classes:
        if risk.applies(debt.kind):
            add(risk, int(risk.day), None if risk.open_ended else risk.day_to, params={"name": risk.name})
    crime = esc.criminal
    if debt.kind.value in crime.params.get("kinds", []):
        events.append(_criminal_event(crime, base, days_overdue, overdue_principal))
    events.sort(key=lambda e: (e.day, e.day_to if e.day_to is not None else 10**6, e.key))
    return tuple(events)


def _criminal_event(crime: Rule, base: date, days_overdue: int, principal: Decimal) -> Event:
    threshold = crime.decimal("principal_threshold")
    # The earliest day: a first collection on day 1, a second one gap_days later, then months_after.
    first = 1 + crime.integer("collection_gap_days") + 30 * crime.integer("months_after")
    reached = principal >= threshold
    text = (
        N_(
            "Overdue card principal {principal} is at or above {threshold}: malicious overdraft (恶意透支) "
            "is a crime only with intent to take the money and no repayment 3 months after two collections "
            "at least 30 days apart; repaying in full before prosecution allows non-prosecution."
        )
        if reached
        else N_(
            "Overdue card principal {principal} is below the {threshold} threshold for malicious overdraft "
            "(恶意透支): interest and fees do not count towards it. It stays a civil debt."
        )
    )
    return Event(
        "criminal_threshold",
        "criminal_threshold",
        first,
        None,
        base + timedelta(days=first),
        None,
        text,
        {"principal": _money(principal), "threshold": _money(threshold)},
        crime.cited,
        False,
        _status(days_overdue, first, None) if reached else COMING,
        applies=reached,
    )


# --- legal checks ------------------------------------------------------------------------


def _cap_percent(
    debt: Debt, rules: OverdueRules, as_of: date
) -> tuple[Decimal | None, str, Mapping[str, str]]:
    """4 x the one-year LPR that governs this contract, and how it was chosen."""
    legal = rules.legal
    multiple = legal.rules["private_rate_cap"].decimal("lpr_multiple")
    new_from = date.fromisoformat(str(legal.rules["old_private_lines"].params["new_rules_from"]))
    when = debt.start_date if debt.start_date >= new_from else as_of
    lpr = rules.lpr.at(when)
    if lpr is None:
        return None, "", {}
    basis = "contract" if when == debt.start_date else "transition"
    return (
        multiple * lpr.one_year,
        basis,
        {
            "lpr": _pct(lpr.one_year),
            "lpr_date": lpr.effective.isoformat(),
            "multiple": str(multiple),
            "when": when.isoformat(),
        },
    )


def contract_annual_percent(debt: Debt, rules: OverdueRules) -> Decimal:
    """Nominal annual cost: interest plus monthly fees (on the original principal), over what was received."""
    yearly = annual_percent(debt.rate, debt.rate_unit, rules.legal) + debt.fee_rate * 12
    if debt.received_amount is not None and 0 < debt.received_amount < debt.principal:
        yearly = yearly * debt.principal / debt.received_amount
    return yearly


def effective_annual_percent(debt: Debt, rows: Sequence[ScheduleRowLike] | None = None) -> Decimal | None:
    """The true annual rate by IRR (monthly IRR × 12, PBOC 〔2021〕3号): every payment of the schedule,
    fees included, against what actually reached the person (``received_amount``: 砍头息).

    None when there is no schedule to read or no rate balances the flows.
    """
    if rows is None:
        from domain.schedules import schedule_for

        try:
            rows = schedule_for(debt).rows
        except (ValueError, ArithmeticError):
            return None
    if not rows:
        return None
    received = debt.principal
    if debt.received_amount is not None and 0 < debt.received_amount < debt.principal:
        received = debt.received_amount
    start = debt.start_date
    months = [max(1, (r.due_date.year - start.year) * 12 + r.due_date.month - start.month) for r in rows]
    flows = [-received] + [ZERO] * max(months)
    for month, r in zip(months, rows, strict=True):
        flows[month] += r.principal + r.interest + r.fee
    try:
        return effective_rate(flows).apr_simple
    except (ValueError, ArithmeticError):
        return None


def compared_annual_percent(
    debt: Debt, rules: OverdueRules, rows: Sequence[ScheduleRowLike] | None = None
) -> tuple[Decimal, Decimal, Decimal, str]:
    """(compared, nominal, effective, basis) for the 4 × LPR check.

    The effective rate by IRR is compared: it counts fees and when each sum is paid. Interest
    paid in one sum at the end is discounted by the IRR below the agreed simple rate, so where
    the nominal rate on what was received is higher, that is compared instead (the court reads
    the agreed rate). ``basis`` says which: "effective" or "nominal".
    """
    nominal = contract_annual_percent(debt, rules)
    effective = effective_annual_percent(debt, rows)
    if effective is None:
        return nominal, nominal, nominal, "nominal"
    if nominal > effective:
        return nominal, nominal, effective, "nominal"
    return effective, nominal, effective, "effective"


def legal_checks(
    debt: Debt,
    charges: Charges,
    as_of: date,
    rules: OverdueRules,
    maturity: date | None = None,
    *,
    rows: Sequence[ScheduleRowLike] | None = None,
) -> tuple[LegalCheck, ...]:
    """What the person can dispute: each check with its article, and the amount over the line."""
    legal = rules.legal
    per_year, per_month = legal.day_count()
    checks: list[LegalCheck] = []
    cap, basis, cap_params = _cap_percent(debt, rules, as_of)

    # 1. The contract rate against 4 x LPR.
    rule = legal.rules["private_rate_cap"]
    yearly, nominal, effective, rate_basis = compared_annual_percent(debt, rules, rows)
    figures = {"nominal": _pct(nominal), "effective": _pct(effective), "basis": rate_basis}
    received = debt.received_amount if debt.received_amount is not None else debt.principal
    if cap is None:
        checks.append(
            LegalCheck(
                "rate_cap",
                True,
                False,
                N_("No LPR is known for {date}: the rate ceiling cannot be checked."),
                {"date": debt.start_date.isoformat()},
                rule.cited,
            )
        )
    elif rule.applies(debt.kind):
        # Interest above the cap on what was received, accrued from the contract date up to today
        # or the end of the term (after it, the overdue-cap check covers the charges).
        end = min(as_of, maturity or last_due_date(debt))
        elapsed = max(0, (end - debt.start_date).days)
        over = round_fen(max(ZERO, yearly - cap) / HUNDRED * received * elapsed / per_year)
        params = {"rate": _pct(yearly), "cap": _pct(cap), "amount": _money(over), **figures, **cap_params}
        if yearly > cap:
            text = N_(
                "Effective rate {effective} a year (by IRR, fees included), nominal {nominal} a year. "
                "Compared with the cap: {basis}, {rate} a year, above the cap of {cap} ({multiple} × the "
                "one-year LPR of {lpr} on {when}): interest above the cap is not supported by courts (SPC "
                "private-lending provisions Art. 25). So far that is about {amount} you can dispute."
            )
        else:
            text = N_(
                "Effective rate {effective} a year (by IRR, fees included), nominal {nominal} a year. "
                "Compared with the cap: {basis}, {rate} a year, within the cap of {cap} ({multiple} × the "
                "one-year LPR of {lpr} on {when}; SPC private-lending provisions Art. 25)."
            )
        if basis == "transition":
            text = N_(
                "The contract predates 2020-08-20: interest up to 2020-08-19 is judged by the old 24% "
                "line, interest after it by {multiple} × the LPR when suing ({lpr} on {when}, cap {cap}); "
                "compared: {basis}, {rate} a year (effective by IRR with fees {effective}, nominal "
                "{nominal}; SPC private-lending provisions Art. 31)."
            )
            params["amount"] = _money(over)
        checks.append(
            LegalCheck(
                "rate_cap", yearly <= cap, True, text, params, rule.cited, over if yearly > cap else ZERO
            )
        )
    else:
        checks.append(
            LegalCheck(
                "rate_cap",
                True,
                False,
                N_(
                    "The {multiple} × LPR cap ({cap}) binds private lenders only, not licensed lenders "
                    "such as banks, consumer-finance and small-loan companies (SPC private-lending "
                    "provisions Art. 1; reply 法释〔2020〕27号). For comparison, your effective rate is "
                    "{effective} a year (by IRR, fees included; nominal {nominal} a year)."
                ),
                {"rate": _pct(yearly), "cap": _pct(cap), **figures, **cap_params},
                rule.cited,
            )
        )

    # 2. Overdue interest + 违约金 + fees together against the same cap.
    rule = legal.rules["private_overdue_cap"]
    pen_rate, _ = penalty_daily_rate(debt, rules)
    overdue_yearly = (
        pen_rate * per_year * HUNDRED
        + debt.late_fee_rate_per_day * per_year
        + rules.terms.cycle_fee_percent * 12
    )
    if cap is not None and rule.applies(debt.kind):
        base = charges.overdue_principal + charges.overdue_interest
        allowed = round_fen(base * cap / HUNDRED * charges.days_overdue / per_year)
        over = max(ZERO, charges.charges - allowed)
        ok = overdue_yearly <= cap and over == 0
        text = (
            N_(
                "Overdue interest, 违约金 and fees together come to {rate} a year, within the cap of {cap} "
                "(SPC private-lending provisions Art. 29)."
            )
            if ok
            else N_(
                "Overdue interest, 违约金 and fees together come to {rate} a year, above the cap of {cap}: "
                "the part above it is not supported (SPC private-lending provisions Art. 29). So far "
                "{amount} of the {charges} charged is above the cap."
            )
        )
        checks.append(
            LegalCheck(
                "overdue_cap",
                ok,
                True,
                text,
                {
                    "rate": _pct(overdue_yearly),
                    "cap": _pct(cap),
                    "amount": _money(over),
                    "charges": _money(charges.charges),
                },
                rule.cited,
                over,
            )
        )
    elif cap is not None:
        checks.append(
            LegalCheck(
                "overdue_cap",
                True,
                False,
                N_(
                    "Overdue charges on this debt come to {rate} a year. The combined cap of {cap} binds "
                    "private "
                    "lenders only; for licensed lenders see the excessive-charges check."
                ),
                {"rate": _pct(overdue_yearly), "cap": _pct(cap)},
                rule.cited,
            )
        )

    # 3. Interest taken in advance (砍头息).
    rule = legal.rules["advance_interest"]
    if debt.received_amount is not None and debt.received_amount < debt.principal:
        gap = debt.principal - debt.received_amount
        checks.append(
            LegalCheck(
                "advance_interest",
                False,
                True,
                N_(
                    "Only {received} of {principal} reached you: interest taken in advance (砍头息) is "
                    "not owed and the principal is what you received (Civil Code Art. 670; SPC "
                    "private-lending provisions Art. 26). "
                    "You can dispute {amount} of principal and the interest charged on it."
                ),
                {
                    "received": _money(debt.received_amount),
                    "principal": _money(debt.principal),
                    "amount": _money(gap),
                },
                rule.cited,
                gap,
            )
        )
    else:
        checks.append(
            LegalCheck(
                "advance_interest",
                True,
                True,
                N_(
                    "No interest taken in advance is recorded. If less than the loan amount reached you, "
                    "enter what you received: the principal is only what you received (Civil Code Art. 670)."
                ),
                {},
                rule.cited,
            )
        )

    # 4. An excessive 违约金: charges more than 30% above the lender's loss.
    rule = legal.rules["excessive_penalty"]
    if rule.applies(debt.kind):
        margin = rule.decimal("over_loss_percent")
        loss_daily = daily_rate(debt.rate, debt.rate_unit, legal) + debt.fee_rate / HUNDRED / per_month
        loss_basis = "contract"
        if loss_daily == 0:
            lpr = rules.lpr.at(debt.overdue_since or as_of)
            loss_daily = lpr.one_year / HUNDRED / per_year if lpr else ZERO
            loss_basis = "lpr"
        charge_daily = (
            pen_rate
            + debt.late_fee_rate_per_day / HUNDRED
            + rules.terms.cycle_fee_percent / HUNDRED / per_month
        )
        limit = loss_daily * (1 + margin / HUNDRED)
        terms_excessive = charge_daily > limit and charge_daily > 0
        # Art. 585 reduces a 违约金 actually claimed: without charges yet, the terms are only a warning.
        excessive = terms_excessive and charges.charges > 0
        over = round_fen(charges.charges * (charge_daily - limit) / charge_daily) if excessive else ZERO
        params = {
            "charge": _pct(charge_daily * HUNDRED * per_year),
            "loss": _pct(loss_daily * HUNDRED * per_year),
            "margin": _pct(margin),
            "amount": _money(over),
            "basis": loss_basis,
        }
        text = (
            N_(
                "Late charges of {charge} a year are more than {margin} above the lender's likely loss "
                "({loss} a year, {basis}): you can ask to reduce them (Civil Code Art. 585; "
                "2023 contract interpretation Art. 65). So far about {amount} is above that line."
            )
            if excessive
            else N_(
                "If charged, late charges of {charge} a year would be more than {margin} above the lender's "
                "likely loss ({loss} a year, {basis}): you could then ask to reduce them (Civil Code "
                "Art. 585; 2023 contract interpretation Art. 65)."
            )
            if terms_excessive
            else N_(
                "Late charges of {charge} a year are not more than {margin} above the lender's likely loss "
                "({loss} a year, {basis}; Civil Code Art. 585, 2023 contract interpretation Art. 65)."
            )
        )
        checks.append(LegalCheck("excessive_penalty", not excessive, True, text, params, rule.cited, over))

    # 5. Cards: the cardholder may ask the court to reduce interest, compound interest, 违约金 and fees.
    rule = legal.rules["card_reduce"]
    if rule.applies(debt.kind):
        checks.append(
            LegalCheck(
                "card_reduce",
                True,
                True,
                N_(
                    "In court you may ask to reduce the total of interest, compound interest, 违约金 and "
                    "instalment "
                    "fees as too high ({amount} in late charges so far; SPC bank-card provisions Art. 2)."
                ),
                {"amount": _money(charges.charges)},
                rule.cited,
                charges.charges,
            )
        )
    return tuple(checks)


# --- limitation period ---------------------------------------------------------------------


def last_due_date(debt: Debt, rows: Sequence[ScheduleRowLike] | None = None) -> date:
    """The due date of the last instalment (Civil Code Art. 189), from the schedule or the terms."""
    if debt.method is Method.REVOLVING:
        # A card has no last instalment: its claim runs from the missed due date.
        return debt.overdue_since or next_due_date(debt.start_date, debt.due_day)
    if rows:
        return max(r.due_date for r in rows)
    if debt.method is Method.BULLET or debt.months <= 1:
        return add_months(debt.start_date, max(debt.months, 1))
    return add_months(debt.start_date, debt.months, debt.due_day)


def limitation(
    debt: Debt,
    payments: Iterable[Payment],
    contacts: Iterable[ContactEntry],
    as_of: date,
    *,
    rules: OverdueRules,
    rows: Sequence[ScheduleRowLike] | None = None,
) -> Limitation:
    """When the three-year period ends: from the latest of the last due date, payment or demand.

    A payment is part-performance (Civil Code Art. 195; SPC limitation rules Art. 14); a
    collection contact recorded as reaching the debtor is a demand (Art. 195; SPC rules
    Art. 8; bank-card provisions Art. 3). Third-party contacts are not demands on the debtor.
    """
    period = rules.legal.limitation["period"]
    due = last_due_date(debt, rows)
    paid = [p.date for p in payments if p.date <= as_of and p.amount > 0]
    asked = [c.when.date() for c in contacts if c.target is ContactTarget.DEBTOR and c.when.date() <= as_of]
    candidates = [(due, "last_due")]
    if paid:
        candidates.append((max(paid), "last_payment"))
    if asked:
        candidates.append((max(asked), "last_demand"))
    starts, basis = max(candidates, key=lambda c: c[0])
    ends = add_years(starts, period.integer("years"))
    cited = period.cited
    if basis == "last_payment":
        cited = rules.legal.limitation["payment"].cited
    elif basis == "last_demand":
        cited = rules.legal.limitation["demand"].cited
    return Limitation(
        starts, ends, basis, as_of > ends, cited, max(paid) if paid else None, max(asked) if asked else None
    )


def limitation_explanation(lim: Limitation) -> tuple[tuple[str, Mapping[str, str]], ...]:
    """Why the period ends when it does, and what would restart it (msgids with params)."""
    params = {"starts": lim.starts.isoformat(), "ends": lim.ends.isoformat()}
    why = {
        "last_due": N_(
            "Three years from the last due date, {starts}, so until {ends} (Civil Code Arts. 188, 189)."
        ),
        "last_payment": N_(
            "Three years from your last payment on {starts}, so until {ends} (Civil Code Art. 195; "
            "SPC limitation rules Art. 14)."
        ),
        "last_demand": N_(
            "Three years from the last demand that reached you on {starts}, so until {ends} (Civil "
            "Code Art. 195; SPC limitation rules Art. 8)."
        ),
    }[lim.basis]
    restarts = N_(
        "A payment, a signed repayment plan or a promise to pay, a demand that reaches you (a call, "
        "message or letter to you), or a lawsuit starts the three years again. After they end the debt "
        "still exists, but you may refuse to pay on that ground; paying or promising to pay then gives "
        "that up."
    )
    return (why, params), (restarts, {})


def restart_warning(
    lim: Limitation, action: str, as_of: date, window_months: int = WARN_WINDOW_MONTHS
) -> tuple[str, Mapping[str, str]] | None:
    """A warning (msgid, params) before an action that restarts the limitation period, or None.

    Always after expiry (paying or promising then waives the defence). A letter or a plan
    acknowledges the debt on purpose, so it is always warned about; a payment before expiry
    only when the period ends within ``window_months`` (routine payments need no warning).
    """
    if action not in ("payment", "letter", "plan"):
        raise ValueError(f"unknown action {action!r}")
    params = {"ends": lim.ends.isoformat()}
    if as_of > lim.ends:
        if action == "payment":
            return N_(
                "The limitation period for this debt ended on {ends}. A payment now cannot be taken back, "
                "and paying or promising to pay may give up the time-limit defence (Civil Code Art. 192; "
                "SPC limitation rules Art. 19)."
            ), params
        return N_(
            "The limitation period for this debt ended on {ends}. Signing a repayment plan or promising "
            "to pay now gives up the time-limit defence (SPC limitation rules Art. 19; Civil Code "
            "Art. 192)."
        ), params
    if action != "payment":
        return N_(
            "The limitation period would end on {ends}. A letter that promises to pay or proposes a plan "
            "restarts it for three years (Civil Code Art. 195; SPC limitation rules Art. 14)."
        ), params
    if lim.ends <= add_months(as_of, window_months):
        return N_(
            "The limitation period would end on {ends}. A payment restarts it for three years "
            "(Civil Code Art. 195; SPC limitation rules Art. 14)."
        ), params
    return None


# --- the whole report ------------------------------------------------------------------------


def overdue_report(
    debt: Debt,
    payments: Sequence[Payment],
    contacts: Sequence[ContactEntry],
    as_of: date,
    *,
    rules: OverdueRules,
    rows: Sequence[ScheduleRowLike] | None = None,
    horizon_days: Sequence[int] = (30, 60, 90),
) -> OverdueReport:
    """Everything the overdue page, the ``overdue`` command and the letters show for one debt."""
    instalments, arrears_rule = arrears(debt, rows)
    paid = [p for p in payments if p.date <= as_of]
    now = charges_on(debt, instalments, paid, as_of, rules)
    esc = rules.escalation
    stage = stage_for(now.days_overdue, esc.report_bucket_days, esc.report_max_code)
    events = timeline(debt, now.days_overdue, now.overdue_principal, as_of, rules)
    projection = project(
        debt, instalments, paid, as_of, [as_of + timedelta(days=d) for d in horizon_days], rules=rules
    )
    used = [arrears_rule, *now.rules_used]
    lpr_day = max(debt.start_date, debt.overdue_since or debt.start_date, as_of)
    if lpr_day > rules.lpr.confirmed_through:
        used.append(
            RuleUse(
                "lpr",
                N_(
                    "The LPR table is confirmed up to {date}; later announcements may differ. Check the "
                    "latest one-year LPR and correct the table if it changed."
                ),
                {"date": rules.lpr.confirmed_through.isoformat()},
                rules.lpr.cited,
            )
        )
    return OverdueReport(
        debt_id=debt.id,
        kind=debt.kind,
        as_of=as_of,
        days_overdue=now.days_overdue,
        in_grace=now.in_grace,
        grace_days=debt.grace_days,
        stage=stage,
        overdue_principal=now.overdue_principal,
        overdue_interest=now.overdue_interest,
        penalty_interest=now.penalty_interest,
        late_fees=now.late_fees,
        total_due=now.total_due,
        events=events,
        limitation=limitation(debt, payments, contacts, as_of, rules=rules, rows=rows),
        legal_checks=legal_checks(debt, now, as_of, rules, last_due_date(debt, rows), rows=rows),
        projection=projection,
        rules_used=tuple(used),
    )
