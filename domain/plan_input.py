"""A stored debt as a plan sees it: its balance, rate and the minimum it needs each month.

The minimum is the rule a person could check against a statement: revolving debts
(cards, Huabei) follow their kind's minimum-payment rule (percent of the balance plus
interest and fees, resources/rules/repayment.toml); an instalment debt needs its
schedule's next payment after the day the plan starts; a bullet loan needs nothing
before maturity; once the term has ended the whole balance is due.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.debts import Debt, DebtKind, Method
from domain.money import ZERO, round_fen
from domain.repayment_rules import RepaymentRules
from domain.schedules import Schedule
from domain.standing import standing_schedule
from domain.strategies import PlanDebt


def _current_payment(schedule: Schedule, as_of: date) -> Decimal:
    for row in schedule.rows:
        if row.due_date > as_of:
            return row.payment
    return ZERO


def _card_rule(rules: RepaymentRules, debt: Debt) -> tuple[Decimal | None, Decimal]:
    rule = rules.minimum_for(debt.kind) or rules.minimum_for(DebtKind.CREDIT_CARD)
    return (rule.percent, rule.floor) if rule is not None else (None, ZERO)


def plan_debt(
    debt: Debt,
    balance: Decimal,
    days_overdue: int,
    as_of: date,
    rules: RepaymentRules,
    *,
    arrears: Decimal | None = None,
) -> PlanDebt:
    """A stored debt as a plan sees it on ``as_of``, with ``balance`` principal still owed.

    Minimum payment: revolving debts follow their kind's minimum rule (percent of the
    balance plus interest and fees); others the schedule's next payment after ``as_of``;
    nothing before maturity for a bullet loan; the whole balance once the term has ended.
    ``arrears``: what is overdue on ``as_of`` with its charges (the overdue page's total due),
    due in the plan's first month on top of the minimum.
    """
    if debt.id is None:
        raise ValueError("a stored debt has an id")
    balance = round_fen(balance)
    fee = ZERO
    minimum_percent: Decimal | None = None
    minimum = ZERO
    if debt.method is Method.REVOLVING:
        minimum_percent, minimum = _card_rule(rules, debt)
    elif balance > 0:
        schedule = standing_schedule(debt)
        if debt.method is Method.FEE_INSTALLMENT:
            fee = schedule.rows[0].fee if schedule.rows else ZERO
        ended = schedule.end_date is None or schedule.end_date <= as_of
        if ended:
            minimum = balance + fee
        elif debt.method is not Method.BULLET:
            minimum = _current_payment(schedule, as_of)
    return PlanDebt(
        id=debt.id,
        name=debt.name,
        balance=balance,
        rate=debt.rate,
        rate_unit=debt.rate_unit,
        minimum_payment=min(minimum, balance + fee),
        fee_per_month=fee,
        kind=debt.kind,
        minimum_percent=minimum_percent,
        penalty_multiplier=debt.penalty_rate_multiplier,
        days_overdue=days_overdue,
        principal=balance,
        arrears=arrears if days_overdue and arrears else ZERO,
    )
