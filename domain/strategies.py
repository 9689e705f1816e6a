"""Several debts, one monthly budget: payoff plans and how they compare.

Strategies:

* avalanche — every yuan above the minimums goes to the debt with the highest monthly cost
  (interest rate plus fixed monthly fee as a share of the balance);
* snowball — to the smallest balance (ordered once, at the start);
* custom — to the debts in the order the person gives;
* triage — for a budget below the sum of the minimums: keep current the debts whose missed
  payments hurt most (data in resources/rules/triage.toml), say which go unpaid and why; any
  surplus goes avalanche. A debt's severity adds up the consequences a payment this month can
  still avert: losing a home or car pledged as security, the card criminal threshold (all cards'
  principal together), a guarantor pursued, a private lender's lawsuit, a first credit-report
  entry. A consequence that has already happened (a debt 120 days overdue is already reported
  and non-performing) no longer counts, so a current debt is kept current before a part-payment
  that cures nothing. Among equals the smaller real minimum (this month's, interest and fees
  included) comes first, so more debts stay current.

Each month of a plan: the debt's interest (balance × monthly rate, rounded to the fen
half-up; a missed minimum makes the next month's rate the penalty rate) and its fixed fee
are added; the budget pays the minimums, then the surplus goes to the strategy's target
debts. Unpaid interest and fees are added to what is owed (a simplification: lenders keep
them apart but charge them all the same). Daily rates are monthly × 30 here, as lenders quote.

Plans never loop forever: a plan stops at MAX_MONTHS, or earlier when the total owed stops
falling for three months after the last budget change — it then says it never ends and why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal
from enum import StrEnum

from domain.dates import add_months
from domain.debts import N_, DebtKind, RateUnit
from domain.errors import DomainError
from domain.money import FEN, ZERO, D, round_fen
from domain.rates import monthly_fraction
from domain.triage import SeverityFactor, TriageRules, parse_triage_rules

MAX_MONTHS = 600
# A plan whose total owed has not fallen for this many months (at a steady budget) never ends.
STALL_MONTHS = 3


class Strategy(StrEnum):
    AVALANCHE = "avalanche"
    SNOWBALL = "snowball"
    CUSTOM = "custom"
    TRIAGE = "triage"
    MINIMUM_ONLY = "minimum-only"  # the current path: minimums only, the comparison baseline


class PlanError(DomainError):
    """Input a plan cannot be built from (a negative budget, an unknown debt in the order ...)."""


@dataclass(frozen=True, slots=True)
class PlanDebt:
    """One debt as a plan sees it: what is owed now and what it costs each month."""

    id: int
    name: str
    balance: Decimal
    rate: Decimal  # percent per rate_unit
    rate_unit: RateUnit
    minimum_payment: Decimal  # the contractual payment; for revolving debts the floor
    fee_per_month: Decimal = ZERO  # a fixed fee while anything is owed (instalment 手续费)
    kind: DebtKind = DebtKind.OTHER
    minimum_percent: Decimal | None = None  # revolving: percent of the balance + interest + fees
    penalty_multiplier: Decimal = Decimal("1")  # rate × this in a month after a missed minimum
    days_overdue: int = 0
    principal: Decimal | None = None  # for the card criminal threshold; None = balance
    arrears: Decimal = ZERO  # overdue now with its charges: due in month 1 on top of the minimum

    @property
    def monthly_rate(self) -> Decimal:
        """Monthly rate as a fraction."""
        return monthly_fraction(self.rate, self.rate_unit)

    @property
    def monthly_cost(self) -> Decimal:
        """What a yuan of this balance costs a month (fraction): interest plus the fixed fee."""
        fee_share = self.fee_per_month / self.balance if self.balance > 0 else ZERO
        return self.monthly_rate + fee_share


@dataclass(frozen=True, slots=True)
class BudgetChange:
    """From month ``from_month`` (1 = the first month of the plan) the budget is ``budget``."""

    from_month: int
    budget: Decimal


@dataclass(frozen=True, slots=True)
class ExtraMoney:
    """A one-off amount (a bonus, a refund) added to the budget of ``month``."""

    month: int
    amount: Decimal


# --- results ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MonthPlan:
    month: int  # 1 = the first month of the plan
    date: date
    budget: Decimal  # this month's budget including one-off extra money
    payments: tuple[tuple[int, Decimal], ...]  # (debt id, amount) for each debt paid this month
    interest: Decimal
    fees: Decimal
    remaining: Decimal  # total still owed after this month's payments
    balances: tuple[tuple[int, Decimal], ...]  # (debt id, owed after this month), debts still open
    missed: tuple[int, ...] = ()  # debts whose minimum was not paid this month


@dataclass(frozen=True, slots=True)
class DebtOutcome:
    id: int
    name: str
    payoff_month: int | None  # None: not paid off within the plan
    payoff_date: date | None
    interest: Decimal
    fees: Decimal
    paid: Decimal
    missed_months: int
    first_missed_month: int | None
    consequences: tuple[SeverityFactor, ...] = ()  # what missing its payments risks (triage)
    minimum: Decimal = ZERO  # the first month's real minimum, interest and fees included
    priority: int | None = None  # triage: 1 = its minimum is paid first
    reasons: tuple[SeverityFactor, ...] = ()  # triage: the consequences that set its priority
    happened: tuple[SeverityFactor, ...] = ()  # triage: consequences that have already happened


class NeverEnds(StrEnum):
    BUDGET_BELOW_COST = "budget-below-cost"  # the budget does not cover interest and fees
    MONTH_CAP = "month-cap"  # still owing after MAX_MONTHS months
    MINIMUMS_TOO_LOW = "minimums-too-low"  # minimum-only: some minimum never clears its debt


NEVER_ENDS_TEXT = {
    NeverEnds.BUDGET_BELOW_COST: N_(
        "The budget of {budget} a month does not cover the interest and fees "
        "({cost} a month): at this budget the debts are never paid off."
    ),
    NeverEnds.MONTH_CAP: N_(
        "Still {remaining} owed after {months} months: at this budget the debts are "
        "not paid off within 50 years."
    ),
    NeverEnds.MINIMUMS_TOO_LOW: N_(
        "Paying only the minimums never clears {remaining}: some debts have no "
        "minimum payment, or it does not cover their interest."
    ),
}
SHORTFALL_TEXT = N_("The budget is {shortfall} short of the minimum payments ({minimums} a month).")


@dataclass(frozen=True, slots=True)
class Plan:
    strategy: Strategy
    budget: Decimal  # the first month's budget
    start: date  # the as-of date: month 1 falls a month later
    months: int  # months until everything is paid (or simulated, when it never ends)
    payoff_date: date | None
    total_interest: Decimal
    total_fees: Decimal
    total_paid: Decimal
    debts: tuple[DebtOutcome, ...]
    months_detail: tuple[MonthPlan, ...]
    minimums: Decimal  # the sum of the minimum payments in month 1
    never_ends: NeverEnds | None = None
    never_ends_params: Mapping[str, Decimal | int] = field(default_factory=dict)

    @property
    def ends(self) -> bool:
        return self.never_ends is None

    @property
    def shortfall(self) -> Decimal:
        """How far the first month's budget falls below the minimums (0 when it covers them)."""
        return max(self.minimums - self.budget, ZERO)

    @property
    def unpaid_debts(self) -> tuple[DebtOutcome, ...]:
        """Debts whose minimum goes unpaid in some month of the plan."""
        return tuple(d for d in self.debts if d.missed_months)


@dataclass(frozen=True, slots=True)
class Comparison:
    strategy: Strategy
    months: int
    total_interest: Decimal
    total_fees: Decimal
    ends: bool
    interest_saved: Decimal  # against the baseline (the minimum-only path unless told)
    months_saved: int


# --- the simulation --------------------------------------------------------------------


def first_minimum(debt: PlanDebt) -> Decimal:
    """The minimum due in a plan's first month: for a revolving debt its percent of the balance
    (rounded up) plus the month's interest and fee, at least the floor; otherwise the contractual
    payment; never more than what is then owed."""
    balance = round_fen(debt.balance)
    if balance <= 0:
        return ZERO
    interest = (balance * debt.monthly_rate).quantize(FEN, ROUND_HALF_UP)
    charged = interest + round_fen(debt.fee_per_month)
    floor = round_fen(debt.minimum_payment)
    if debt.minimum_percent is None:
        minimum = floor
    else:
        minimum = max(floor, (balance * debt.minimum_percent / 100).quantize(FEN, ROUND_UP) + charged)
    return min(minimum + round_fen(debt.arrears), balance + charged)


def _order(debts: Sequence[PlanDebt], strategy: Strategy, custom: Sequence[int] | None) -> list[int]:
    """Indices of ``debts`` in the order surplus money goes to them."""
    idx = list(range(len(debts)))
    if strategy is Strategy.SNOWBALL:
        return sorted(idx, key=lambda i: (debts[i].balance, -debts[i].monthly_cost, debts[i].id))
    if strategy is Strategy.CUSTOM:
        if custom is None:
            raise PlanError(N_("a custom plan needs the order of the debts"))
        position = {debt_id: n for n, debt_id in enumerate(custom)}
        unknown = set(custom) - {d.id for d in debts}
        if unknown:
            raise PlanError(N_("no debt has the id {ids}"), ids=", ".join(map(str, sorted(unknown))))
        # debts left out of the order come after it, avalanche among themselves
        return sorted(
            idx,
            key=lambda i: (
                position.get(debts[i].id, len(custom)),
                -debts[i].monthly_cost,
                debts[i].balance,
                debts[i].id,
            ),
        )
    return sorted(idx, key=lambda i: (-debts[i].monthly_cost, debts[i].balance, debts[i].id))


def _budget_schedule(budget: Decimal, changes: Iterable[BudgetChange]) -> list[tuple[int, Decimal]]:
    steps = sorted((c.from_month, round_fen(D(c.budget))) for c in changes)
    for month, amount in steps:
        if month < 1:
            raise PlanError(N_("a budget change starts at month 1 or later"))
        if amount < 0:
            raise PlanError(N_("a budget cannot be negative"))
    return [(1, round_fen(D(budget))), *steps]


def build_plan(
    debts: Sequence[PlanDebt],
    budget: Decimal,
    strategy: Strategy | str,
    start: date,
    *,
    order: Sequence[int] | None = None,
    budget_changes: Iterable[BudgetChange] = (),
    extra: Iterable[ExtraMoney] = (),
    triage: TriageRules | None = None,
    max_months: int = MAX_MONTHS,
) -> Plan:
    """A month-by-month plan paying ``debts`` from ``budget`` a month, starting after ``start``."""
    strategy = Strategy(strategy)
    budget = round_fen(D(budget))
    if budget < 0:
        raise PlanError(N_("a budget cannot be negative"))
    if strategy is Strategy.TRIAGE and triage is None:
        raise PlanError(N_("triage needs its rules"))
    if len({d.id for d in debts}) != len(debts):
        raise PlanError(N_("debt ids must be unique"))
    steps = _budget_schedule(budget, budget_changes)
    last_change = steps[-1][0]
    extras: dict[int, Decimal] = {}
    for e in extra:
        if e.month < 1 or e.amount < 0:
            raise PlanError(N_("extra money needs a month of 1 or later and an amount of 0 or more"))
        extras[e.month] = extras.get(e.month, ZERO) + round_fen(D(e.amount))
        last_change = max(last_change, e.month)

    n = len(debts)
    owed = [round_fen(d.balance) for d in debts]
    if any(b < 0 for b in owed):
        raise PlanError(N_("a balance cannot be negative"))
    rates = [d.monthly_rate for d in debts]
    penalty = [d.monthly_rate * d.penalty_multiplier for d in debts]
    fee = [round_fen(d.fee_per_month) for d in debts]
    floor = [round_fen(d.minimum_payment) for d in debts]
    arrears = [round_fen(d.arrears) for d in debts]
    pct = [None if d.minimum_percent is None else d.minimum_percent / 100 for d in debts]
    surplus_order = _order(debts, Strategy.AVALANCHE if strategy is Strategy.TRIAGE else strategy, order)
    if strategy is Strategy.TRIAGE:
        assert triage is not None
        severity = [triage.severity(d, debts) for d in debts]
        real_minimum = [first_minimum(d) for d in debts]
        # most severe first; among equals the smaller real minimum keeps more debts current
        minimum_order = sorted(
            range(n), key=lambda i: (-severity[i], real_minimum[i], -rates[i], debts[i].id)
        )
    else:
        minimum_order = surplus_order

    interest_sum = [ZERO] * n
    fee_sum = [ZERO] * n
    paid_sum = [ZERO] * n
    missed_count = [0] * n
    first_missed: list[int | None] = [None] * n
    payoff: list[int | None] = [None if owed[i] > 0 else 0 for i in range(n)]
    missed_last = [False] * n
    rows: list[MonthPlan] = []
    budget_now = budget
    step_index = 0
    stall = 0
    never: NeverEnds | None = None
    never_params: dict[str, Decimal | int] = {}
    first_minimums = ZERO
    month = 0
    open_total = sum(owed, ZERO)
    ids = [d.id for d in debts]
    triage_plan = strategy is Strategy.TRIAGE
    surplus = strategy is not Strategy.MINIMUM_ONLY
    # only open debts, kept in index / payment order; rebuilt when one is paid off
    open_idx = [i for i in range(n) if owed[i] > 0]
    open_min_order = [i for i in minimum_order if owed[i] > 0]
    open_surplus_order = [i for i in surplus_order if owed[i] > 0]
    while open_total > 0:
        if month >= max_months:
            never = NeverEnds.MONTH_CAP
            never_params = {"remaining": open_total, "months": month}
            break
        month += 1
        while step_index + 1 < len(steps) and steps[step_index + 1][0] <= month:
            step_index += 1
            budget_now = steps[step_index][1]
        cash = budget_now + extras.get(month, ZERO)
        month_budget = cash
        before = open_total
        due = [ZERO] * n
        month_interest = ZERO
        month_fees = ZERO
        for i in open_idx:
            balance = owed[i]
            interest = (balance * (penalty[i] if missed_last[i] else rates[i])).quantize(FEN, ROUND_HALF_UP)
            f = fee[i]
            interest_sum[i] += interest
            month_interest += interest
            charged = interest + f if f else interest
            if f:
                fee_sum[i] += f
                month_fees += f
            owed_now = balance + charged
            owed[i] = owed_now
            p = pct[i]
            if p is None:
                minimum = floor[i]
            else:
                # the percent part rounds up, so a tiny balance still gets paid off
                minimum = max(floor[i], (balance * p).quantize(FEN, ROUND_UP) + charged)
            if month == 1:
                minimum += arrears[i]  # what is overdue now is due at once
            due[i] = minimum if minimum < owed_now else owed_now
        if month == 1:
            first_minimums = sum(due, ZERO)
        pay = [ZERO] * n
        for i in open_min_order:
            d_i = due[i]
            if not d_i:
                continue
            if d_i <= cash:
                pay[i] = d_i
                cash -= d_i
            elif not triage_plan and cash:
                pay[i] = cash  # what is left goes to this one, short of its minimum
                cash = ZERO
            # triage skips it: a smaller minimum further down may still fit
        if triage_plan and cash > 0:
            for i in open_min_order:  # part-pay the most severe debt left short
                if due[i] > pay[i]:
                    more = min(cash, due[i] - pay[i])
                    pay[i] += more
                    cash -= more
                    if cash == 0:
                        break
        if surplus and cash > 0:
            for i in open_surplus_order:
                room = owed[i] - pay[i]
                if room > 0:
                    more = room if room < cash else cash
                    pay[i] += more
                    cash -= more
                    if not cash:
                        break
        missed: list[int] = []
        payments: list[tuple[int, Decimal]] = []
        balances: list[tuple[int, Decimal]] = []
        closed = False
        open_total = ZERO
        for i in open_idx:
            paid = pay[i]
            left = owed[i] - paid
            owed[i] = left
            if paid:
                paid_sum[i] += paid
                payments.append((ids[i], paid))
            late = paid < due[i]
            missed_last[i] = late
            if late:
                missed.append(ids[i])
                missed_count[i] += 1
                if first_missed[i] is None:
                    first_missed[i] = month
            if left:
                open_total += left
                balances.append((ids[i], left))
            else:
                payoff[i] = month
                closed = True
        if closed:
            open_idx = [i for i in open_idx if owed[i] > 0]
            open_min_order = [i for i in open_min_order if owed[i] > 0]
            open_surplus_order = [i for i in open_surplus_order if owed[i] > 0]
        rows.append(
            MonthPlan(
                month,
                add_months(start, month),
                month_budget,
                tuple(payments),
                month_interest,
                month_fees,
                open_total,
                tuple(balances),
                tuple(missed),
            )
        )
        stall = stall + 1 if open_total >= before and month >= last_change else 0
        if stall >= STALL_MONTHS:
            cost = month_interest + month_fees
            if cost >= budget_now:
                never = NeverEnds.BUDGET_BELOW_COST
                never_params = {"budget": budget_now, "cost": cost}
            else:
                never = NeverEnds.MINIMUMS_TOO_LOW
                never_params = {"remaining": open_total}
            break

    outcomes = []
    rank = {i: n for n, i in enumerate(minimum_order, start=1)} if triage_plan else {}
    for i, d in enumerate(debts):
        done = payoff[i]
        consequences = triage.factors_for(d, debts) if (triage is not None and missed_count[i]) else ()
        reasons: tuple[SeverityFactor, ...] = ()
        happened: tuple[SeverityFactor, ...] = ()
        if triage_plan and triage is not None:
            reasons = triage.ahead(d, debts)
            happened = tuple(f for f in triage.factors_for(d, debts) if triage.happened(f, d))
        outcomes.append(
            DebtOutcome(
                d.id,
                d.name,
                done,
                None if done is None else (start if done == 0 else add_months(start, done)),
                interest_sum[i],
                fee_sum[i],
                paid_sum[i],
                missed_count[i],
                first_missed[i],
                consequences,
                first_minimum(d),
                rank.get(i),
                reasons,
                happened,
            )
        )
    total_interest = sum(interest_sum, ZERO)
    total_fees = sum(fee_sum, ZERO)
    payoff_date = None if never is not None else add_months(start, month)
    return Plan(
        strategy=strategy,
        budget=budget,
        start=start,
        months=month,
        payoff_date=payoff_date,
        total_interest=total_interest,
        total_fees=total_fees,
        total_paid=sum(paid_sum, ZERO),
        debts=tuple(outcomes),
        months_detail=tuple(rows),
        minimums=first_minimums,
        never_ends=never,
        never_ends_params=never_params,
    )


def compare_plans(plans: Sequence[Plan], baseline: Plan) -> list[Comparison]:
    """Each plan against ``baseline`` (usually the minimum-only path): interest and months saved."""
    return [
        Comparison(
            p.strategy,
            p.months,
            p.total_interest,
            p.total_fees,
            p.ends,
            baseline.total_interest + baseline.total_fees - p.total_interest - p.total_fees,
            baseline.months - p.months,
        )
        for p in plans
    ]


def all_plans(
    debts: Sequence[PlanDebt],
    budget: Decimal,
    start: date,
    *,
    triage: TriageRules,
    order: Sequence[int] | None = None,
    budget_changes: Iterable[BudgetChange] = (),
    extra: Iterable[ExtraMoney] = (),
) -> dict[Strategy, Plan]:
    """Every strategy (custom only when an order is given) plus the minimum-only baseline."""
    changes, extras = tuple(budget_changes), tuple(extra)
    wanted = [Strategy.AVALANCHE, Strategy.SNOWBALL, Strategy.TRIAGE, Strategy.MINIMUM_ONLY]
    if order is not None:
        wanted.insert(2, Strategy.CUSTOM)
    return {
        s: build_plan(
            debts, budget, s, start, order=order, budget_changes=changes, extra=extras, triage=triage
        )
        for s in wanted
    }


# The triage rules live in domain.triage; planning names them through here too.
__all__ = ["SeverityFactor", "TriageRules", "parse_triage_rules"]
